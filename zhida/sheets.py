"""Safe spreadsheets: every CSV and XLSX the platform writes goes through here.

A value from the outside world (a unit name, a 户名, a 开户行 typed in the portal or imported)
must never become a live formula in a file that bank or bureau staff open in Excel
(OWASP "CSV injection"). Two rules:

- XLSX: every ``str`` is stored as a text cell, never as a formula, whatever it starts with.
- CSV: a text value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  prefixed with a single quote (``'``), as OWASP recommends; the csv module quotes the rest.
  Numbers (``int``, ``Decimal``, ``float``) are written as numbers, never prefixed.

>>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-2+3"), csv_cell("中国银行"), csv_cell(12)
('\\'=HYPERLINK("http://x")', "'-2+3", '中国银行', '12')
>>> csv_cell("\\tcmd"), csv_cell("@SUM(A1)"), csv_cell(None)
("'\\tcmd", "'@SUM(A1)", '')
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """The text of one CSV cell, neutralised when it could start a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


def csv_bytes(rows: Iterable[Iterable[Any]], encoding: str = "utf-8-sig", lineterminator: str = "\r\n") -> bytes:
    """Whole CSV file content, every cell through ``csv_cell``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue().encode(encoding)


def write_csv(path: str | Path, rows: Iterable[Iterable[Any]], encoding: str = "utf-8-sig") -> Path:
    """Write a safe CSV atomically (temporary file, then rename) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = csv_bytes(rows, encoding)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def _text_cell(ws, value: str):
    from openpyxl.cell.cell import Cell

    cell = Cell(ws, row=1, column=1)  # placed by append; a position keeps openpyxl's messages working
    cell.value = value
    cell.data_type = "s"  # openpyxl makes "=…" a formula; a text cell it stays
    return cell


def xlsx_row(ws, values: Iterable[Any]) -> list:
    """The row to append: strings become explicit text cells, everything else as given."""
    return [_text_cell(ws, v) if isinstance(v, str) else v for v in values]


def append(ws, values: Iterable[Any]) -> None:
    """``ws.append`` for a normal or write-only sheet, with every string kept as text."""
    ws.append(xlsx_row(ws, values))


def save(wb, path: str | Path) -> Path:
    """Save a workbook atomically (temporary file, then rename) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path


def formula_cells(path: str | Path) -> list[str]:
    """Every cell of an XLSX file that holds a formula, as ``sheet!A1`` (empty when safe)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    found = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s")]
    wb.close()
    return found


def unsafe_csv_cells(path: str | Path, encoding: str = "utf-8-sig") -> list[str]:
    """Every CSV cell (``row:col``) that starts like a formula (empty when safe)."""
    with open(path, encoding=encoding, newline="") as fh:
        return [f"{r}:{c}" for r, row in enumerate(csv.reader(fh), 1) for c, v in enumerate(row, 1)
                if v.startswith(DANGEROUS_START)]
