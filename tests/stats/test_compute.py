"""The formulas of domain.md §4 on small, hand-checked data; the undefined cases say why."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhida.errors import NotFound, ValidationFailed
from zhida.stats.compute import JSON_KEYS, Fact, compute_facts

IND, REG, CUR, PREV = "进出口总值", "甲市", "2026-01~02", "2025-01~02"


def fact(period, member, value, unit="亿元", yoy=None, dimension=None):
    dim = "" if member == "" else (dimension or "流向")
    return Fact(IND, REG, period, dim, member, None if value is None else D(value), unit,
                None if yoy is None else D(yoy))


def base_facts():
    return [fact(CUR, "", "150"), fact(PREV, "", "120"),
            fact(CUR, "出口", "90"), fact(PREV, "出口", "60"),
            fact(CUR, "进口", "60"), fact(PREV, "进口", "60")]


def test_growth_share_contribution_pull_by_hand():
    res = compute_facts(base_facts(), IND, REG, CUR, "流向")
    total, ex, im = res.total, res.member("出口"), res.member("进口")
    assert total.yoy_pct == D(25) and total.yoy_source == "computed"
    assert ex.yoy_pct == D(50) and im.yoy_pct == D(0)
    assert ex.share_pct == D(60) and im.share_pct == D(40)
    assert ex.contribution_pct == D(100) and im.contribution_pct == D(0)
    assert ex.pull_pp == D(25) and im.pull_pp == D(0)
    assert res.breadth.grew == 1 and res.breadth.members == 2 and res.breadth.pct == D(50)
    assert res.notes == []


def test_json_has_exactly_the_keys_and_rounds_half_up_once():
    facts = [fact(CUR, "", "3"), fact(PREV, "", "2.4")]  # growth exactly 25.0
    facts += [fact(CUR, "出口", "1.00025"), fact(PREV, "出口", "1")]
    row = compute_facts(facts, IND, REG, CUR, "流向").member("出口").to_json()
    assert tuple(row) == JSON_KEYS
    assert row["yoy_pct"] == 0.0  # 0.025 → 0.0
    assert row["share_pct"] == 33.3  # 33.341…
    assert row["member"] == "出口" and row["dimension"] == "流向" and row["yoy_source"] == "computed"
    total = compute_facts(facts, IND, REG, CUR).rows[0].to_json()
    assert total["member"] is None and total["dimension"] is None


def test_half_up_at_the_boundary():
    facts = [fact(CUR, "", "100.05"), fact(PREV, "", "100")]  # growth 0.05 → 0.1 (half up)
    assert compute_facts(facts, IND, REG, CUR).total.to_json()["yoy_pct"] == 0.1
    facts = [fact(CUR, "", "100.0499"), fact(PREV, "", "100")]  # 0.0499 → 0.0
    assert compute_facts(facts, IND, REG, CUR).total.to_json()["yoy_pct"] == 0.0


def test_published_growth_wins_and_says_so():
    facts = [fact(CUR, "", "150", yoy="8.1"), fact(PREV, "", "120")]
    t = compute_facts(facts, IND, REG, CUR).total
    assert t.yoy_pct == D("8.1") and t.yoy_source == "published"
    assert t.base_value == D(120) and t.base_source == "data"


def test_base_derived_from_published_growth_when_last_year_is_missing():
    facts = [fact(CUR, "", "146.4", yoy="47.7"), fact(CUR, "出口", "69.1", yoy="60.2"),
             fact(CUR, "进口", "77.3", yoy="38.1")]
    res = compute_facts(facts, IND, REG, CUR, "流向")
    ex = res.member("出口")
    assert ex.base_source == "derived"
    assert ex.base_value == D("69.1") / (1 + D("60.2") / 100)
    assert ex.pull_pp == (D("69.1") - ex.base_value) / res.total.base_value * 100
    assert any("由同比倒推" in n for n in res.notes)
    assert ex.to_json()["pull_pp"] == 26.2


def test_zero_base_makes_growth_undefined_and_says_so():
    facts = [*base_facts(), fact(CUR, "转口", "0"), fact(PREV, "转口", "0")]
    facts[5] = fact(PREV, "进口", "0")
    res = compute_facts(facts, IND, REG, CUR, "流向")
    im = res.member("进口")
    assert im.yoy_pct is None and im.yoy_source is None and im.to_json()["yoy_pct"] is None
    assert any("「进口」上年同期数值为 0" in n for n in res.notes)
    assert res.breadth.members == 1  # members without growth left out of 增长面


def test_missing_total_row_leaves_shares_undefined_and_says_so():
    facts = [f for f in base_facts() if f.member != ""]
    res = compute_facts(facts, IND, REG, CUR, "流向")
    assert res.total is None
    assert all(r.share_pct is None and r.contribution_pct is None and r.pull_pp is None for r in res.rows)
    assert any("没有合计行" in n and "占比、贡献率、拉动无法计算" in n for n in res.notes)
    assert res.member("出口").yoy_pct == D(50)  # growth is still defined


def test_unchanged_total_leaves_contribution_undefined():
    facts = [fact(CUR, "", "100"), fact(PREV, "", "100"), fact(CUR, "出口", "60"), fact(PREV, "出口", "50"),
             fact(CUR, "进口", "40"), fact(PREV, "进口", "50")]
    res = compute_facts(facts, IND, REG, CUR, "流向")
    assert res.member("出口").contribution_pct is None and res.member("出口").pull_pp == D(10)
    assert any("增量为 0" in n for n in res.notes)


def test_value_without_unit_is_refused():
    facts = base_facts()
    facts[2] = fact(CUR, "出口", "90", unit=None)
    with pytest.raises(ValidationFailed, match="没有单位"):
        compute_facts(facts, IND, REG, CUR, "流向")


def test_mixed_units_are_refused():
    facts = base_facts()
    facts[3] = fact(PREV, "出口", "600000", unit="万元")
    with pytest.raises(ValidationFailed, match=r"单位不一致.*亿元.*万元"):
        compute_facts(facts, IND, REG, CUR, "流向")


def test_non_additive_unit_has_no_share():
    facts = [Fact("覆盖率", REG, CUR, "", "", D("90"), "%", None), Fact("覆盖率", REG, PREV, "", "", D("80"), "%", None),
             Fact("覆盖率", REG, CUR, "行业", "甲", D("95"), "%", None)]
    res = compute_facts(facts, "覆盖率", REG, CUR, "行业")
    assert res.member("甲").share_pct is None and res.total.yoy_pct == D("12.5")
    assert any("不能相加" in n for n in res.notes)


def test_unknown_data_and_dimension_are_not_found():
    with pytest.raises(NotFound, match="没有数据"):
        compute_facts(base_facts(), IND, REG, "2024-01~02")
    with pytest.raises(NotFound, match=r"没有维度「贸易方式」.*已有维度：流向"):
        compute_facts(base_facts(), IND, REG, CUR, "贸易方式")
    with pytest.raises(ValueError, match="格式不对"):
        compute_facts(base_facts(), IND, REG, "2026-1-2")


amounts = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)


@given(cur=st.lists(amounts, min_size=2, max_size=8), data=st.data())
def test_contributions_add_to_100_and_pulls_to_total_growth(cur, data):
    prev = data.draw(st.lists(amounts, min_size=len(cur), max_size=len(cur)))
    facts = [fact(CUR, "", str(sum(cur))), fact(PREV, "", str(sum(prev)))]
    for i, (c, p) in enumerate(zip(cur, prev, strict=False)):
        facts += [fact(CUR, f"m{i}", str(c)), fact(PREV, f"m{i}", str(p))]
    res = compute_facts(facts, IND, REG, CUR, "流向")
    parts = [r for r in res.rows if r.member is not None]
    assert abs(sum(r.share_pct for r in parts) - 100) < D("1e-20")
    # Decimal keeps 28 significant digits: the tolerance is relative to the size of the growth
    assert abs(sum(r.pull_pp for r in parts) - res.total.yoy_pct) < D("1e-20") * max(1, abs(res.total.yoy_pct))
    if sum(cur) != sum(prev):
        assert abs(sum(r.contribution_pct for r in parts) - 100) < D("1e-18")
