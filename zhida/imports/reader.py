"""Read a CSV or a workbook sheet into a header and columns of text, keeping Excel row numbers.

One reader for every import and the bank return file:

- CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312;
  CP936's lone 0x80 is read as €); a byte that fits none is refused naming its line and offset.
- XLSX/XLSM: streamed by ``xlsx`` (only cells that hold something); XLS (BIFF) and ODS through
  python-calamine. The first visible sheet is read unless ``sheet`` names another.
- Layout (``layout``): the header is the first top row that matches the kind's headers; title
  rows above it are skipped, a two-row header is merged, 合计/总计/小计 rows are skipped; each
  of these is said in ``RawTable.notes``.
- Limits (rows, columns, cell length, decompressed size) from the settings ``import_max_*``.

Cells come back as stripped text (null when blank). ``numeric[i]`` flags, for sheet files,
the cells of column i that were Excel numbers (so code columns can refuse lost digits).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from zhida.errors import ImportRefused, RowError
from zhida.imports import layout as lay
from zhida.imports.cells import SPACES
from zhida.imports.layout import NOTE_PREFIX, HeaderSpec
from zhida.imports.xlsx import Limits, NumberText, SheetError, Workbook, column_letters

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE documents)
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TOTAL_ROW = r"^\s*(合\s*计|总\s*计|小\s*计)\s*([:：(（].*)?$"  # the word alone, or with a colon or bracket


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
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    numeric: dict[int, pl.Series] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return self.data.height

    def column(self, index: int) -> pl.Series:
        return self.data.get_column(f"c{index}")

    def cell(self, row: int, index: int) -> str | None:
        return self.data.get_column(f"c{index}")[row]

    def numeric_mask(self, index: int) -> pl.Series:
        """Which cells of column ``index`` were Excel numbers (all False for CSV)."""
        mask = self.numeric.get(index)
        return mask if mask is not None else pl.Series([False] * self.height, dtype=pl.Boolean)


UNREADABLE_HINT = "如果文件设置了打开密码，请先取消密码；否则请在 Excel 中另存为 .xlsx 后重试"


def refuse(file_name: str, message: str, row: int | None = None) -> ImportRefused:
    return ImportRefused(f"{file_name}：{message}", [RowError(file_name, row, None, None, message)])


def limits() -> Limits:
    from zhida.config import get_settings

    s = get_settings()
    return Limits(s.import_max_rows, s.import_max_columns, s.import_max_cell_chars,
                  s.import_max_unpacked_mb * 1024 * 1024)


# ------------------------------------------------------------------ CSV

def _cp936_euro(err: UnicodeError) -> tuple[str, int]:
    if isinstance(err, UnicodeDecodeError) and err.object[err.start:err.start + 1] == b"\x80":  # CP936's € (not in GB18030's table)
        return "€", err.start + 1
    raise err


codecs.register_error("zhida_cp936", _cp936_euro)


def decode_csv_bytes(data: bytes, file_name: str) -> tuple[str, str]:
    """Return (text, encoding name).

    >>> decode_csv_bytes("代码,名称".encode("gbk"), "a.csv")[1]
    'gb18030'
    >>> decode_csv_bytes(b"\\xef\\xbb\\xbfa,b", "a.csv")
    ('a,b', 'utf-8-sig')
    >>> decode_csv_bytes(b"a,b\\n\\xb4\\xfa\\x80", "a.csv")
    ('a,b\\n代€', 'gb18030')
    >>> decode_csv_bytes(b"a,b\\nc,\\xff\\xff", "x.csv")
    Traceback (most recent call last):
    ...
    zhida.errors.ImportRefused: x.csv：第 2 行（文件第 7 个字节）有无法识别的字节 0xFF：请保存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", file_name, 3), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", file_name, 0), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode(data, "gb18030", file_name, 0, "zhida_cp936"), "gb18030"


def _decode(data: bytes, encoding: str, file_name: str, offset: int, errors: str = "strict") -> str:
    try:
        return data.decode(encoding, errors=errors)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        byte = data[exc.start:exc.start + 1].hex().upper()
        raise refuse(file_name, f"第 {line} 行（文件第 {exc.start + offset + 1} 个字节）有无法识别的字节 0x{byte}："
                                "请保存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件", line) from None


def _top_records(text: str, head: list[str], separator: str) -> tuple[list[list[str]], list[int]]:
    """The first records of a CSV (a quoted cell may span lines) and the line each starts on."""
    rows: list[list[str]] = []
    starts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        while len(rows) < len(head):
            starts.append(reader.line_num)
            rows.append(next(reader))
    except StopIteration:
        starts.pop()
    except csv.Error:  # an unclosed quote or a huge cell: lines are enough to find a header
        return [x.rstrip("\r").split(separator) for x in head], list(range(len(head)))
    return rows, starts


def read_csv(path: Path, data: bytes, spec: HeaderSpec | None, lim: Limits) -> RawTable:
    text, encoding = decode_csv_bytes(data, path.name)
    if "\x00" in text:
        raise refuse(path.name, "不是 CSV 或 Excel 文件（含二进制内容）")
    head = text.split("\n", lay.SEARCH_ROWS * 2)[:lay.SEARCH_ROWS * 2]
    separator = "\t" if max(x.count("\t") for x in head) > max(x.count(",") for x in head) else ","
    for i, line in enumerate(head):
        if line.count(separator) >= lim.columns:
            raise refuse(path.name, f"第 {i + 1} 行有 {line.count(separator) + 1} 列，超过 {lim.columns} 列的上限"
                                    "（ZHIDA_IMPORT_MAX_COLUMNS）", i + 1)
    rows, first_lines = _top_records(text, head, separator)
    found = lay.find_layout(rows, list(range(1, len(rows) + 1)), spec)
    if found is None:
        raise refuse(path.name, "文件是空的：没有表头，也没有数据")
    start = sum(len(x) + 1 for x in text.split("\n", first_lines[found.header_index])[:first_lines[found.header_index]])
    try:
        frame = pl.read_csv(io.BytesIO(text[start:].encode("utf-8")), has_header=False, infer_schema=False,
                            separator=separator, raise_if_empty=False)
    except pl.exceptions.ComputeError:
        raise _ragged(path.name, text[start:], separator, found.header_index) from None
    except pl.exceptions.PolarsError as exc:
        raise refuse(path.name, f"CSV 格式错误：{exc}") from None
    skip = found.data_index - found.header_index
    frame = frame.slice(skip)
    numbers = pl.int_range(found.data_index + 1, found.data_index + 1 + frame.height, eager=True)
    return _table(path.name, found, frame, numbers, {}, encoding, lim, found.header_index + 1)


def _ragged(file_name: str, body: str, separator: str, skipped: int) -> ImportRefused:
    """Rows with more cells than the header (often a name with an unquoted comma)."""
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=separator))
    except csv.Error:
        return refuse(file_name, "CSV 格式错误：引号不成对，或单元格过长")
    width = len(rows[0]) if rows else 0
    errors = [RowError(file_name, i + 1 + skipped, None, separator.join(r)[:200],
                       f"这一行有 {len(r)} 个单元格，比表头多 {len(r) - width} 个：单元格里的逗号要用英文双引号括起来")
              for i, r in enumerate(rows) if len(r) > width]
    if not errors:
        line = _unpaired_quote(body)
        if line is not None:
            return refuse(file_name, f"CSV 格式错误：第 {line + skipped} 行的英文双引号没有配对"
                                     "（单元格里的双引号要写成两个 \"\"）", line + skipped)
        return refuse(file_name, "CSV 格式错误：各行的列数不一致")
    return ImportRefused(f"{file_name} 未导入：{len(errors)} 行的单元格比表头多", errors)


def _unpaired_quote(body: str) -> int | None:
    """The line (1-based) where a quoted cell opens and never closes, if any."""
    opened, inside = None, False
    for number, line in enumerate(body.split("\n"), start=1):
        if line.count('"') % 2:
            inside = not inside
            opened = number if inside else None
    return opened if inside else None


# ------------------------------------------------------------------ common

def _table(file_name: str, found: lay.Layout, frame: pl.DataFrame, numbers: pl.Series,
           numeric: dict[int, pl.Series], encoding: str, lim: Limits, header_row: int,
           sheet: str | None = None) -> RawTable:
    """Keep the data rows below the header (no blank, note or total rows); check the limits."""
    width = max(len(found.headers), 1)
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    frame = frame.select(frame.columns[:width])
    for i in range(frame.width, width):
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias(f"c{i}"))
    frame = frame.with_columns(pl.col(c).str.strip_chars(SPACES).replace("", None) for c in frame.columns)
    cols = [pl.col(c) for c in frame.columns]
    blank = pl.all_horizontal(c.is_null() for c in cols)
    note = pl.all_horizontal(c.is_null() | c.str.starts_with(NOTE_PREFIX) for c in cols)
    total = pl.any_horizontal(c.str.contains(TOTAL_ROW).fill_null(False)
                              for c in cols[:3])
    flags = frame.select(drop=blank | note, total=total)
    totals = numbers.filter(flags["total"] & ~flags["drop"]).to_list()
    keep = ~(flags["drop"] | flags["total"])
    notes = list(found.notes)
    if totals:
        notes.append(f"第 {'、'.join(map(str, totals[:10]))} 行是合计/小计行，已跳过（不计入）")
    table = RawTable(file_name, header_row, found.headers, frame.filter(keep), numbers.filter(keep).to_list(), encoding,
                     sheet, notes, {i: m.filter(keep) for i, m in numeric.items() if i < width})
    _check_limits(table, lim)
    return table


def _check_limits(table: RawTable, lim: Limits) -> None:
    if table.height > lim.rows:
        raise refuse(table.file_name, f"共 {table.height} 行，超过 {lim.rows} 行的上限（ZHIDA_IMPORT_MAX_ROWS），请拆分后导入")
    if table.height == 0:
        return
    longest = table.data.select(pl.all().str.len_chars().max()).row(0)
    for i, n in enumerate(longest):
        if n is not None and n > lim.cell_chars:
            row = table.row_numbers[table.column(i).str.len_chars().arg_max() or 0]
            raise refuse(table.file_name, f"第 {row} 行第 {i + 1} 列有 {n} 个字符，超过 {lim.cell_chars} 的上限", row)


# ------------------------------------------------------------------ workbooks

def _pick_sheet(names: list[str], visible: list[bool], wanted: str | None, file_name: str) -> int:
    if wanted is not None:
        if wanted not in names:
            raise refuse(file_name, f"没有名为「{wanted}」的工作表：现有 {'、'.join(names)}")
        return names.index(wanted)
    shown = [i for i, v in enumerate(visible) if v]
    if not shown:
        raise refuse(file_name, "工作簿里没有可见的工作表")
    return shown[0]


def _sheet_table(file_name: str, rows: list[tuple[int, list]], spec, lim: Limits, kind: str, sheet: str,
                 names: list[str]) -> RawTable:
    found = lay.find_layout([r for _, r in rows[:lay.SEARCH_ROWS * 2]], [n for n, _ in rows], spec)
    if found is None:
        raise refuse(file_name, f"工作表「{sheet}」是空的：没有表头，也没有数据")
    data = rows[found.data_index:]
    width = max(len(found.headers), 1)
    cols = {f"c{i}": [r[i] if i < len(r) else None for _, r in data] for i in range(width)}
    numeric = {i: pl.Series([isinstance(v, NumberText) for v in cols[f"c{i}"]], dtype=pl.Boolean)
               for i in range(width) if any(isinstance(v, NumberText) for v in cols[f"c{i}"])}
    frame = pl.DataFrame({k: [None if v is None else str(v) for v in vs] for k, vs in cols.items()},
                         schema={k: pl.Utf8 for k in cols})
    numbers = pl.Series([n for n, _ in data], dtype=pl.Int64)
    table = _table(file_name, found, frame, numbers, numeric, kind, lim, rows[found.header_index][0], sheet)
    if len(names) > 1:
        table.notes.insert(0, f"读取的是工作表「{sheet}」（共 {len(names)} 个工作表：{'、'.join(names)}）")
    return table


def read_xlsx(path: Path, spec: HeaderSpec | None, sheet: str | None, lim: Limits) -> RawTable:
    try:
        book = Workbook(path, lim)
        names = [s.name for s in book.sheets]
        info = book.sheets[_pick_sheet(names, [s.visible for s in book.sheets], sheet, path.name)]
        rows = book.rows(info)
    except SheetError as exc:
        raise refuse(path.name, str(exc)) from None
    except ImportRefused:
        raise
    except Exception as exc:
        raise refuse(path.name, f"无法读取 Excel 文件（{type(exc).__name__}）：{UNREADABLE_HINT}") from None
    return _sheet_table(path.name, rows, spec, lim, "xlsx", info.name, names)


def read_calamine(path: Path, spec: HeaderSpec | None, sheet: str | None, lim: Limits) -> RawTable:
    """Legacy .xls (BIFF) and .ods, through python-calamine."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        meta = book.sheets_metadata
        names = [m.name for m in meta]
        index = _pick_sheet(names, [m.visible == SheetVisibleEnum.Visible for m in meta], sheet, path.name)
        ws = book.get_sheet_by_index(index)
        if ws.height > lim.rows or ws.width > lim.columns:
            raise refuse(path.name, f"工作表「{names[index]}」有 {ws.height} 行 {ws.width} 列，超过上限"
                                    f"（{lim.rows} 行、{lim.columns} 列）：请删除多余的行列后重试")
        raw = ws.to_python(skip_empty_area=False)
    except ImportRefused:
        raise
    except Exception as exc:
        raise refuse(path.name, f"无法读取 Excel 文件（{type(exc).__name__}）：{UNREADABLE_HINT}") from None
    rows: list[tuple[int, list[str | None]]] = []
    for n, r in enumerate(raw, start=1):
        cells = [_calamine_cell(v) for v in r]
        if any(c is not None for c in cells):
            rows.append((n, cells))
    for n, line in rows:
        for i, c in enumerate(line):
            if c is not None and len(c) > lim.cell_chars:
                raise refuse(path.name, f"单元格 {column_letters(i)}{n} 有 {len(c)} 个字符，超过 {lim.cell_chars} 的上限", n)
    return _sheet_table(path.name, rows, spec, lim, path.suffix.lower().lstrip("."), names[index], names)


def _calamine_cell(value) -> str | None:
    import datetime as dt

    from zhida.imports.cells import excel_number_text

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return NumberText(excel_number_text(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip(SPACES) else None


def read_table(path: str | Path, spec: HeaderSpec | None = None, sheet: str | None = None,
               lim: Limits | None = None) -> RawTable:
    """Read ``path`` (CSV, XLSX, XLSM, XLS or ODS, decided by content, then by extension).

    ``spec``: the headers the caller accepts (finds the header row); ``sheet``: a sheet name.
    Raises ``ImportRefused`` with a Chinese message for any file it cannot read.
    """
    path = Path(path)
    lim = lim or limits()
    if not path.exists():
        raise refuse(path.name, f"文件不存在：{path}")
    if not path.is_file():
        raise refuse(path.name, f"不是文件：{path}（是文件夹或设备）")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(path.name, f"无法读取文件：{exc.strerror or exc}") from None
    if not data.strip():
        raise refuse(path.name, "文件是空的：没有表头，也没有数据")
    suffix = path.suffix.lower()
    if data.startswith(XLSX_MAGIC):
        if suffix == ".ods":
            return read_calamine(path, spec, sheet, lim)
        return read_xlsx(path, spec, sheet, lim)
    if data.startswith(OLE_MAGIC):
        return read_calamine(path, spec, sheet, lim)
    if suffix in SHEET_SUFFIXES:
        raise refuse(path.name, f"扩展名是 {suffix}，但内容不是 Excel 文件")
    if suffix not in (".csv", ".txt", ""):
        raise refuse(path.name, f"不支持的文件类型 {suffix}：请上传 .csv、.xlsx 或 .xls 文件")
    return read_csv(path, data, spec, lim)
