"""Declaring an import kind: its columns, key, target table and extra checks.

A package declares kinds in ``zhida/<package>/imports.py`` by calling ``register_kind``;
``all_kinds()`` imports those modules once and returns the kinds by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from zhida.db import Base
from zhida.errors import NotFound, RowError
from zhida.imports.fields import FieldType


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header, matched exactly after trimming
    attr: str  # the column of the parsed frame and of the table
    ftype: FieldType
    required: bool = False
    default: Any = None  # value of an empty optional cell (already typed)
    note: str = ""
    aliases: tuple[str, ...] = ()  # other accepted headers (e.g. English)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, self.attr, *self.aliases)


@dataclass
class CheckContext:
    """What a kind's ``check`` receives besides the frame."""

    file_name: str
    session: Any  # sqlalchemy Session (read only inside checks)
    columns: dict[str, Column]
    # attrs of the columns the file has: an absent one holds its default here, and its stored
    # value is kept for existing rows
    present: frozenset[str] = frozenset()

    def error(self, row: int, attr: str | None, value: Any, expected: str) -> RowError:
        header = self.columns[attr].header if attr in self.columns else attr
        return RowError(self.file_name, row, header, None if value is None else str(value), expected)


# check(frame, ctx) -> list[RowError]; frame has the parsed columns plus "_row" (Excel row)
CheckFn = Callable[[pl.DataFrame, CheckContext], list[RowError]]
# transform(frame, session) -> frame with any derived columns the table needs
TransformFn = Callable[[pl.DataFrame, Any], pl.DataFrame]


@dataclass
class ImportKind:
    name: str
    title: str
    columns: list[Column]
    key: list[str]
    model: type[Base]  # the SQLAlchemy mapped class the rows go to
    check: CheckFn | None = None
    transform: TransformFn | None = None
    # attrs written to the table besides the columns (derived by ``transform``),
    # with their field types for comparing against stored rows
    derived: dict[str, FieldType] = field(default_factory=dict)
    # columns whose stored value is kept when the file leaves them empty
    keep_when_empty: tuple[str, ...] = ()
    description: str = ""

    def column(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)

    @property
    def stored_types(self) -> dict[str, FieldType]:
        types = {c.attr: c.ftype for c in self.columns}
        types.update(self.derived)
        return types


_KINDS: dict[str, ImportKind] = {}
_LOADED = False


def register_kind(kind: ImportKind) -> ImportKind:
    _KINDS[kind.name] = kind
    return kind


def all_kinds() -> dict[str, ImportKind]:
    global _LOADED
    if not _LOADED:
        import importlib
        import pkgutil

        import zhida

        for mod in pkgutil.walk_packages(zhida.__path__, "zhida."):
            # only zhida.<package>.imports declares kinds (not e.g. zhida.web.routes.imports)
            if mod.name.count(".") == 2 and mod.name.endswith(".imports"):
                importlib.import_module(mod.name)
        _LOADED = True
    return _KINDS


def get_kind(name: str) -> ImportKind:
    kinds = all_kinds()
    if name not in kinds:
        known = "、".join(f"{kinds[k].title}（{k}）" for k in sorted(kinds))
        raise NotFound(f"未知的导入类型 {name}：可用的有 {known}")
    return kinds[name]
