"""Field-shaped example files (tests/imports/data/fieldcases, synthetic): each is imported
correctly, checked cell by cell, or refused naming row, column, value and the fix.

The unit codes are those of ``zhida demo generate --units 300 --seed 1``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.demo.generate import generate
from zhida.errors import ImportRefused
from zhida.imports.cells import LOST_DIGITS
from zhida.imports.engine import run_import
from zhida.registry.models import CreditEntry, UiPayment, Unit

CASES = Path(__file__).parent / "data" / "fieldcases"
A, B, C = "91371503449786904E", "91371503828836078X", "913715034757710441"


@pytest.fixture
def district(engine, tmp_path):
    """The demo district's units (seed 1) in a fresh database."""
    files = generate(tmp_path / "demo", units=300, seed=1)
    run_import("enterprises", files["enterprises"], engine=engine)
    return engine


def payments(engine) -> dict[str, tuple]:
    with session_scope(engine) as s:
        rows = s.scalars(select(UiPayment).where(UiPayment.year == 2025, UiPayment.uscc.in_([A, B, C]))).all()
        return {p.uscc: (p.employer_paid_fen, p.employee_paid_fen, p.months_paid, p.insured_start,
                         p.insured_end, str(p.insured_avg)) for p in rows}


FIRST3 = {A: (283151, 121350, 12, 10, 9, "9.27"), B: (9603237, 4115673, 12, 179, 165, "173.87"),
          C: (183823, 78781, 12, 6, 5, "5.44")}


@pytest.mark.parametrize("name, note", [
    ("c01_title_row.xlsx", "表头在第 2 行"),
    ("c01b_title_row.csv", "表头在第 2 行"),
    ("c02a_xuhao_column.xlsx", None),
    ("c02b_heji_total_row.xlsx", "第 5 行是合计"),
    ("c03_two_row_merged_header.xlsx", "两行表头"),
    ("c13a_fullwidth_paren_headers.csv", None),
])
def test_layouts_are_recognised(district, name, note):
    result = run_import("ui-payments", CASES / name, engine=district)
    assert result.rows == 3 and result.inserted == 3
    assert payments(district) == FIRST3
    if note:
        assert any(note in n for n in result.notes), result.notes
    else:
        assert result.notes == []


@pytest.mark.parametrize("name, expected", [
    ("c04a_fullwidth_digits.csv", {A: FIRST3[A], B: FIRST3[B]}),
    ("c04b_fullwidth_uscc.csv", {A: FIRST3[A]}),
    ("c04c_fullwidth_int_only.csv", {A: FIRST3[A]}),
    ("c09_legacy.xls", {A: FIRST3[A], B: FIRST3[B]}),
    ("c15c_stray_cell_row1048576_col200.xlsx", {A: FIRST3[A]}),
    ("c07_float_noise.xlsx", {B: (4800024, 4115673, 12, 179, 165, "173.87"), A: FIRST3[A]}),
])
def test_values_are_normalised(district, name, expected):
    run_import("ui-payments", CASES / name, engine=district)
    assert payments(district) == expected


def test_account_in_a_number_cell_is_refused_never_stored(district):
    with pytest.raises(ImportRefused) as err:
        run_import("enterprises", CASES / "c06a_account_as_number.xlsx", engine=district)
    errors = err.value.errors
    assert [(e.row, e.column, e.value, e.expected) for e in errors] == [
        (2, "对公账号", "9256341685878310000", LOST_DIGITS), (3, "对公账号", "7656115971439880000", LOST_DIGITS)]
    with session_scope(district) as s:
        assert s.get(Unit, "91371503809397292K").account_no != "9256341685878310000"


def test_account_in_scientific_notation_is_refused(district):
    with pytest.raises(ImportRefused) as err:
        run_import("enterprises", CASES / "c06b_account_sci_notation.csv", engine=district)
    assert [(e.row, e.column, e.value) for e in err.value.errors] == [
        (2, "对公账号", "9.25634E+18"), (3, "对公账号", "7656115971439870000")]
    assert all(e.expected == LOST_DIGITS for e in err.value.errors)


def test_uscc_in_a_number_cell_gets_the_real_cause_not_a_check_hint(district):
    with pytest.raises(ImportRefused) as err:
        run_import("ui-payments", CASES / "c06c_uscc_as_number.xlsx", engine=district)
    assert [(e.row, e.column, e.value, e.expected) for e in err.value.errors] == [
        (2, "统一社会信用代码", "913715031417776000", LOST_DIGITS)]
    assert "校验位" not in str(err.value.errors)


def test_hidden_first_sheet_and_cp936_byte(district):
    result = run_import("enterprises", CASES / "c08_hidden_first_sheet.xlsx", engine=district)
    assert result.updated + result.unchanged == 2 and "单位信息" in result.notes[0]
    run_import("enterprises", CASES / "c12c_cp936_euro_byte.csv", engine=district)
    with session_scope(district) as s:
        unit = s.get(Unit, "91371503809397292K")
        assert unit.account_no == "9256341685878310122" and unit.phone == "13800000001"
        assert unit.contact == "王先生€"  # CP936's 0x80, read although GB18030 has no such byte
        assert s.get(Unit, "91371503103396212F").account_no == "7656115971439875428"


def test_sheet_option_picks_another_sheet(district):
    with pytest.raises(ImportRefused) as err:
        run_import("enterprises", CASES / "c08_hidden_first_sheet.xlsx", engine=district, sheet="下拉选项")
    assert {e.column for e in err.value.errors if e.expected == "缺少必填列"} == {"统一社会信用代码", "单位名称"}
    with pytest.raises(ImportRefused, match="没有名为「无此表」的工作表"):
        run_import("enterprises", CASES / "c08_hidden_first_sheet.xlsx", engine=district, sheet="无此表")


def test_dates_accepted_and_month_only_refused(district, tmp_path):
    with pytest.raises(ImportRefused) as err:
        run_import("credit-list", CASES / "c10a_dates.csv", engine=district)
    assert [(e.row, e.column, e.value) for e in err.value.errors] == [(6, "移出日期", "2025年12月")]
    assert "缺少日" in err.value.errors[0].expected
    fixed = (CASES / "c10a_dates.csv").read_text(encoding="utf-8-sig").replace("2025年12月", "2025-12-31")
    path = tmp_path / "dates.csv"
    path.write_text(fixed, encoding="utf-8")
    run_import("credit-list", path, engine=district)
    with session_scope(district) as s:
        listed = s.scalars(select(CreditEntry.listed_on)).all()
    assert listed == [dt.date(2025, 6, 30)] * 5


def test_cli_dry_run_on_every_fieldcase_ends_with_result_or_refusal(tmp_path):
    """What the before-stop check runs: exit 0 or 2, never a traceback, on an empty database."""
    env = {**os.environ, "ZHIDA_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}"}
    for f in sorted(CASES.glob("c*")):
        name = f.name
        if name.startswith("c14"):
            continue
        kind = ("enterprises" if name[:4] in ("c06a", "c06b", "c08_", "c12c")
                else "credit-list" if name.startswith("c10a") else "ui-payments")
        done = subprocess.run([sys.executable, "-m", "zhida", "import", kind, str(f), "--dry-run"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode in (0, 2), (name, done.stderr[-500:])
        assert "Traceback" not in done.stdout + done.stderr, name
        assert ("错误：" in done.stderr) == (done.returncode == 2), name
