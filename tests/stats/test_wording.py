"""Wording filters: rounding half up once, 增长/下降/持平, the 倍 threshold, units."""

from decimal import Decimal as D

import pytest

from zhida.errors import ValidationFailed
from zhida.stats.wording import gap, growth, pct, pp, pull, round_half_up, wan, yi


@pytest.mark.parametrize("value, text", [
    ("47.7", "增长47.7%"), ("-17.1", "下降17.1%"), ("0.05", "增长0.1%"), ("0.04", "持平"),
    ("-0.04", "持平"), ("-0.05", "下降0.1%"),
    # the 倍 threshold is decided on the exact value, both sides: below 100% stays a percent
    # even when it prints as 100.0%
    ("99.94", "增长99.9%"), ("99.95", "增长100.0%"), ("99.96", "增长100.0%"), ("99.9999", "增长100.0%"),
    ("100", "增长1倍"), ("100.0001", "增长1倍"),
    # the multiple is rounded once from the exact value (124.96 → 1.2496 → 1.2, not 125.0 → 1.3)
    ("124.96", "增长1.2倍"), ("124.9999", "增长1.2倍"), ("125", "增长1.3倍"), ("149.96", "增长1.5倍"),
    ("194.96", "增长1.9倍"), ("195", "增长2倍"), ("120", "增长1.2倍"), ("104.9", "增长1倍"), ("105", "增长1.1倍"), ("910", "增长9.1倍"),
])
def test_growth_wording(value, text):
    assert growth(D(value)) == text


def test_amounts_convert_exactly_and_round_once():
    assert yi(D("1464000"), "万元") == "146.4亿元"
    assert yi(D("14640000000"), "元") == "146.4亿元"
    assert yi(D("28")) == "28.0亿元"
    assert yi(D("0.04999"), "亿元") == "0.0亿元"
    assert yi(D("0.05"), "亿元") == "0.1亿元"
    assert wan(D("96536000"), "元") == "9653.60万元"
    with pytest.raises(ValidationFailed, match="不是金额单位"):
        yi(D("3"), "家")


def test_points_percentages_and_gaps():
    assert pp(D("4.25")) == "4.3个百分点" and pp(D("4.2499")) == "4.2个百分点"
    assert pct(D("70.97")) == "71.0%" and pct(D("52.4"), 0) == "52%"
    assert gap(D("20.6"), D("8.1")) == "高12.5个百分点"
    assert gap(D("8.1"), D("8.1")) == "持平"
    # the gap is the exact difference rounded once, not the difference of rounded growths
    assert gap(D("20.64"), D("8.06")) == "高12.6个百分点"
    assert gap(D("8.04"), D("7.96")) == "高0.1个百分点"
    assert gap(D("8.04"), D("8.0")) == "持平" and gap(D("7.96"), D("8.01")) == "低0.1个百分点"
    assert pull(D("-0.049")) == "拉动0.0个百分点"
    assert pull(D("-0.05"), "增长") == "下拉增长0.1个百分点"
    assert round_half_up(D("-0.04")) == D("0.0") and str(round_half_up(D("-0.04"))) == "0.0"


def test_missing_figure_is_a_chinese_error():
    with pytest.raises(ValidationFailed, match="增速缺失或无法计算"):
        growth(None)
