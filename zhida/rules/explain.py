"""Explain one unit's decision in Chinese, from a one-row evaluation of the same rules.

Every node of every expression is compiled as a column over the unit's row, so the
values shown are the values the vectorised evaluation used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import polars as pl

from zhida.money import format_yuan
from zhida.rules.evaluate import ELIGIBLE, INELIGIBLE, Evaluation, Plan, rule_col
from zhida.rules.lang.compile import Compiler, Plain, Rat
from zhida.rules.lang.display import show
from zhida.rules.lang.render import Renderer, live_nodes
from zhida.rules.lang.syntax import Name, Node, walk
from zhida.rules.period import Period
from zhida.rules.reasons import Values, unit_reasons
from zhida.rules.zeros import zero_text


@dataclass
class Explanation:
    uscc: str
    name: str
    status: str
    amount_fen: int
    reasons: list[dict]
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines)


def node_values(ev: Evaluation, row_frame: pl.DataFrame) -> dict[Node, object]:
    """Value of every node of every expression of the policy, for the single row."""
    policy = ev.policy
    plan = Plan(policy, ev.params, dict(ev.var_dens))
    compiler = Compiler(plan.resolve)
    roots = [v.node for v in policy.variables.values()] + [r.node for r in policy.rules] + [policy.amount.node]
    nodes = [n for root in roots for n in walk(root)]
    exprs: list[pl.Expr] = []
    readers: dict[Any, tuple[str, Any]] = {}
    for i, node in enumerate(nodes):
        value = compiler.compile(node)
        if isinstance(value, Rat):
            exprs += [value.num.alias(f"{i}n"), (pl.lit(value.den) if isinstance(value.den, int) else value.den)
                      .cast(pl.Int128).alias(f"{i}d")]
            readers[node] = ("rat", i)
        elif isinstance(value, Plain):
            exprs.append(value.expr.alias(f"{i}"))
            readers[node] = ("plain", i)
        else:
            readers[node] = ("const", value)
    row = row_frame.select(exprs).row(0, named=True) if exprs else {}
    out: dict[Node, object] = {}
    for node, (kind, ref) in readers.items():
        if kind == "rat":
            num, den = row[f"{ref}n"], row[f"{ref}d"]
            out[node] = None if num is None or not den else Fraction(num, den)
        else:
            out[node] = row[str(ref)] if kind == "plain" else ref
    return out


def explain_row(ev: Evaluation, uscc: str, period: Period, as_of) -> Explanation:
    """The explanation of the unit ``uscc`` (its row must be in ``ev.frame``)."""
    frame = ev.frame.filter(pl.col(ev.key) == uscc).head(1)
    row = frame.row(0, named=True)
    values = node_values(ev, frame)
    vals = Values(ev)
    reasons = unit_reasons(vals, row)
    ex = Explanation(uscc, row[ev.title], row["status"], int(row["amount_fen"]), reasons)
    ex.lines = Lines(ev, values, row, reasons, vals).build(period, as_of)
    return ex


class Lines:
    def __init__(self, ev: Evaluation, values: dict, row: dict, reasons: list[dict], vals: Values | None = None):
        self.ev, self.policy, self.values, self.row, self.reasons = ev, ev.policy, values, row, reasons
        self.vals = vals or Values(ev)
        self.render = Renderer(self.policy.env, values)

    def build(self, period: Period, as_of) -> list[str]:
        p = self.policy
        lines = [f"{p.name}（{p.id}）{period.chinese()}：{self.row[self.ev.title]}（{self.row[self.ev.key]}）",
                 "政策依据：" + "；".join(b.doc_no for b in p.legal_basis),
                 judging_date(p, period, as_of), "参数："]
        lines += [f"  {line}" for line in self.parameters()]
        live = self.live_names()
        shown = [v for v in p.variables.values() if v.name in live]
        if shown:
            lines.append("计算：")
            for v in shown:
                value, text = show(self.values.get(v.node), v.unit), self.render(v.node)
                lines.append(f"  {v.label} = {value}" if value in (text, text.split(" ")[-1]) else
                             f"  {v.label} = {text} = {value}")
        lines += self.rule_lines()
        lines.append(self.conclusion())
        return lines

    def live_names(self) -> set[str]:
        roots = [r.node for r in self.policy.rules] + [self.policy.amount.node]
        names: set[str] = set()
        todo = list(roots)
        while todo:
            for n in live_nodes(todo.pop(), self.values):
                if isinstance(n, Name) and n.name not in names:
                    names.add(n.name)
                    if n.name in self.policy.variables:
                        todo.append(self.policy.variables[n.name].node)
        return names

    def parameters(self) -> list[str]:
        out = []
        live = self.live_names()
        for name, dated in self.ev.params.items():
            if name not in live:
                continue
            p = self.policy.parameters[name]
            ref = f"，{dated.reference}" if dated.reference else ""
            out.append(f"{p.description} {show(dated.value, p.unit)}（自 {dated.effective} 起{ref}）")
        return out

    def rule_lines(self) -> list[str]:
        """``✔ 无失业保险欠费：欠费金额 0.00 > 0，不成立`` — the outcome label, then the rule with its values."""
        out = []
        for title, kind in (("条件：", "condition"), ("排除情形：", "exclusion")):
            rules = [r for r in self.policy.rules if r.kind == kind]
            if rules:
                out.append(title)
            for r, rs in zip(self.policy.rules, self.reasons, strict=False):
                if r.kind == kind:
                    out.append(f"  {self.verdict(r, rs)}")
        return out

    def verdict(self, rule, rs: dict) -> str:
        hit, shown = self.row[rule_col(rule)], self.render(rule.node)
        if hit is None:
            return f"· 无法判定：{rule.description}：{shown}（{self.undecided(rule, rs)}）"
        if rule.kind == "condition":
            return f"✔ {rule.label_passed}：{shown}" if hit else f"✘ {rule.label_failed}：{shown}"
        return f"✘ {rule.label_failed}：{shown}，成立" if hit else f"✔ {rule.label_passed}：{shown}，不成立"

    def undecided(self, rule, rs: dict) -> str:
        """Why ``rule`` (``None``: the amount) could not be decided: missing fields, zero divisors."""
        parts = ["缺少：" + "、".join(rs["missing"])] if rs.get("missing") else []
        zeros = self.vals.zeros(rule, self.row)
        if zeros:
            parts.append(zero_text(zeros))
        return "；".join(parts) or "缺少：计算所需数据"

    def conclusion(self) -> str:
        status, amount = self.row["status"], self.policy.amount
        if status == ELIGIBLE:
            return f"结论：符合。{amount.label} = {self.render(amount.node)} = {format_yuan(self.row['amount_fen'])} 元"
        if status == INELIGIBLE:
            failed = [r.label_failed for r, rs in zip(self.policy.rules, self.reasons, strict=False) if rs["passed"] is False]
            return f"结论：不符合（{'；'.join(failed)}），{amount.label} 0.00 元"
        missing = sorted({m for rs in self.reasons for m in rs.get("missing", [])})
        rules = [r for r, rs in zip(self.policy.rules, self.reasons, strict=False) if rs["passed"] is None]
        zeros = {d.name: d for r in [*rules, None] for d in self.vals.zeros(r, self.row)}
        parts = [f"缺少数据：{'、'.join(missing)}"] if missing else []
        parts += [zero_text(list(zeros.values()))] if zeros else []
        return f"结论：待定，{'；'.join(parts) or '缺少数据：计算所需数据'}；补齐或核实后重新计算"


def judging_date(policy, period: Period, as_of) -> str:
    """The line stating what ``--as-of`` decides — only what really depends on it.

    Credit-list entries are judged at ``as_of``; arrears are the year-end 欠费金额 of the
    payment year the policy reads, whatever ``as_of`` is.
    """
    notes = []
    if "credit_entries" in policy.sources:
        notes.append("信用名单按此日判定")
    source = policy.sources.get("ui_payments")
    if source is not None and "arrears" in _fields_used(policy):
        notes.append(f"欠费按 {period.year + source.year_offset} 年末欠费金额判定")
    return f"判定日期：{as_of}" + (f"（{'；'.join(notes)}）" if notes else "")


def _fields_used(policy) -> set[str]:
    roots = [r.node for r in policy.rules] + [policy.amount.node]
    return {f for root in roots for f in policy.fields_behind(root)}


# ----------------------------------------------------------------- one renderer for every edge
UNIT_SUFFIX = {"yuan": " 元", "wan": " 万元", "person": " 人", "month": " 个月"}
PLACES = {"percent": 1, "yuan": 2, "wan": 2, "person": 2, "month": 0}


def display_value(value, unit: str = "plain") -> str:
    """A stored reason value (as ``plain_value`` wrote it) for people: rounded once for display,
    marked 约 when rounding changed it; exact values stay in the stored JSON.

    >>> display_value("3.775009%", "percent"), display_value("5.5%", "percent"), display_value("20%", "percent")
    ('约3.8%', '5.5%', '20%')
    >>> display_value("120000.00", "yuan"), display_value("15.19", "person"), display_value("12", "month")
    ('120,000.00 元', '15.19 人', '12 个月')
    >>> display_value(None, "wan"), display_value(False, "bool"), display_value("5000.1234", "wan")
    ('缺失', '否', '约5,000.12 万元')
    """
    if value is None:
        return "缺失"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    number = text.rstrip("%")
    try:
        exact = Decimal(number)
    except InvalidOperation:
        return text  # text and set values are shown as they are
    places = PLACES.get(unit, 4)
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    out = f"{shown:,.2f}" if unit == "yuan" else f"{shown:,f}"
    if unit != "yuan" and "." in out:
        out = out.rstrip("0").rstrip(".")
    prefix = "" if shown == exact else "约"
    return prefix + out + ("%" if unit == "percent" else UNIT_SUFFIX.get(unit, ""))


@dataclass(frozen=True)
class ReasonText:
    """One condition or exclusion as people read it: whether it held and the sentence."""

    passed: bool | None
    text: str


def render_reason(raw) -> ReasonText:
    """A stored reason (dict from ``reasons.py``, or older plain text) as one Chinese sentence:
    the outcome label (``未列入严重失信主体名单`` / ``已列入…，不予返还``), then the values it used
    with their Chinese names and units. Used by the staff pages, the portal, the CLI and the API.

    >>> render_reason({"description": "裁员率不超过控制目标", "passed": True, "text": "裁员率未超过控制目标",
    ...                "values": {"layoff_rate": "3.775009%", "insured_avg": "15.19"},
    ...                "names": {"layoff_rate": ["裁员率", "percent"], "insured_avg": ["月均参保人数", "person"]}}).text
    '裁员率未超过控制目标（裁员率 约3.8%；月均参保人数 15.19 人）'
    >>> render_reason({"description": "存在欠费", "passed": None, "missing": ["欠费金额"], "values": {}}).text
    '存在欠费（缺少：欠费金额）'
    >>> render_reason("不在失信名单")
    ReasonText(passed=None, text='不在失信名单')
    """
    if not isinstance(raw, dict):
        return ReasonText(None, str(raw))
    passed = raw.get("passed") if isinstance(raw.get("passed"), bool) else None
    text = str(raw.get("text") or raw.get("description") or "")
    names = raw.get("names") or {}
    used = []
    for key, value in (raw.get("values") or {}).items():
        label, unit = (names.get(key) or [key, "plain"])[:2]
        used.append(f"{label} {display_value(value, unit)}")
    if used:
        text += "（" + "；".join(used) + "）"
    if raw.get("missing"):
        text += "（缺少：" + "、".join(raw["missing"]) + "）"
    if raw.get("zero"):
        text += "（" + "、".join(raw["zero"]) + "为 0，无法计算）"
    return ReasonText(passed, text)


def open_reasons(reasons) -> str:
    """不符合原因: the outcome labels of the reasons that failed or could not be decided, ；-joined."""
    out = []
    for raw in reasons or []:
        if isinstance(raw, dict) and raw.get("passed") is not True:
            out.append(str(raw.get("text") or raw.get("description") or ""))
    return "；".join(o for o in out if o)
