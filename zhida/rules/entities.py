"""What policies judge (entities) and the data they read (input sources), registered by owners.

The rules engine owns no data. A package that owns data a policy may read declares it in its
``rule_inputs`` module (found through ``zhida.programmes``), the way import kinds are declared:

- an ``Entity`` — what is judged (a unit 单位, a loan application 贷款申请, a project …): its
  key column, the column shown as its name, and its base source (one row per entity: the
  population of a run);
- ``InputSource``s of that entity — the fields a policy may use (name, Chinese label, type,
  unit, decimal scale), the raw frame's schema, how the rows are read from the database for a
  period, how they are narrowed to one row per entity (``join``), and what absence means
  (``fill``).

A policy names its entity with ``target:`` and the sources it reads with ``sources:``; it
sees the fields of its entity's base source and of those sources only.

>>> unit = entity("units")
>>> (unit.name, unit.key, unit.base)
('unit', 'uscc', 'units')
>>> sorted(s.name for s in sources_of("unit"))
['credit_entries', 'industrial_output', 'ui_payments', 'units']
>>> fields_for("unit", ["ui_payments"])["insured_avg"].label
'月均参保人数'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from zhida.errors import PolicyError
from zhida.rules.lang.types import Symbol, suggest

DType = pl.DataType | type[pl.DataType]  # a Polars type, as an instance (pl.Decimal(12, 2)) or a class (pl.Int64)
Schema = Mapping[str, DType]
FIELD_TYPES: dict[str, DType] = {
    "text": pl.String,
    "number": pl.Int64,
    "money": pl.Int64,
    "bool": pl.Boolean,
    "date": pl.Date,
}


@dataclass(frozen=True)
class FieldSpec:
    """A field a policy may use. Money is integer fen; a decimal is an integer scaled by
    ``10**scale`` (月均参保人数 25.50 with scale 2 is 2550) — exact either way."""

    name: str
    label: str
    type: str = "text"
    unit: str = "plain"
    scale: int = 0

    def symbol(self) -> Symbol:
        return Symbol(self.name, "field", self.type, self.label, self.unit, self.scale)


@dataclass(frozen=True)
class SourceQuery:
    """What a reader is asked for: the data year and quarter, one entity (``key``) or all.

    A reader must honour ``key``: ``zhida policy explain`` reads one entity's rows only."""

    year: int
    quarter: int | None
    key: str | None = None


@dataclass(frozen=True)
class Entity:
    """判定对象: what a policy judges, one row per ``key`` in its ``base`` source."""

    name: str
    label: str
    key: str
    title: str
    base: str
    aliases: tuple[str, ...] = ()
    # 适用地域: a function giving each entity's GB/T 2260 division code from its base frame, so
    # a policy's ``jurisdiction`` can be applied; None = the entity has no place
    region: Callable[[pl.DataFrame], pl.Expr] | None = None
    # the Chinese name of a division code (``阳谷县``), for messages; None = the code is shown
    region_name: Callable[[str], str | None] | None = None


Reader = Callable[[Any, SourceQuery], pl.DataFrame]
Joiner = Callable[[Any, Any, dt.date, pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True)
class InputSource:
    """A data source of one entity. ``schema`` is the raw frame's (key and time columns too);
    ``join(policy, period, as_of, raw)`` gives one row per key (default: the raw frame);
    ``fill`` gives the value that absence of a row means (e.g. 未列入名单 = False);
    ``case_defaults(period, year_offset)`` the columns a policy test case need not write."""

    name: str
    entity: str
    label: str
    fields: tuple[FieldSpec, ...]
    schema: Schema
    read: Reader
    join: Joiner | None = None
    fill: Mapping[str, Any] = field(default_factory=dict)
    case_defaults: Callable[[Any, int], dict[str, Any]] | None = None


_ENTITIES: dict[str, Entity] = {}
_SOURCES: dict[str, InputSource] = {}
_DISCOVERED = False


def register_entity(e: Entity) -> Entity:
    """Declare an entity (idempotent for the same declaration)."""
    _ENTITIES[e.name] = e
    return e


def register_source(s: InputSource) -> InputSource:
    """Declare an input source of an already declared entity."""
    _SOURCES[s.name] = s
    return s


def _discover() -> None:
    global _DISCOVERED
    if not _DISCOVERED:
        _DISCOVERED = True
        from zhida.programmes import modules

        modules("rule_inputs")


def entity(name: str) -> Entity:
    """The entity named (or aliased) ``name``; ``PolicyError`` with a suggestion otherwise."""
    _discover()
    for e in _ENTITIES.values():
        if name == e.name or name in e.aliases:
            return e
    names = [n for e in _ENTITIES.values() for n in (e.name, *e.aliases)]
    raise PolicyError(f"未知的判定对象 {name!r}。{suggest(name, names)}")


def source(name: str) -> InputSource:
    _discover()
    if name not in _SOURCES:
        raise PolicyError(f"未知数据来源 {name}。{suggest(name, list(_SOURCES))}")
    return _SOURCES[name]


def sources_of(entity_name: str) -> list[InputSource]:
    _discover()
    return [s for s in _SOURCES.values() if s.entity == entity(entity_name).name]


def fields_for(entity_name: str, source_names: Iterable[str]) -> dict[str, Symbol]:
    """The fields a policy on ``entity_name`` reading ``source_names`` may use (base always)."""
    e = entity(entity_name)
    allowed = {e.base, *source_names}
    return {f.name: f.symbol() for s in sources_of(e.name) if s.name in allowed for f in s.fields}


def field_spec(name: str) -> FieldSpec | None:
    _discover()
    for s in _SOURCES.values():
        for f in s.fields:
            if f.name == name:
                return f
    return None


class _Schemas(Mapping[str, Schema]):
    """``SCHEMAS[source]``: the raw schema of every registered source (read-only view)."""

    def __getitem__(self, name: str) -> Schema:
        _discover()
        if name not in _SOURCES:
            raise KeyError(name)
        return _SOURCES[name].schema

    def __iter__(self) -> Iterator[str]:
        _discover()
        return iter(_SOURCES)

    def __len__(self) -> int:
        _discover()
        return len(_SOURCES)


SCHEMAS: Mapping[str, Schema] = _Schemas()


def frame_from_rows(schema: Schema, rows: Sequence[Sequence[Any]]) -> pl.DataFrame:
    """Rows (tuples in schema order) → a frame cast to ``schema``; readers use this."""
    frame = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    return frame.cast(pl.Schema(schema))
