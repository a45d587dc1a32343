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
    for cell, col, note in zip(ws[1], kind.columns, notes, strict=False):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFE699" if col.required else "DDEBF7")
        cell.comment = Comment(note, "zhida")
        ws.column_dimensions[cell.column_letter].width = max(14, len(col.header) * 2 + 4)
    notes_ws = wb.create_sheet("填写说明")
    sheets.append(notes_ws, ["列", "说明"])
    for col, note in zip(kind.columns, notes, strict=False):
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


def normalisation_markdown() -> str:
    """The 读取与规范化 section: what is accepted as meant, what is refused (from the code's tables)."""
    from zhida.config import Settings
    from zhida.delivery.bankreturn import FAILURE, SUCCESS
    from zhida.imports.cells import EXAMPLES, LOST_DIGITS, normalise
    from zhida.imports.layout import IGNORED_HEADERS

    d = Settings.model_fields
    shown = {"code": "代码、账号、电话", "number": "数字", "money": "金额", "text": "文本"}
    rows = [f"| {shown[k]} | `{raw!r}` | `{normalise(k, raw)}` |" for k, raw in EXAMPLES]
    return "\n".join([
        "## 读取与规范化（所有导入类型和银行回盘文件通用）", "",
        "**文件**：CSV（UTF-8、带 BOM 的 UTF-8、GBK/GB18030 自动识别；GBK 文件中 CP936 独有的 0x80 读作 €）、"
        ".xlsx、.xlsm、.xls（旧版 Excel）、.ods。工作簿读取第一个可见的工作表（隐藏的工作表跳过），"
        "`--sheet 名称`（网页上为“工作表”一栏）可指定其他工作表；工作簿有多个工作表时，结果中会说明读取的是哪一个。", "",
        "**表头**：取顶部第一行与本类型表头相符的行；其上的标题行、空行跳过，并在结果中说明表头在第几行。"
        "两行表头（上一行为合并的分组单元格，下一行为小标题）自动合并。"
        f"{'、'.join(sorted(IGNORED_HEADERS))} 列忽略。合计、总计、小计行跳过（不计入），并在结果中说明。"
        "表头比较时不区分全角/半角括号，忽略空格、换行（Alt+Enter）和不间断空格；"
        "每列还接受常见的别名（见下表“也接受的表头”），模板中的中文表头始终可用。", "",
        "**单元格**（写入前统一规范化）：", "",
        "| 列的类别 | 原值 | 规范化后 |", "|---|---|---|", *rows, "",
        "- 代码、账号、电话和数字中的全角数字、字母及 ．－，＋ 转为半角；空格、制表符、不间断空格全部去掉；"
        "`=\"…\"` 外壳和开头的 `'` 去掉。文本只去掉首尾空白，全角括号等保持原样。",
        "- 金额去掉 ¥、￥、元 和千分位分隔符（逗号、空格）；逗号不是三位一组时（如 `2831,51`）不猜测，按错误拒绝。",
        "- 日期接受 YYYY-MM-DD、YYYY/M/D、YYYY.M.D、YYYY年M月D日、YYYYMMDD、Excel 日期序号，以及带时间的日期"
        "（时间部分舍去）；只有年月（如 `2025年12月`）拒绝并说明缺少日。",
        "- Excel 数字单元格按 Excel 显示的 15 位有效数字取值后再检查小数位（`48000.23999999999` → `48000.24`）；"
        "整数不带 `.0`。", "",
        "**拒绝**（不猜测，逐格指出行、列、值和改法）：", "",
        f"- 代码、账号、身份证号、电话列中，Excel 数字单元格超过 15 位、CSV 中的科学计数法（如 `9.25634E+18`），"
        f"或账号第 15 位之后有 4 位以上且全是 0（Excel 丢失位数后的样子）：「{LOST_DIGITS}」。不会给出校验位提示。",
        "- 无法识别的字节：指出第几行、第几个字节。",
        f"- 超过上限的文件：行数 {d['import_max_rows'].default:,}（ZHIDA_IMPORT_MAX_ROWS）、"
        f"列数 {d['import_max_columns'].default}（ZHIDA_IMPORT_MAX_COLUMNS）、"
        f"单元格 {d['import_max_cell_chars'].default:,} 个字符（ZHIDA_IMPORT_MAX_CELL_CHARS）、"
        f"解压后 {d['import_max_unpacked_mb'].default:,} MB（ZHIDA_IMPORT_MAX_UNPACKED_MB）。"
        "只读取有内容的单元格，远处一个多余的空格不会让文件变大；网页上传的文件先在限制内存的子进程中读取。", "",
        "**银行回盘文件**：需有 业务参考号、状态 两列（金额、失败原因可选，其他列忽略），上方的标题和汇总行"
        "（如 批量代发交易结果明细、总笔数：5）跳过。状态接受 " + "、".join(SUCCESS) + "（成功）和 "
        + "、".join(FAILURE) + "（失败）。金额可带千分位；与导出金额不符时拒绝并给出两个金额。", ""])


def kind_aliases(kind: ImportKind) -> str:
    lines = [f"- {c.header}：{'、'.join(c.aliases)}" for c in kind.columns if c.aliases]
    return "\n".join(["也接受的表头：", "", *lines, ""]) if lines else ""


def formats_markdown(kinds) -> str:
    head = ["# Import formats", "",
            "Generated from the import kinds (`zhida import formats > docs/import-formats.md`); a test keeps",
            "this file in step with the code. `zhida import template KIND` writes an empty XLSX template;",
            "unknown columns are refused unless `--ignore-unknown` is given.", "",
            normalisation_markdown()]
    return "\n".join(head + [kind_markdown(k) + kind_aliases(k) for k in kinds])
