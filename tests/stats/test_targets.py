"""Target progress: a flow (累计) uses the year-to-date value, a stock (时点) its latest value;
the mode comes from the target (imported, set, or defaulted from the unit)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.stats.test_imports import write
from zhida.db import session_scope
from zhida.errors import ImportRefused, ValidationFailed
from zhida.imports.engine import run_import
from zhida.stats import service, store
from zhida.stats.compute import Fact
from zhida.stats.targets import FLOW, STOCK, progress

TARGET_HEADERS = ["指标", "地区", "年度", "目标值", "单位", "累计方式"]


def fact(period: str, value: str, unit: str = "家", indicator: str = "新增高新技术企业") -> Fact:
    return Fact(indicator, "甲市", period, "", "", D(value), unit, None)


def run(facts, as_of, mode=FLOW, target="20", unit="家"):
    return progress("新增高新技术企业", "甲市", 2026, D(target), unit, facts, as_of, mode)


def test_flow_uses_the_year_to_date_span_not_a_later_single_month():
    facts = [fact("2026-01~02", "4"), fact("2026-03", "3")]
    p = run(facts, dt.date(2026, 4, 10))
    # not 3 (one month) against 3/12 of the target
    assert (p.period, p.value, p.completion_pct, p.on_track) == ("2026-01~02", D(4), D(20), True)
    assert p.elapsed_pct == D(2) / 12 * 100
    facts.append(fact("2026-01~03", "7"))
    p = run(facts, dt.date(2026, 4, 10))
    assert (p.period, p.value, p.completion_pct, p.on_track) == ("2026-01~03", D(7), D(35), True)
    # the Jan–Mar span is not known before the end of March: back to Jan–Feb
    assert run(facts, dt.date(2026, 3, 30)).period == "2026-01~02"


def test_flow_quarters_january_and_the_year():
    q = [fact("2026-Q1", "6"), fact("2026-Q2", "5")]
    p = run(q, dt.date(2026, 7, 5))
    assert (p.period, p.value, p.on_track) == ("2026-Q1", D(6), True)  # Q2 alone is not year to date
    assert run([fact("2026-01", "1")], dt.date(2026, 2, 1)).period == "2026-01"
    assert run([fact("2026-01~11", "18"), fact("2026", "21")], dt.date(2027, 1, 20)).period == "2026"
    # only non-cumulative periods: nothing to compare yet, said so
    p = run([fact("2026-02", "2"), fact("2026-Q2", "5"), fact("2026-02~03", "4")], dt.date(2026, 8, 1))
    assert p.value is None and p.on_track is None and "年初至今的累计数据" in p.note


def test_stock_uses_the_latest_value_of_the_year():
    facts = [fact("2026-01~02", "400"), fact("2026-03", "430"), fact("2025-12", "390")]
    p = run(facts, dt.date(2026, 4, 10), STOCK, target="1000")
    assert (p.period, p.value, p.completion_pct, p.mode) == ("2026-03", D(430), D(43), STOCK)
    assert run(facts, dt.date(2026, 3, 31), STOCK).period == "2026-03"
    assert run(facts, dt.date(2026, 3, 30), STOCK).period == "2026-01~02"
    assert run(facts, dt.date(2026, 2, 27), STOCK).value is None  # last year's level is not this year's progress


def test_mode_defaults_from_the_unit_and_is_checked():
    facts = [fact("2026-01~02", "90", "%"), fact("2026-03", "91", "%")]
    p = progress("覆盖率", "甲市", 2026, D(98), "%", facts, dt.date(2026, 4, 1))
    assert (p.mode, p.period, p.to_json()["mode"]) == (STOCK, "2026-03", STOCK)
    assert run([fact("2026-01~02", "4"), fact("2026-03", "3")], dt.date(2026, 4, 1), None).mode == FLOW
    with pytest.raises(ValidationFailed, match="累计方式「存量」不对"):
        run([], dt.date(2026, 4, 1), "存量")


def test_targets_import_with_mode_and_default(engine, tmp_path):
    with session_scope(engine) as s:
        store.upsert_facts(s, [fact("2026-01~02", "400", indicator="平台注册企业"),
                               fact("2026-03", "430", indicator="平台注册企业"),
                               fact("2026-01~02", "4"), fact("2026-03", "3"),
                               fact("2026-01~02", "90", "%", "覆盖率"), fact("2026-03", "91", "%", "覆盖率")])
    path = write(tmp_path / "t.csv", [["平台注册企业", "甲市", "2026", "1000", "家", "时点"],
                                      ["新增高新技术企业", "甲市", "2026", "20", "家", ""],
                                      ["覆盖率", "甲市", "2026", "98", "%", ""]], TARGET_HEADERS)
    assert run_import("targets", path, engine=engine).inserted == 3
    with session_scope(engine) as s:
        got = {p.indicator: (p.mode, p.period, p.value) for p in service.target_progress(s, "甲市", 2026, dt.date(2026, 4, 2))}
    assert got == {"平台注册企业": (STOCK, "2026-03", D(430)), "新增高新技术企业": (FLOW, "2026-01~02", D(4)),
                   "覆盖率": (STOCK, "2026-03", D(91))}
    bad = write(tmp_path / "bad.csv", [["覆盖率", "甲市", "2026", "98", "%", "存量"]], TARGET_HEADERS)
    with pytest.raises(ImportRefused) as exc:
        run_import("targets", bad, engine=engine)
    [err] = exc.value.errors
    assert (err.row, err.column, err.value) == (2, "累计方式", "存量") and "累计、时点" in err.expected


def test_set_target_mode(engine):
    with session_scope(engine) as s:
        store.upsert_facts(s, [fact("2026-01~02", "400", indicator="平台注册企业"),
                               fact("2026-03", "430", indicator="平台注册企业")])
        service.set_target(s, "平台注册企业", "甲市", 2026, D(1000), "家")
        [p] = service.target_progress(s, "甲市", 2026, dt.date(2026, 4, 2))
        assert (p.mode, p.period) == (FLOW, "2026-01~02")
        service.set_target(s, "平台注册企业", "甲市", 2026, D(1000), "家", "时点")
        [p] = service.target_progress(s, "甲市", 2026, dt.date(2026, 4, 2))
        assert (p.mode, p.period, p.value) == (STOCK, "2026-03", D(430))
        with pytest.raises(ValidationFailed, match="应为 累计"):
            service.set_target(s, "平台注册企业", "甲市", 2026, D(1000), "家", "flow")
