"""Imports of the registry kinds on SQLite and PostgreSQL: good files land whole, bad ones not at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tests.imports.helpers import ENT_HEADERS, UI_HEADERS, code, ent_row, ui_row, write_csv, write_xlsx
from zhida.db import session_scope
from zhida.errors import ImportRefused
from zhida.imports.engine import Progress, run_import
from zhida.registry.models import CreditEntry, IndustrialOutput, UiPayment, Unit


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def refused(kind, path, engine, **kw) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        run_import(kind, path, engine=engine, **kw)
    return info.value


def load_units(engine, tmp_path, n=3):
    return run_import("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(i) for i in range(1, n + 1)]),
                      engine=engine)


def test_good_file_lands_whole_and_twice_changes_nothing(engine, tmp_path):
    first = load_units(engine, tmp_path)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    again = load_units(engine, tmp_path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed = write_csv(tmp_path / "e2.csv", ENT_HEADERS,
                        [ent_row(1, 从业人员="51"), ent_row(2), ent_row(4)])
    r = run_import("enterprises", changed, engine=engine)
    assert (r.inserted, r.updated, r.unchanged) == (1, 1, 1)
    with session_scope(engine) as s:
        u = s.get(Unit, code(1))
        assert u.employees == 51 and u.revenue_wan == Decimal("1200.5")
        assert u.size_class == "小型" and u.size_source == "computed"
        assert u.industry_section == "C" and u.size_row == "industry"
    assert count(engine, Unit) == 4


def test_recorded_size_wins_over_computed(engine, tmp_path):
    f = write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1, 企业规模="大型"), ent_row(2, 行业代码="", 企业规模="")])
    run_import("enterprises", f, engine=engine)
    with session_scope(engine) as s:
        assert (s.get(Unit, code(1)).size_class, s.get(Unit, code(1)).size_source) == ("大型", "recorded")
        assert s.get(Unit, code(2)).size_class is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_detected_from_bytes(engine, tmp_path, encoding):
    f = write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1, 单位名称="茌平区鑫盛铝业有限公司")], encoding)
    r = run_import("enterprises", f, engine=engine)
    assert r.inserted == 1
    with session_scope(engine) as s:
        assert s.get(Unit, code(1)).name == "茌平区鑫盛铝业有限公司"


def test_xlsx_header_on_row_3_counts_rows_as_excel_does(engine, tmp_path):
    f = write_xlsx(tmp_path / "e.xlsx", ENT_HEADERS, [ent_row(1), ent_row(2, 从业人员="很多")], start_row=3)
    err = refused("enterprises", f, engine)
    assert [(e.row, e.column, e.value) for e in err.errors] == [(5, "从业人员", "很多")]
    assert "整数" in err.errors[0].expected
    ok = write_xlsx(tmp_path / "ok.xlsx", ENT_HEADERS, [ent_row(1), ent_row(2)], start_row=3)
    assert run_import("enterprises", ok, engine=engine).inserted == 2


def test_wrong_check_character_names_the_expected_one(engine, tmp_path):
    good = code(1)
    wrong = good[:17] + ("A" if good[17] != "A" else "B")
    err = refused("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1, 统一社会信用代码=wrong)]), engine)
    e = err.errors[0]
    assert (e.file, e.row, e.column, e.value) == ("e.csv", 2, "统一社会信用代码", wrong)
    assert f"应为 {good[17]}" in e.expected
    assert count(engine, Unit) == 0


@pytest.mark.parametrize("value, fragment", [
    ("91371503000000001", "18 位"),
    ("9137150300000000190", "18 位"),
    ("91371503I00000001X", "I"),
    ("91371503O0000000Z1", "O"),
    ("9137150300000S0019", "S"),
])
def test_bad_uscc_shapes(engine, tmp_path, value, fragment):
    err = refused("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1, 统一社会信用代码=value)]), engine)
    assert fragment in err.errors[0].expected and err.errors[0].value == value


def test_lower_case_code_is_upper_cased(engine, tmp_path):
    lower = code(2).lower()
    run_import("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(2, 统一社会信用代码=lower)]), engine=engine)
    with session_scope(engine) as s:
        assert s.get(Unit, code(2)) is not None


def test_duplicate_keys_in_one_file(engine, tmp_path):
    err = refused("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1), ent_row(2), ent_row(1)]), engine)
    assert [(e.row, e.column) for e in err.errors] == [(4, "统一社会信用代码")]
    assert "与第 2 行重复" in err.errors[0].expected


def test_unknown_and_missing_headers(engine, tmp_path):
    headers = [h for h in ENT_HEADERS if h != "单位名称"] + ["备注"]
    rows = [[r for h, r in zip(ENT_HEADERS, ent_row(1), strict=False) if h != "单位名称"] + ["x"]]
    err = refused("enterprises", write_csv(tmp_path / "e.csv", headers, rows), engine)
    problems = {(e.row, e.column): e.expected for e in err.errors}
    assert "未知的列" in problems[(1, "备注")]
    assert problems[(1, "单位名称")] == "缺少必填列"
    with pytest.raises(ImportRefused):  # the unknown column ignored, the missing one still refused
        run_import("enterprises", tmp_path / "e.csv", engine=engine, ignore_unknown=True)


@pytest.mark.parametrize("column, value, fragment", [
    ("单位实缴(元)", "十二万", "不能含文字"),
    ("个人实缴(元)", "-1", "不能为负数"),
    ("单位实缴(元)", "100.123", "最多 2 位小数"),
    ("缴费月数", "13", "0–12"),
    ("缴费月数", "-1", "0–12"),
    ("年末参保人数", "9.5", "整数"),
    ("年度", "", "必填"),
])
def test_bad_cells_of_ui_payments(engine, tmp_path, column, value, fragment):
    load_units(engine, tmp_path)
    f = write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1), ui_row(2, **{column: value})])
    err = refused("ui-payments", f, engine)
    assert [(e.row, e.column) for e in err.errors] == [(3, column)]
    assert fragment in err.errors[0].expected
    assert count(engine, UiPayment) == 0  # the good row was not written either


def test_money_edges_accepted(engine, tmp_path):
    load_units(engine, tmp_path)
    f = write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1, **{"单位实缴(元)": "1,234.50", "缴费月数": "0"}),
                                                     ui_row(2, **{"个人实缴(元)": "0.01", "缴费月数": "12"})])
    run_import("ui-payments", f, engine=engine)
    with session_scope(engine) as s:
        assert s.get(UiPayment, (code(1), 2024)).employer_paid_fen == 123450
        assert s.get(UiPayment, (code(2), 2024)).employee_paid_fen == 1
        assert s.get(UiPayment, (code(2), 2024)).insured_avg == Decimal("99.50")


def test_payment_row_for_unregistered_unit(engine, tmp_path):
    load_units(engine, tmp_path, n=1)
    err = refused("ui-payments", write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1), ui_row(9)]), engine)
    assert [(e.row, e.value) for e in err.errors] == [(3, code(9))]
    assert "未登记" in err.errors[0].expected


def test_backpay_larger_than_paid_is_refused(engine, tmp_path):
    load_units(engine, tmp_path, n=1)
    f = write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1, **{"补缴历年欠费及滞纳金(元)": "160000.01"})])
    assert "不能大于" in refused("ui-payments", f, engine).errors[0].expected
    ok = write_csv(tmp_path / "ok.csv", UI_HEADERS, [ui_row(1, **{"补缴历年欠费及滞纳金(元)": "160000.00"})])
    assert run_import("ui-payments", ok, engine=engine).inserted == 1


def test_corrected_file_imports_after_failed_one(engine, tmp_path):
    load_units(engine, tmp_path)
    bad = write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1), ui_row(2, 缴费月数="十二")])
    refused("ui-payments", bad, engine)
    good = write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1), ui_row(2)])
    assert run_import("ui-payments", good, engine=engine).inserted == 2


@pytest.mark.parametrize("content, name, fragment", [
    (b"", "empty.csv", "空"),
    (b"   \n\n", "blank.csv", "空"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.png", ".png"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", ".xls"),
    (b"not a zip at all", "fake.xlsx", "不是 Excel"),
    (b"%PDF-1.4 \x00\x01", "doc.csv", "二进制"),
])
def test_files_that_are_not_tables(engine, tmp_path, content, name, fragment):
    f = tmp_path / name
    f.write_bytes(content)
    err = refused("enterprises", f, engine)
    assert fragment in err.message and err.errors[0].file == name


def test_header_only_file(engine, tmp_path):
    err = refused("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, []), engine)
    assert "没有数据行" in err.errors[0].expected


CREDIT = ["统一社会信用代码", "名单类型", "列入日期", "移出日期"]


def test_credit_dates_in_every_accepted_form(engine, tmp_path):
    f = write_csv(tmp_path / "c.csv", CREDIT, [
        [code(1), "失信被执行人", "2024-03-05", ""],
        [code(2), "僵尸企业", "2024/3/5", "45500"],  # Excel serial date for 2024-07-27
    ], "gbk")
    run_import("credit-list", f, engine=engine)
    with session_scope(engine) as s:
        rows = {r.uscc: r for r in s.scalars(select(CreditEntry))}
    assert rows[code(1)].listed_on == dt.date(2024, 3, 5) and rows[code(1)].removed_on is None
    assert rows[code(2)].listed_on == dt.date(2024, 3, 5) and rows[code(2)].removed_on == dt.date(2024, 7, 27)


def test_credit_dates_from_excel_cells(engine, tmp_path):
    f = write_xlsx(tmp_path / "c.xlsx", CREDIT, [[code(1), "失信被执行人", dt.date(2025, 1, 2), 45700]])
    run_import("credit-list", f, engine=engine)
    with session_scope(engine) as s:
        row = s.scalars(select(CreditEntry)).one()
    assert row.listed_on == dt.date(2025, 1, 2) and row.removed_on == dt.date(2025, 2, 12)


@pytest.mark.parametrize("value, fragment", [("2024-02-30", "不存在"), ("昨天", "应为日期"), ("123", "应为日期")])
def test_bad_dates(engine, tmp_path, value, fragment):
    err = refused("credit-list", write_csv(tmp_path / "c.csv", CREDIT, [[code(1), "僵尸企业", value, ""]]), engine)
    assert fragment in err.errors[0].expected and err.errors[0].column == "列入日期"


def test_removed_before_listed(engine, tmp_path):
    err = refused("credit-list", write_csv(tmp_path / "c.csv", CREDIT, [[code(1), "僵尸企业", "2024-05-01", "2024-04-30"]]),
                  engine)
    assert "不能早于" in err.errors[0].expected


def test_industrial_output(engine, tmp_path):
    load_units(engine, tmp_path)
    headers = ["统一社会信用代码", "年度", "季度", "工业总产值(万元)", "上年同期工业总产值(万元)", "规上"]
    f = write_csv(tmp_path / "o.csv", headers, [[code(1), "2026", "1", "60000.5", "", "是"],
                                                [code(2), "2026", "1", "100", "90", ""]])
    run_import("industrial-output", f, engine=engine)
    with session_scope(engine) as s:
        a, b = s.get(IndustrialOutput, (code(1), 2026, 1)), s.get(IndustrialOutput, (code(2), 2026, 1))
    assert (a.output_wan, a.prior_output_wan, a.above_scale) == (Decimal("60000.5"), None, True)
    assert (b.prior_output_wan, b.above_scale) == (Decimal("90"), None)
    bad = write_csv(tmp_path / "o2.csv", headers, [[code(1), "2026", "5", "1", "", "也许"]])
    assert {e.column for e in refused("industrial-output", bad, engine).errors} == {"季度", "规上"}


def test_dry_run_writes_nothing(engine, tmp_path):
    r = run_import("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1)]), engine=engine, dry_run=True)
    assert r.inserted == 1 and r.dry_run
    assert count(engine, Unit) == 0


def test_errors_out_report(engine, tmp_path):
    f = write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1, 从业人员="x"), ent_row(2, 联系电话="12345")])
    refused("enterprises", f, engine, errors_out=tmp_path / "errors.xlsx")
    ws = load_workbook(tmp_path / "errors.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("文件", "行号", "列", "值", "问题")
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [(2, "从业人员", "x"), (3, "联系电话", "12345")]


def test_progress_callbacks_report_the_work(engine, tmp_path):
    seen = {"steps": [], "total": None, "done": 0}
    progress = Progress(step=seen["steps"].append, start_writing=lambda n: seen.update(total=n),
                        advance=lambda n: seen.update(done=seen["done"] + n))
    run_import("enterprises", write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(i) for i in range(1, 8)]),
               engine=engine, progress=progress)
    assert seen["total"] == 7 and seen["done"] == 7 and "校验单元格" in seen["steps"]


def test_large_file_path_compares_exactly(engine, tmp_path, monkeypatch):
    """Above the full-scan threshold stored rows are read in bulk (COPY on PostgreSQL)."""
    from zhida.imports import writer

    monkeypatch.setattr(writer, "FULL_SCAN_ABOVE", 0)
    load_units(engine, tmp_path)
    headers = ["统一社会信用代码", "年度", "季度", "工业总产值(万元)", "上年同期工业总产值(万元)", "规上"]
    files = {
        "ui-payments": write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1), ui_row(2, 月均参保人数="7.25")]),
        "credit-list": write_csv(tmp_path / "c.csv", CREDIT, [[code(1), "僵尸企业", "2024-05-01", "2024-06-01"],
                                                          [code(2), "失信被执行人", "2024-05-01", ""]]),
        "industrial-output": write_csv(tmp_path / "o.csv", headers, [[code(1), "2026", "1", "60000.5", "", "是"],
                                                                     [code(2), "2026", "1", "0.0001", "90", "否"]]),
    }
    for kind, path in files.items():
        assert run_import(kind, path, engine=engine).inserted == 2
        again = run_import(kind, path, engine=engine)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2), kind
    assert load_units(engine, tmp_path).unchanged == 3
    changed = write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1), ui_row(2, 月均参保人数="7.26")])
    assert run_import("ui-payments", changed, engine=engine).updated == 1


def test_accepted_import_is_audited_refused_is_not(engine, tmp_path):
    from zhida.platform.audit import entries, verify

    load_units(engine, tmp_path)
    refused("enterprises", write_csv(tmp_path / "bad.csv", ENT_HEADERS, [ent_row(1, 从业人员="x")]), engine)
    with session_scope(engine) as s:
        rows = [e for e in entries(s) if e.entity == "import"]
        assert len(rows) == 1 and rows[0].action == "数据导入"
        assert '"inserted":3' in rows[0].after and verify(s).ok


class Local(DeclarativeBase):
    pass


class Thing(Local):
    __tablename__ = "things_t"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    qty: Mapped[int]


def test_update_by_a_key_that_is_not_the_primary_key(engine):
    """A kind keyed on other columns than the table's primary key updates in place."""
    import polars as pl
    import sqlalchemy as sa

    from zhida.imports import writer
    from zhida.imports.fields import Int, Text
    from zhida.imports.spec import Column, ImportKind

    Local.metadata.create_all(engine)
    kind = ImportKind("things", "测试", [Column("代码", "code", Text(), required=True),
                                          Column("数量", "qty", Int(), required=True)], key=["code"], model=Thing)
    with session_scope(engine) as s:
        s.add_all([Thing(code="a", qty=1), Thing(code="b", qty=1)])
    frame = pl.DataFrame({"code": ["a", "b"], "qty": [1, 2]})
    with session_scope(engine) as s:
        counts = writer.apply(s, kind, frame, ["code", "qty"])
    assert (counts.updated, counts.unchanged) == (1, 1)
    with engine.connect() as c:
        assert dict(c.execute(sa.select(Thing.code, Thing.qty)).all()) == {"a": 1, "b": 2}


def test_file_with_fewer_columns_keeps_the_rest(engine, tmp_path):
    """Columns a file leaves out keep their stored values; derived ones are not wiped."""
    f = write_csv(tmp_path / "e.csv", ENT_HEADERS, [ent_row(1, 企业规模="中型"), ent_row(2)])
    run_import("enterprises", f, engine=engine)
    partial = write_csv(tmp_path / "p.csv", ["统一社会信用代码", "单位名称", "联系电话"],
                        [[code(1), "新名称有限公司", "13900139000"], [code(2), "聊城市茌平区测试2有限公司", "13800138000"]])
    r = run_import("enterprises", partial, engine=engine)
    assert (r.inserted, r.updated, r.unchanged) == (0, 1, 1)
    with session_scope(engine) as s:
        u1, u2 = s.get(Unit, code(1)), s.get(Unit, code(2))
        assert (u1.name, u1.phone, u1.employees) == ("新名称有限公司", "13900139000", 50)
        assert (u1.size_class, u1.size_source, u1.industry_section, u1.size_row) == ("中型", "recorded", "C", "industry")
        assert (u2.size_class, u2.size_source, u2.unit_type) == ("小型", "computed", "企业")
    # a file with 行业代码 but no 企业规模 keeps the recorded size
    again = write_csv(tmp_path / "q.csv", ["统一社会信用代码", "单位名称", "行业代码"],
                      [[code(1), "新名称有限公司", "C3311"]])
    run_import("enterprises", again, engine=engine)
    with session_scope(engine) as s:
        assert s.get(Unit, code(1)).size_source == "recorded"


def test_update_leaving_out_optional_columns(engine, tmp_path):
    load_units(engine, tmp_path)
    run_import("ui-payments", write_csv(tmp_path / "ui.csv", UI_HEADERS, [ui_row(1, **{"欠费金额(元)": "5"})]), engine=engine)
    headers = [h for h in UI_HEADERS if h not in ("补缴历年欠费及滞纳金(元)", "欠费金额(元)")]
    row = [v for h, v in zip(UI_HEADERS, ui_row(1, 缴费月数="11"), strict=False) if h in headers]
    r = run_import("ui-payments", write_csv(tmp_path / "ui2.csv", headers, [row]), engine=engine)
    assert (r.updated, r.inserted) == (1, 0)
    with session_scope(engine) as s:
        p = s.get(UiPayment, (code(1), 2024))
        assert (p.months_paid, p.arrears_fen, p.backpay_fen) == (11, 500, 0)


def test_numbers_too_big_for_exact_storage(engine, tmp_path):
    load_units(engine, tmp_path)
    err = refused("ui-payments", write_csv(tmp_path / "ui.csv", UI_HEADERS,
                                           [ui_row(1, **{"单位实缴(元)": "12345678901234.5"})]), engine)
    assert "过大" in err.errors[0].expected and err.errors[0].column == "单位实缴(元)"
    ok = write_csv(tmp_path / "ok.csv", UI_HEADERS, [ui_row(1, **{"单位实缴(元)": ".5", "月均参保人数": "0099.50"})])
    run_import("ui-payments", ok, engine=engine)
    with session_scope(engine) as s:
        assert s.get(UiPayment, (code(1), 2024)).employer_paid_fen == 50


def test_row_with_more_cells_than_the_header(engine, tmp_path):
    f = tmp_path / "e.csv"
    lines = [",".join(ENT_HEADERS), ",".join(ent_row(1)), ",".join(ent_row(2, 单位名称="聊城市茌平区甲,乙有限公司"))]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refused("enterprises", f, engine)
    assert [e.row for e in err.errors] == [3] and "双引号" in err.errors[0].expected
    assert count(engine, Unit) == 0
    quoted = write_csv(tmp_path / "q.csv", ENT_HEADERS, [ent_row(2, 单位名称="聊城市茌平区甲,乙有限公司")])
    run_import("enterprises", quoted, engine=engine)
    with session_scope(engine) as s:
        assert s.get(Unit, code(2)).name == "聊城市茌平区甲,乙有限公司"


def test_row_with_fewer_cells_takes_empty_cells(engine, tmp_path):
    f = tmp_path / "e.csv"
    short = ent_row(1)[:2]
    f.write_text(",".join(ENT_HEADERS) + "\n" + ",".join(short) + "\n", encoding="utf-8")
    assert run_import("enterprises", f, engine=engine).inserted == 1
