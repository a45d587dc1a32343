"""Load and type-check policy YAML files; errors name the file, the line and a fix.

Policies ship in ``zhida/rules/policies/*.yaml``; a directory given by ``ZHIDA_POLICY_DIR``
(or ``--policy-dir``) is searched first, so a bureau can add or amend policies without
touching the package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from pathlib import Path

from zhida.errors import PolicyError
from zhida.rules.entities import entity, fields_for, sources_of
from zhida.rules.lang.syntax import ParseError, parse
from zhida.rules.lang.types import TYPE_NAMES, Checker, Symbol, suggest
from zhida.rules.parameters import UNIT_TYPES, Dated, Parameter, parse_value
from zhida.rules.policy import Amount, Case, JudgingDate, LegalBasis, Policy, Rule, SourceSpec, Variable
from zhida.rules.yamlio import Map, line_of, load_text

BUILTIN_DIR = Path(__file__).parent / "policies"


def policy_dirs(extra: str | Path | None = None) -> list[Path]:
    """Where policy files are found, first match wins: ``extra``, ``ZHIDA_POLICY_DIR``, the
    built-in policies, then ``zhida/<pkg>/policies/`` of every package that has one."""
    from zhida.programmes import ROOT, packages

    dirs = [Path(extra)] if extra else []
    if os.environ.get("ZHIDA_POLICY_DIR"):  # the setting ``policy_dir``, read live (tests change it)
        dirs.append(Path(os.environ["ZHIDA_POLICY_DIR"]))
    own = [ROOT / p.split(".")[1] / "policies" for p in packages() if p != "zhida.rules"]
    return [*dirs, BUILTIN_DIR, *[d for d in own if d.is_dir()]]


class Ctx:
    """Where we are in a file, to build errors."""

    def __init__(self, file: str):
        self.file = file

    def error(self, line: int, message: str, hint: str = "") -> PolicyError:
        tail = f"。提示：{hint}" if hint else ""
        return PolicyError(f"{self.file} 第 {line} 行：{message}{tail}")

    def need(self, doc: Map, key: str, where: str = "策略文件"):
        if key not in doc:
            raise self.error(line_of(doc, 1), f"{where}缺少「{key}」")
        return doc[key]


def load_policy(path: str | Path) -> Policy:
    """Load one policy file, type-check it, and return the Policy."""
    path = Path(path)
    raw = path.read_bytes()
    ctx = Ctx(path.name)
    try:
        doc = load_text(raw.decode("utf-8"))
    except Exception as exc:  # yaml.YAMLError, UnicodeDecodeError
        mark = getattr(exc, "problem_mark", None)
        raise ctx.error(mark.line + 1 if mark else 1, f"不是有效的 YAML：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, Map):
        raise ctx.error(1, "策略文件应是键值结构（id: …、name: …）")
    policy = _build(doc, ctx)
    policy.path, policy.hash = str(path), hashlib.sha256(raw).hexdigest()
    return policy


def _target(doc: Map, ctx: Ctx) -> str:
    name = str(doc.get("target", "unit"))
    try:
        return entity(name).name
    except PolicyError as exc:
        raise ctx.error(line_of(doc["target"]) if "target" in doc else 1, exc.message) from None


def _build(doc: Map, ctx: Ctx) -> Policy:
    target = _target(doc, ctx)
    sources = _sources(doc.get("sources") or Map(), ctx, target)
    params = _parameters(doc.get("parameters") or Map(), ctx)
    env: dict[str, Symbol] = dict(fields_for(target, sources))
    for p in params.values():
        env[p.name] = Symbol(p.name, "param", p.type, p.description, p.unit)
    checker = Checker(env)
    variables = _variables(doc.get("variables") or Map(), ctx, env, checker)
    conditions = _rules(doc.get("conditions") or [], "condition", ctx, checker)
    exclusions = _rules(doc.get("exclusions") or [], "exclusion", ctx, checker)
    amount_doc = ctx.need(doc, "amount")
    text = ctx.need(amount_doc, "formula", "amount ")
    amount = Amount(str(amount_doc.get("label", "金额")), _expr(text, "money", ctx, checker), str(text),
                    line_of(text), str(amount_doc.get("rounding", "half_up_fen")))
    if amount.rounding != "half_up_fen":
        raise ctx.error(line_of(amount_doc), f"不支持的舍入方式「{amount.rounding}」", "目前只支持 half_up_fen（四舍五入到分）")
    period_type = str(ctx.need(doc, "period"))
    if period_type not in ("year", "quarter"):
        raise ctx.error(line_of(doc["period"]), f"期间类型「{period_type}」无效", "写 year 或 quarter")
    return Policy(
        id=str(ctx.need(doc, "id")), name=str(ctx.need(doc, "name")),
        legal_basis=[LegalBasis(str(b.get("title", "")), str(b.get("文号", b.get("doc_no", ""))), str(b.get("article", "")))
                     for b in doc.get("legal_basis") or []],
        period_type=period_type, target=target, sources=sources,
        parameters=params, variables=variables, conditions=conditions, exclusions=exclusions, amount=amount,
        cases=[_case(c, ctx) for c in doc.get("tests") or []], env=env, description=str(doc.get("description", "")),
        test_defaults=doc.get("test_defaults") or {}, jurisdiction=_jurisdiction(doc, ctx),
        judging=_judging(doc, ctx),
    )


def _judging(doc: Map, ctx: Ctx) -> JudgingDate:
    """``judging_date: {month_day: "06-30", reference: …}`` or ``{days_after_end: 15, reference: …}``."""
    if "judging_date" not in doc:
        return JudgingDate()
    spec = doc["judging_date"]
    where = line_of(spec, line_of(doc))
    hint = '写 month_day: "06-30"（期间所在年度的某日）或 days_after_end: 15（期间结束后第几天）'
    if not isinstance(spec, Map):
        raise ctx.error(where, "judging_date（判定日期）应是键值结构", hint)
    month_day, after = str(spec.get("month_day", "")).strip(), spec.get("days_after_end")
    try:
        if month_day:
            dt.date(2024, *(int(x) for x in month_day.split("-")))
        after = int(str(after)) if after is not None else None
    except (ValueError, TypeError):
        raise ctx.error(where, f"judging_date 的值无效：{month_day or after}", hint) from None
    if bool(month_day) == (after is not None) or (after is not None and not 0 <= after <= 366):
        raise ctx.error(where, "judging_date 须且只须给出 month_day 或 days_after_end（0–366 天）之一", hint)
    return JudgingDate(month_day, after, str(spec.get("reference", "")))


def _jurisdiction(doc: Map, ctx: Ctx) -> tuple[str, ...]:
    """``jurisdiction: [371521]``: 6-digit GB/T 2260 codes of the divisions the policy applies in."""
    if "jurisdiction" not in doc:
        return ()
    given = doc["jurisdiction"]
    items = given if isinstance(given, list) else [given]
    codes = tuple(str(c).strip() for c in items)
    bad = [c for c in codes if not (len(c) == 6 and c.isdigit())]
    if bad or not codes:
        raise ctx.error(line_of(given, line_of(doc)), f"jurisdiction（适用地域）应是 6 位行政区划代码的列表，「{'、'.join(bad)}」无效",
                        "例如 jurisdiction: [371521]（阳谷县）或 [370000]（山东省）")
    return codes


def _sources(doc: Map, ctx: Ctx, target: str) -> dict[str, SourceSpec]:
    out = {}
    e = entity(target)
    known = [s.name for s in sources_of(target) if s.name != e.base]
    for name, spec in doc.items():
        if name not in known:
            raise ctx.error(doc.key_lines[name], f"未知数据来源 {name}（判定对象「{e.label}」）", suggest(name, known))
        spec = spec if isinstance(spec, Map) else Map()
        out[name] = SourceSpec(name, int(spec.get("year_offset", 0)), str(spec.get("required", "false")) == "true")
    return out


def _parameters(doc: Map, ctx: Ctx) -> dict[str, Parameter]:
    out = {}
    for name, spec in doc.items():
        line = doc.key_lines[name]
        unit = str(spec.get("unit", "plain"))
        if unit not in UNIT_TYPES:
            raise ctx.error(line, f"参数 {name} 的单位「{unit}」无效", suggest(unit, UNIT_TYPES))
        shell = Parameter(name, str(spec.get("description", name)), unit, [], str(spec.get("note", "")),
                          _bounds(spec, name, unit, ctx, line), _choices(spec, name, unit, ctx, line))
        values = []
        for day, v in (ctx.need(spec, "values", f"参数 {name} ") or Map()).items():
            v = v if isinstance(v, Map) else Map(value=v)
            try:
                eff = dt.date.fromisoformat(str(day))
                value = shell.parse(ctx.need(v, "value", f"参数 {name} 的 {day} "))
            except ValueError as exc:
                raise ctx.error(line_of(v.get("value"), line), f"参数 {name}{_about(shell)}的值无效：{exc}") from None
            values.append(Dated(eff, value, str(v.get("reference", "")), str(v.get("note", ""))))
        out[name] = dataclasses.replace(shell, values=values)
    return out


def _about(p: Parameter) -> str:
    return f"（{p.description}）" if p.description != p.name else " "


def _bounds(spec: Map, name: str, unit: str, ctx: Ctx, line: int):
    """The declared ``range: [low, high]`` of a numeric parameter (``~`` for no bound), or None."""
    if "range" not in spec:
        return None
    given = spec["range"]
    where = line_of(given, line)
    if UNIT_TYPES[unit] not in ("number", "money") or not isinstance(given, list) or len(given) != 2:
        raise ctx.error(where, f"参数 {name} 的 range 应是数值参数的 [下限, 上限]", "例如 range: [0, 1]；无上限写 ~")
    try:
        low, high = (None if str(b).strip() in ("~", "null", "") else parse_value(b, unit) for b in given)
    except ValueError as exc:
        raise ctx.error(where, f"参数 {name} 的 range 无效：{exc}") from None
    if low is not None and high is not None and low > high:
        raise ctx.error(where, f"参数 {name} 的 range 下限大于上限")
    return low, high


def _choices(spec: Map, name: str, unit: str, ctx: Ctx, line: int) -> tuple[str, ...]:
    if "choices" not in spec:
        return ()
    given = spec["choices"]
    if unit not in ("text", "set") or not isinstance(given, list) or not given:
        raise ctx.error(line_of(given, line), f"参数 {name} 的 choices 应是文字或集合参数的取值列表",
                        "例如 choices: [A, B, C]")
    return tuple(str(c).strip() for c in given)


def _expr(text, want: str | None, ctx: Ctx, checker: Checker):
    line = line_of(text)
    try:
        node = parse(str(text))
        got = checker.check(node)
    except ParseError as exc:
        snippet = str(text).strip().replace("\n", " ")
        raise ctx.error(line, f"表达式「{snippet}」第 {exc.pos + 1} 个字符处：{exc.message}", exc.hint) from None
    if want and got != want:
        raise ctx.error(line, f"表达式「{str(text).strip()}」应得到{TYPE_NAMES[want]}，实际是{TYPE_NAMES[got]}")
    return node


def _variables(doc: Map, ctx: Ctx, env: dict, checker: Checker) -> dict[str, Variable]:
    out = {}
    for name, spec in doc.items():
        text = ctx.need(spec, "formula", f"变量 {name} ")
        node = _expr(text, None, ctx, checker)
        vtype = checker.types[node]
        unit = str(spec.get("unit", "yuan" if vtype == "money" else "plain"))
        if name in env:
            raise ctx.error(doc.key_lines[name], f"变量名 {name} 与已有字段或参数重名")
        out[name] = Variable(name, str(spec.get("label", name)), unit, vtype, node, str(text), line_of(text))
        env[name] = Symbol(name, "var", vtype, out[name].label, unit)
    return out


def _rules(items, kind: str, ctx: Ctx, checker: Checker) -> list[Rule]:
    out, seen = [], set()
    for item in items:
        code = str(ctx.need(item, "code", "条件 "))
        if code in seen:
            raise ctx.error(line_of(item), f"条件代码 {code} 重复")
        seen.add(code)
        text = ctx.need(item, "expression", f"条件 {code} ")
        out.append(Rule(code, str(item.get("description", code)), kind, _expr(text, "bool", ctx, checker), str(text),
                        line_of(text), str(item.get("reference", "")), str(item.get("passed", "")),
                        str(item.get("failed", ""))))
    return out


def _case(item: Map, ctx: Ctx) -> Case:
    return Case(str(ctx.need(item, "name", "测试用例 ")), str(ctx.need(item, "period", "测试用例 ")),
                str(item["as_of"]) if "as_of" in item else None, item.get("input") or Map(),
                item.get("expect") or Map(), line_of(item), item.get("set") or Map())


def discover(extra_dir: str | Path | None = None) -> dict[str, Path]:
    """Policy id (file stem) → file; earlier directories win."""
    found: dict[str, Path] = {}
    for d in policy_dirs(extra_dir):
        if d.is_dir():
            for f in sorted(d.glob("*.yaml")):
                found.setdefault(f.stem, f)
    return found
