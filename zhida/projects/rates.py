"""Rates of the ledger, computed from exact figures and rounded half up once.

完成率 (completion of the annual plan) = completed ÷ annual plan; 时间进度 (time schedule)
= elapsed months ÷ 12; 快于/慢于时间进度 = their difference in percentage points. Each is
computed from the raw figures as an exact fraction and rounded once to 0.1 — never from
rounded parts (domain notes §9: 629.0 of 647.4 is 97.2%, ahead of 10/12 = 83.3% by 13.8
points, not 13.9).

>>> r = rate_of(6290, 6474, 10)
>>> r.completion_pct, r.schedule_pct, r.ahead_pp
(Decimal('97.2'), Decimal('83.3'), Decimal('13.8'))
>>> met(Decimal(40), Decimal(40)), met(Decimal(39), Decimal(40))   # "40个以上" is met by 40
(True, False)
>>> rate_of(0, 0, 3).completion_pct is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ONE_DECIMAL = Decimal("0.1")


def round_pct(value: Fraction) -> Decimal:
    """An exact fraction (1 = 100%) as a percentage rounded half up to 0.1.

    >>> round_pct(Fraction(1, 8)), round_pct(Fraction(-1, 8)), round_pct(Fraction(1, 2000))
    (Decimal('12.5'), Decimal('-12.5'), Decimal('0.1'))
    """
    tenths = value * 1000  # tenths of a percent, exact
    sign = -1 if tenths < 0 else 1
    whole, rest = divmod(abs(tenths.numerator), tenths.denominator)
    if 2 * rest >= tenths.denominator:
        whole += 1
    return (Decimal(sign * whole) * ONE_DECIMAL).quantize(ONE_DECIMAL)


def schedule(month: int) -> Fraction:
    """Time schedule after ``month`` (1–12) months: month ÷ 12."""
    if not 1 <= month <= 12:
        raise ValueError(f"月份 {month} 不在 1–12 之间")
    return Fraction(month, 12)


def tenths(num: int, den: int) -> Decimal:
    """``num / den`` (den > 0) as a percentage rounded half up (away from zero) to 0.1, in
    integer arithmetic.

    >>> tenths(3145, 3237), tenths(-1, 8), tenths(0, 5)
    (Decimal('97.2'), Decimal('-12.5'), Decimal('0.0'))
    """
    sign = -1 if num < 0 else 1
    whole, rest = divmod(abs(num) * 1000, den)
    if 2 * rest >= den:
        whole += 1
    return Decimal(sign * whole).scaleb(-1)


@dataclass(slots=True)
class Rate:
    """Completion against plan, time schedule and the points between them (percent, 0.1).

    Held as the raw integers; every figure is derived from them exactly and rounded once
    (``exact_*`` are the unrounded fractions, 1 = 100%). ``completion_pct`` and ``ahead_pp``
    are None when the annual plan is 0.
    """

    done_fen: int
    plan_fen: int
    month: int

    @property
    def exact_completion(self) -> Fraction | None:
        return None if self.plan_fen <= 0 else Fraction(self.done_fen, self.plan_fen)

    @property
    def exact_ahead(self) -> Fraction | None:
        return None if self.plan_fen <= 0 else Fraction(self.done_fen, self.plan_fen) - schedule(self.month)

    @property
    def completion_pct(self) -> Decimal | None:
        return None if self.plan_fen <= 0 else tenths(self.done_fen, self.plan_fen)

    @property
    def schedule_pct(self) -> Decimal:
        return round_pct(schedule(self.month))

    @property
    def ahead_pp(self) -> Decimal | None:
        if self.plan_fen <= 0:
            return None
        return tenths(12 * self.done_fen - self.month * self.plan_fen, 12 * self.plan_fen)

    def behind_more_than(self, points: Decimal | Fraction) -> bool:
        """Behind the time schedule by strictly more than ``points`` percentage points (exact)."""
        if self.plan_fen <= 0:
            return False
        p = points if isinstance(points, Fraction) else Fraction(points)
        return (self.month * self.plan_fen - 12 * self.done_fen) * 100 * p.denominator > p.numerator * 12 * self.plan_fen

    @property
    def order(self) -> float:
        """Points ahead as a float, only to order long lists (figures shown stay exact)."""
        return (12 * self.done_fen - self.month * self.plan_fen) / (12 * self.plan_fen) if self.plan_fen > 0 else 0.0


def rate_of(done_fen: int, plan_fen: int, month: int) -> Rate:
    """The rate of ``done_fen`` completed against ``plan_fen`` planned after ``month`` months."""
    schedule(month)
    return Rate(done_fen, plan_fen, month)


def met(actual: Decimal | Fraction, target: Decimal | Fraction) -> bool:
    """"以上" means at least: a target of 40个以上 is met by 40."""
    return actual >= target
