"""Lists a clerk works with: the common filters (规模, 单位类型, 行业门类, 乡镇街道), sortable
columns, and the Excel export of exactly what the filters select (every row, not one page).

Every spreadsheet cell is written as its text through the shared safe writer ``zhida.sheets``
(``csv_cell``, then a text cell) — a value that a spreadsheet program would read as a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return first) gets a leading apostrophe — so an
exported list is safe to open.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import Depends, Query
from fastapi.responses import Response
from sqlalchemy import Select

from zhida import sheets
from zhida.registry.imports import UNIT_TYPES
from zhida.registry.industry import SECTIONS
from zhida.registry.regions import home_townships

SIZES = ("大型", "中型", "小型", "微型")
EXPORT_LIMIT = 200_000  # rows; a larger list is refused with a hint to narrow the filters
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, title: str, headers: list[str], rows) -> Response:
    """An XLSX download of one sheet: a header row, then ``rows`` (iterables of values)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(headers)
    for n, row in enumerate(rows, start=1):
        if n > EXPORT_LIMIT:
            break
        sheets.append(ws, [sheets.csv_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(buf.getvalue(), media_type=XLSX, headers={"Content-Disposition": disposition})


@dataclass(frozen=True)
class Filters:
    """The common unit filters; empty = not filtered."""

    size_class: str = ""
    unit_type: str = ""
    industry_section: str = ""
    township: str = ""

    def apply(self, stmt: Select, model) -> Select:
        """``stmt`` restricted on ``model``'s columns of the same names (those it has)."""
        for name in ("size_class", "unit_type", "industry_section", "township"):
            value = getattr(self, name)
            if value and hasattr(model, name):
                stmt = stmt.where(getattr(model, name) == value)
        return stmt

    def query(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items()}

    @staticmethod
    def choices() -> dict:
        """Options of each filter for the form (townships of the home county, in its order)."""
        return {"sizes": SIZES, "unit_types": UNIT_TYPES, "townships": home_townships(),
                "sections": [(k, v[0]) for k, v in SECTIONS.items()]}


async def filters(size_class: Annotated[str, Query(max_length=4, description="企业规模")] = "",
                  unit_type: Annotated[str, Query(max_length=20, description="单位类型")] = "",
                  industry_section: Annotated[str, Query(max_length=1, description="行业门类")] = "",
                  township: Annotated[str, Query(max_length=50, description="乡镇街道")] = "") -> Filters:
    return Filters(size_class, unit_type, industry_section, township)


FiltersDep = Annotated[Filters, Depends(filters)]


def sort_by(stmt: Select, sort: str, columns: dict, default) -> Select:
    """Order by ``sort`` (a key of ``columns``; ``-key`` descending), else by ``default``."""
    key = sort.lstrip("-")
    if key in columns:
        col = columns[key]
        return stmt.order_by(None).order_by(col.desc() if sort.startswith("-") else col.asc(), default)
    return stmt.order_by(None).order_by(default)


def link(path: str, **params) -> str:
    """``path?…`` with the non-empty params, URL-encoded."""
    given = {k: v for k, v in params.items() if v not in ("", None)}
    return f"{path}?{urlencode(given)}" if given else path
