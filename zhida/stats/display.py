"""Numbers for people: each value rounded once, for display only, by the precision its unit
declares — percentages and percentage points 1 decimal, money (元, 万元, 亿元) 2 decimals,
counts (家, 个, 人, 户, 项, 次) whole numbers, anything else 2 decimals. The JSON/API keeps the
exact values; only the page and the bulletin tables round.

>>> number("45.73082489146164978292329957", "万元"), number("1000.0000", "家"), percent("92.3469387755")
('45.73', '1,000', '92.3')
>>> number(None, "万元"), percent(None), number("-0.004", "万元")
('—', '—', '0.00')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

COUNT_UNITS = ("家", "个", "人", "户", "项", "次", "件", "台", "辆")
PERCENT_UNITS = ("%", "％", "百分点")


def places_for(unit: str | None) -> int:
    unit = (unit or "").strip()
    if unit in PERCENT_UNITS:
        return 1
    if unit in COUNT_UNITS:
        return 0
    return 2


def _fmt(value, places: int) -> str:
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # never "-0.00"
    return f"{q:,.{places}f}"


def number(value, unit: str | None = None) -> str:
    """``value`` in ``unit`` rounded half up to the unit's declared precision, with separators."""
    return _fmt(value, places_for(unit))


def percent(value) -> str:
    """A percentage (or percentage points) to 1 decimal."""
    return _fmt(value, 1)
