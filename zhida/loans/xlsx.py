"""Spreadsheets the loans pages export, safe to open (no formula injection).

Text cells are written as text; a value starting with = + - @ tab or CR gets a leading
apostrophe-like quote character (``'``) so Excel and WPS show it as text instead of running
it. (A shared helper for every package is planned; until then this one is private here.)

>>> safe("=1+1"), safe("-2"), safe("茌平区"), safe(12)
("'=1+1", "'-2", '茌平区', 12)
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named ``title`` with ``headers`` and ``rows``; text cells typed as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(list(headers))
    for row in rows:
        cells = []
        for v in row:
            cell = WriteOnlyCell(ws, value=safe(v if not hasattr(v, "isoformat") else v.isoformat()))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
