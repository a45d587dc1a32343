"""The fast evaluation stays exact: amounts against a Decimal reference on random inputs
(both the Int64 and the Int128 path), and the vectorised reasons against the per-row ones."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhida.rules import service
from zhida.rules.evaluate import evaluate, resolve_parameters
from zhida.rules.inputs import SCHEMAS, Sources, input_frame
from zhida.rules.period import Period
from zhida.rules.reasons import Values, reasons_for, unit_reasons

WG = service.get_policy("wengang-fanhuan")
YG = service.get_policy("yanggu-wenfazhan")
PERIOD, AS_OF = Period.parse("2025"), dt.date(2025, 6, 30)


def frame_of(units: list[dict], payments: list[dict], credit: list[dict] | None = None) -> pl.DataFrame:
    n = len(units)
    codes = [f"U{i:05d}" for i in range(n)]
    u = pl.DataFrame([{"uscc": c, "name": c, **r} for c, r in zip(codes, units, strict=True)], schema=SCHEMAS["units"])
    rows = [{"uscc": c, "year": 2024, **r} for c, r in zip(codes, payments, strict=True)]
    p = pl.DataFrame(rows, schema=SCHEMAS["ui_payments"])
    ce = pl.DataFrame([{"uscc": codes[i], **r} for i, r in (credit or [])], schema=SCHEMAS["credit_entries"])
    return input_frame(WG, PERIOD, AS_OF, Sources({"units": u, "ui_payments": p, "credit_entries": ce}))


def reference_fen(base: int, rate: str) -> int:
    """The refund by hand: Decimal, rounded half up (away from zero) once, at the fen."""
    exact = Decimal(base) * Decimal(rate.rstrip("%")) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


PAID = st.integers(0, 10**12) | st.integers(0, 10**17)  # realistic fen, and far beyond Int64 after × rate
RATE = st.decimals(0, 100, places=4).map(lambda d: f"{d}%")
ROW = st.tuples(PAID, PAID, st.integers(0, 10**12), st.sampled_from(["大型", "中型", "小型", "微型"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=30), large=RATE, sme=RATE)
def test_amounts_match_decimal_reference(rows, large, sme):
    units = [{"size_class": size, "unit_type": "企业"} for *_, size in rows]
    pays = [{"employer_paid": a, "employee_paid": b, "backpay": c, "months_paid": 12, "insured_start": 200,
             "insured_end": 200, "insured_avg": 20000, "new_claimants": 0, "arrears": 0} for a, b, c, _ in rows]
    params = resolve_parameters(WG, PERIOD.start, {"rate.large": large, "rate.sme": sme})
    ev = evaluate(WG, frame_of(units, pays), PERIOD, params)
    want = [reference_fen(a + b - c, large if size == "大型" else sme) for a, b, c, size in rows]
    assert ev.frame["amount_fen"].to_list() == want
    assert set(ev.frame["status"].to_list()) == {"eligible"}


def test_int64_on_ordinary_data_int128_beyond():
    """Bounds from the data pick Int64 for ordinary amounts and Int128 when a product could overflow."""
    pay = {"employer_paid": 12_000_000, "employee_paid": 4_000_000, "backpay": 0, "months_paid": 12,
           "insured_start": 200, "insured_end": 200, "insured_avg": 20000, "new_claimants": 0, "arrears": 0}
    params = resolve_parameters(WG, PERIOD.start)
    ordinary = evaluate(WG, frame_of([{"size_class": "小型", "unit_type": "企业"}], [pay]), PERIOD, params)
    assert ordinary.frame.schema["v.layoff_rate.n"] == pl.Int64 and ordinary.frame["amount_fen"][0] == 9_600_000
    huge = dict(pay, employer_paid=9 * 10**18, employee_paid=0)
    wide = evaluate(WG, frame_of([{"size_class": "小型", "unit_type": "企业"}], [huge]), PERIOD,
                    resolve_parameters(WG, PERIOD.start, {"rate.sme": "0.0001%"}))
    assert wide.frame["amount_fen"][0] == reference_fen(9 * 10**18, "0.0001%") == 9 * 10**12


OPT = st.one_of(st.none(), st.integers(0, 400))
PAY = st.fixed_dictionaries({
    "employer_paid": st.one_of(st.none(), st.integers(0, 10**9)), "employee_paid": st.integers(0, 10**8),
    "backpay": st.integers(0, 10**6), "months_paid": st.one_of(st.none(), st.integers(10, 12)),
    "insured_start": OPT, "insured_end": OPT, "insured_avg": st.one_of(st.none(), st.integers(0, 40000)),
    "new_claimants": st.one_of(st.none(), st.integers(0, 40)), "arrears": st.one_of(st.none(), st.integers(0, 5))})
UNIT = st.fixed_dictionaries({"size_class": st.sampled_from([None, "大型", "小型"]),
                              "unit_type": st.sampled_from([None, "企业", "机关事业单位", "a\"b\\c"])})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(UNIT, PAY, st.booleans()), min_size=1, max_size=25),
       method=st.sampled_from(["A", "B", "C"]), arrears=st.sampled_from(["true", "false"]))
def test_vectorised_reasons_equal_per_row_reasons(rows, method, arrears):
    credit = [(i, {"list_type": "失信被执行人", "listed_on": dt.date(2024, 1, 1)}) for i, r in enumerate(rows) if r[2]]
    frame = frame_of([r[0] for r in rows], [r[1] for r in rows], credit)
    params = resolve_parameters(WG, PERIOD.start, {"layoff.method": method, "arrears.exclude": arrears})
    _same_reasons(evaluate(WG, frame, PERIOD, params))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from([None, "B", "C", "E"]), st.one_of(st.none(), st.integers(0, 10**9)),
                               st.one_of(st.none(), st.integers(0, 10**10)),
                               st.one_of(st.none(), st.integers(0, 10**10)),
                               st.sampled_from([None, True, False])), min_size=1, max_size=20))
def test_vectorised_reasons_growth_policy(rows):
    period = Period.parse("2026-Q1")
    codes = [f"F{i:04d}" for i in range(len(rows))]
    units = pl.DataFrame([{"uscc": c, "name": c, "industry_section": s, "revenue_wan": r}
                          for c, (s, r, *_) in zip(codes, rows, strict=True)], schema=SCHEMAS["units"])
    io = pl.DataFrame([{"uscc": c, "year": 2026, "quarter": 1, "output_wan": o, "prior_output_wan": p,
                        "above_scale_recorded": a} for c, (_, _, o, p, a) in zip(codes, rows, strict=True)],
                      schema=SCHEMAS["industrial_output"])
    frame = input_frame(YG, period, period.start, Sources({"units": units, "industrial_output": io}))
    _same_reasons(evaluate(YG, frame, period, resolve_parameters(YG, period.start)))


def _same_reasons(ev) -> None:
    values = Values(ev)
    fast = reasons_for(ev)
    slow = [unit_reasons(values, row) for row in ev.frame.iter_rows(named=True)]
    assert fast == json.loads(json.dumps(slow))


def test_only_the_method_in_force_is_computed_and_explained():
    """Folding layoff.method keeps only the variables a decision uses; explanations still show them."""
    from zhida.rules.explain import explain_row

    pay = {"employer_paid": 12_000_000, "employee_paid": 4_000_000, "backpay": 0, "months_paid": 12,
           "insured_start": 200, "insured_end": 190, "insured_avg": 20000, "new_claimants": 3, "arrears": 0}
    want = {"A": ("v.layoff_rate_b.n", "裁员率 = 1.5%"), "B": ("v.layoff_rate_a.n", "裁员率 = 5%"),
            "C": (None, "= 1.5%")}
    for method, (absent, line) in want.items():
        ev = evaluate(WG, frame_of([{"size_class": "小型", "unit_type": "企业"}], [pay]), PERIOD,
                      resolve_parameters(WG, PERIOD.start, {"layoff.method": method}))
        assert absent is None or absent not in ev.frame.columns
        text = explain_row(ev, ev.frame["uscc"][0], PERIOD, AS_OF).text()
        assert any(x.strip().startswith("裁员率 =") and x.endswith(line) for x in text.splitlines()), text
