"""Run the test cases written inside policy files (``zhida policy test``).

A case gives the period, the judging date, the input rows of each source (a mapping
for one row, a list for several; money in yuan, 万元 as decimals) and the expected
status, amount and, optionally, the outcome of individual conditions, the missing
fields (``missing``) and the divisors found to be 0 (``zero``) an undecided condition
names. A policy file may give ``test_defaults`` merged under every case's input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from zhida.money import format_yuan, yuan_to_fen
from zhida.rules.entities import SCHEMAS, entity, field_spec, source
from zhida.rules.evaluate import ELIGIBLE, INELIGIBLE, UNDETERMINED, evaluate, resolve_parameters
from zhida.rules.inputs import Sources, input_frame
from zhida.rules.period import Period
from zhida.rules.policy import Case, Policy
from zhida.rules.reasons import reasons_for

STATUS_ALIASES = {"符合": ELIGIBLE, "不符合": INELIGIBLE, "待定": UNDETERMINED,
                  ELIGIBLE: ELIGIBLE, INELIGIBLE: INELIGIBLE, UNDETERMINED: UNDETERMINED}
TEST_USCC = "91371500TESTCASE0X"  # the key of the one entity a case judges


@dataclass(frozen=True)
class CaseResult:
    policy_id: str
    name: str
    line: int
    passed: bool
    message: str = ""


def _cell(column: str, value, dtype):
    if value is None or str(value).strip() in ("", "null", "~"):
        return None
    text = str(value).strip()
    sym = field_spec(column)
    if sym is not None and sym.type == "money":
        return yuan_to_fen(text)
    if sym is not None and sym.scale:
        return int(Decimal(text) * 10**sym.scale)
    if dtype == pl.Boolean:
        return text.lower() in ("true", "是", "yes", "1")
    if dtype == pl.Date:
        return dt.date.fromisoformat(text)
    if dtype == pl.Int64:
        return int(text)
    return text


def _rows(name: str, given, period: Period, policy: Policy) -> list[dict]:
    rows = given if isinstance(given, list) else [given]
    s, out = source(name), []
    spec = policy.sources.get(name)
    for row in rows:
        full = {entity(policy.target).key: TEST_USCC}
        if s.case_defaults is not None:
            full.update(s.case_defaults(period, spec.year_offset if spec else 0))
        full.update(row)
        out.append({c: _cell(c, full.get(c), t) for c, t in SCHEMAS[name].items()})
    return out


def case_sources(policy: Policy, case: Case, period: Period, defaults: dict) -> Sources:
    given = {k: (dict(v) if isinstance(v, dict) else v) for k, v in (defaults or {}).items()}
    for k, v in case.input.items():
        given[k] = {**given[k], **v} if isinstance(v, dict) and isinstance(given.get(k), dict) else v
    target = entity(policy.target)
    own = given.pop(target.name, None) or given.pop(target.base, None) or {}
    base = {target.title: case.name, **own}
    frames = {target.base: pl.DataFrame(_rows(target.base, base, period, policy), schema=dict(SCHEMAS[target.base]))}
    for name, rows in given.items():
        if name not in SCHEMAS:
            raise ValueError(f"未知的数据来源 {name}")
        frames[name] = pl.DataFrame(_rows(name, rows, period, policy) if rows else [], schema=dict(SCHEMAS[name]))
    return Sources(frames)


def run_case(policy: Policy, case: Case, defaults: dict | None = None) -> CaseResult:
    try:
        period = Period.parse(case.period)
        as_of = dt.date.fromisoformat(case.as_of) if case.as_of else period.start
        params = resolve_parameters(policy, period.start, dict(case.overrides))
        frame = input_frame(policy, period, as_of, case_sources(policy, case, period, defaults or {}))
        ev = evaluate(policy, frame, period, params)
    except Exception as exc:  # a broken case is a failed case, with the reason
        return CaseResult(policy.id, case.name, case.line, False, f"运行出错：{exc}")
    return CaseResult(policy.id, case.name, case.line, *compare(case, ev))


def compare(case: Case, ev) -> tuple[bool, str]:
    if ev.frame.height == 0:
        return (str(case.expect.get("evaluated", "true")) == "false", "该单位不在评估范围内")
    row = ev.frame.row(0, named=True)
    reasons = {r["code"]: r for r in reasons_for(ev)[0]}
    problems = []
    want = case.expect
    if "status" in want and STATUS_ALIASES.get(str(want["status"])) != row["status"]:
        problems.append(f"状态应为 {want['status']}，实际 {row['status']}")
    if "amount" in want and yuan_to_fen(str(want["amount"])) != row["amount_fen"]:
        problems.append(f"金额应为 {want['amount']}，实际 {format_yuan(row['amount_fen'])}")
    for code, outcome in (want.get("reasons") or {}).items():
        expected = None if str(outcome) in ("null", "~", "") else str(outcome) == "true"
        got = reasons.get(code, {}).get("passed", "无此条件")
        if got != expected:
            problems.append(f"条件 {code} 应为 {expected}，实际 {got}")
    for label in want.get("missing") or []:
        if not any(label in r.get("missing", []) for r in reasons.values()):
            problems.append(f"应指出缺少「{label}」")
    for label in want.get("zero") or []:
        if not any(label in r.get("zero", []) for r in reasons.values()):
            problems.append(f"应指出「{label}」为 0 无法计算")
    if str(want.get("evaluated", "true")) == "false":
        problems.append("该单位不应在评估范围内")
    return (not problems, "；".join(problems))


def run_cases(policy: Policy) -> list[CaseResult]:
    return [run_case(policy, c, policy.test_defaults) for c in policy.cases]
