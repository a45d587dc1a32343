"""The schedule calculator (贷款计划试算): a contract checked by hand, no database needed.

``calculate`` takes the texts a clerk types (``200000``, ``3.5%``, ``2026-01-01`` …) and
returns every period and the totals in 元 as strings with two decimals.

>>> r = calculate("200000", "3.5%", "3.0%", "2026-01-01", 36)
>>> r.periods[0]["interest"], r.periods[0]["borrower"], r.periods[0]["subsidy"]
('1750.00', '750.00', '1000.00')
>>> r.totals["principal"]
'200000.00'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhida.cliutil import parse_date
from zhida.errors import ValidationFailed
from zhida.loans import schedule
from zhida.loans.rates import format_rate, parse_rate
from zhida.money import fen_to_yuan, parse_yuan


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan(fen):.2f}"


@dataclass
class Calculation:
    terms: dict
    periods: list[dict]
    totals: dict

    def summary(self) -> str:
        head = "期次  起始日      结束日      天数  本金          利息        借款人承担  财政贴息"
        lines = [f"本金 {self.terms['principal']} 元，合同利率 {self.terms['rate']}，LPR {self.terms['lpr']}，"
                 f"{self.terms['repayment_label']}，{self.terms['formula_label']}，计息基准 {self.terms['day_count']}", head]
        for p in self.periods:
            lines.append(f"{p['no']:>4}  {p['start']}  {p['end']}  {p['days']:>4}  {p['principal']:>12}  "
                         f"{p['interest']:>10}  {p['borrower']:>10}  {p['subsidy']:>10}")
        t = self.totals
        lines.append(f"合计  本金 {t['principal']}  利息 {t['interest']}  借款人承担 {t['borrower']}  财政贴息 {t['subsidy']}")
        return "\n".join(lines)


def _principal(text: str, label: str = "本金") -> int:
    try:
        return parse_yuan(str(text))
    except ValueError as exc:
        raise ValidationFailed(f"{label}「{text}」不是有效金额：{exc}") from None


def _start(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    day = parse_date(str(text), "放款日")
    if day is None:
        raise ValidationFailed("请填写放款日：应为 YYYY-MM-DD")
    return day


def period_dict(p: schedule.Period) -> dict:
    return {"no": p.no, "start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days,
            "principal": _yuan(p.principal_fen), "interest": _yuan(p.interest_fen),
            "borrower": _yuan(p.borrower_fen), "subsidy": _yuan(p.subsidy_fen), "balance": _yuan(p.balance_fen)}


def calculate(principal: str, rate: str, lpr: str, start: str | dt.date, months: int,
              repayment: str = "interest-quarterly", formula: str = "lpr-150bp",
              day_count: str = "act/360") -> Calculation:
    """Build the plan of these terms (see ``zhida.loans.schedule``); ``ValidationFailed`` in
    Chinese for any text that is not a valid amount, rate, date, plan, formula or day count."""
    t = schedule.Terms(_principal(principal), parse_rate(rate), parse_rate(lpr), _start(start), int(months),
                       repayment, formula, day_count.lower())
    periods = schedule.build(t)
    tot = schedule.totals(periods)
    terms = {"principal": _yuan(t.principal_fen), "rate": format_rate(t.rate), "lpr": format_rate(t.lpr),
             "start": t.start.isoformat(), "maturity": t.maturity.isoformat(), "months": t.months,
             "repayment": t.repayment, "repayment_label": schedule.REPAYMENTS[t.repayment],
             "formula": t.formula, "formula_label": schedule.FORMULAS[t.formula], "day_count": t.day_count}
    totals = {"principal": _yuan(tot.principal_fen), "interest": _yuan(tot.interest_fen),
              "borrower": _yuan(tot.borrower_fen), "subsidy": _yuan(tot.subsidy_fen)}
    return Calculation(terms, [period_dict(p) for p in periods], totals)
