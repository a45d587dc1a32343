"""Dated parameters: a value per effective date, each with its legal reference.

A parameter may declare what values it allows: ``range: [low, high]`` (inclusive; ``~``
for no bound) for numbers and ``choices: [...]`` for text and sets. Without a declared
range a rate (``percent``) must lie in 0%–100% and amounts, counts and months may not be
negative, so ``--set rate.sme=90`` is refused instead of paying 9000%.

>>> p = Parameter("rate.sme", "中小微企业返还比例", "percent", [
...     Dated(dt.date(2024, 1, 1), parse_value("60%", "percent"), "鲁人社字〔2025〕52号")])
>>> p.at(dt.date(2025, 1, 1)).value
Fraction(3, 5)
>>> parse_value("0.9", "percent"), parse_value("100000.00", "yuan")
(Fraction(9, 10), Fraction(10000000, 1))
>>> p.parse("90%")
Fraction(9, 10)
>>> p.parse("90")
Traceback (most recent call last):
ValueError: 「90」超出允许范围 0%–100%（比例写 0.9 或 90%）
>>> Parameter("layoff.method", "裁员率口径", "text", choices=("A", "B", "C")).parse("D")
Traceback (most recent call last):
ValueError: 「D」不是允许的取值，应为 A、B、C 之一
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from zhida.money import yuan_to_fen
from zhida.rules.lang.display import show

UNIT_TYPES = {"percent": "number", "yuan": "money", "wan": "number", "person": "number", "month": "number",
              "year": "number", "day": "number", "plain": "number", "bool": "bool", "text": "text", "set": "set"}
TRUE, FALSE = {"true", "yes", "是", "1", "on"}, {"false", "no", "否", "0", "off"}
# what a parameter of each unit may hold when its file declares no range
DEFAULT_RANGES: dict[str, tuple[Fraction | None, Fraction | None]] = {
    "percent": (Fraction(0), Fraction(1)), "yuan": (Fraction(0), None), "wan": (Fraction(0), None),
    "person": (Fraction(0), None), "month": (Fraction(0), None), "year": (Fraction(0), None),
    "day": (Fraction(0), None)}


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
    except (InvalidOperation, ValueError, ArithmeticError):
        raise ValueError(f"「{s}」不是数值（例如 0.6、60%、5000）") from None


def _shown(text) -> str:
    return "、".join(map(str, text)) if isinstance(text, list | tuple | set | frozenset) else str(text).strip()


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
    bounds: tuple[Fraction | None, Fraction | None] | None = None  # declared range; None: the unit's default
    choices: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        return UNIT_TYPES[self.unit]

    @property
    def allowed_range(self) -> tuple[Fraction | None, Fraction | None]:
        return self.bounds if self.bounds is not None else DEFAULT_RANGES.get(self.unit, (None, None))

    def at(self, day: dt.date) -> Dated | None:
        """The value in force on ``day`` (the latest effective date not after it)."""
        found = None
        for d in sorted(self.values, key=lambda d: d.effective):
            if d.effective <= day:
                found = d
        return found

    def parse(self, text):
        """Parse and check a value given as text; ValueError (Chinese) names the value and what is allowed."""
        value = parse_value(text, self.unit)
        self.check(value, _shown(text))
        return value

    def check(self, value, text: str | None = None) -> None:
        shown = text if text is not None else show(value, self.unit)
        if self.choices:
            bad = sorted(value - set(self.choices)) if isinstance(value, frozenset) else (
                [] if value in self.choices else [value])
            if bad:
                what = "、".join(map(str, bad))
                raise ValueError(f"「{what if isinstance(value, frozenset) else shown}」不是允许的取值，"
                                 f"应为 {'、'.join(self.choices)}" + ("中的项" if self.unit == "set" else " 之一"))
        if self.type not in ("number", "money"):
            return
        low, high = self.allowed_range
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"「{shown}」超出允许范围 {self.describe_range()}" +
                             ("（比例写 0.9 或 90%）" if self.unit == "percent" else ""))

    def describe_range(self) -> str:
        low, high = self.allowed_range
        unit = "yuan" if self.unit == "yuan" else self.unit
        lo = show(low, unit) if low is not None else None
        hi = show(high, unit) if high is not None else None
        if lo is not None and hi is not None:
            return f"{lo}–{hi}"
        return f"不低于 {lo}" if lo is not None else (f"不高于 {hi}" if hi is not None else "不限")
