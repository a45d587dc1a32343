"""What a policy file says about where and when it applies, and how its outcomes read:
适用地域 (jurisdiction), the documented 判定日期, and the outcome labels both ways."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from zhida.errors import PolicyError
from zhida.registry.regions import load_table
from zhida.rules import service
from zhida.rules.entities import entity
from zhida.rules.jurisdiction import within as _within
from zhida.rules.loader import load_policy
from zhida.rules.period import Period

SRC = service.get_policy("yanggu-wenfazhan").path


def variant(tmp_path, old: str, new: str):
    text = Path(SRC).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "yanggu-wenfazhan.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_policies_carry_jurisdiction_and_judging_date():
    yg, wg = service.get_policy("yanggu-wenfazhan"), service.get_policy("wengang-fanhuan")
    assert yg.jurisdiction == ("371521",) and wg.jurisdiction == ("370000",)
    assert yg.default_as_of(Period.parse("2026-Q1")) == dt.date(2026, 4, 15)
    assert yg.default_as_of(Period.parse("2026-Q4")) == dt.date(2027, 1, 15)
    assert wg.default_as_of(Period.parse("2025")) == dt.date(2025, 6, 30)


@pytest.mark.parametrize("bad", ["[3715]", "[37152X]", "[]"])
def test_bad_jurisdiction_is_refused_naming_the_line(tmp_path, bad):
    with pytest.raises(PolicyError, match=r"jurisdiction（适用地域）.*第 \d+ 行|第 \d+ 行.*jurisdiction"):
        load_policy(variant(tmp_path, "jurisdiction: [371521]", f"jurisdiction: {bad}"))


@pytest.mark.parametrize("bad", ['{month_day: "02-30"}', "{days_after_end: 400}", '{month_day: "06-30", days_after_end: 3}',
                                 "{}", "15"])
def test_bad_judging_date_is_refused(tmp_path, bad):
    with pytest.raises(PolicyError, match="judging_date"):
        load_policy(variant(tmp_path, "judging_date: {days_after_end: 15", f"judging_date: {bad}\nx_old: {{days_after_end: 15"))


def within(codes, units):
    return _within(entity("unit"), codes, units)


def test_jurisdiction_by_township_then_by_code():
    units = pl.DataFrame({"uscc": ["91371503MA0000000A", "91371521MA0000000B", "91370100MA0000000C", "91371503MA0000000D"],
                          "township": ["阿城镇", None, None, "振兴街道"]})
    assert within(("371521",), units)["uscc"].to_list() == ["91371503MA0000000A", "91371521MA0000000B"]
    assert within(("371503",), units)["uscc"].to_list() == ["91371503MA0000000D"]
    assert within(("370000",), units).height == 4 and within(("371500",), units).height == 3


def test_outcome_labels_both_ways():
    wg = service.get_policy("wengang-fanhuan")
    credit = next(r for r in wg.exclusions if r.code == "credit_list")
    assert credit.label_passed.startswith("未列入") and credit.label_failed.startswith("已列入")
    assert credit.label_failed.endswith("不予返还")
    # a rule without labels gets plain defaults that still read the right way round
    yg = service.get_policy("yanggu-wenfazhan")
    assert all(r.passed and r.failed for r in [*wg.rules, *yg.rules])


def test_regions_file_adds_a_county(tmp_path):
    extra = tmp_path / "regions.csv"
    extra.write_text("county_code,county_name,city_name,township,kind\n371502,东昌府区,聊城市,古楼街道,街道\n",
                     encoding="utf-8")
    table = load_table(extra)
    assert table.county("371502").townships == ("古楼街道",) and table.county("371503") is not None
    bad = tmp_path / "bad.csv"
    bad.write_text("county_code,county_name,city_name,township,kind\n37150,东昌府区,聊城市,古楼街道,街道\n", encoding="utf-8")
    from zhida.errors import ConfigError

    with pytest.raises(ConfigError, match=re.escape("bad.csv 第 2 行「county_code」列：「37150」")):
        load_table(bad)
