"""Results for people and machines: the JSON array of ``--format json`` and an XLSX sheet."""

from __future__ import annotations

from pathlib import Path

from zhida import sheets
from zhida.money import fen_to_yuan
from zhida.rules.evaluate import STATUS_ZH, Evaluation
from zhida.rules.explain import open_reasons
from zhida.rules.reasons import reasons_for

HEADERS = ["统一社会信用代码", "单位名称", "乡镇街道", "企业规模", "结果", "金额(元)", "不符合原因"]


def json_results(ev: Evaluation) -> list[dict]:
    """One object per unit: uscc, name, status, amount (yuan, 2 decimals), reasons."""
    rows = ev.frame.select("uscc", "name", "status", "amount_fen").iter_rows()
    return [{"uscc": u, "name": n, "status": s, "amount": f"{fen_to_yuan(a):.2f}", "reasons": rs}
            for (u, n, s, a), rs in zip(rows, reasons_for(ev), strict=False)]


def write_xlsx(ev: Evaluation, path: str | Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ev.policy.name[:31])
    sheets.append(ws, HEADERS)
    cols = [c if c in ev.frame.columns else None for c in ("uscc", "name", "township", "size_class", "status", "amount_fen")]
    for row, rs in zip(ev.frame.iter_rows(named=True), reasons_for(ev), strict=False):
        open_points = open_reasons(rs)
        values = [row.get(c) if c else None for c in cols]
        values[4] = STATUS_ZH[str(values[4])]
        values[5] = str(fen_to_yuan(int(values[5] or 0)))  # exact text, never a float
        sheets.append(ws, [*values, open_points])
    sheets.save(wb, path)
