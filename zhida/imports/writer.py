"""Write a validated frame: insert new rows, update changed ones, count the unchanged.

Everything happens on the caller's session (one transaction). On PostgreSQL rows go in
through ``COPY`` (new rows straight into the table, changed rows through a temporary
table and one ``UPDATE … FROM``); on SQLite through ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
from sqlalchemy import Table, and_, bindparam, select, tuple_, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session

from zhida.db import driver_connection
from zhida.imports.fields import DecimalField, FieldType, Money
from zhida.imports.spec import ImportKind

FULL_SCAN_ABOVE = 20_000
CHUNK = 50_000


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def _needs_conversion(ftype: FieldType) -> bool:
    return isinstance(ftype, DecimalField) and not isinstance(ftype, Money)


def existing_rows(session: Session, kind: ImportKind, frame: pl.DataFrame, attrs: list[str]) -> pl.DataFrame:
    """The stored rows with the file's keys, as a frame comparable with ``frame``."""
    model = kind.model
    types = kind.stored_types
    cols = [getattr(model, a) for a in attrs]
    schema = {a: types[a].dtype for a in attrs}
    if frame.height > FULL_SCAN_ABOVE and session.get_bind().dialect.name == "postgresql":
        return _copy_out(session, kind, attrs)
    if frame.height > FULL_SCAN_ABOVE:
        results = session.execute(select(*cols)).all()
    else:
        keys = list(frame.select(kind.key).unique().iter_rows())
        key_cols = [getattr(model, k) for k in kind.key]
        results = []
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            cond = key_cols[0].in_([k[0] for k in chunk]) if len(key_cols) == 1 else tuple_(*key_cols).in_(chunk)
            results.extend(session.execute(select(*cols).where(cond)).all())
    convert = [(i, types[a]) for i, a in enumerate(attrs) if _needs_conversion(types[a])]
    rows = [tuple(r) for r in results]
    if convert:
        rows = [_converted(r, convert) for r in rows]
    return pl.DataFrame(rows, schema=schema, orient="row")


def _converted(row: tuple[Any, ...], convert: list[tuple[int, FieldType]]) -> tuple[Any, ...]:
    values = list(row)
    for i, t in convert:
        values[i] = t.from_db(values[i])
    return tuple(values)


def _copy_out(session: Session, kind: ImportKind, attrs: list[str]) -> pl.DataFrame:
    """The whole table through ``COPY … TO STDOUT`` into Polars (PostgreSQL, large files)."""
    import io

    types = kind.stored_types
    names = _table_columns(kind, attrs)
    raw = driver_connection(session)
    buf = io.BytesIO()
    cols = ", ".join(f'"{c}"' for c in names)
    with raw.cursor() as cur, cur.copy(f'COPY (SELECT {cols} FROM "{kind.model.__tablename__}") TO STDOUT '
                                       "WITH (FORMAT csv)") as copy:
        for block in copy:
            buf.write(block)
    text = pl.read_csv(buf.getvalue() or b"\n", has_header=False, infer_schema=False, new_columns=attrs,
                       raise_if_empty=False) if buf.tell() else pl.DataFrame(schema={a: pl.Utf8 for a in attrs})
    out = []
    for a in attrs:
        col, ftype = text.get_column(a), types[a]
        if isinstance(ftype, DecimalField) and not isinstance(ftype, Money):
            col = ftype.parse(col)[0]
        elif ftype.dtype == pl.Boolean:
            col = col.replace_strict({"t": True, "f": False}, default=None, return_dtype=pl.Boolean)
        elif ftype.dtype == pl.Date:
            col = col.str.to_date("%Y-%m-%d")
        else:
            col = col.cast(ftype.dtype)
        out.append(col.alias(a))
    return pl.DataFrame(out)


def fill_from_stored(session: Session, kind: ImportKind, frame: pl.DataFrame, absent: list[str]) -> pl.DataFrame:
    """Columns the file left out take the stored values of existing rows (defaults for new
    rows), so derived columns are computed from the whole row and nothing is wiped."""
    if not absent or frame.is_empty():
        return frame
    stored = existing_rows(session, kind, frame, kind.key + absent)
    if stored.is_empty():
        return frame
    stored = stored.rename({a: f"{a}__stored" for a in absent}).with_columns(_stored=pl.lit(True))
    joined = frame.join(stored, on=kind.key, how="left")
    return joined.with_columns(
        pl.when(pl.col("_stored")).then(pl.col(f"{a}__stored")).otherwise(pl.col(a)).alias(a) for a in absent
    ).drop([f"{a}__stored" for a in absent] + ["_stored"])


def classify(kind: ImportKind, frame: pl.DataFrame, attrs: list[str], old: pl.DataFrame) -> pl.DataFrame:
    """Add ``_state``: 'new', 'changed' or 'same' to each row of ``frame``."""
    values = [a for a in attrs if a not in kind.key]
    old = old.rename({a: f"{a}__old" for a in values}).with_columns(_exists=pl.lit(True))
    joined = frame.join(old, on=kind.key, how="left", nulls_equal=False)
    differs = [pl.col(a).ne_missing(pl.col(f"{a}__old")) for a in values]
    any_diff = pl.any_horizontal(differs) if differs else pl.lit(False)
    state = (
        pl.when(pl.col("_exists").is_null()).then(pl.lit("new"))
        .when(any_diff).then(pl.lit("changed"))
        .otherwise(pl.lit("same"))
    )
    return joined.with_columns(_state=state).drop([f"{a}__old" for a in values] + ["_exists"])


def _python_rows(kind: ImportKind, frame: pl.DataFrame, attrs: list[str]) -> Iterable[tuple[Any, ...]]:
    types = kind.stored_types
    convert = [(i, types[a]) for i, a in enumerate(attrs) if _needs_conversion(types[a])]
    for row in frame.select(attrs).iter_rows():
        if not convert:
            yield row
            continue
        values = list(row)
        for i, t in convert:
            values[i] = t.to_db(values[i])
        yield tuple(values)


def _table_columns(kind: ImportKind, attrs: list[str]) -> list[str]:
    mapper: Mapper[Any] = sa_inspect(kind.model)
    return [mapper.columns[a].name for a in attrs]


def _copy_rows(session: Session, table: str, columns: list[str], rows: Iterable[tuple],
               advance: Callable[[int], None]) -> None:
    raw = driver_connection(session)
    cols = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
        n = 0
        for row in rows:
            copy.write_row(row)
            n += 1
            if n % CHUNK == 0:
                advance(CHUNK)
        advance(n % CHUNK)


def insert_rows(session: Session, kind: ImportKind, frame: pl.DataFrame, attrs: list[str],
                advance: Callable[[int], None]) -> None:
    if frame.is_empty():
        return
    rows = _python_rows(kind, frame, attrs)
    if session.get_bind().dialect.name == "postgresql":
        _copy_rows(session, kind.model.__tablename__, _table_columns(kind, attrs), rows, advance)
        return
    table = cast("Table", kind.model.__table__)
    batch: list[dict] = []
    names = _table_columns(kind, attrs)
    for row in rows:
        batch.append(dict(zip(names, row, strict=False)))
        if len(batch) == CHUNK:
            session.execute(table.insert(), batch)
            advance(len(batch))
            batch = []
    if batch:
        session.execute(table.insert(), batch)
        advance(len(batch))


def update_rows(session: Session, kind: ImportKind, frame: pl.DataFrame, attrs: list[str],
                advance: Callable[[int], None]) -> None:
    if frame.is_empty():
        return
    names = _table_columns(kind, attrs)
    key_names = _table_columns(kind, kind.key)
    table = kind.model.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        tmp = f"_import_{table}"
        conn = session.connection()
        cols = ", ".join(f'"{c}"' for c in names)
        # no constraints copied: the file may leave NOT NULL columns out of an update
        conn.exec_driver_sql(f'CREATE TEMP TABLE "{tmp}" ON COMMIT DROP AS SELECT {cols} FROM "{table}" WITH NO DATA')
        _copy_rows(session, tmp, names, _python_rows(kind, frame, attrs), advance)
        sets = ", ".join(f'"{c}" = s."{c}"' for c in names if c not in key_names)
        on = " AND ".join(f't."{k}" = s."{k}"' for k in key_names)
        conn.exec_driver_sql(f'UPDATE "{table}" AS t SET {sets} FROM "{tmp}" AS s WHERE {on}')
        conn.exec_driver_sql(f'DROP TABLE "{tmp}"')
        return
    # executemany of one UPDATE … WHERE <key> = …: the key need not be the primary key
    table_obj = cast("Table", kind.model.__table__)
    stmt = update(table_obj).where(
        and_(*(table_obj.c[k] == bindparam(f"k_{k}") for k in key_names))
    ).values({c: bindparam(f"v_{c}") for c in names if c not in key_names})
    batch = []
    for row in _python_rows(kind, frame, attrs):
        values = dict(zip(names, row, strict=False))
        batch.append({(f"k_{c}" if c in key_names else f"v_{c}"): v for c, v in values.items()})
    conn = session.connection()
    for i in range(0, len(batch), CHUNK):
        conn.execute(stmt, batch[i:i + CHUNK])
        advance(min(CHUNK, len(batch) - i))


def apply(session: Session, kind: ImportKind, frame: pl.DataFrame, attrs: list[str], dry_run: bool = False,
          advance: Callable[[int], None] = lambda n: None) -> Counts:
    """Write ``frame`` (every column; those the file left out already hold the stored values,
    see ``fill_from_stored``): insert new rows, update changed ones, count the rest."""
    old = existing_rows(session, kind, frame, attrs)
    marked = classify(kind, frame, attrs, old)
    counts = Counts(
        inserted=marked.filter(pl.col("_state") == "new").height,
        updated=marked.filter(pl.col("_state") == "changed").height,
        unchanged=marked.filter(pl.col("_state") == "same").height,
    )
    if not dry_run:
        every = list(kind.stored_types)
        insert_rows(session, kind, marked.filter(pl.col("_state") == "new"), every, advance)
        update_rows(session, kind, marked.filter(pl.col("_state") == "changed"), attrs, advance)
        session.flush()
    return counts
