"""The 2017 size standard (国统字〔2017〕213号): both sides of every boundary of every row.

The table below is copied by hand from the domain notes §3, independently of the code
under test; the boundary cases are generated from it with the expected class written out
for each point: at the large bound → 大型, one step below → 中型, and so on.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhida.registry.sizeclass import THRESHOLDS, SizeResult, classify, classify_unit

# row: {indicator: (large ≥, medium ≥, small ≥)}   — "a–b" means a ≤ v < b
TABLE = {
    "agriculture": {"Y": (20000, 500, 50)},
    "industry": {"X": (1000, 300, 20), "Y": (40000, 2000, 300)},
    "construction": {"Y": (80000, 6000, 300), "Z": (80000, 5000, 300)},
    "wholesale": {"X": (200, 20, 5), "Y": (40000, 5000, 1000)},
    "retail": {"X": (300, 50, 10), "Y": (20000, 500, 100)},
    "transport": {"X": (1000, 300, 20), "Y": (30000, 3000, 200)},
    "warehousing": {"X": (200, 100, 20), "Y": (30000, 1000, 100)},
    "postal": {"X": (1000, 300, 20), "Y": (30000, 2000, 100)},
    "accommodation": {"X": (300, 100, 10), "Y": (10000, 2000, 100)},
    "catering": {"X": (300, 100, 10), "Y": (10000, 2000, 100)},
    "telecom": {"X": (2000, 100, 10), "Y": (100000, 1000, 100)},
    "software": {"X": (300, 100, 10), "Y": (10000, 1000, 50)},
    "real_estate_dev": {"Y": (200000, 1000, 100), "Z": (10000, 5000, 2000)},
    "property_mgmt": {"X": (1000, 300, 100), "Y": (5000, 1000, 500)},
    "leasing_business": {"X": (300, 100, 10), "Z": (120000, 8000, 100)},
    "other": {"X": (300, 100, 10)},
}

# Far above every large bound: holds the indicators not under test out of the way.
HIGH = {"X": 10_000_000, "Y": Decimal("100000000"), "Z": Decimal("100000000")}
STEP = {"X": 1, "Y": Decimal("0.01"), "Z": Decimal("0.01")}
# the class at (bound, bound − step) for the large, medium and small bounds
EXPECTED = (("大型", "中型"), ("中型", "小型"), ("小型", "微型"))


def _value(ind: str, v: int | Decimal):
    return int(v) if ind == "X" else Decimal(v)


def _boundary_cases():
    for row, indicators in TABLE.items():
        for ind, bounds in indicators.items():
            for bound, (at, below) in zip(bounds, EXPECTED, strict=True):
                for value, expected in ((bound, at), (bound - STEP[ind], below)):
                    args = {i: (_value(i, value) if i == ind else HIGH[i]) for i in "XYZ"}
                    yield pytest.param(row, args, expected, id=f"{row}-{ind}={value}-{expected}")


def _run(row: str, args: dict) -> SizeResult:
    return classify(row, args["X"], args["Y"], args["Z"])


def test_table_covers_every_row_of_the_code():
    assert set(TABLE) == set(THRESHOLDS)
    for row, bands in THRESHOLDS.items():
        assert {b[0] for b in bands} == set(TABLE[row]), row


@pytest.mark.parametrize(("row", "args", "expected"), list(_boundary_cases()))
def test_boundary(row, args, expected):
    assert _run(row, args).size_class == expected


@pytest.mark.parametrize(
    ("row", "x", "y", "z", "expected"),
    [
        ("industry", 1000, "40000", None, "大型"),
        ("industry", 999, "40000", None, "中型"),
        ("industry", 1000, "39999.99", None, "中型"),
        ("industry", 300, "2000", None, "中型"),
        ("industry", 299, "2000", None, "小型"),
        ("industry", 300, "1999.99", None, "小型"),
        ("industry", 20, "300", None, "小型"),
        ("industry", 19, "300", None, "微型"),
        ("industry", 20, "299.99", None, "微型"),
        ("industry", 1500, "1000", None, "小型"),  # drop a class until every bound is met
        ("industry", 5000, "30000", None, "中型"),
        ("industry", 500, "100", None, "微型"),  # micro needs only one indicator
        ("industry", 0, "1000000", None, "微型"),
        ("wholesale", 200, "4999.99", None, "小型"),
        ("wholesale", 4, "50000", None, "微型"),
        ("construction", None, "80000", "79999.99", "中型"),
        ("real_estate_dev", None, "200000", "9999.99", "中型"),
        ("real_estate_dev", None, "99.99", "20000", "微型"),
        ("leasing_business", 300, None, "120000", "大型"),
        ("leasing_business", 9, None, "200000", "微型"),
        ("property_mgmt", 99, "6000", None, "微型"),
        ("agriculture", None, "20000", None, "大型"),
        ("agriculture", None, "49.99", None, "微型"),
        ("other", 300, None, None, "大型"),
        ("other", 9, None, None, "微型"),
    ],
)
def test_written_out_cases(row, x, y, z, expected):
    dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    assert classify(row, x, dec(y), dec(z)).size_class == expected


def test_indicators_the_row_does_not_list_are_ignored():
    # 其他未列明行业 lists only 从业人员: revenue and assets neither help nor hurt
    assert classify("other", 300, Decimal("1"), Decimal("1")).size_class == "大型"
    assert classify("other", 9, Decimal("99999999"), None).size_class == "微型"
    # 农林牧渔业 lists only 营业收入: no 从业人员 needed
    assert classify("agriculture", None, Decimal("500"), None).size_class == "中型"


def test_missing_indicator_leaves_class_undetermined():
    r = classify("industry", None, Decimal("50000"), None)
    assert r.size_class is None and not r.decided
    assert "缺少从业人员" in r.reason
    assert r.missing == ("X",)
    r = classify("construction", None, Decimal("80000"), None)
    assert r.size_class is None and "缺少资产总额" in r.reason and r.missing == ("Z",)
    r = classify("industry", None, None, None)
    assert r.size_class is None and "缺少从业人员、营业收入" in r.reason


def test_missing_indicator_still_micro_when_one_known_is_below_small():
    r = classify("industry", None, Decimal("299.99"), None)
    assert r.size_class == "微型" and r.decided
    assert r.missing == ("X",)
    assert "营业收入 299.99万元 < 300万元（小型下限）" in r.reason
    # the known indicator at the small bound is not enough
    assert classify("industry", None, Decimal("300"), None).size_class is None


def test_reason_renders_the_values_used():
    r = classify("industry", 1500, Decimal("1000"), None)
    assert r.reason == (
        "工业：营业收入 1000万元 < 2000万元（中型下限），"
        "从业人员 1500人 ≥ 20人、营业收入 1000万元 ≥ 300万元（小型下限） → 小型"
    )
    r = classify("industry", 1000, Decimal("40000.0000"), None)
    assert r.reason == "工业：从业人员 1000人 ≥ 1000人、营业收入 40000万元 ≥ 40000万元（大型下限） → 大型"
    r = classify("retail", 5, Decimal("50"), None)
    assert r.reason == (
        "零售业：从业人员 5人 < 10人（小型下限），营业收入 50万元 < 100万元（小型下限），"
        "一项低于小型下限即为微型 → 微型"
    )


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="规模划分行 'farm' 不存在"):
        classify("farm", 10, None, None)
    with pytest.raises(TypeError, match="浮点数"):
        classify("industry", 10, 300.0, None)
    with pytest.raises(TypeError, match="从业人员须为整数"):
        classify("industry", Decimal("10"), Decimal("300"), None)
    with pytest.raises(ValueError, match="从业人员不能为负数：-1"):
        classify("industry", -1, Decimal("300"), None)
    with pytest.raises(ValueError, match="营业收入不能为负数"):
        classify("industry", 10, Decimal("-0.01"), None)


def test_int_amounts_are_exact_too():
    assert classify("industry", 1000, 40000, None).size_class == "大型"
    assert classify("industry", 1000, 39999, None).size_class == "中型"


def test_classify_unit_maps_the_code_first():
    assert classify_unit("C3311", 1000, Decimal("40000"), None).size_class == "大型"
    assert classify_unit("C3311", 1000, Decimal("40000"), None).row == "industry"
    # F51 wholesale vs F52 retail: same figures, different classes
    assert classify_unit("F5110", 200, Decimal("40000"), None).size_class == "大型"
    assert classify_unit("F5211", 200, Decimal("40000"), None).size_class == "中型"
    # rail is not 交通运输业: 其他未列明行业, by 从业人员 only
    assert classify_unit("G5310", 300, None, None).size_class == "大型"
    assert classify_unit("G5410", 300, None, None).size_class is None
    r = classify_unit(None, 5, None, None)
    assert r.size_class is None and "缺少行业代码" in r.reason
    assert classify_unit("  ", 5, None, None).size_class is None
    with pytest.raises(ValueError, match="行业代码"):
        classify_unit("C0311", 5, None, None)
