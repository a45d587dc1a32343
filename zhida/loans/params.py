"""Dated, cited parameters of the loan book, subsidy and fund (创业担保贷款参数).

The eligibility parameters live in the rules-engine policy ``policies/loans-eligibility.yaml``.

Every number lives in ``parameters.yaml`` with the date it applies from, its reference
(文号) and whether that reference is still *unconfirmed*; a region may override a value
(``regions``). ``value(key, day, region)`` is the value in force on ``day``.

>>> value("fund.share", dt.date(2026, 1, 1))
Decimal('0.80')
>>> value("subsidy.formula", dt.date(2026, 1, 1)), value("subsidy.formula", dt.date(2026, 1, 1), "深圳市")
('lpr-150bp', 'half-rate')
>>> value("subsidy.formula", dt.date(2020, 12, 31))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
zhida.errors.ValidationFailed: 参数「贴息方式（lpr-150bp：...）」在 2020-12-31 尚无取值：最早自 2021-01-01 起
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from zhida.errors import NotFound, ValidationFailed

FILE = Path(__file__).with_name("parameters.yaml")
DEFAULT_REGION = "茌平区"


def _typed(v: Any) -> Any:
    if isinstance(v, str):
        try:
            return Decimal(v) if any(c.isdigit() for c in v) and v.replace(".", "", 1).isdigit() else v
        except ArithmeticError:
            return v
    return v


def _dated(raw: dict) -> tuple[tuple[dt.date, Any], ...]:
    return tuple(sorted((d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)), _typed(v))
                        for d, v in raw.items()))


@dataclass(frozen=True)
class Parameter:
    """One dated parameter: label, unit, values by date, reference, overrides by region."""

    key: str
    label: str
    unit: str
    values: tuple[tuple[dt.date, Any], ...]
    reference: str
    unconfirmed: bool = False
    regions: dict[str, tuple[tuple[dt.date, Any], ...]] = field(default_factory=dict)

    def at(self, day: dt.date, region: str | None = None) -> Any:
        series = self.regions.get(region or "", self.values)
        found = [v for d, v in series if d <= day]
        if not found:
            raise ValidationFailed(f"参数「{self.label}」在 {day} 尚无取值：最早自 {series[0][0]} 起")
        return found[-1]

    def cite(self) -> str:
        return self.reference + ("（待核实）" if self.unconfirmed and "待核实" not in self.reference else "")


@lru_cache(maxsize=1)
def parameters() -> dict[str, Parameter]:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    return {k: Parameter(k, v["label"], v["unit"], _dated(v["values"]), v["reference"], bool(v.get("unconfirmed")),
                         {r: _dated(s) for r, s in (v.get("regions") or {}).items()})
            for k, v in data.items()}


def parameter(key: str) -> Parameter:
    try:
        return parameters()[key]
    except KeyError:
        raise NotFound(f"没有参数 {key}") from None


def value(key: str, day: dt.date, region: str | None = None) -> Any:
    """The value of parameter ``key`` in force on ``day`` (in ``region`` if it overrides)."""
    return parameter(key).at(day, region)


def yuan_fen(key: str, day: dt.date, region: str | None = None) -> int:
    """A parameter in 元 as integer fen."""
    return int(Decimal(value(key, day, region)) * 100)
