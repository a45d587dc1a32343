"""Repayment schedules and the split of interest between borrower and government (还款计划与贴息).

Per period, ``interest = balance × rate × days ÷ base`` (``rates.interest_fen``), rounded half up
to the fen once per period; the borrower's share is computed the same way on the borrower's
rate and the subsidy (贴息) is the difference, so borrower + subsidy = interest to the fen:

* ``lpr-150bp`` — the borrower pays at most LPR − 150BP, the government the rest
  (财金〔2020〕21号, loans from 2021-01-01);
* ``half-rate`` — the government pays 50% of the actual rate (深人社规〔2024〕1号 and others).

A period that is overdue or extended (逾期、展期) gets no subsidy: the borrower pays it all.

Plans: ``interest-quarterly`` (按季付息、到期还本: periods of 3 months from the start date,
the last one ending at maturity) and ``equal-instalments`` (等额本息, monthly; the instalment
from the monthly rate = annual ÷ 12, the interest of each month by the day count, the last
month taking the remaining principal).

>>> t = Terms(20_000_000, 3_500_000, 3_000_000, dt.date(2026, 1, 1), 36)
>>> p = build(t)[0]
>>> (p.start, p.end, p.days, p.interest_fen, p.borrower_fen, p.subsidy_fen)
(datetime.date(2026, 1, 1), datetime.date(2026, 4, 1), 90, 175000, 75000, 100000)
>>> len(build(t)), build(t)[-1].principal_fen
(12, 20000000)
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from zhida.errors import ValidationFailed
from zhida.loans.rates import BP, DAY_COUNTS, RATE_SCALE, check_day_count, days_between, round_ratio

REPAYMENTS = {"interest-quarterly": "按季付息、到期还本", "equal-instalments": "等额本息（按月）"}
FORMULAS = {"lpr-150bp": "借款人承担不超过 LPR−150BP，其余贴息", "half-rate": "贴息实际利率的 50%"}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has fewer days; a day
    past 9999-12-31 is refused (``ValidationFailed``), not a ``ValueError`` of the calendar.

    >>> add_months(dt.date(2026, 1, 31), 1), add_months(dt.date(2026, 11, 30), 3)
    (datetime.date(2026, 2, 28), datetime.date(2027, 2, 28))
    >>> add_months(dt.date(9999, 12, 31), 36)
    Traceback (most recent call last):
    zhida.errors.ValidationFailed: 贷款到期日超出可计算范围：9999-12-31 起 36 个月后已超过 9999-12-31
    """
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        edge = f"已超过 {dt.date.max}" if year > dt.MAXYEAR else f"已早于 {dt.date.min}"
        raise ValidationFailed(f"贷款到期日超出可计算范围：{day} 起 {months} 个月后{edge}")
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class Terms:
    """A loan's terms: principal (分), contract rate and LPR at signing (10⁻⁸ units), start
    date, term in months, plan, subsidy formula and day count."""

    principal_fen: int
    rate: int
    lpr: int
    start: dt.date
    months: int
    repayment: str = "interest-quarterly"
    formula: str = "lpr-150bp"
    day_count: str = "act/360"

    def __post_init__(self) -> None:
        if self.principal_fen <= 0:
            raise ValidationFailed("贷款本金应大于 0")
        if not 1 <= self.months <= 120:
            raise ValidationFailed(f"贷款期限 {self.months} 个月不合理：应为 1～120 个月")
        if self.repayment not in REPAYMENTS:
            raise ValidationFailed(f"还款方式「{self.repayment}」不支持：应为 {'、'.join(REPAYMENTS)}")
        if self.formula not in FORMULAS:
            raise ValidationFailed(f"贴息方式「{self.formula}」不支持：应为 {'、'.join(FORMULAS)}")
        check_day_count(self.day_count)
        add_months(self.start, self.months)  # a term past the calendar's last day is refused here, not mid-plan

    @property
    def maturity(self) -> dt.date:
        return add_months(self.start, self.months)


@dataclass(frozen=True)
class Period:
    """One period: [start, end), days counted, principal due, interest and its split (分),
    balance after the period; ``subsidised`` False when overdue or extended."""

    no: int
    start: dt.date
    end: dt.date
    days: int
    principal_fen: int
    interest_fen: int
    borrower_fen: int
    subsidy_fen: int
    balance_fen: int
    subsidised: bool = True


def borrower_rate(rate: int, lpr: int) -> int:
    """The rate the borrower bears under ``lpr-150bp``: min(rate, max(LPR − 150BP, 0))."""
    return min(rate, max(lpr - 150 * BP, 0))


def split(balance_fen: int, rate: int, lpr: int, days: int, formula: str, day_count: str,
          subsidised: bool = True) -> tuple[int, int, int]:
    """(interest, borrower share, subsidy) of one period in fen; see the module doc."""
    den = DAY_COUNTS[day_count] * RATE_SCALE
    interest = round_ratio(balance_fen * rate * days, den)
    if not subsidised:
        return interest, interest, 0
    if formula == "half-rate":
        borrower = round_ratio(balance_fen * rate * days, 2 * den)
    else:
        borrower = round_ratio(balance_fen * borrower_rate(rate, lpr) * days, den)
    return interest, borrower, interest - borrower


def instalment_fen(principal_fen: int, rate: int, months: int) -> int:
    """等额本息 monthly instalment: P·r ÷ (1 − (1+r)⁻ⁿ), r = rate ÷ 12, half up to the fen."""
    if rate == 0:
        return round_ratio(principal_fen, months)
    with localcontext() as ctx:
        ctx.prec = 40
        r = Decimal(rate) / RATE_SCALE / 12
        pay = Decimal(principal_fen) * r / (1 - (1 + r) ** -months)
        return int(pay.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _bounds(t: Terms) -> list[tuple[dt.date, dt.date]]:
    step = 3 if t.repayment == "interest-quarterly" else 1
    ends = [add_months(t.start, k) for k in range(step, t.months, step)] + [t.maturity]
    starts = [t.start, *ends[:-1]]
    return list(zip(starts, ends, strict=False))


def build(t: Terms) -> list[Period]:
    """Every period of ``t`` from start to maturity."""
    return _plan(t, _bounds(t), t.principal_fen, 1, True)


def _plan(t: Terms, bounds: list[tuple[dt.date, dt.date]], balance: int, first_no: int,
          subsidised: bool) -> list[Period]:
    """Periods over ``bounds`` repaying ``balance`` (the last one takes what remains)."""
    pay = instalment_fen(balance, t.rate, len(bounds)) if t.repayment == "equal-instalments" else 0
    out = []
    for i, (a, b) in enumerate(bounds):
        days = days_between(a, b, t.day_count)
        interest, borrower, subsidy = split(balance, t.rate, t.lpr, days, t.formula, t.day_count, subsidised)
        if i == len(bounds) - 1:
            principal = balance
        elif t.repayment == "equal-instalments":
            principal = min(balance, max(pay - interest, 0))
        else:
            principal = 0
        balance -= principal
        out.append(Period(first_no + i, a, b, days, principal, interest, borrower, subsidy, balance, subsidised))
    return out


def extend(t: Terms, periods: list[Period], day: dt.date, months: int) -> list[Period]:
    """The plan after an extension (展期) by ``months`` agreed on ``day``, before maturity.

    Periods that ended by ``day`` stay as they are. From the period running on ``day`` on, the
    principal still owed is planned again up to the new maturity (``months`` later than the
    old one), on the loan's own grid of periods from its start, and without subsidy — an
    extended loan gets none (财金〔2020〕21号; domain §7): interest-quarterly keeps the
    principal to the end, equal instalments are recomputed for the remaining months.

    >>> t = Terms(20_000_000, 3_500_000, 3_000_000, dt.date(2026, 1, 1), 12)
    >>> new = extend(t, build(t), dt.date(2026, 11, 2), 6)
    >>> [(p.no, p.end.isoformat(), p.principal_fen, p.subsidised) for p in new[3:]]
    [(4, '2027-01-01', 0, False), (5, '2027-04-01', 0, False), (6, '2027-07-01', 20000000, False)]
    >>> new[3].borrower_fen == new[3].interest_fen and new[2] == build(t)[2]
    True
    """
    if months < 1:
        raise ValidationFailed(f"展期月数应为正整数，收到 {months}")
    if not t.start <= day < t.maturity:
        raise ValidationFailed(f"展期应在放款日 {t.start} 之后、到期日 {t.maturity} 之前办理，收到 {day}")
    kept = [p for p in periods if p.end <= day]
    longer = replace(t, months=t.months + months)
    balance = t.principal_fen - sum(p.principal_fen for p in kept)
    return kept + _plan(longer, _bounds(longer)[len(kept):], balance, len(kept) + 1, False)


def repay_early(t: Terms, periods: list[Period], day: dt.date) -> list[Period]:
    """The plan when the whole balance is repaid on ``day``: the period containing it ends
    that day with interest by actual days (early repayment, 按实际天数计息); later ones drop."""
    if not t.start < day < t.maturity:
        raise ValidationFailed(f"提前还款日 {day} 应在放款日 {t.start} 之后、到期日 {t.maturity} 之前")
    out = []
    for p in periods:
        if p.end <= day:
            out.append(p)
            continue
        balance = p.balance_fen + p.principal_fen
        days = days_between(p.start, day, t.day_count)
        interest, borrower, subsidy = split(balance, t.rate, t.lpr, days, t.formula, t.day_count, p.subsidised)
        out.append(replace(p, end=day, days=days, principal_fen=balance, interest_fen=interest,
                           borrower_fen=borrower, subsidy_fen=subsidy, balance_fen=0))
        break
    return out


def unsubsidised(t: Terms, p: Period) -> Period:
    """The same period without subsidy (overdue or extended): the borrower bears all interest."""
    return replace(p, borrower_fen=p.interest_fen, subsidy_fen=0, subsidised=False)


@dataclass(frozen=True)
class Totals:
    principal_fen: int
    interest_fen: int
    borrower_fen: int
    subsidy_fen: int


def totals(periods: list[Period]) -> Totals:
    return Totals(sum(p.principal_fen for p in periods), sum(p.interest_fen for p in periods),
                  sum(p.borrower_fen for p in periods), sum(p.subsidy_fen for p in periods))
