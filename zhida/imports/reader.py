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

import polars as pl

from zhida.errors import ImportRefused, RowError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE documents)
NOTE_PREFIX = "说明："  # cells of the notes row of a template; such a row is not data


@dataclass
class RawTable:
    """A file's content as text cells, column by column.

    ``data`` holds one ``pl.Utf8`` column per header position (``c0``, ``c1`` …);
    ``row_numbers[i]`` is the Excel row number of data row i.
    """

    file_name: str
    header_row: int
    headers: list[str]
    data: pl.DataFrame = field(default_factory=pl.DataFrame)
    row_numbers: list[int] = field(default_factory=list)
    encoding: str = ""

    @property
    def height(self) -> int:
        return self.data.height

    def column(self, index: int) -> pl.Series:
        return self.data.get_column(f"c{index}")

    def cell(self, row: int, index: int) -> str | None:
        return self.data.get_column(f"c{index}")[row]


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


def _blank(expr: pl.Expr) -> pl.Expr:
    return expr.is_null() | (expr.str.strip_chars() == "")


def _table_from_frame(file_name: str, frame: pl.DataFrame, encoding: str) -> RawTable:
    """``frame`` row i is Excel row i+1, all columns text. Header = the first non-blank row."""
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    blank = pl.all_horizontal(_blank(pl.col(c)) for c in frame.columns)
    notes = pl.all_horizontal(_blank(pl.col(c)) | pl.col(c).str.starts_with(NOTE_PREFIX) for c in frame.columns)
    flags = frame.select(blank=blank, notes=notes)
    nonblank = (~flags["blank"]).arg_true()
    if nonblank.is_empty():
        raise refuse(file_name, "文件是空的：没有表头，也没有数据")
    header_idx = nonblank[0]
    headers = [(v or "").strip() for v in frame.row(header_idx)]
    while headers and headers[-1] == "":
        headers.pop()
    width = max(len(headers), 1)
    keep = (~flags["blank"] & ~flags["notes"]).arg_true()
    keep = keep.filter(keep > header_idx)
    data = frame.select([c for c in frame.columns[:width]]).with_row_index("_i").filter(
        pl.col("_i").is_in(keep.implode())).drop("_i")
    for i in range(data.width, width):
        data = data.with_columns(pl.lit(None, dtype=pl.Utf8).alias(f"c{i}"))
    data = data.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in data.columns)
    return RawTable(file_name, header_idx + 1, headers, data, (keep + 1).to_list(), encoding)


def read_csv(path: Path, data: bytes) -> RawTable:
    text, encoding = decode_csv_bytes(data, path.name)
    if "\x00" in text:
        raise refuse(path.name, "不是 CSV 或 XLSX 文件（含二进制内容）")
    lead = len(text) - len(text.lstrip("\r\n"))
    skipped = text[:lead].count("\n")  # blank lines before the header
    body = text[lead:]
    first = body.split("\n", 1)[0]
    separator = "\t" if first.count("\t") > first.count(",") else ","
    data = io.BytesIO(body.encode("utf-8"))
    try:
        frame = pl.read_csv(data, has_header=False, infer_schema=False, separator=separator,
                            raise_if_empty=False)
    except pl.exceptions.ComputeError:
        raise _ragged(path.name, body, separator, skipped) from None
    except pl.exceptions.PolarsError as exc:
        raise refuse(path.name, f"CSV 格式错误：{exc}") from None
    table = _table_from_frame(path.name, frame, encoding)
    if skipped:
        table.header_row += skipped
        table.row_numbers = [r + skipped for r in table.row_numbers]
    return table


def _ragged(file_name: str, body: str, separator: str, skipped: int) -> ImportRefused:
    """Rows with more cells than the header (often a name with an unquoted comma)."""
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=separator))
    width = len(rows[0]) if rows else 0
    errors = [RowError(file_name, i + 1 + skipped, None, separator.join(r)[:200],
                       f"这一行有 {len(r)} 个单元格，比表头多 {len(r) - width} 个：单元格里的逗号要用英文双引号括起来")
              for i, r in enumerate(rows) if len(r) > width]
    if not errors:
        return refuse(file_name, "CSV 格式错误：各行的列数不一致")
    return ImportRefused(f"{file_name} 未导入：{len(errors)} 行的单元格比表头多", errors)


def _frame_from_rows(rows: list[list]) -> pl.DataFrame:
    width = max((len(r) for r in rows), default=0)
    cols = {f"c{i}": [_cell_text(r[i]) if i < len(r) else None for r in rows] for i in range(width)}
    return pl.DataFrame(cols, schema={k: pl.Utf8 for k in cols})


def read_xlsx(path: Path) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise refuse(path.name, f"无法读取 Excel 文件：{exc}") from None
    return _table_from_frame(path.name, _frame_from_rows(rows), "xlsx")


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
