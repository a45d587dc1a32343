"""Every threshold of the eligibility rules, pinned from both sides, and the Chinese explanation."""

from __future__ import annotations

import datetime as dt

import pytest

from zhida.loans.eligibility import ELIGIBLE, INELIGIBLE, PENDING, evaluate, explain, failures
from zhida.loans.inputs import frame_of
from zhida.loans.rates import parse_rate
from zhida.loans.schedule import add_months

D = dt.date
DAY = D(2026, 3, 2)


def person(**over) -> dict:
    row = {"number": "CD2026-000001", "name": "张三", "kind": "个人", "region": "茌平区", "submitted_on": DAY,
           "maturity": add_months(DAY, 36), "amount_fen": 30_000_000, "months": 36, "rate": parse_rate("4.0%"),
           "lpr": parse_rate("3.0%"), "groups": ["退役军人"], "age": 30, "retire_on": D(2056, 1, 1),
           "loans_before": 0, "credit_known": True, "other_loans_fen": 0, "consumer_fen": 0, "bad_record": False}
    row.update(over)
    return row


def enterprise(**over) -> dict:
    row = {"number": "CD2026-000002", "name": "某某公司", "kind": "小微企业", "region": "茌平区", "submitted_on": DAY,
           "maturity": add_months(DAY, 24), "amount_fen": 400_000_000, "months": 24, "rate": parse_rate("4.0%"),
           "lpr": parse_rate("3.0%"), "groups": [], "staff": 100, "new_hires": 10, "loans_before": 0,
           "credit_known": True, "other_loans_fen": 0, "consumer_fen": 0, "bad_record": False}
    row.update(over)
    return row


def judge(row: dict) -> dict:
    return evaluate(frame_of([row])).to_dicts()[0]


def status(row: dict, rule: str) -> bool | None:
    return judge(row)["r_" + rule]


@pytest.mark.parametrize("row,rule,ok", [
    (person(amount_fen=30_000_000), "cap", True), (person(amount_fen=30_000_001), "cap", False),
    (enterprise(amount_fen=400_000_000), "cap", True), (enterprise(amount_fen=400_000_001), "cap", False),
    # partnership: 110% of the partners' caps: 2 partners → 66万; 20 partners → the enterprise cap 400万
    (person(kind="合伙", partners=2, amount_fen=66_000_000), "cap", True),
    (person(kind="合伙", partners=2, amount_fen=66_000_001), "cap", False),
    (person(kind="合伙", partners=20, amount_fen=400_000_000), "cap", True),
    (person(kind="合伙", partners=20, amount_fen=400_000_001), "cap", False),
    (person(months=36), "term", True), (person(months=37), "term", False),
    (enterprise(months=24), "term", True), (enterprise(months=25), "term", False),
    (person(loans_before=2), "count", True), (person(loans_before=3), "count", False),
    (person(rate=parse_rate("4.0%")), "rate", True), (person(rate=parse_rate("4.000001%")), "rate", False),
    (person(age=16), "age_min", True), (person(age=15), "age_min", False),
    (person(retire_on=add_months(DAY, 36)), "age_max", True),
    (person(retire_on=add_months(DAY, 36) - dt.timedelta(days=1)), "age_max", False),
    (person(groups=["高校毕业生"], graduate_on=D(2021, 3, 2)), "graduate", True),
    (person(groups=["高校毕业生"], graduate_on=D(2021, 3, 1)), "graduate", False),
    (person(groups=["网络商户"]), "group", True), (person(groups=["个体户"]), "group", False),
    (person(kind="合伙", partners=2, groups=["退役军人", "无业"]), "group", False),
    # 100 staff is not "more than 100": 10% → 10 hires; 101 staff: 5% → 5.05, so 6 hires
    (enterprise(staff=100, new_hires=10), "hires", True), (enterprise(staff=100, new_hires=9), "hires", False),
    (enterprise(staff=101, new_hires=6), "hires", True), (enterprise(staff=101, new_hires=5), "hires", False),
    (person(consumer_fen=5_000_000), "credit", True), (person(consumer_fen=5_000_001), "credit", False),
    (person(other_loans_fen=1), "credit", False), (person(bad_record=True), "credit", False),
])
def test_each_threshold_from_both_sides(row, rule, ok):
    assert status(row, rule) is ok
    assert judge(row)["status"] == (ELIGIBLE if ok else INELIGIBLE)


def test_the_older_hire_ratio_applied_before_2023_09_04():
    before = enterprise(submitted_on=D(2023, 9, 3), maturity=D(2025, 9, 3), new_hires=14)
    assert status(before, "hires") is False
    assert status({**before, "new_hires": 15}, "hires") is True


def test_a_missing_credit_check_leaves_the_decision_pending():
    row = judge(person(credit_known=False, other_loans_fen=None, consumer_fen=None, bad_record=None))
    assert row["r_credit"] is None and row["status"] == PENDING


def test_rules_that_do_not_concern_the_applicant_hold():
    row = judge(enterprise())
    assert row["r_age_max"] is True and row["r_group"] is True and row["status"] == ELIGIBLE


def test_the_explanation_names_each_rule_its_values_and_basis():
    row = judge(person(amount_fen=35_000_000))
    text = "\n".join(explain(row))
    assert "贷款申请 CD2026-000001（张三，个人）：不符合" in text
    assert "✗ 不满足 贷款额度：申请 350,000.00 元，个人上限 300,000.00 元。依据：财金〔2023〕75号" in text
    assert "✓ 满足 利率上限：合同利率 4.00%，上限 LPR 3.00% + 100 个基点 = 4.00%" in text
    assert "待核实" in text
    assert failures(row) == ["贷款额度不满足：申请 350,000.00 元，个人上限 300,000.00 元（依据：财金〔2023〕75号 第十九条（此前 财金〔2020〕21号 为 20 万元））"]


def test_the_region_overrides_the_rate_cap():
    assert status(person(region="深圳市", rate=parse_rate("3.5%")), "rate") is True
    assert status(person(region="深圳市", rate=parse_rate("3.51%")), "rate") is False
