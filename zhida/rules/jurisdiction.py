"""适用地域: a policy is evaluated only for the entities inside its jurisdiction (GB/T 2260 codes).

A jurisdiction is a list of 6-digit division codes; ``370000`` (a province) covers every
code starting ``37``, ``371500`` (a city) every code starting ``3715``. Where an entity is
comes from its declaration (``Entity.region``): the registry places a unit by its 乡镇街道,
else by the registering authority's division in its 统一社会信用代码.

>>> import polars as pl
>>> from zhida.rules.entities import Entity
>>> e = Entity("t", "测试", "k", "k", "b", region=lambda f: pl.col("code"))
>>> rows = pl.DataFrame({"k": ["a", "b", "c"], "code": ["371503", "371521", None]})
>>> within(e, ("371521",), rows)["k"].to_list(), within(e, ("370000",), rows).height, within(e, (), rows).height
(['b'], 2, 3)
>>> describe(e, ("371521", "371503"))
'371521、371503'
"""

from __future__ import annotations

import polars as pl

from zhida.rules.entities import Entity


def prefix(code: str) -> str:
    """The leading digits a code stands for: ``370000`` → ``37``, ``371500`` → ``3715``.

    >>> prefix("370000"), prefix("371500"), prefix("371521")
    ('37', '3715', '371521')
    """
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def within(entity: Entity, codes: tuple[str, ...], frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``frame`` (the entity's base) inside ``codes``; all of them when empty or
    when the entity has no place."""
    if not codes or frame.height == 0 or entity.region is None:
        return frame
    where = entity.region(frame)
    inside = pl.any_horizontal([where.str.starts_with(prefix(c)) for c in codes])
    return frame.filter(inside.fill_null(False))


def describe(entity: Entity, codes: tuple[str, ...]) -> str:
    """``阳谷县（371521）`` where the entity's owner names the code, else the code alone."""
    names = []
    for c in codes:
        name = entity.region_name(c) if entity.region_name else None
        names.append(f"{name}（{c}）" if name else c)
    return "、".join(names) or "不限"
