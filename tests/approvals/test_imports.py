"""The catalogue imports from a spreadsheet through the shared import machinery."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from zhida.approvals.imports import COLUMNS
from zhida.approvals.models import Matter
from zhida.errors import ImportRefused
from zhida.imports.engine import run_import


def _file(tmp_path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS[:8]] + ["收费（元）"])
    for r in rows:
        ws.append(r)
    path = tmp_path / "事项.xlsx"
    wb.save(path)
    return path


ROW = ["GH-XZ", "建设项目用地预审与选址意见书", 20, 12, "TDKS；LYJ", "受理；审查；决定", "申请表；项目建议书", "用地图", "0"]


def test_import_matters_and_refuse_promised_above_legal(session, engine, tmp_path):
    res = run_import("approval-matters", _file(tmp_path, [ROW]), engine=engine)
    assert res.inserted == 1
    with Session(engine) as s:
        m = s.get(Matter, "GH-XZ")
        assert (m.legal_days, m.promised_days, m.departments, m.active, m.fee_fen) == (20, 12, "TDKS；LYJ", True, 0)
    bad = [*ROW[:2], 20, 21, *ROW[4:]]
    with pytest.raises(ImportRefused) as err:
        run_import("approval-matters", _file(tmp_path, [bad]), engine=engine)
    text = "\n".join(e.message() for e in err.value.errors)
    assert "第 2 行" in text and "承诺时限 21 个工作日超过法定时限 20" in text
