"""Safe spreadsheets: every CSV and XLSX the platform writes goes through here.

A value from the outside world (a unit name, a 户名, a 开户行 typed in the portal or imported)
must never become a live formula in a file that bank or bureau staff open in Excel
(OWASP "CSV injection"). Two rules:

- XLSX: every ``str`` is stored as a text cell, never as a formula, whatever it starts with.
  Layouts that also show the neutralisation (the console's lists, the projects ledger, the
  approvals dashboard) ask for ``quote=True``: a string that starts like a formula then also
  gets the leading ``'`` of the CSV rule (``quoted``), still in a text cell.
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
    return str(quoted(str(value)))


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


def quoted(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is a string that starts like a formula; anything
    else (numbers, dates, None, safe text) as given.

    >>> quoted("=1+1"), quoted("-2"), quoted("风电"), quoted(12), quoted(None)
    ("'=1+1", "'-2", '风电', 12, None)
    """
    return "'" + value if isinstance(value, str) and value.startswith(DANGEROUS_START) else value


def _text_cell(ws, value: str):
    from openpyxl.cell.cell import Cell

    cell = Cell(ws, row=1, column=1)  # placed by append; a position keeps openpyxl's messages working
    cell.value = value
    cell.data_type = "s"  # openpyxl makes "=…" a formula; a text cell it stays
    return cell


# openpyxl stores a plain ``str`` as text unless it starts with "=" (a formula) or is an error
# code ("#N/A" …): only those need an explicit text cell (a Cell object for every string made a
# 50,000-row list export 45 % slower).
_NOT_TEXT_START = ("=", "#")


def xlsx_row(ws, values: Iterable[Any], *, quote: bool = False) -> list:
    """The row to append: every string kept as text (``quote``: through ``quoted`` first),
    everything else as given."""
    row = []
    for v in values:
        if isinstance(v, str):
            v = quoted(v) if quote else v
            v = _text_cell(ws, v) if v.startswith(_NOT_TEXT_START) else v
        row.append(v)
    return row


def append(ws, values: Iterable[Any], *, quote: bool = False) -> None:
    """``ws.append`` for a normal or write-only sheet, with every string kept as text (and with
    ``quote``, a formula-like string also shown with its leading ``'``)."""
    ws.append(xlsx_row(ws, values, quote=quote))


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
