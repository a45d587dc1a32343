"""How values are shown to people: exact where possible, marked 约 where rounded.

>>> from fractions import Fraction
>>> show(Fraction(9, 500), "percent")
'1.8%'
>>> show(Fraction(1, 56), "percent")
'约1.79%'
>>> show(Fraction(12000000), "yuan")
'120,000.00'
>>> show(Fraction(5000), "wan")
'5,000 万元'
>>> show(Fraction(51, 2), "person")
'25.5 人'
>>> show(None, "yuan")
'（缺失）'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SUFFIX = {"wan": " 万元", "person": " 人", "month": " 个月", "year": " 年", "day": " 天", "yuan_suffix": " 元"}


def _decimal(f: Fraction, places: int) -> tuple[Decimal, bool]:
    """``f`` rounded half up to ``places`` decimals, and whether that is exact."""
    q = (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    exact = Fraction(q) == f
    return q, exact


def _plain(f: Fraction, places: int, sep: bool = True, mark: bool = True) -> str:
    q, exact = _decimal(f, places)
    text = f"{q:,f}" if sep else f"{q:f}"
    if exact and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if exact or not mark else "约" + text


def show(value, unit: str = "plain") -> str:
    """Chinese display of one value of the given display unit."""
    if value is None:
        return "（缺失）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return value
    if isinstance(value, frozenset | set | list | tuple):
        return "{" + "、".join(sorted(value)) + "}"
    f = Fraction(value)
    if unit == "percent":
        q, exact = _decimal(f * 100, 2)
        text = f"{q:f}".rstrip("0").rstrip(".") if exact else f"约{q:f}"
        return text + "%"
    if unit == "yuan":  # money values are held in fen
        q, exact = _decimal(f / 100, 2)
        return f"{q:,.2f}" if exact else f"约{q:,.2f}"
    return _plain(f, 4) + SUFFIX.get(unit, "")


def plain_value(value, unit: str = "plain") -> str | bool | None:
    """A machine-friendly string for JSON: exact decimals, yuan for money, no separators."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, frozenset | set | list | tuple):
        return "、".join(sorted(value))
    f = Fraction(value)
    if unit == "yuan":
        q, _ = _decimal(f / 100, 2)
        return f"{q:.2f}"
    if unit == "percent":
        return _plain(f * 100, 6, sep=False, mark=False) + "%"
    return _plain(f, 6, sep=False, mark=False)
