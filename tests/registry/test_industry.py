"""GB/T 4754-2017 codes: format, 门类/大类 consistency, and the size-standard row of each."""

from __future__ import annotations

import pytest

from zhida.registry.industry import (
    SECTIONS,
    SIZE_ROW_LABELS,
    parse_industry_code,
    section_name,
    section_of,
    size_row,
    size_row_label,
)
from zhida.registry.sizeclass import THRESHOLDS

# 门类 → (first, last) 大类, written out from GB/T 4754-2017
RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 97), "T": (98, 98),
}


@pytest.mark.parametrize(
    ("code", "row"),
    [
        ("A0111", "agriculture"), ("A03", "agriculture"), ("A0511", "agriculture"),  # 05 stays
        ("B0610", "industry"), ("B1120", "industry"), ("C3311", "industry"), ("C13", "industry"),
        ("C4350", "industry"), ("D4411", "industry"), ("D46", "industry"),
        ("E4710", "construction"), ("E50", "construction"),
        ("F5110", "wholesale"), ("F51", "wholesale"), ("F512", "wholesale"),
        ("F5211", "retail"), ("F52", "retail"),
        ("G5310", "other"), ("G53", "other"),  # rail is not 交通运输业
        ("G5411", "transport"), ("G55", "transport"), ("G5610", "transport"), ("G57", "transport"),
        ("G5811", "transport"),  # 多式联运和运输代理
        ("G5910", "warehousing"), ("G59", "warehousing"),
        ("G6010", "postal"),
        ("H6110", "accommodation"), ("H6210", "catering"),
        ("I6311", "telecom"), ("I6410", "telecom"), ("I6510", "software"), ("I65", "software"),
        ("K7010", "real_estate_dev"), ("K701", "real_estate_dev"),
        ("K7020", "property_mgmt"), ("K702", "property_mgmt"),
        ("K7030", "other"), ("K7040", "other"), ("K7090", "other"), ("K70", "other"),
        ("L7111", "leasing_business"), ("L72", "leasing_business"), ("L7296", "leasing_business"),
        ("J6610", "other"), ("M7310", "other"), ("N7610", "other"), ("O8010", "other"),
        ("P8310", "other"), ("Q8411", "other"), ("R8610", "other"), ("S9100", "other"),
        ("T9800", "other"),
        # letter only: placed only when the whole 门类 is one row
        ("A", "agriculture"), ("B", "industry"), ("C", "industry"), ("D", "industry"),
        ("E", "construction"), ("L", "leasing_business"),
        ("F", "other"), ("G", "other"), ("H", "other"), ("I", "other"), ("K", "other"),
        ("J", "other"), ("T", "other"),
        # digits only: the letter follows from the 大类
        ("3311", "industry"), ("5211", "retail"), ("7010", "real_estate_dev"),
    ],
)
def test_size_row(code, row):
    assert size_row(code) == row


def test_every_row_has_a_label_and_thresholds():
    assert set(SIZE_ROW_LABELS) == set(THRESHOLDS)
    assert SIZE_ROW_LABELS["other"] == "其他未列明行业"
    assert size_row_label("C3311") == "工业"
    assert size_row_label("G5310") == "其他未列明行业"


def test_sections_match_the_standard():
    assert {k: (v[1], v[2]) for k, v in SECTIONS.items()} == RANGES
    assert section_name("C") == "制造业"
    assert section_name("k") == "房地产业"
    assert section_name("F") == "批发和零售业"
    with pytest.raises(ValueError, match="门类字母 U 不存在"):
        section_name("U")


@pytest.mark.parametrize(("letter", "bounds"), list(RANGES.items()))
def test_both_ends_of_each_section_and_the_neighbours(letter, bounds):
    first, last = bounds
    assert section_of(f"{letter}{first:02d}") == letter
    assert section_of(f"{letter}{last:02d}10") == letter
    assert section_of(f"{first:02d}") == letter
    if first > 1:
        with pytest.raises(ValueError, match=f"不属于门类 {letter}"):
            parse_industry_code(f"{letter}{first - 1:02d}")
    if last < 98:
        with pytest.raises(ValueError, match=f"不属于门类 {letter}"):
            parse_industry_code(f"{letter}{last + 1:02d}")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("C3311", "C3311"), (" c3311 ", "C3311"), ("C33", "C33"), ("C331", "C331"), ("k", "K"),
     ("3311", "C3311"), ("05", "A05"), ("98", "T98")],
)
def test_normalised(raw, normal):
    assert parse_industry_code(raw) == normal


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", '行业代码 "" 格式不对：行业代码应为门类字母加 2–4 位数字，如 C3311'),
        (None, "格式不对"),
        ("C3", "格式不对"),
        ("C33111", "格式不对"),
        ("33C", "格式不对"),
        ("CC33", "格式不对"),
        ("C-3311", "格式不对"),
        ("制造业", "格式不对"),
        ("U1234", "门类字母 U 不存在"),
        ("C00", "大类 00 不存在"),
        ("99", "大类 99 不存在"),
        ("C0311", "行业代码 C0311 的大类 03 不属于门类 C（制造业，大类 13–43）；大类 03 属于门类 A"),
        ("F5310", "大类 53 不属于门类 F"),
        ("G5211", "大类 52 不属于门类 G"),
        ("K7110", "大类 71 不属于门类 K（房地产业，大类 70）；大类 71 属于门类 L"),
    ],
)
def test_bad_codes_are_refused(raw, message):
    with pytest.raises(ValueError) as err:
        parse_industry_code(raw)
    assert message in str(err.value)
    with pytest.raises(ValueError):
        size_row(raw)
