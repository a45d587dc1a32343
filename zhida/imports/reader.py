"""Read a CSV or XLSX file into a header and columns of strings, keeping Excel row numbers.

CSV encodings are detected from the bytes: UTF-8 (with or without BOM), else GB18030
(a superset of GBK and GB2312). XLSX: the first sheet, the header on the first non-empty
row. Cells come back as text: integral numbers without ``.0``, dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from zhida.errors import ImportRefused, RowError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE documents)
NOTE_PREFIX = "说明："  # cells of the notes row of a template; such a row is not data


@dataclass
class RawTable:
    """A file's content as text cells. ``row_numbers[i]`` is the Excel row of data row i."""

    file_name: str
    header_row: int
    headers: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    encoding: str = ""

    def column(self, index: int) -> list[str | None]:
        return [r[index] if index < len(r) else None for r in self.rows]


def refuse(file_name: str, message: str) -> ImportRefused:
    return ImportRefused(f"{file_name}：{message}", [RowError(file_name, None, None, None, message)])


def decode_csv_bytes(data: bytes, file_name: str) -> tuple[str, str]:
    """Return (text, encoding name).

    >>> decode_csv_bytes("代码,名称".encode("gbk"), "a.csv")[1]
    'gb18030'
    >>> decode_csv_bytes(b"\\xef\\xbb\\xbfa,b", "a.csv")
    ('a,b', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise refuse(file_name, "无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件") from None


def _is_blank(row: list) -> bool:
    return all(c is None or str(c).strip() == "" for c in row)


def _is_notes(row: list) -> bool:
    return all(c is None or str(c).strip() == "" or str(c).startswith(NOTE_PREFIX) for c in row)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text if text != "" else None


def _table_from_rows(file_name: str, rows: list[list], encoding: str) -> RawTable:
    """``rows[i]`` is Excel row i+1. Header = the first non-blank row."""
    header_idx = next((i for i, r in enumerate(rows) if not _is_blank(r)), None)
    if header_idx is None:
        raise refuse(file_name, "文件是空的：没有表头，也没有数据")
    headers = [(_cell_text(c) or "").strip() for c in rows[header_idx]]
    while headers and headers[-1] == "":
        headers.pop()
    table = RawTable(file_name, header_idx + 1, headers, encoding=encoding)
    width = len(headers)
    for i in range(header_idx + 1, len(rows)):
        row = rows[i]
        if _is_blank(row) or _is_notes(row):
            continue
        cells = [_cell_text(c) for c in row[:max(width, len(row))]]
        table.rows.append(cells)
        table.row_numbers.append(i + 1)
    return table


def read_csv(path: Path, data: bytes) -> RawTable:
    text, encoding = decode_csv_bytes(data, path.name)
    if "\x00" in text:
        raise refuse(path.name, "不是 CSV 或 XLSX 文件（含二进制内容）")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # a quoted cell may span lines; Excel shows one row per record, and so do we
        rows = list(reader)
    except csv.Error as exc:
        raise refuse(path.name, f"CSV 格式错误（第 {reader.line_num} 行附近）：{exc}") from None
    return _table_from_rows(path.name, rows, encoding)


def read_xlsx(path: Path) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise refuse(path.name, f"无法读取 Excel 文件：{exc}") from None
    return _table_from_rows(path.name, rows, "xlsx")


def read_table(path: str | Path) -> RawTable:
    """Read ``path`` (CSV or XLSX, decided by content, then by extension)."""
    path = Path(path)
    if not path.exists():
        raise refuse(path.name, f"文件不存在：{path}")
    data = path.read_bytes()
    if not data.strip():
        raise refuse(path.name, "文件是空的：没有表头，也没有数据")
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(path)
    if data.startswith(OLE_MAGIC):
        raise refuse(path.name, "不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 或 CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise refuse(path.name, "扩展名是 .xlsx，但内容不是 Excel 文件")
    if path.suffix.lower() not in (".csv", ".txt", ""):
        raise refuse(path.name, f"不支持的文件类型 {path.suffix}：请上传 .csv 或 .xlsx 文件")
    return read_csv(path, data)
