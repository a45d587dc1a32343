"""Rates rounded once from exact figures (domain notes §9), pinned from both sides."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from zhida.projects.rates import met, rate_of, round_pct


def test_the_domain_example_is_rounded_once():
    r = rate_of(6290, 6474, 10)
    assert (r.completion_pct, r.schedule_pct, r.ahead_pp) == (Decimal("97.2"), Decimal("83.3"), Decimal("13.8"))
    # the rounded parts would give 13.9: the rate is not computed from them
    assert r.completion_pct - r.schedule_pct == Decimal("13.9")


@pytest.mark.parametrize("value, shown", [
    (Fraction(1249, 10000), "12.5"), (Fraction(1245, 10000), "12.5"), (Fraction(12449, 100000), "12.4"),
    (Fraction(-1245, 10000), "-12.5"), (Fraction(-12449, 100000), "-12.4"), (Fraction(2, 3), "66.7"),
    (Fraction(0), "0.0"),
])
def test_half_up_at_the_tenth_of_a_percent(value, shown):
    assert round_pct(value) == Decimal(shown)


def test_time_schedule_is_elapsed_months_over_twelve():
    assert [rate_of(1, 1, m).schedule_pct for m in (1, 6, 11, 12)] == \
        [Decimal("8.3"), Decimal("50.0"), Decimal("91.7"), Decimal("100.0")]
    with pytest.raises(ValueError):
        _ = rate_of(1, 1, 13).schedule_pct


def test_yi_shang_means_at_least():
    assert met(Decimal(40), Decimal(40)) and met(Decimal(41), Decimal(40)) and not met(Decimal(39), Decimal(40))
    assert met(Fraction(2001, 100), Decimal(20)) and not met(Fraction(1999, 100), Decimal(20))


def test_behind_by_more_than_the_parameter_is_strict():
    # month 6: schedule 50%; done 40 of 100 is behind by exactly 10 points
    assert not rate_of(40, 100, 6).behind_more_than(Decimal(10))
    assert rate_of(3999, 10000, 6).behind_more_than(Decimal(10))
    assert not rate_of(4001, 10000, 6).behind_more_than(Decimal(10))


def test_no_plan_gives_no_rate():
    r = rate_of(5, 0, 4)
    assert r.completion_pct is None and r.ahead_pp is None and not r.behind_more_than(Decimal(0))
