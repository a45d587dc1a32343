"""One rendering of import errors, for the terminal, the web page and the XLSX report."""

from __future__ import annotations

from pathlib import Path

from zhida import sheets
from zhida.errors import RowError

REPORT_HEADERS = ["文件", "行号", "列", "值", "问题"]


def error_rows(errors: list[RowError]) -> list[list]:
    return [[e.file, e.row, e.column or "", e.value or "", e.expected] for e in errors]


def write_errors_xlsx(errors: list[RowError], path: str | Path) -> Path:
    """Write the errors as an XLSX a clerk can filter and fix from."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "错误报告"
    sheets.append(ws, REPORT_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B22222")
    for row in error_rows(errors):
        sheets.append(ws, row)
    for col, width in zip("ABCDE", (24, 8, 22, 26, 60), strict=False):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    return sheets.save(wb, path)
