"""A rate with a zero denominator leaves the unit undetermined and names the zero field;
the size class only matters for enterprises; explain says what --as-of decides."""

from __future__ import annotations

import datetime as dt

import polars as pl

from zhida.rules import service
from zhida.rules.evaluate import evaluate, resolve_parameters
from zhida.rules.explain import explain_row
from zhida.rules.inputs import SCHEMAS, Sources, input_frame
from zhida.rules.period import Period
from zhida.rules.reasons import reasons_for

WG = service.get_policy("wengang-fanhuan")
YG = service.get_policy("yanggu-wenfazhan")
PERIOD, AS_OF = Period.parse("2025"), dt.date(2025, 6, 30)
PAY = {"employer_paid": 12_000_000, "employee_paid": 4_000_000, "backpay": 0, "months_paid": 12,
       "insured_start": 200, "insured_end": 200, "insured_avg": 20000, "new_claimants": 0, "arrears": 0}


def wengang(unit: dict, pay: dict, overrides: dict | None = None):
    u = pl.DataFrame([{"uscc": "U1", "name": "测试单位", "unit_type": "企业", "size_class": "小型", **unit}],
                     schema=SCHEMAS["units"])
    p = pl.DataFrame([{"uscc": "U1", "year": 2024, **PAY, **pay}], schema=SCHEMAS["ui_payments"])
    ce = pl.DataFrame([], schema=SCHEMAS["credit_entries"])
    frame = input_frame(WG, PERIOD, AS_OF, Sources({"units": u, "ui_payments": p, "credit_entries": ce}))
    return evaluate(WG, frame, PERIOD, resolve_parameters(WG, PERIOD.start, overrides))


def layoff_reason(ev) -> dict:
    return next(r for r in reasons_for(ev)[0] if r["code"] == "layoff_rate")


def test_zero_average_insured_is_named():
    ev = wengang({}, {"insured_avg": 0, "new_claimants": 1})
    assert ev.frame["status"][0] == "undetermined"
    reason = layoff_reason(ev)
    assert reason["passed"] is None and reason["zero"] == ["月均参保人数"] and reason["missing"] == []
    text = explain_row(ev, "U1", PERIOD, AS_OF).text()
    assert "· 无法判定：裁员率不超过控制目标" in text and "（月均参保人数为 0，裁员率（口径A）无法计算）" in text
    assert "结论：待定，月均参保人数为 0，裁员率（口径A）无法计算" in text


def test_zero_start_insured_is_named_under_method_b_only():
    ev = wengang({}, {"insured_start": 0, "insured_end": 3}, {"layoff.method": "B"})
    assert ev.frame["status"][0] == "undetermined" and layoff_reason(ev)["zero"] == ["年初参保人数"]
    assert "年初参保人数为 0，裁员率（口径B）无法计算" in explain_row(ev, "U1", PERIOD, AS_OF).text()
    # method A does not divide by 年初参保人数: decided, nothing named
    ev = wengang({}, {"insured_start": 0, "insured_end": 3})
    assert ev.frame["status"][0] == "eligible" and "zero" not in layoff_reason(ev)


def test_method_c_names_both_zero_denominators():
    ev = wengang({}, {"insured_start": 0, "insured_avg": 0}, {"layoff.method": "C"})
    assert layoff_reason(ev)["zero"] == ["月均参保人数", "年初参保人数"]


def test_missing_and_zero_are_told_apart():
    ev = wengang({}, {"insured_avg": None})
    reason = layoff_reason(ev)
    assert reason["missing"] == ["月均参保人数"] and "zero" not in reason


def test_growth_on_zero_prior_output_is_named():
    period = Period.parse("2026-Q1")
    units = pl.DataFrame([{"uscc": "F1", "name": "厂", "industry_section": "C", "revenue_wan": 500_000_000}],
                         schema=SCHEMAS["units"])
    io = pl.DataFrame([{"uscc": "F1", "year": 2026, "quarter": 1, "output_wan": 60_000_000, "prior_output_wan": 0}],
                      schema=SCHEMAS["industrial_output"])
    frame = input_frame(YG, period, period.start, Sources({"units": units, "industrial_output": io}))
    ev = evaluate(YG, frame, period, resolve_parameters(YG, period.start))
    growth = next(r for r in reasons_for(ev)[0] if r["code"] == "growth")
    assert ev.frame["status"][0] == "undetermined" and growth["zero"] == ["上年同期工业总产值"]
    assert "上年同期工业总产值为 0，同比增速无法计算" in explain_row(ev, "F1", period, period.start).text()


def test_size_matters_only_for_enterprises():
    cases = [({"unit_type": "社会团体", "size_class": "大型"}, "eligible", 9_600_000),
             ({"unit_type": "律师事务所", "size_class": None}, "eligible", 9_600_000),
             ({"unit_type": "会计师事务所", "size_class": "大型"}, "eligible", 9_600_000),
             ({"unit_type": "企业", "size_class": "大型"}, "eligible", 4_800_000),
             ({"unit_type": "企业", "size_class": None}, "undetermined", 0)]
    for unit, status, fen in cases:
        ev = wengang(unit, {})
        assert (ev.frame["status"][0], ev.frame["amount_fen"][0]) == (status, fen), unit
    ev = wengang({"unit_type": "企业", "size_class": None}, {})
    assert "企业规模" in reasons_for(ev)[0][-1]["missing"]


def test_explain_states_arrears_are_year_end_not_as_of():
    text = explain_row(wengang({}, {}), "U1", PERIOD, AS_OF).text()
    assert "判定日期：2025-06-30（信用名单按此日判定；欠费按 2024 年末欠费金额判定）" in text
    assert "欠费状态按此日判定" not in text
