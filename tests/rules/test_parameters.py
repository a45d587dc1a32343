"""Parameter values are checked against what the policy allows, in the file and on --set."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from zhida.errors import PolicyError
from zhida.rules import service
from zhida.rules.evaluate import resolve_parameters
from zhida.rules.loader import load_policy

WG = service.get_policy("wengang-fanhuan")
DAY = dt.date(2025, 1, 1)


@pytest.mark.parametrize("name, text, fragments", [
    ("rate.sme", "90", ["rate.sme（中小微企业返还比例）", "「90」", "0%–100%", "0.9 或 90%"]),
    ("rate.sme", "-0.5", ["rate.sme", "「-0.5」", "0%–100%"]),
    ("rate.large", "100.01%", ["rate.large", "「100.01%」", "0%–100%"]),
    ("layoff.method", "D", ["layoff.method", "「D」", "A、B、C 之一"]),
    ("layoff.method", "a", ["「a」", "A、B、C"]),
    ("months.min", "13", ["months.min", "「13」", "1 个月–12 个月"]),
    ("small.insured_max", "-1", ["small.insured_max", "「-1」", "不低于 0 人"]),
    ("excluded.unit_types", "机关事业单位,事业单位", ["excluded.unit_types", "「事业单位」", "机关事业单位"]),
    ("rate.sme", "ninety", ["rate.sme", "不是数值"]),
])
def test_override_out_of_range_is_refused(name, text, fragments):
    with pytest.raises(PolicyError) as err:
        resolve_parameters(WG, DAY, {name: text})
    for f in fragments:
        assert f in err.value.message, err.value.message


@pytest.mark.parametrize("name, text, value", [
    ("rate.sme", "0.9", Fraction(9, 10)), ("rate.sme", "90%", Fraction(9, 10)), ("rate.sme", "100%", Fraction(1)),
    ("rate.large", "0", Fraction(0)), ("layoff.method", "C", "C"), ("months.min", "12", Fraction(12)),
    ("months.min", "1", Fraction(1)),
])
def test_override_within_range_is_taken(name, text, value):
    assert resolve_parameters(WG, DAY, {name: text})[name].value == value


POLICY = """id: p
name: 测试
period: year
sources:
  ui_payments: {year_offset: -1}
parameters:
  rate:
    description: 返还比例
    unit: percent
    values:
      2024-01-01: {value: 60%, reference: 测试}
  method:
    unit: text
    choices: [A, B]
    values:
      2024-01-01: {value: A}
amount:
  formula: (employer_paid + employee_paid) * rate
"""


@pytest.mark.parametrize("change, fragment", [
    (("value: 60%", "value: 60"), "第 11 行：参数 rate（返还比例）的值无效：「60」超出允许范围 0%–100%"),
    (("value: 60%", "value: -1%"), "参数 rate（返还比例）的值无效：「-1%」超出允许范围"),
    (("value: A}", "value: D}"), "第 16 行：参数 method 的值无效：「D」不是允许的取值，应为 A、B 之一"),
    (("unit: percent", "unit: percent\n    range: [0, 50%]"), "「60%」超出允许范围 0%–50%"),
    (("unit: percent", "unit: percent\n    range: [1]"), "range 应是数值参数的 [下限, 上限]"),
    (("unit: percent", "unit: percent\n    range: [1, 0]"), "range 下限大于上限"),
    (("unit: text", "unit: bool"), "choices 应是文字或集合参数的取值列表"),
])
def test_loader_checks_values(tmp_path, change, fragment):
    f = tmp_path / "p.yaml"
    f.write_text(POLICY.replace(*change), encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f)
    assert fragment in err.value.message, err.value.message


def test_declared_range_widens_the_default(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(POLICY.replace("unit: percent", "unit: percent\n    range: [0, 1000%]").replace("60%", "250%"),
                 encoding="utf-8")
    assert load_policy(f).parameters["rate"].values[0].value == Fraction(5, 2)


def test_every_shipped_parameter_is_within_its_range():
    for policy in service.list_policies():
        for p in policy.parameters.values():
            for dated in p.values:
                p.check(dated.value)
