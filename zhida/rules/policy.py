"""A policy as loaded from its YAML file: parameters, variables, conditions, amount, cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhida.rules.lang.syntax import Name, Node, walk
from zhida.rules.lang.types import Symbol
from zhida.rules.parameters import Parameter


@dataclass(frozen=True)
class LegalBasis:
    title: str
    doc_no: str  # 文号
    article: str = ""

    def cite(self) -> str:
        return f"《{self.title}》（{self.doc_no}）" + (f"{self.article}" if self.article else "")


@dataclass(frozen=True)
class JudgingDate:
    """判定日期 a policy documents for a period: a fixed month-day in the period's year
    (``month_day: "06-30"``) or a number of days after the period ends (``days_after_end: 15``)."""

    month_day: str = ""
    days_after_end: int | None = None
    reference: str = ""

    def for_period(self, period) -> dt.date | None:
        if self.month_day:
            month, day = (int(x) for x in self.month_day.split("-"))
            return dt.date(period.year, month, day)
        if self.days_after_end is not None:
            last_month = 12 if not period.quarter else 3 * period.quarter
            nxt = dt.date(period.year + (last_month == 12), last_month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1) + dt.timedelta(days=self.days_after_end)
        return None

    def describe(self) -> str:
        if self.month_day:
            m, d = self.month_day.split("-")
            text = f"期间所在年度 {int(m)} 月 {int(d)} 日"
        elif self.days_after_end is not None:
            text = f"期间结束后第 {self.days_after_end} 天"
        else:
            return "运行当天"
        return text + (f"（{self.reference}）" if self.reference else "")


@dataclass(frozen=True)
class SourceSpec:
    """A data source a policy reads; ``year_offset`` relative to the period's year."""

    name: str
    year_offset: int = 0
    required: bool = False


@dataclass(frozen=True, eq=False)
class Variable:
    name: str
    label: str
    unit: str
    type: str
    node: Node
    text: str
    line: int


@dataclass(frozen=True, eq=False)
class Rule:
    """A condition (must hold) or an exclusion (must not hold)."""

    code: str
    description: str
    kind: str  # condition | exclusion
    node: Node
    text: str
    line: int
    reference: str = ""
    # the outcome in plain Chinese, both ways: ``passed`` when the unit meets the condition
    # (or is not in the excluded situation), ``failed`` otherwise
    passed: str = ""
    failed: str = ""

    @property
    def label_passed(self) -> str:
        return self.passed or (self.description if self.kind == "condition" else f"不属于：{self.description}")

    @property
    def label_failed(self) -> str:
        return self.failed or (f"不符合：{self.description}" if self.kind == "condition"
                               else f"{self.description}，不予享受")


@dataclass(frozen=True, eq=False)
class Amount:
    label: str
    node: Node
    text: str
    line: int
    rounding: str = "half_up_fen"


@dataclass(frozen=True)
class Case:
    name: str
    period: str
    as_of: str | None
    input: dict
    expect: dict
    line: int
    overrides: dict = field(default_factory=dict)


@dataclass(eq=False)
class Policy:
    id: str
    name: str
    legal_basis: list[LegalBasis]
    period_type: str
    target: str
    sources: dict[str, SourceSpec]
    parameters: dict[str, Parameter]
    variables: dict[str, Variable]
    conditions: list[Rule]
    exclusions: list[Rule]
    amount: Amount
    cases: list[Case]
    env: dict[str, Symbol]
    path: str = ""
    hash: str = ""
    description: str = ""
    test_defaults: dict = field(default_factory=dict)
    # 适用地域: GB/T 2260 codes; a unit is inside when its county is one of them or below one
    # (``370000`` = 山东省, ``371500`` = 聊城市); empty = wherever the deployment's units are
    jurisdiction: tuple[str, ...] = ()
    judging: JudgingDate = field(default_factory=JudgingDate)

    def default_as_of(self, period):
        """The 判定日期 this policy documents for ``period`` (``None``: none documented)."""
        return self.judging.for_period(period)

    @property
    def rules(self) -> list[Rule]:
        return [*self.conditions, *self.exclusions]

    def names_in(self, node: Node) -> list[str]:
        """Names used by ``node``, in order of first use."""
        out: list[str] = []
        for n in walk(node):
            if isinstance(n, Name) and n.name not in out:
                out.append(n.name)
        return out

    def fields_behind(self, node: Node) -> list[str]:
        """Input fields ``node`` depends on, through derived variables."""
        out: list[str] = []
        for name in self.names_in(node):
            sym = self.env[name]
            found = self.fields_behind(self.variables[name].node) if sym.kind == "var" else (
                [name] if sym.kind == "field" else [])
            out.extend(f for f in found if f not in out)
        return out

    def params_behind(self, node: Node) -> list[str]:
        out: list[str] = []
        for name in self.names_in(node):
            kind = self.env[name].kind
            found = self.params_behind(self.variables[name].node) if kind == "var" else (
                [name] if kind == "param" else [])
            out.extend(p for p in found if p not in out)
        return out
