"""Runs against a real database (SQLite and PostgreSQL): stored, explained, simulated."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.rules.dbdata import populate
from zhida.db import session_scope
from zhida.errors import NotFound, PolicyError
from zhida.rules import service
from zhida.rules.models import PolicyResult, PolicyRun

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def codes(engine):
    with session_scope(engine) as s:
        return populate(s)


def results(engine, run_id):
    with session_scope(engine) as s:
        rows = s.scalars(select(PolicyResult).where(PolicyResult.run_id == run_id)).all()
        return {r.uscc: r for r in rows}


def test_wengang_run_is_stored_with_reasons(engine, codes):
    with session_scope(engine) as s:
        run = service.run_policy(s, "wengang-fanhuan", "2025", as_of=AS_OF)
        run_id = run.id
        summary = service.summarise_run(run, s)
    r = results(engine, run_id)
    assert set(r) == {codes[k] for k in ("small", "large", "layoff", "listed", "delisted", "institution", "nosize")}
    assert (r[codes["small"]].status, r[codes["small"]].amount_fen) == ("eligible", 9_600_000)
    assert (r[codes["large"]].status, r[codes["large"]].amount_fen) == ("eligible", 4_800_000)
    assert r[codes["layoff"]].status == "ineligible"
    assert r[codes["listed"]].status == "ineligible"
    assert (r[codes["delisted"]].status, r[codes["delisted"]].amount_fen) == ("eligible", 9_600_000)
    assert r[codes["institution"]].status == "ineligible"
    assert (r[codes["nosize"]].status, r[codes["nosize"]].amount_fen) == ("undetermined", 0)
    assert r[codes["small"]].insured == 200 and r[codes["small"]].township == "振兴街道"
    layoff = {x["code"]: x for x in r[codes["layoff"]].reasons}["layoff_rate"]
    assert layoff["passed"] is False and layoff["values"]["insured_avg"] == "199.99"
    with session_scope(engine) as s:
        run = s.get(PolicyRun, run_id)
        assert (run.evaluated, run.eligible, run.undetermined, run.total_fen) == (7, 3, 1, 24_000_000)
        assert run.parameters["rate.sme"]["value"] == "60%" and len(run.policy_hash) == 64
        assert run.input_snapshot["rows"]["ui_payments"] == 7
        assert service.latest_run(s, "wengang-fanhuan", "2025").id == run_id
    assert "符合 3 个" in summary and "小型" in summary and "240,000.00" in summary


def test_credit_judged_at_as_of(engine, codes):
    with session_scope(engine) as s:
        early = service.run_policy(s, "wengang-fanhuan", "2025", as_of=dt.date(2025, 2, 28)).id
    assert results(engine, early)[codes["delisted"]].status == "ineligible"


def test_yanggu_run_takes_prior_from_last_year(engine, codes):
    with session_scope(engine) as s:
        run_id = service.run_policy(s, "yanggu-wenfazhan", "2026-Q1", as_of=AS_OF).id
    r = results(engine, run_id)
    assert (r[codes["factory"]].status, r[codes["factory"]].amount_fen) == ("eligible", 10_000_000)
    assert r[codes["shop"]].status == "ineligible"
    # 适用地域 阳谷县: the units of 茌平区 (振兴街道) and those registered at 聊城市 level without a
    # township are not evaluated at all
    assert set(r) == {codes["factory"], codes["shop"]}


def test_jurisdiction_names_the_region_when_explaining_an_outside_unit(engine, codes):
    with session_scope(engine) as s:
        with pytest.raises(NotFound, match="不在本策略的适用地域（阳谷县（371521））"):
            service.explain(s, "yanggu-wenfazhan", codes["small"], "2026-Q1", as_of=AS_OF)
        assert service.explain(s, "yanggu-wenfazhan", codes["factory"], "2026-Q1", as_of=AS_OF).status == "eligible"


def test_explain_reads_as_chinese(engine, codes):
    with session_scope(engine) as s:
        ex = service.explain(s, "wengang-fanhuan", codes["small"], "2025", as_of=AS_OF)
    text = ex.text()
    assert ex.status == "eligible" and ex.amount_fen == 9_600_000
    assert "✔ 裁员率未超过控制目标：裁员率 0% ≤ 5.5%" in text
    # an exclusion that does not apply reads as what it is, never as a tick before the exclusion
    assert "✔ 无失业保险欠费：" in text and "✔ 存在失业保险欠费" not in text
    assert "✔ 未列入严重失信主体名单" in text and "✔ 列入" not in text
    assert "返还金额 = (单位实缴 120,000.00 + 个人实缴 40,000.00 − 补缴 0.00) × 返还比例 60% = 96,000.00 元" in text


def test_explain_unknown_unit(engine, codes):
    with session_scope(engine) as s, pytest.raises(NotFound, match="不在"):
        service.explain(s, "wengang-fanhuan", codes["shop"], "2025", as_of=AS_OF)


def test_simulate_higher_rates(engine, codes):
    with session_scope(engine) as s:
        sim = service.simulate(s, "wengang-fanhuan", "2025", {"rate.sme": "0.9", "rate.large": "0.5"}, as_of=AS_OF)
        assert s.scalar(select(PolicyRun.id)) is None  # nothing stored
    assert sim.baseline["total_fen"] == 24_000_000
    assert sim.scenario["total_fen"] == 14_400_000 * 2 + 8_000_000
    assert sim.changed == 3
    assert "结果变化的单位 3 个" in "\n".join(sim.lines())


def test_wrong_period_kind_refused(engine, codes):
    with session_scope(engine) as s, pytest.raises(PolicyError, match="2026-Q1"):
        service.run_policy(s, "yanggu-wenfazhan", "2026", as_of=AS_OF)
