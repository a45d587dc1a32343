"""Custom fields declared per project type in data (``fields.yaml``), and their validation.

A project type (一般, 能源 …) declares fields by code, Chinese label, unit and scale; a value
is accepted only for a project of a type that declares the field, with at most ``scale``
decimals and not negative.

>>> f = field_of("能源", "风电装机容量(MW)")
>>> f.code, f.header
('wind_mw', '风电装机容量(MW)')
>>> check_value(f, "100.5")
Decimal('100.500')
>>> field_of("一般", "wind_mw")
Traceback (most recent call last):
...
zhida.errors.ValidationFailed: 字段「风电装机容量(MW)」只适用于 能源 类项目，不能填在「一般」类项目上（自定义字段按项目类型声明，见 fields.yaml）
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml

from zhida.errors import ValidationFailed

DECLARATIONS = Path(__file__).with_name("fields.yaml")


@dataclass(frozen=True)
class FieldDecl:
    """One declared field: ``code`` (stored), ``label`` and ``unit`` (shown), ``scale`` decimals."""

    ptype: str
    code: str
    label: str
    unit: str
    scale: int

    @property
    def header(self) -> str:
        return f"{self.label}({self.unit})"


@cache
def types() -> dict[str, list[FieldDecl]]:
    """Project type → its declared fields, in the order of the file."""
    raw = yaml.safe_load(DECLARATIONS.read_text(encoding="utf-8"))["types"]
    return {name: [FieldDecl(name, f["code"], f["label"], f["unit"], int(f["scale"])) for f in t["fields"]]
            for name, t in raw.items()}


def all_fields() -> list[FieldDecl]:
    return [f for fs in types().values() for f in fs]


def check_type(ptype: str) -> str:
    if ptype not in types():
        raise ValidationFailed(f"项目类型「{ptype}」未声明：应为 {'、'.join(types())}")
    return ptype


def field_of(ptype: str, name: str) -> FieldDecl:
    """The field ``name`` (code, label or header) for a project of type ``ptype``, else
    ``ValidationFailed`` naming the types that declare it."""
    check_type(ptype)
    name = name.strip()
    for f in types()[ptype]:
        if name in (f.code, f.label, f.header):
            return f
    owners = [f for f in all_fields() if name in (f.code, f.label, f.header)]
    if owners:
        where = "、".join(sorted({f.ptype for f in owners}))
        raise ValidationFailed(f"字段「{owners[0].header}」只适用于 {where} 类项目，不能填在「{ptype}」类项目上"
                               "（自定义字段按项目类型声明，见 fields.yaml）")
    known = "、".join(f.header for f in types()[ptype]) or "无"
    raise ValidationFailed(f"字段「{name}」未声明：「{ptype}」类项目可填的字段为 {known}")


def check_value(f: FieldDecl, raw: str | Decimal) -> Decimal:
    """The value as a Decimal with the field's scale; ``ValidationFailed`` when not a number,
    negative, or with more decimals than declared."""
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(f"{f.header} 的值「{raw}」不是数字") from None
    if not value.is_finite() or value < 0:
        raise ValidationFailed(f"{f.header} 的值「{raw}」应为不小于 0 的数字")
    step = Decimal(1).scaleb(-f.scale)
    if value != value.quantize(step):
        raise ValidationFailed(f"{f.header} 最多 {f.scale} 位小数，「{raw}」超出")
    return value.quantize(step)
