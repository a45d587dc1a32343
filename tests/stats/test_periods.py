"""Periods: the four written forms, round trip, previous year, elapsed share, bad forms."""

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhida.stats.periods import Period, canonical_period


@pytest.mark.parametrize("text, kind, start, end", [
    ("2026", "year", 1, 12),
    ("2026-Q1", "quarter", 1, 3),
    ("2026-Q4", "quarter", 10, 12),
    ("2026-03", "month", 3, 3),
    ("2026-01~02", "cumulative", 1, 2),
    ("2026-01~12", "cumulative", 1, 12),
])
def test_parse_forms(text, kind, start, end):
    p = Period.parse(text)
    assert (p.year, p.kind, p.start, p.end) == (2026, kind, start, end)
    assert str(p) == text


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-03", "2026/03", "2026-03~02",
                                  "2026-01~13", "2026年3月", "", "2026-3", "abc"])
def test_unknown_forms_are_refused_in_chinese(text):
    with pytest.raises(ValueError) as exc:
        Period.parse(text)
    assert "2026-Q1（季度）" in str(exc.value) and "2026-01~02" in str(exc.value)


def test_year_out_of_range_is_refused():
    with pytest.raises(ValueError, match="年份不合理"):
        Period.parse("1899-03")


@given(year=st.integers(1900, 2100), start=st.integers(1, 12), length=st.integers(0, 11),
       kind=st.sampled_from(["year", "quarter", "month", "cumulative"]))
def test_round_trip(year, start, length, kind):
    end = min(12, start + length)
    if kind == "year":
        text = f"{year}"
    elif kind == "quarter":
        text = f"{year}-Q{(start - 1) // 3 + 1}"
    elif kind == "month":
        text = f"{year}-{start:02d}"
    else:
        text = f"{year}-{start:02d}~{end:02d}"
    p = Period.parse(text)
    assert str(p) == text
    assert Period.parse(str(p)) == p
    prev = p.previous_year()
    assert (prev.year, prev.start, prev.end, prev.kind) == (year - 1, p.start, p.end, p.kind)


def test_elapsed_share_and_last_day():
    assert Period.parse("2026-01~02").elapsed_share() == Fraction(2, 12)
    assert Period.parse("2026-Q1").elapsed_share() == Fraction(3, 12)
    assert Period.parse("2026").elapsed_share() == 1
    assert Period.parse("2026-02").last_day() == dt.date(2026, 2, 28)
    assert Period.parse("2028-01~02").last_day() == dt.date(2028, 2, 29)
    assert Period.parse("2026-Q4").last_day() == dt.date(2026, 12, 31)


def test_canonical_forms():
    assert canonical_period("2026-q2") == "2026-Q2"
    assert canonical_period("2026-01 ～ 03") == "2026-01~03"
