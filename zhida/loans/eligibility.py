"""Eligibility of loan applications (贷款申请资格审查) on the rules engine.

The rules are the policy ``policies/loans-eligibility.yaml`` (target ``loan application``):
legal basis, dated cited parameters, conditions and the cases that pin each threshold from
both sides (``zhida policy test loans-eligibility``). Its inputs are declared in
``zhida.loans.rule_inputs``. An application is judged for the quarter of its submission, with
the parameters in force at that quarter's start, and explained in Chinese like every policy.

Statuses: 符合, 不符合, 待定 (a value still unknown — no credit check imported yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from zhida.rules.evaluate import ELIGIBLE, INELIGIBLE, STATUS_ZH, UNDETERMINED, resolve_parameters
from zhida.rules.explain import explain_row
from zhida.rules.period import Period
from zhida.rules.service import evaluate_db, get_policy

POLICY_ID = "loans-eligibility"
__all__ = ["ELIGIBLE", "INELIGIBLE", "UNDETERMINED", "Judgement", "judge", "parameter", "period_of"]


def period_of(day: dt.date) -> Period:
    return Period("quarter", day.year, (day.month - 1) // 3 + 1)


def parameter(name: str, day: dt.date):
    """A parameter of the eligibility policy in force for the quarter of ``day`` (its ``Dated``)."""
    policy = get_policy(POLICY_ID)
    return resolve_parameters(policy, period_of(day).start)[name]


@dataclass
class Judgement:
    """The decision on one application: status (eligible …), Chinese lines, failed and open rules."""

    number: str
    status: str
    lines: list[str]
    failed: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    def text(self) -> str:
        return "\n".join(self.lines)


def judge(session: Session, number: str, submitted_on: dt.date) -> Judgement:
    """Evaluate the stored application ``number`` (flushed, maybe not yet committed)."""
    policy = get_policy(POLICY_ID)
    period = period_of(submitted_on)
    ev, _, _ = evaluate_db(session, policy, period, submitted_on, uscc=number)
    ex = explain_row(ev, number, period, submitted_on)
    rules = {r.code: r for r in policy.rules}
    lines_of = {code: _line(ex.lines, rule.description) for code, rule in rules.items()}
    failed = [_verdict(lines_of[r["code"]], "不符合") for r in ex.reasons if r["passed"] is False and r["code"] in rules]
    pending = [lines_of[r["code"]] for r in ex.reasons if r["passed"] is None and r["code"] in rules]
    return Judgement(number, ex.status, ex.lines, failed, pending)


def _line(lines: list[str], description: str) -> str:
    """The explanation's line of one condition, from its description on (marks dropped)."""
    for line in lines:
        at = line.find(description + "：")
        if at >= 0:
            return line[at:].strip()
    return description


def _verdict(line: str, word: str) -> str:
    return line if line.endswith(word) else f"{line}：{word}"
