"""Where the table is in a sheet (表头识别): title rows, a two-row header, 序号 and 合计.

Headers are compared by ``header_key``: full-width and half-width forms alike, no spaces, no
line breaks (Alt+Enter), no NBSP, case ignored.

>>> header_key("单位实缴（元）") == header_key("单位实缴(元)") == header_key("单位\\n实缴 (元)")
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from zhida.imports.cells import SPACES

IGNORED_HEADERS = frozenset({"序号", "行号"})
NOTE_PREFIX = "说明："  # cells of the notes row of a template; such a row is not data
SEARCH_ROWS = 30  # the header is looked for in this many non-blank rows at the top
_DROP = str.maketrans("", "", SPACES + "\n\r")


def header_key(text: str | None) -> str:
    """The comparable form of a header (or of a cell that might be one)."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", str(text)).translate(_DROP).lower()


@dataclass(frozen=True)
class HeaderSpec:
    """The headers a kind accepts (every alias included), by ``header_key``."""

    keys: frozenset[str]
    minimum: int = 2  # cells of a row that must be known headers for it to be the header

    @classmethod
    def of(cls, headers: Iterable[str]) -> HeaderSpec:
        keys = frozenset(header_key(h) for h in headers) - {""}
        return cls(keys, min(2, len(keys)))

    def score(self, row: Sequence[str | None]) -> int:
        return len({header_key(c) for c in row} & self.keys)


@dataclass
class Layout:
    header_index: int  # index (in the rows given) of the header row
    headers: list[str]
    data_index: int  # index of the first row below the header
    notes: list[str] = field(default_factory=list)


def is_blank(cell: str | None) -> bool:
    return cell is None or str(cell).strip(SPACES + "\n\r") == ""


def find_layout(rows: Sequence[Sequence[str | None]], numbers: list[int], spec: HeaderSpec | None) -> Layout | None:
    """Find the header among the top rows (``numbers`` are their Excel row numbers)."""
    filled = [i for i, r in enumerate(rows) if not all(is_blank(c) for c in r)]
    if not filled:
        return None
    header = filled[0]
    if spec is not None and spec.keys:
        header = next((i for i in filled[:SEARCH_ROWS] if spec.score(rows[i]) >= spec.minimum), filled[0])
    headers = [("" if is_blank(c) else str(c).strip(SPACES)) for c in rows[header]]
    notes = []
    if header != filled[0]:
        title = next(str(c).strip() for c in rows[filled[0]] if not is_blank(c))
        notes.append(f"表头在第 {numbers[header]} 行（上方的标题「{title[:30]}」等 "
                     f"{sum(1 for i in filled if i < header)} 行已跳过）")
    layout = Layout(header, headers, header + 1, notes)
    if spec is not None and header + 1 < len(rows):
        _merge_second_row(layout, rows[header + 1], numbers[header], spec)
    while layout.headers and layout.headers[-1] == "":
        layout.headers.pop()
    return layout


def _merge_second_row(layout: Layout, below: Sequence[str | None], number: int, spec: HeaderSpec) -> None:
    """A two-row header (group cells merged over sub-headers) becomes one header row."""
    top_keys = {header_key(h) for h in layout.headers}
    new = {header_key(c) for c in below} & spec.keys - top_keys
    if not new:
        return
    width = max(len(layout.headers), len(below))
    top = layout.headers + [""] * (width - len(layout.headers))
    merged = [(str(b).strip(SPACES) if not is_blank(b) else t) for t, b in zip(top, list(below) + [None] * width, strict=False)]
    layout.headers = merged
    layout.data_index += 1
    layout.notes.append(f"第 {number}–{number + 1} 行是两行表头（合并单元格），已按下一行的小标题合并")
