"""Validate a raw table against an import kind: headers, every cell, duplicate keys, kind checks."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from zhida.errors import RowError
from zhida.imports.cells import LOST_DIGITS, code, digits_lost_expr
from zhida.imports.layout import IGNORED_HEADERS, HeaderSpec, header_key
from zhida.imports.reader import RawTable
from zhida.imports.spec import CheckContext, Column, ImportKind

ROW = "_row"


def header_spec(kind: ImportKind) -> HeaderSpec:
    """Every header the kind accepts (template header, attribute name, aliases)."""
    return HeaderSpec.of(h for c in kind.columns for h in c.headers)


def match_headers(kind: ImportKind, table: RawTable, ignore_unknown: bool) -> tuple[dict[int, Column], list[RowError]]:
    """Map file column positions to kind columns; report unknown, duplicate and missing headers.

    Headers compare by ``layout.header_key`` (brackets of either width, spaces and line breaks
    ignored); 序号/行号 columns are skipped.
    """
    by_header: dict[str, Column] = {}
    for col in kind.columns:
        for h in col.headers:
            by_header[header_key(h)] = col
    mapping: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    f, r = table.file_name, table.header_row
    for idx, header in enumerate(table.headers):
        h = header.strip()
        if h == "" or header_key(h) in IGNORED_HEADERS:
            continue
        found = by_header.get(header_key(h))
        if found is None:
            if not ignore_unknown:
                known = "、".join(c.header for c in kind.columns)
                errors.append(RowError(f, r, h, h, f"未知的列（{kind.title}的列为：{known}）"))
            continue
        if found.attr in seen:
            errors.append(RowError(f, r, h, h, f"列重复：与第 {seen[found.attr] + 1} 列相同"))
            continue
        seen[found.attr] = idx
        mapping[idx] = found
    for col in kind.columns:
        if col.required and col.attr not in seen:
            errors.append(RowError(f, r, col.header, None, "缺少必填列"))
    return mapping, errors


def parse_cells(kind: ImportKind, table: RawTable, mapping: dict[int, Column]) -> tuple[pl.DataFrame, list[RowError]]:
    rows = pl.Series(ROW, table.row_numbers, dtype=pl.Int64)
    data: dict[str, pl.Series] = {ROW: rows}
    errors: list[RowError] = []
    present = {col.attr: idx for idx, col in mapping.items()}
    for col in kind.columns:
        if col.attr not in present:
            data[col.attr] = pl.Series(col.attr, [col.default] * len(rows), dtype=col.ftype.dtype)
            continue
        raw = table.column(present[col.attr]).alias(col.attr)
        values, errs = col.ftype.parse(raw)
        if col.ftype.is_code:
            values, errs = _refuse_lost_digits(raw, table.numeric_mask(present[col.attr]), col, values, errs)
        missing = raw.str.strip_chars().fill_null("") == ""
        if col.required:
            errs = pl.select(pl.when(missing).then(pl.lit("必填，不能为空")).otherwise(errs)).to_series()
        elif col.default is not None:
            values = pl.select(pl.when(missing).then(pl.lit(col.default, dtype=col.ftype.dtype)).otherwise(values)).to_series()
        data[col.attr] = values.alias(col.attr)
        bad = errs.is_not_null()
        if bad.any():
            for i in bad.arg_true().to_list():
                errors.append(RowError(table.file_name, table.row_numbers[i], col.header,
                                      table.cell(i, present[col.attr]), errs[i]))
    return pl.DataFrame(data), errors


def _refuse_lost_digits(raw: pl.Series, numeric: pl.Series, col: Column, values: pl.Series,
                       errs: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Code cells that went through an Excel number: the real cause, no value (``cells.digits_lost``)."""
    suspect = (numeric | raw.str.contains("[eE]").fill_null(False)
               | (col.ftype.rounded_zeros & raw.str.contains("0000").fill_null(False)))
    if not suspect.any():
        return values, errs
    idx = suspect.arg_true()
    some = raw.gather(idx)
    lost_some = pl.select(digits_lost_expr(code(pl.lit(some)), pl.lit(numeric.gather(idx)),
                                           col.ftype.rounded_zeros)).to_series()
    lost = pl.Series([False] * len(raw)).scatter(idx, lost_some)
    errs = pl.select(pl.when(lost).then(pl.lit(LOST_DIGITS)).otherwise(errs)).to_series()
    values = pl.select(pl.when(lost).then(None).otherwise(pl.lit(values))).to_series().alias(col.attr)
    return values, errs


def duplicate_keys(kind: ImportKind, frame: pl.DataFrame, file_name: str) -> list[RowError]:
    keyed = frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in kind.key))
    dups = keyed.filter(pl.struct(kind.key).is_duplicated())
    if dups.is_empty():
        return []
    first = dups.group_by(kind.key).agg(pl.col(ROW).min().alias("_first"))
    dups = dups.join(first, on=kind.key).filter(pl.col(ROW) != pl.col("_first")).sort(ROW)
    head = kind.column(kind.key[0]).header
    key_names = "、".join(kind.column(k).header for k in kind.key)
    return [
        RowError(file_name, r[ROW], head, str(r[kind.key[0]]), f"与第 {r['_first']} 行重复（键：{key_names}）")
        for r in dups.iter_rows(named=True)
    ]


def validate(kind: ImportKind, table: RawTable, session, ignore_unknown: bool = False,
             step: Callable[[str], None] | None = None) -> tuple[pl.DataFrame, list[RowError]]:
    """Return the parsed frame and every error found (empty list: the file may be written)."""
    step = step or (lambda _msg: None)
    mapping, errors = match_headers(kind, table, ignore_unknown)
    if errors:
        return pl.DataFrame(), errors
    if table.height == 0:
        return pl.DataFrame(), [RowError(table.file_name, table.header_row + 1, None, None, "文件只有表头，没有数据行")]
    step("校验单元格")
    frame, errors = parse_cells(kind, table, mapping)
    step("检查重复")
    errors += duplicate_keys(kind, frame, table.file_name)
    if kind.check is not None:
        step("业务校验")
        ctx = CheckContext(table.file_name, session, {c.attr: c for c in kind.columns},
                           frozenset(c.attr for c in mapping.values()))
        errors += kind.check(frame, ctx)
    errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return frame, errors
