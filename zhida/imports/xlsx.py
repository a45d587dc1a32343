"""Read one sheet of an XLSX/XLSM workbook cell by cell, keeping only cells that hold something.

The sheet's declared dimension is never allocated: a stray space typed at GR1048576 costs one
skipped cell, not 200 million. Limits (rows, columns, cell length, decompressed size) are
checked while streaming, so a file past them is refused before it takes memory.

Cells come back as text (``cells.excel_number_text`` for numbers, ``YYYY-MM-DD`` for dates);
a cell that was an Excel number is a ``NumberText`` so the code columns can refuse numbers
that lost digits.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

from zhida.imports.cells import SPACES, excel_number_text

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)  # workbooks saved with the 1904 date system (old Mac Excel)
# built-in number formats that show dates (incl. the zh-CN ones 27–36 and 50–58)
DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, *range(27, 37), *range(50, 59)}


class NumberText(str):
    """Text of a cell that was an Excel number (not text) in the file."""


class SheetError(ValueError):
    """A workbook that cannot be read, or one past a limit; the message is Chinese."""


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cell_chars: int
    unpacked_bytes: int


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool
    part: str  # path of the sheet's XML inside the zip


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def column_letters(index: int) -> str:
    """0 → A, 199 → GR."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", ref or "")
    if not m:
        raise SheetError(f"单元格地址 {ref} 无法识别")
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col - 1


class Workbook:
    """An open XLSX zip with its sheets, shared strings and date styles."""

    def __init__(self, path, limits: Limits):
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SheetError(f"不是有效的 Excel 文件（{exc}）") from None
        self._unpacked = 0
        self.epoch = EXCEL_EPOCH
        self.sheets = self._sheets()
        self._strings: list[str] | None = None
        self._dates: set[int] | None = None

    def _open(self, name: str):
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        self._unpacked += info.file_size
        if self._unpacked > self.limits.unpacked_bytes:
            mb = self.limits.unpacked_bytes // 1024 // 1024
            raise SheetError(f"文件解压后超过 {mb} MB 的上限（ZHIDA_IMPORT_MAX_UNPACKED_MB），请拆分后导入")
        return self.zip.open(info)

    def _parse(self, name: str):
        handle = self._open(name)
        if handle is None:
            return iter(())
        return iterparse(handle, events=("end",))

    def _sheets(self) -> list[SheetInfo]:
        rels = {}
        for _, el in self._parse("xl/_rels/workbook.xml.rels"):
            if _local(el.tag) == "Relationship":
                target = el.get("Target", "")
                rels[el.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
        sheets = []
        for _, el in self._parse("xl/workbook.xml"):
            if _local(el.tag) == "workbookPr" and el.get("date1904", "").lower() in ("1", "true"):
                self.epoch = EPOCH_1904
            if _local(el.tag) == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                if rid in rels:
                    sheets.append(SheetInfo(el.get("name", ""), el.get("state", "visible") == "visible", rels[rid]))
        if not sheets:
            raise SheetError("工作簿里没有工作表")
        return sheets

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            for _, el in self._parse("xl/sharedStrings.xml"):
                if _local(el.tag) == "si":
                    self._strings.append("".join(t.text or "" for t in el.iter() if _local(t.tag) == "t"
                                                 and not _in_phonetic(el, t)))
                    el.clear()
        return self._strings

    def date_styles(self) -> set[int]:
        if self._dates is None:
            custom, xfs = {}, []
            for _, el in self._parse("xl/styles.xml"):
                tag = _local(el.tag)
                if tag == "numFmt":
                    custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
                elif tag == "xf":
                    xfs.append(int(el.get("numFmtId", "0") or 0))
                elif tag == "cellStyleXfs":
                    xfs.clear()
            self._dates = {i for i, fmt in enumerate(xfs) if fmt in DATE_FORMATS or _is_date_code(custom.get(fmt))}
        return self._dates

    def rows(self, sheet: SheetInfo) -> list[tuple[int, list[str | None]]]:
        """(Excel row number, cells) of every row that holds a non-blank cell, in order."""
        strings, dates, lim = self.strings(), self.date_styles(), self.limits
        handle = self._open(sheet.part)
        if handle is None:
            raise SheetError(f"工作表「{sheet.name}」的内容缺失：文件已损坏")
        out: list[tuple[int, list[str | None]]] = []
        current: dict[int, str] = {}
        row_no, next_col, parent = 0, 0, None
        for event, el in iterparse(handle, events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if tag == "row":
                    row_no = int(el.get("r") or row_no + 1)
                    next_col = 0
                elif tag == "sheetData":
                    parent = el
                continue
            if tag == "c":
                ref = el.get("r")
                col = _ref(ref)[1] if ref else next_col
                next_col = col + 1
                value = _cell_value(el, strings, dates, self.epoch)
                el.clear()
                if value is not None and value.strip(SPACES) != "":
                    _check_cell(lim, row_no, col, value)
                    current[col] = value
            elif tag == "row":
                if current:
                    out.append((row_no, _dense(current)))
                    if len(out) > lim.rows:
                        raise SheetError(f"超过 {lim.rows} 行的上限（ZHIDA_IMPORT_MAX_ROWS），请拆分后导入")
                current = {}
                if parent is not None:
                    parent.clear()
        return out


def _check_cell(lim: Limits, row: int, col: int, value: str) -> None:
    if col >= lim.columns:
        raise SheetError(f"单元格 {column_letters(col)}{row} 超出 {lim.columns} 列的上限"
                         "（ZHIDA_IMPORT_MAX_COLUMNS）：请删除多余的列")
    if len(value) > lim.cell_chars:
        raise SheetError(f"单元格 {column_letters(col)}{row} 有 {len(value)} 个字符，超过 {lim.cell_chars} 的上限")


def _in_phonetic(si, t) -> bool:
    return any(_local(child.tag) == "rPh" and any(x is t for x in child.iter()) for child in si)


def _is_date_code(code: str | None) -> bool:
    if not code:
        return False
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return bool(re.search(r"[ymd]", bare)) and "general" not in bare


def _dense(cells: dict[int, str]) -> list[str | None]:
    row: list[str | None] = [None] * (max(cells) + 1)
    for i, v in cells.items():
        row[i] = v
    return row


def _cell_value(el, strings: list[str], dates: set[int], epoch: dt.datetime) -> str | None:
    kind = el.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in el.iter() if _local(t.tag) == "t")
    v = next((c.text for c in el if _local(c.tag) == "v"), None)
    if v is None:
        return None
    if kind == "s":
        try:
            return strings[int(v)]
        except (ValueError, IndexError):
            raise SheetError(f"共享字符串 {v} 不存在：文件已损坏") from None
    if kind in ("str", "e", "d"):
        return v
    if kind == "b":
        return "是" if v.strip() == "1" else "否"
    try:
        number = float(v)
    except ValueError:
        return v
    if int(el.get("s", "0") or 0) in dates and 0 <= number < 2_958_466:
        moment = epoch + dt.timedelta(days=round(number * 86400) / 86400)
        return moment.date().isoformat() if moment.time() == dt.time(0) else moment.isoformat(sep=" ")
    return NumberText(excel_number_text(number))
