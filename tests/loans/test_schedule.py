"""Interest, its split and the plans, checked against exact fractions computed independently."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from zhida.errors import ValidationFailed
from zhida.loans import schedule
from zhida.loans.rates import days_between, interest_fen, parse_rate
from zhida.loans.schedule import Terms, build, repay_early, split

D = dt.date


def half_up(x: Fraction) -> int:
    """Independent half-up rounding of a non-negative fraction of fen."""
    whole = x.numerator // x.denominator
    return whole + (1 if x - whole >= Fraction(1, 2) else 0)


def exact(balance_fen: int, rate_pct: str, days: int, base: int = 360) -> Fraction:
    return Fraction(balance_fen) * Fraction(rate_pct) / 100 * days / base


def test_first_quarter_of_the_issue_example():
    p = build(Terms(20_000_000, parse_rate("3.5%"), parse_rate("3.0%"), D(2026, 1, 1), 36))[0]
    assert (p.days, p.interest_fen) == (90, half_up(exact(20_000_000, "3.5", 90)))
    assert p.borrower_fen == half_up(exact(20_000_000, "1.5", 90))
    assert p.subsidy_fen == p.interest_fen - p.borrower_fen


@pytest.mark.parametrize("days,expected", [(5, 1), (4, 0)])
def test_interest_rounds_half_up_once(days, expected):
    # 1000 fen × 3.6% × 5 ÷ 360 = 0.5 fen → 1; × 4 days = 0.4 fen → 0
    assert interest_fen(1000, parse_rate("3.6%"), days, "act/360") == expected == half_up(exact(1000, "3.6", days))


def test_day_count_bases_differ():
    assert days_between(D(2026, 1, 1), D(2026, 4, 1), "act/360") == 90
    assert days_between(D(2026, 4, 1), D(2026, 7, 1), "act/360") == 91
    assert days_between(D(2026, 4, 1), D(2026, 7, 1), "30/360") == 90
    assert interest_fen(36_000_000, parse_rate("3.65%"), 365, "act/365") == 1_314_000


@pytest.mark.parametrize("rate,subsidy_positive", [("1.50%", False), ("1.51%", True)])
def test_lpr_minus_150bp_threshold_from_both_sides(rate, subsidy_positive):
    interest, borrower, subsidy = split(36_000_000, parse_rate(rate), parse_rate("3.0%"), 90, "lpr-150bp", "act/360")
    assert (subsidy > 0) is subsidy_positive
    assert borrower == half_up(exact(36_000_000, min(Fraction(rate[:-1]), Fraction(3, 2)), 90))
    assert borrower + subsidy == interest


def test_lpr_below_150bp_leaves_the_borrower_nothing():
    interest, borrower, subsidy = split(10_000_000, parse_rate("2.0%"), parse_rate("1.2%"), 90, "lpr-150bp", "act/360")
    assert borrower == 0 and subsidy == interest > 0


def test_half_rate_splits_the_actual_rate():
    interest, borrower, subsidy = split(20_000_000, parse_rate("3.5%"), parse_rate("3.0%"), 90, "half-rate", "act/360")
    assert (interest, borrower, subsidy) == (175_000, 87_500, 87_500)
    # an odd fen: the borrower's half rounds half up, the subsidy is the rest
    interest, borrower, subsidy = split(1_000, parse_rate("3.6%"), 0, 15, "half-rate", "act/360")
    assert interest == half_up(exact(1000, "3.6", 15)) == 2 and borrower == half_up(exact(1000, "1.8", 15)) == 1


def test_no_subsidy_for_overdue_or_extended_period():
    assert split(20_000_000, parse_rate("3.5%"), parse_rate("3.0%"), 90, "lpr-150bp", "act/360", False) == \
        (175_000, 175_000, 0)


def test_interest_quarterly_plan_sums_to_exact_per_period_values():
    t = Terms(20_000_000, parse_rate("3.5%"), parse_rate("3.0%"), D(2026, 1, 1), 36)
    periods = build(t)
    assert len(periods) == 12 and periods[-1].end == D(2029, 1, 1)
    assert [p.principal_fen for p in periods] == [0] * 11 + [20_000_000]
    assert sum(p.days for p in periods) == (D(2029, 1, 1) - D(2026, 1, 1)).days
    assert all(p.interest_fen == half_up(exact(20_000_000, "3.5", p.days)) for p in periods)
    assert all(p.borrower_fen + p.subsidy_fen == p.interest_fen for p in periods)


def test_a_term_that_is_not_whole_quarters_ends_with_a_short_period():
    periods = build(Terms(10_000_000, parse_rate("3.45%"), parse_rate("3.0%"), D(2026, 1, 31), 7))
    assert [(p.start, p.end) for p in periods][-2:] == [(D(2026, 4, 30), D(2026, 7, 31)), (D(2026, 7, 31), D(2026, 8, 31))]


def test_equal_instalments_repay_all_principal_with_the_annuity_instalment():
    t = Terms(20_000_000, parse_rate("3.5%"), parse_rate("3.0%"), D(2026, 1, 1), 36, "equal-instalments")
    periods = build(t)
    r = Fraction(35, 1000) / 12
    annuity = Fraction(20_000_000) * r / (1 - 1 / (1 + r) ** 36)
    assert schedule.instalment_fen(20_000_000, t.rate, 36) == half_up(annuity)
    assert len(periods) == 36 and sum(p.principal_fen for p in periods) == 20_000_000
    assert periods[-1].balance_fen == 0
    balance = 20_000_000
    for p in periods[:-1]:
        assert p.interest_fen == half_up(exact(balance, "3.5", p.days))
        assert p.principal_fen + p.interest_fen == half_up(annuity)
        balance -= p.principal_fen


def test_early_repayment_is_charged_by_actual_days():
    t = Terms(20_000_000, parse_rate("3.5%"), parse_rate("3.0%"), D(2026, 1, 1), 36)
    periods = repay_early(t, build(t), D(2026, 5, 16))
    assert len(periods) == 2
    last = periods[-1]
    assert (last.start, last.end, last.days, last.principal_fen) == (D(2026, 4, 1), D(2026, 5, 16), 45, 20_000_000)
    assert last.interest_fen == half_up(exact(20_000_000, "3.5", 45))
    with pytest.raises(ValidationFailed, match="提前还款日"):
        repay_early(t, build(t), D(2029, 1, 1))


@pytest.mark.parametrize("kwargs,message", [
    ({"months": 0}, "贷款期限"), ({"repayment": "bullet"}, "还款方式"), ({"formula": "x"}, "贴息方式"),
    ({"day_count": "act/366"}, "计息基准"), ({"principal_fen": 0}, "本金"),
])
def test_bad_terms_are_refused_in_chinese(kwargs, message):
    base = dict(principal_fen=100, rate=1, lpr=1, start=D(2026, 1, 1), months=12)
    with pytest.raises(ValidationFailed, match=message):
        Terms(**{**base, **kwargs})


@pytest.mark.parametrize("text,message", [("abc", "不是数字"), ("-1%", "非负"), ("3.1234567%", "小数位"), ("120%", "小于 100%")])
def test_bad_rates_are_refused(text, message):
    with pytest.raises(ValidationFailed, match=message):
        parse_rate(text)
