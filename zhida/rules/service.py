"""The public face of the rules engine, for the CLI, the web console and delivery."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import NotFound, PolicyError
from zhida.rules.cases import CaseResult, run_cases
from zhida.rules.dbsource import read_sources
from zhida.rules.entities import entity
from zhida.rules.evaluate import Evaluation, evaluate, resolve_parameters
from zhida.rules.explain import Explanation, explain_row
from zhida.rules.inputs import Sources, input_frame
from zhida.rules.jurisdiction import describe, within
from zhida.rules.lang.types import suggest
from zhida.rules.loader import discover, load_policy
from zhida.rules.models import PolicyRun
from zhida.rules.period import Period
from zhida.rules.policy import Policy
from zhida.rules.runs import store_run, summarise_run
from zhida.rules.simulate import SimulationResult, compare_runs

_CACHE: dict[tuple[str, float], Policy] = {}


def list_policies(policy_dir: str | None = None) -> list[Policy]:
    """Every policy found (``--policy-dir``, ``ZHIDA_POLICY_DIR``, then the built-in ones)."""
    return [_load(path) for path in discover(policy_dir).values()]


def get_policy(policy_id: str, policy_dir: str | None = None) -> Policy:
    files = discover(policy_dir)
    if policy_id not in files:
        raise NotFound(f"没有策略 {policy_id}。{suggest(policy_id, files)}")
    policy = _load(files[policy_id])
    if policy.id != policy_id:
        raise PolicyError(f"{files[policy_id].name}：id 应与文件名一致（{policy_id}），实际是 {policy.id}")
    return policy


def _load(path) -> Policy:
    key = (str(path), path.stat().st_mtime)
    if key not in _CACHE:
        _CACHE[key] = load_policy(path)
    return _CACHE[key]


def _period(policy: Policy, period: str | Period) -> Period:
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.kind != policy.period_type:
        example = f"{p.year}-Q1" if policy.period_type == "quarter" else str(p.year)
        raise PolicyError(f"策略 {policy.id} 按{'季度' if policy.period_type == 'quarter' else '年度'}计算，"
                          f"期间「{period}」不符，例如 {example}")
    return p


def evaluate_db(session: Session, policy: Policy, period: Period, as_of: dt.date,
                overrides: dict[str, str] | None = None, uscc: str | None = None,
                ) -> tuple[Evaluation, Sources, pl.DataFrame]:
    """Read the inputs from the database and evaluate (nothing stored)."""
    params = resolve_parameters(policy, period.start, overrides)
    sources = read_sources(session, policy, period, uscc)
    if policy.jurisdiction:  # 适用地域: only the entities inside it are evaluated
        target = entity(policy.target)
        sources.frames[target.base] = within(target, policy.jurisdiction, sources.get(target.base))
    frame = input_frame(policy, period, as_of, sources)
    return evaluate(policy, frame, period, params), sources, frame


def run_policy(session: Session, policy_id: str, period: str, as_of: dt.date | None = None,
               overrides: dict[str, str] | None = None, policy_dir: str | None = None) -> PolicyRun:
    """Evaluate ``policy_id`` for ``period`` over every unit and store the run."""
    run, ev = run_and_evaluate(session, policy_id, period, as_of, overrides, policy_dir)
    run.evaluation = ev  # transient: the result frame, for exports in the same process
    return run


def run_and_evaluate(session: Session, policy_id: str, period: str, as_of: dt.date | None = None,
                     overrides: dict[str, str] | None = None,
                     policy_dir: str | None = None) -> tuple[PolicyRun, Evaluation]:
    """``run_policy``, returning the stored run and its evaluation (the result frame) apart."""
    policy = get_policy(policy_id, policy_dir)
    p = _period(policy, period)
    as_of = as_of or dt.date.today()
    ev, sources, frame = evaluate_db(session, policy, p, as_of, overrides)
    return store_run(session, ev, p, as_of, sources, frame), ev


def get_run(session: Session, run_id: int) -> PolicyRun:
    run = session.get(PolicyRun, run_id)
    if run is None:
        raise NotFound(f"没有编号为 {run_id} 的计算批次")
    return run


def latest_run(session: Session, policy_id: str, period: str) -> PolicyRun | None:
    q = (select(PolicyRun).where(PolicyRun.policy_id == policy_id, PolicyRun.period == str(period))
         .order_by(PolicyRun.id.desc()).limit(1))
    return session.scalars(q).first()


def explain(session: Session, policy_id: str, uscc: str, period: str, as_of: dt.date | None = None,
            overrides: dict[str, str] | None = None, policy_dir: str | None = None) -> Explanation:
    """The decision for one unit, in Chinese lines, with its reasons."""
    policy = get_policy(policy_id, policy_dir)
    p = _period(policy, period)
    as_of = as_of or dt.date.today()
    ev, sources, _ = evaluate_db(session, policy, p, as_of, overrides, uscc=uscc.strip().upper())
    if ev.frame.height == 0:
        known = sources.get(entity(policy.target).base).height > 0
        why = "不在本策略的评估范围（缺少所需的数据记录）" if known else "不在单位名录中"
        target = entity(policy.target)
        if not known and policy.jurisdiction and read_sources(session, policy, p, uscc.strip().upper()).get(target.base).height:
            why = f"不在本策略的适用地域（{describe(target, policy.jurisdiction)}）"
        raise NotFound(f"单位 {uscc} {why}：{policy.name} {p.chinese()}")
    return explain_row(ev, ev.frame[ev.key][0], p, as_of)


def test_policy(policy_id: str | None = None, policy_dir: str | None = None) -> list[CaseResult]:
    """Run the test cases written in one policy file (or in all of them)."""
    policies = [get_policy(policy_id, policy_dir)] if policy_id else list_policies(policy_dir)
    return [r for p in policies for r in run_cases(p)]


def simulate(session: Session, policy_id: str, period: str, overrides: dict[str, str],
             as_of: dt.date | None = None, policy_dir: str | None = None) -> SimulationResult:
    """Evaluate the baseline and a what-if with ``overrides`` on the same inputs (nothing stored)."""
    policy = get_policy(policy_id, policy_dir)
    p = _period(policy, period)
    as_of = as_of or dt.date.today()
    base, _, frame = evaluate_db(session, policy, p, as_of)
    scenario = evaluate(policy, frame, p, resolve_parameters(policy, p.start, overrides))
    return compare_runs(base, scenario, overrides)


__all__ = [
    "CaseResult",
    "Explanation",
    "SimulationResult",
    "explain",
    "get_policy",
    "get_run",
    "latest_run",
    "list_policies",
    "run_and_evaluate",
    "run_policy",
    "simulate",
    "summarise_run",
    "test_policy",
]
