"""Dated parameters: a value per effective date, each with its legal reference.

>>> p = Parameter("rate.sme", "中小微企业返还比例", "percent", [
...     Dated(dt.date(2024, 1, 1), parse_value("60%", "percent"), "鲁人社字〔2025〕52号")])
>>> p.at(dt.date(2025, 1, 1)).value
Fraction(3, 5)
>>> parse_value("0.9", "percent"), parse_value("100000.00", "yuan")
(Fraction(9, 10), Fraction(10000000, 1))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from zhida.money import yuan_to_fen

UNIT_TYPES = {"percent": "number", "yuan": "money", "wan": "number", "person": "number", "month": "number",
              "plain": "number", "bool": "bool", "text": "text", "set": "set"}
TRUE, FALSE = {"true", "yes", "是", "1", "on"}, {"false", "no", "否", "0", "off"}


def parse_value(text, unit: str):
    """Parse the text of a parameter value of ``unit``; raise ValueError with a Chinese hint."""
    if unit == "set":
        items = text if isinstance(text, list) else [t for t in str(text).replace("、", ",").split(",")]
        return frozenset(str(t).strip() for t in items if str(t).strip())
    s = str(text).strip()
    if unit == "bool":
        if s.lower() in TRUE:
            return True
        if s.lower() in FALSE:
            return False
        raise ValueError(f"「{s}」不是是/否值（true/false）")
    if unit == "text":
        return s
    if unit == "yuan":
        return Fraction(yuan_to_fen(s.replace(",", "")))
    try:
        if s.endswith("%"):
            return Fraction(Decimal(s[:-1])) / 100
        return Fraction(Decimal(s.replace(",", "")))
    except InvalidOperation:
        raise ValueError(f"「{s}」不是数值（例如 0.6、60%、5000）") from None


@dataclass(frozen=True)
class Dated:
    effective: dt.date
    value: object
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: list[Dated] = field(default_factory=list)
    note: str = ""

    @property
    def type(self) -> str:
        return UNIT_TYPES[self.unit]

    def at(self, day: dt.date) -> Dated | None:
        """The value in force on ``day`` (the latest effective date not after it)."""
        found = None
        for d in sorted(self.values, key=lambda d: d.effective):
            if d.effective <= day:
                found = d
        return found
