"""Any kind of case: an entity and its sources declared outside the rules package are judged,
explained, tested and stored like units — nothing in zhida.rules names them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from zhida.errors import PolicyError
from zhida.rules import service
from zhida.rules.cases import run_cases
from zhida.rules.entities import (
    Entity,
    FieldSpec,
    InputSource,
    SourceQuery,
    entity,
    fields_for,
    frame_from_rows,
    register_entity,
    register_source,
)
from zhida.rules.evaluate import evaluate, resolve_parameters
from zhida.rules.inputs import Sources, input_frame
from zhida.rules.loader import load_policy
from zhida.rules.period import Period

SCHEMA = {"app_no": pl.String, "applicant": pl.String, "amount": pl.Int64, "age": pl.Int64}


def _read(session, q: SourceQuery) -> pl.DataFrame:
    sql = "SELECT app_no, applicant, amount_fen, age FROM t_apps" + (" WHERE app_no = :k" if q.key else "")
    rows = session.execute(text(sql), {"k": q.key}).all()
    return frame_from_rows(SCHEMA, rows)


register_entity(Entity("test_application", "测试申请", key="app_no", title="applicant", base="test_apps",
                       aliases=("test application",)))
register_source(InputSource("test_apps", "test_application", "测试申请", (
    FieldSpec("app_no", "申请编号"), FieldSpec("applicant", "申请人"),
    FieldSpec("amount", "申请金额", "money", "yuan"), FieldSpec("age", "年龄", "number", "year"),
), SCHEMA, _read))

POLICY = """\
id: test-cap
name: 测试额度
legal_basis: [{title: 测试办法, 文号: 测试〔2026〕1号}]
period: year
target: test application
parameters:
  cap:
    description: 额度上限
    unit: yuan
    values: {2026-01-01: {value: "300000", reference: 测试〔2026〕1号}}
  age.max:
    description: 年龄上限
    unit: year
    values: {2026-01-01: {value: "60", reference: 测试〔2026〕1号}}
conditions:
  - {code: cap, description: 申请金额不超过上限, expression: amount <= cap}
  - {code: age, description: 年龄不超过上限, expression: age <= age.max}
amount: {label: 核定额度, formula: amount}
tests:
  - name: 恰为上限符合
    period: "2026"
    input: {test_apps: {amount: "300000", age: 60}}
    expect: {status: eligible, amount: "300000.00"}
  - name: 超过上限 1 分不符合
    period: "2026"
    input: {test_apps: {amount: "300000.01", age: 30}}
    expect: {status: ineligible, reasons: {cap: false}}
  - name: 61 岁不符合
    period: "2026"
    input: {test_apps: {amount: "1000", age: 61}}
    expect: {status: ineligible, reasons: {age: false}}
"""


@pytest.fixture
def policy(tmp_path):
    f = tmp_path / "test-cap.yaml"
    f.write_text(POLICY, encoding="utf-8")
    return load_policy(f)


def test_entity_and_fields_come_from_the_registration():
    assert entity("test application").key == "app_no"
    assert set(fields_for("test_application", [])) == {"app_no", "applicant", "amount", "age"}
    assert "employer_paid" not in fields_for("test_application", [])


def test_policy_cases_for_a_new_entity_pass_on_both_sides(policy):
    results = run_cases(policy)
    assert [r.passed for r in results] == [True, True, True], [r.message for r in results]


def test_unit_fields_are_not_visible_to_another_entity(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(POLICY.replace("expression: age <= age.max", "expression: employees <= 3"), encoding="utf-8")
    with pytest.raises(PolicyError, match="未知字段 employees"):
        load_policy(f)
    f.write_text(POLICY.replace("target: test application", "target: test application\nsources: {ui_payments: {}}"),
                 encoding="utf-8")
    with pytest.raises(PolicyError, match="未知数据来源 ui_payments"):
        load_policy(f)


def test_evaluation_carries_entity_and_key_and_frame_its_bounds(policy):
    frame = input_frame(policy, Period.parse("2026"), dt.date(2026, 6, 30), Sources({"test_apps": pl.DataFrame(
        {"app_no": ["A1", "A2"], "applicant": ["甲", "乙"], "amount": [30_000_000, 30_000_001], "age": [40, 40]},
        schema=SCHEMA)}))
    assert frame.carried[2]["amount"] == (30_000_000, 30_000_001)
    ev = evaluate(policy, frame, Period.parse("2026"), resolve_parameters(policy, dt.date(2026, 1, 1)))
    assert (ev.entity, ev.key, ev.title) == ("test_application", "app_no", "applicant")
    assert dict(ev.frame.select("app_no", pl.col("status").cast(pl.String)).iter_rows()) == {
        "A1": "eligible", "A2": "ineligible"}


def test_runs_of_a_new_entity_are_stored_and_explained(engine, tmp_path, policy):
    with Session(engine) as s, s.begin():
        s.execute(text("CREATE TABLE t_apps (app_no VARCHAR(20), applicant VARCHAR(20), amount_fen BIGINT, age INT)"))
        s.execute(text("INSERT INTO t_apps VALUES ('CY2026-0001', '张三', 25000000, 35), "
                       "('CY2026-0002', '李四', 35000000, 35)"))
    with Session(engine) as s, s.begin():
        run = service.run_policy(s, "test-cap", "2026", dt.date(2026, 6, 30), policy_dir=str(tmp_path))
        assert (run.entity, run.evaluated, run.eligible, run.total_fen) == ("test_application", 2, 1, 25_000_000)
        ex = service.explain(s, "test-cap", "CY2026-0002", "2026", dt.date(2026, 6, 30), policy_dir=str(tmp_path))
        assert ex.status == "ineligible" and "李四（CY2026-0002）" in ex.text()
