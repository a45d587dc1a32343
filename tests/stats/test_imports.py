"""``zhida import indicators`` / ``targets``: the kind-level checks come out per row and column,
and a refused file writes nothing (both backends)."""

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from zhida.db import session_scope
from zhida.errors import ImportRefused
from zhida.imports.engine import run_import
from zhida.stats.models import IndicatorTarget, IndicatorValue

HEADERS = ["指标", "地区", "期间", "维度", "维度值", "数值", "单位", "同比(%)"]


def write(path: Path, rows: list[list[str]], headers=HEADERS, encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


GOOD = [
    ["进出口总值", "甲市", "2026-01~02", "", "", "146.4", "亿元", "47.7"],
    ["进出口总值", "甲市", "2026-01～02", "流向", "出口", "69.1", "亿元", ""],
    ["进出口总值", "甲市", "2025-Q1", "", "", "99.1198", "亿元", ""],
    ["规上工业增加值", "甲市", "2026-03", "", "", "", "", "8.1"],  # growth only: no unit needed
    ["规上工业增加值", "甲市", "2026", "行业", "装备制造业", "-1.5", "亿元", "-3.2"],
]


def count(engine, model=IndicatorValue) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def refused(engine, path) -> ImportRefused:
    with pytest.raises(ImportRefused) as exc:
        run_import("indicators", path, engine=engine)
    return exc.value


def test_good_file_lands_with_canonical_periods_and_reimport_changes_nothing(engine, tmp_path):
    path = write(tmp_path / "ind.csv", GOOD, encoding="gbk")
    r = run_import("indicators", path, engine=engine)
    assert (r.inserted, r.updated, r.unchanged) == (5, 0, 0)
    with session_scope(engine) as s:
        row = s.get(IndicatorValue, ("进出口总值", "甲市", "2026-01~02", "流向", "出口"))
        assert row.value == D("69.1") and row.unit == "亿元" and row.yoy_published is None
        total = s.get(IndicatorValue, ("进出口总值", "甲市", "2026-01~02", "", ""))
        assert total.yoy_published == D("47.7")
        neg = s.get(IndicatorValue, ("规上工业增加值", "甲市", "2026", "行业", "装备制造业"))
        assert neg.value == D("-1.5") and neg.yoy_published == D("-3.2")
    again = run_import("indicators", path, engine=engine)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)


def test_unknown_period_format_names_row_column_and_forms(engine, tmp_path):
    rows = [*GOOD, ["进出口总值", "甲市", "2026-13", "", "", "1", "亿元", ""]]
    err = refused(engine, write(tmp_path / "bad.csv", rows))
    [e] = err.errors
    assert (e.row, e.column, e.value) == (7, "期间", "2026-13")
    assert "2026-Q1（季度）" in e.expected and "2026-01~02" in e.expected
    assert count(engine) == 0  # nothing half-written


def test_value_without_unit_is_refused(engine, tmp_path):
    rows = [*GOOD, ["进出口总值", "甲市", "2026-03", "", "", "12.5", "", ""]]
    [e] = refused(engine, write(tmp_path / "bad.csv", rows)).errors
    assert (e.row, e.column) == (7, "单位") and "填写了数值就必须填写单位" in e.expected
    assert count(engine) == 0


def test_mixed_units_within_the_file_are_refused(engine, tmp_path):
    rows = [*GOOD, ["进出口总值", "甲市", "2026-03", "", "", "125000", "万元", ""]]
    [e] = refused(engine, write(tmp_path / "bad.csv", rows)).errors
    assert (e.row, e.column, e.value) == (7, "单位", "万元")
    assert "指标「进出口总值」的单位不一致" in e.expected and "「亿元」" in e.expected


def test_mixed_units_against_stored_rows_are_refused(engine, tmp_path):
    run_import("indicators", write(tmp_path / "good.csv", GOOD), engine=engine)
    later = [["进出口总值", "甲市", "2026-04", "", "", "5", "万元", ""]]
    [e] = refused(engine, write(tmp_path / "later.csv", later)).errors
    assert e.row == 2 and "数据库中已有的单位是「亿元」" in e.expected
    # replacing every stored row of the indicator with the new unit is allowed
    switched = [[*r[:6], "万元", r[7]] if r[0] == "进出口总值" else r for r in GOOD]
    run_import("indicators", write(tmp_path / "switched.csv", switched), engine=engine)
    with session_scope(engine) as s:
        units = set(s.scalars(select(IndicatorValue.unit).where(IndicatorValue.indicator == "进出口总值")))
    assert units == {"万元"}


def test_dimension_and_member_go_together(engine, tmp_path):
    rows = [["进出口总值", "甲市", "2026-03", "流向", "", "1", "亿元", ""],
            ["进出口总值", "甲市", "2026-03", "", "出口", "1", "亿元", ""]]
    errs = refused(engine, write(tmp_path / "bad.csv", rows)).errors
    assert [(e.row, e.column) for e in errs] == [(2, "维度值"), (3, "维度")]


def test_text_in_value_column_is_refused(engine, tmp_path):
    rows = [["进出口总值", "甲市", "2026-03", "", "", "146.4亿", "亿元", ""]]
    [e] = refused(engine, write(tmp_path / "bad.csv", rows)).errors
    assert e.column == "数值" and "不能含文字" in e.expected


def test_targets_import(engine, tmp_path):
    path = write(tmp_path / "t.csv", [["智能工厂", "甲市", "2026", "50", "个"], ["覆盖率", "甲市", "2026", "98", "%"]],
                 headers=["指标", "地区", "年度", "目标值", "单位"])
    r = run_import("targets", path, engine=engine)
    assert r.inserted == 2
    with session_scope(engine) as s:
        assert s.get(IndicatorTarget, ("智能工厂", "甲市", 2026)).target == D(50)
    bad = write(tmp_path / "b.csv", [["智能工厂", "甲市", "26", "50", "个"]], headers=["指标", "地区", "年度", "目标值", "单位"])
    with pytest.raises(ImportRefused) as exc:
        run_import("targets", bad, engine=engine)
    assert exc.value.errors[0].column == "年度"
