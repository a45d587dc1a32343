"""Both shipped policies: their cases pass, cover the thresholds, and a wrong case fails."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from zhida.rules import service
from zhida.rules.cases import run_case

POLICIES = ["wengang-fanhuan", "yanggu-wenfazhan"]


@pytest.mark.parametrize("policy_id", POLICIES)
def test_policy_cases_pass(policy_id):
    results = service.test_policy(policy_id)
    assert len(results) >= 20
    failed = [(r.name, r.message) for r in results if not r.passed]
    assert failed == []


@pytest.mark.parametrize("policy_id", POLICIES)
def test_every_case_can_fail(policy_id):
    """Flip each case's expected status: every case must then fail (no vacuous case)."""
    policy = service.get_policy(policy_id)
    flip = {"eligible": "ineligible", "ineligible": "eligible", "undetermined": "eligible"}
    for case in policy.cases:
        if "status" not in case.expect:
            continue
        wrong = dataclasses.replace(case, expect={**case.expect, "status": flip[str(case.expect["status"])]})
        assert not run_case(policy, wrong, policy.test_defaults).passed, case.name


def test_wrong_amount_is_reported():
    policy = service.get_policy("wengang-fanhuan")
    case = dataclasses.replace(policy.cases[0], expect={"status": "eligible", "amount": "96000.01"})
    result = run_case(policy, case, policy.test_defaults)
    assert not result.passed and "金额应为 96000.01，实际 96,000.00" in result.message


@pytest.mark.parametrize("policy_id, names", [
    ("wengang-fanhuan", ["恰为 5.5%", "略高于 5.5%", "参保 30 人、裁员率恰为 20%", "参保 31 人", "缴费 11 个月",
                         "缴费 12 个月", "判定日前已移出", "判定日仍在", "月均参保 29.99 人", "月均参保 30.01 人",
                         "月均参保 30.5 人", "社会团体登记为大型", "律师事务所无企业规模", "企业缺少企业规模",
                         "月均参保人数为 0", "年初参保人数为 0", "口径 B：年度净减少恰为 5.5%"]),
    ("yanggu-wenfazhan", ["恰为 5000 万元", "4999.9999", "恰为 5%", "略超 5%", "上年同期为 0"]),
])
def test_thresholds_are_pinned(policy_id, names):
    cases = [c.name for c in service.get_policy(policy_id).cases]
    for fragment in names:
        assert any(fragment in c for c in cases), fragment


def test_policy_dir_overrides_builtin(tmp_path, monkeypatch):
    src = service.get_policy("yanggu-wenfazhan").path
    text = Path(src).read_text(encoding="utf-8").replace('value: "100000.00"', 'value: "150000.00"')
    (tmp_path / "yanggu-wenfazhan.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("ZHIDA_POLICY_DIR", str(tmp_path))
    policy = service.get_policy("yanggu-wenfazhan")
    assert policy.path.startswith(str(tmp_path))
    assert str(policy.parameters["reward"].values[0].value) == "15000000"


def test_unknown_policy_suggests():
    from zhida.errors import NotFound

    with pytest.raises(NotFound, match="wengang-fanhuan"):
        service.get_policy("wengang-fanhuang")
