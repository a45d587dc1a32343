"""Empty import templates: the headers, and a notes row saying what each column takes."""

from __future__ import annotations

from pathlib import Path

from zhida import sheets
from zhida.imports.fields import Enum
from zhida.imports.reader import NOTE_PREFIX
from zhida.imports.spec import ImportKind


def column_note(col) -> str:
    parts = ["必填" if col.required else "选填"]
    if isinstance(col.ftype, Enum):
        parts.append("可选值：" + "、".join(col.ftype.choices))
    else:
        parts.append(col.ftype.expected.removeprefix("应为"))
    if col.default is not None:
        parts.append(f"为空时取 {col.default}")
    if col.note:
        parts.append(col.note)
    return "；".join(parts)


def write_template(kind: ImportKind, path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = kind.title[:31]
    sheets.append(ws, [c.header for c in kind.columns])
    notes = [column_note(c) for c in kind.columns]
    sheets.append(ws, [NOTE_PREFIX + n for n in notes])
    for cell, col, note in zip(ws[1], kind.columns, notes):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFE699" if col.required else "DDEBF7")
        cell.comment = Comment(note, "zhida")
        ws.column_dimensions[cell.column_letter].width = max(14, len(col.header) * 2 + 4)
    notes_ws = wb.create_sheet("填写说明")
    sheets.append(notes_ws, ["列", "说明"])
    for col, note in zip(kind.columns, notes):
        sheets.append(notes_ws, [col.header, note])
    notes_ws.column_dimensions["A"].width = 28
    notes_ws.column_dimensions["B"].width = 80
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in notes_ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
    return sheets.save(wb, path)


def kind_markdown(kind: ImportKind) -> str:
    """The kind's template as a Markdown section (the import-format docs are generated from this)."""
    lines = [f"## {kind.name} — {kind.title}", ""]
    if kind.description:
        lines += [kind.description, ""]
    lines += ["| 表头 | 必填 | 说明 |", "|---|---|---|"]
    for col in kind.columns:
        note = column_note(col).split("；", 1)
        lines.append(f"| {col.header} | {'是' if col.required else '否'} | {note[1] if len(note) > 1 else ''} |")
    keys = "、".join(kind.column(k).header for k in kind.key)
    lines += ["", f"键（重复导入时按此更新）：{keys}", ""]
    return "\n".join(lines)


def formats_markdown(kinds) -> str:
    head = ["# Import formats", "",
            "Generated from the import kinds (`zhida import formats > docs/import-formats.md`); a test keeps",
            "this file in step with the code. Every kind is accepted as `.csv` (UTF-8, UTF-8 with BOM,",
            "GBK/GB18030, detected from the bytes) or `.xlsx` (first sheet, header on the first non-empty",
            "row). Headers match exactly after trimming; unknown columns are refused unless",
            "`--ignore-unknown` is given. `zhida import template KIND` writes an empty XLSX template.", ""]
    return "\n".join(head + [kind_markdown(k) for k in kinds])
