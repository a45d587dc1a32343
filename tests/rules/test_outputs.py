"""The amount-only evaluation gives exactly the full evaluation's statuses and amounts; the
bounds remembered with an input frame and the cached compiled plans change no result."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.test_exactness import PERIOD, WG, frame_of
from zhida.errors import PolicyError
from zhida.rules import bounds
from zhida.rules.evaluate import evaluate, resolve_parameters

MAYBE = st.none() | st.integers(0, 10**9) | st.integers(0, 10**17)
UNIT = st.fixed_dictionaries({
    "size_class": st.sampled_from(["大型", "中型", "小型", "微型", None]),
    "unit_type": st.sampled_from(["企业", "机关事业单位", "社会团体", "个体工商户", None]),
})
PAY = st.fixed_dictionaries({
    "employer_paid": MAYBE, "employee_paid": MAYBE, "backpay": st.none() | st.integers(0, 10**6),
    "months_paid": st.none() | st.integers(0, 12), "insured_start": st.none() | st.integers(0, 60),
    "insured_end": st.none() | st.integers(0, 60), "insured_avg": st.none() | st.integers(0, 6000),
    "new_claimants": st.none() | st.integers(0, 5), "arrears": st.none() | st.integers(0, 10),
})
RATE = st.decimals(0, 100, places=2).map(lambda d: f"{d}%")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(UNIT, PAY, st.booleans()), min_size=1, max_size=40),
       method=st.sampled_from(["A", "B", "C"]), large=RATE, sme=RATE, arrears=st.sampled_from(["true", "false"]))
def test_amount_only_matches_full(rows, method, large, sme, arrears):
    units, pays = [u for u, _, _ in rows], [p for _, p, _ in rows]
    credit = [(i, {"list_type": "失信被执行人", "listed_on": PERIOD.start.replace(year=2024), "removed_on": None})
              for i, (_, _, listed) in enumerate(rows) if listed]
    frame = frame_of(units, pays, credit)
    params = resolve_parameters(WG, PERIOD.start, {"layoff.method": method, "rate.large": large, "rate.sme": sme,
                                                   "arrears.exclude": arrears})
    full = evaluate(WG, frame, PERIOD, params)
    only = evaluate(WG, frame, PERIOD, params, outputs="amount")
    assert only.frame.columns == ["uscc", "status", "amount_fen"]
    assert only.frame.equals(full.frame.select("uscc", "status", "amount_fen"))
    # the same frame without remembered bounds (a copy: bounds found by a pass) decides the same
    again = evaluate(WG, frame.clone(), PERIOD, params, outputs="amount")
    assert again.frame.equals(only.frame)


def _one(employer_paid: int) -> pl.DataFrame:
    return frame_of([{"size_class": "小型", "unit_type": "企业"}],
                    [{"employer_paid": employer_paid, "employee_paid": 0, "backpay": 0, "months_paid": 12,
                      "insured_start": 100, "insured_end": 100, "insured_avg": 10000, "new_claimants": 0,
                      "arrears": 0}])


def test_loader_remembers_bounds_and_copies_do_not_inherit_them():
    frame = _one(12_345)
    assert bounds.recall(frame, ["employer_paid"]) == {"employer_paid": (12_345, 12_345)}
    assert bounds.recall(frame.clone(), ["employer_paid"]) is None
    assert bounds.recall(frame.with_columns(pl.col("employer_paid") * 10**12), ["employer_paid"]) is None


def test_cached_plans_follow_parameters_and_bounds():
    """Same policy twice: the plan is reused, yet another rate or a frame needing Int128 is compiled anew."""
    sixty = resolve_parameters(WG, PERIOD.start)
    ninety = resolve_parameters(WG, PERIOD.start, {"rate.sme": "90%"})
    assert evaluate(WG, _one(1001), PERIOD, sixty, outputs="amount").frame["amount_fen"].to_list() == [601]
    assert evaluate(WG, _one(1001), PERIOD, sixty, outputs="amount").frame["amount_fen"].to_list() == [601]
    assert evaluate(WG, _one(1001), PERIOD, ninety, outputs="amount").frame["amount_fen"].to_list() == [901]
    huge = 3 * 10**18  # × 6 overflows Int64: a plan for small bounds must not be reused
    assert evaluate(WG, _one(huge), PERIOD, sixty).frame["amount_fen"].to_list() == [18 * 10**17]
    assert evaluate(WG, _one(huge), PERIOD, sixty, outputs="amount").frame["amount_fen"].to_list() == [18 * 10**17]


def test_unknown_outputs_refused_in_chinese():
    with pytest.raises(PolicyError, match="评估输出"):
        evaluate(WG, _one(1), PERIOD, resolve_parameters(WG, PERIOD.start), outputs="reasons")
