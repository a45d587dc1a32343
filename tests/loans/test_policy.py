"""The eligibility policy on the rules engine: its cases pass, its target and sources are ours."""

from __future__ import annotations

from zhida.loans.eligibility import POLICY_ID
from zhida.rules import service as rules
from zhida.rules.entities import entity


def test_every_case_of_the_eligibility_policy_passes():
    results = rules.test_policy(POLICY_ID)
    assert len(results) >= 34
    assert [r.name for r in results if not r.passed] == []


def test_the_policy_judges_loan_applications_from_the_loans_package():
    policy = rules.get_policy(POLICY_ID)
    assert entity(policy.target).label == "贷款申请"
    assert {r.code for r in policy.rules} == {"group", "graduate", "age_min", "age_max", "hires", "credit", "count",
                                              "cap", "term", "rate"}
