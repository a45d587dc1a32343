"""Rates and day counts of the loan book (利率与计息天数), exact in integers.

A rate is an ``int`` in units of 10⁻⁸ of one (so 3.5% = 3_500_000); interest for one period is
``balance (分) × rate × days ÷ (base × 10⁸)``, rounded half up to the fen once.

>>> parse_rate("3.5%"), parse_rate("0.0345"), parse_rate("3.45")
(3500000, 3450000, 3450000)
>>> format_rate(3_450_000)
'3.45%'
>>> days_between(dt.date(2026, 1, 31), dt.date(2026, 3, 1), "30/360")
31
>>> days_between(dt.date(2026, 1, 31), dt.date(2026, 3, 1), "act/360")
29
>>> interest_fen(20_000_000, 3_500_000, 90, "act/360")
175000
>>> round_ratio(5, 2), round_ratio(7, 2), round_ratio(-5, 2)
(3, 4, -3)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from zhida.errors import ValidationFailed

RATE_SCALE = 10**8
BP = RATE_SCALE // 10_000  # one basis point
DAY_COUNTS = {"act/360": 360, "30/360": 360, "act/365": 365}
# how the day-count bases (计息基准) are named to people
DAY_COUNT_NAMES = {"act/360": "实际天数/360", "30/360": "每月按 30 天/360", "act/365": "实际天数/365"}


def parse_rate(text: str | Decimal | float) -> int:
    """``"3.5%"``, ``"3.5"`` (read as percent when ≥ 1) or ``"0.035"`` → rate units (10⁻⁸).

    Raises ``ValidationFailed`` for text that is not a rate or has more than 6 decimals of percent.
    """
    raw = str(text).strip().replace("％", "%")
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%").strip())
    except InvalidOperation:
        raise ValidationFailed(f"利率「{text}」不是数字：应写作 3.45% 或 0.0345") from None
    if not value.is_finite() or value < 0:
        raise ValidationFailed(f"利率「{text}」不合理：应为非负数，如 3.45%")
    if percent or value >= 1:
        value = value / 100
    units = value * RATE_SCALE
    if units != units.to_integral_value():
        raise ValidationFailed(f"利率「{text}」小数位过多：最多精确到 0.000001%")
    if value >= 1:
        raise ValidationFailed(f"利率「{text}」不合理：年利率应小于 100%")
    return int(units)


def format_rate(rate: int) -> str:
    """Rate units → ``'3.45%'`` (trailing zeros dropped, at least 2 decimals)."""
    pct = (Decimal(rate) / (RATE_SCALE // 100)).normalize()
    text = f"{pct:f}"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}%"


def check_day_count(name: str) -> str:
    key = name.strip().lower()
    if key not in DAY_COUNTS:
        raise ValidationFailed(f"计息基准「{name}」不支持：应为 {'、'.join(DAY_COUNTS)}")
    return key


def days_between(start: dt.date, end: dt.date, day_count: str) -> int:
    """Days of interest in [start, end): actual days, or 30E/360 (day 31 counts as 30)."""
    if check_day_count(day_count) != "30/360":
        return (end - start).days
    d1, d2 = min(start.day, 30), min(end.day, 30)
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def round_ratio(num: int, den: int) -> int:
    """``num / den`` rounded half away from zero to an integer (``den`` > 0)."""
    if num < 0:
        return -round_ratio(-num, den)
    return (2 * num + den) // (2 * den)


def interest_fen(balance_fen: int, rate: int, days: int, day_count: str) -> int:
    """Interest of one period in fen: balance × rate × days ÷ base, half up once."""
    return round_ratio(balance_fen * rate * days, DAY_COUNTS[check_day_count(day_count)] * RATE_SCALE)
