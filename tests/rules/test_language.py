"""Parser, type checker and loader errors: file, line and a hint."""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest

from zhida.errors import PolicyError
from zhida.rules.lang.compile import Compiler, Rat, round_half_up
from zhida.rules.lang.syntax import Binary, If, In, ParseError, parse
from zhida.rules.lang.types import Symbol, check
from zhida.rules.loader import load_policy

ENV = {
    "paid": Symbol("paid", "field", "money", "实缴", "yuan"),
    "n": Symbol("n", "field", "number", "人数", "person"),
    "kind": Symbol("kind", "field", "text", "类型", "text"),
    "flag": Symbol("flag", "field", "bool", "标志", "bool"),
    "rate.sme": Symbol("rate.sme", "param", "number", "比例", "percent"),
}


@pytest.mark.parametrize("src, typ", [
    ("paid * rate.sme", "money"), ("paid / paid", "number"), ("n / 2 + 1", "number"),
    ("n <= 5.5% and not flag", "bool"), ("kind in {\"a\", \"b\"}", "bool"), ("kind not in {\"a\"}", "bool"),
    ("if n > 30 then 20% else 5.5%", "number"), ("min(n, 3, 4)", "number"), ("max(paid, paid)", "money"),
    ("coalesce(flag, n >= 1)", "bool"), ("known(n)", "bool"), ("paid > 0", "bool"), ("n ≤ 3 × 2", "bool"),
    ("-n + abs(n)", "number"),
])
def test_good_expressions(src, typ):
    assert check(parse(src), ENV) == typ


@pytest.mark.parametrize("src, message", [
    ("paid * paid", "不能计算金额 * 金额"), ("paid > n", "不能比较金额与数值"),
    ("kind < \"a\"", "只能用 == 或 != 比较"),
    ("n and flag", "and应为是/否"), ("if flag then n else kind", "两个分支类型不同"), ("nn + 1", "未知字段 nn"),
    ("foo(n)", "未知函数"), ("min(n)", "需要 2"), ("n in {1}", "集合"), ("n +", "应为一个值"), ("n n", "多余的内容"),
    ("n @ 2", "无法识别的字符"), ("(n + 1", "此处应为「)」"), ("n / paid", "不能计算数值 / 金额"),
])
def test_bad_expressions(src, message):
    with pytest.raises(ParseError) as err:
        check(parse(src), ENV)
    assert message in err.value.message


def test_hint_suggests_close_name():
    with pytest.raises(ParseError) as err:
        check(parse("rate.smee * paid"), ENV)
    assert err.value.hint == "您是不是要写 rate.sme？" and err.value.pos == 0


def test_precedence():
    node = parse("a or b and not c")
    assert isinstance(node, Binary) and node.op == "or" and node.right.op == "and"
    assert isinstance(parse("if a then 1 else if b then 2 else 3").other, If)
    assert isinstance(parse("x not in {\"a\"}"), In) and parse("x not in {\"a\"}").negate


POLICY = """id: p
name: 测试
period: year
sources:
  ui_payments: {year_offset: -1}
parameters:
  rate:
    unit: percent
    values:
      2024-01-01: {value: 60%, reference: 测试}
variables:
  base:
    label: 基数
    formula: employer_paid + employee_paid
conditions:
  - code: c1
    description: 条件
    expression: insured_avgg <= 30
amount:
  formula: base * rate
"""


def test_loader_reports_file_line_and_hint(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(POLICY, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f)
    msg = err.value.message
    assert msg.startswith("p.yaml 第 18 行：") and "未知字段 insured_avgg" in msg
    assert "您是不是要写 insured_avg？" in msg


@pytest.mark.parametrize("change, fragment", [
    (("expression: insured_avgg <= 30", "expression: base"), "第 18 行：表达式「base」应得到是/否，实际是金额"),
    (("formula: base * rate", "formula: rate"), "第 20 行：表达式「rate」应得到金额"),
    (("value: 60%", "value: sixty"), "第 10 行：参数 rate 的值无效"),
    (("ui_payments:", "ui_paymentz:"), "第 5 行：未知数据来源 ui_paymentz"),
    (("period: year", "period: month"), "第 3 行：期间类型「month」无效"),
    (("  rate:\n    unit: percent", "  rate:\n    unit: pct"), "第 7 行：参数 rate 的单位「pct」无效"),
])
def test_loader_errors(tmp_path, change, fragment):
    f = tmp_path / "p.yaml"
    f.write_text(POLICY.replace("insured_avgg", "insured_avg").replace("insured_avg <= 30", "insured_avgg <= 30")
                 .replace(*change).replace("insured_avgg", "insured_avg"), encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f)
    assert fragment in err.value.message


def test_yaml_numbers_stay_exact(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(POLICY.replace("insured_avgg", "insured_avg").replace("60%", "0.1"), encoding="utf-8")
    assert load_policy(f).parameters["rate"].values[0].value == Fraction(1, 10)


def _eval(src: str, data: dict, env=None):
    env = env or {k: Symbol(k, "field", "number", k) for k in data}
    check(node := parse(src), env)
    c = Compiler(lambda name: Rat(pl.col(name).cast(pl.Int128), 1))
    value = c.compile(node)
    df = pl.DataFrame(data, schema={k: pl.Int64 for k in data})
    if isinstance(value, Rat):
        return df.select(round_half_up(value).alias("x"))["x"].to_list()
    return df.select(value.expr.alias("x"))["x"].to_list()


def test_exact_division_and_comparison():
    # 11/200 is exactly 5.5%; 11/199 is above; a float pipeline can get such boundaries wrong
    assert _eval("a / b <= 5.5%", {"a": [11, 11, 0], "b": [200, 199, 0]}) == [True, False, None]


def test_three_valued_logic():
    out = _eval("a > 1 and b > 1", {"a": [0, 5, None], "b": [None, None, None]})
    assert out == [False, None, None]
    assert _eval("a > 1 or b > 1", {"a": [5, 0], "b": [None, None]}) == [True, None]


def test_if_with_unknown_condition_is_unknown():
    assert _eval("if a > 1 then 10 else 20", {"a": [2, 0, None]}) == [10, 20, None]


def test_min_max_and_half_up_rounding():
    assert _eval("min(a, b) * 3 / 2", {"a": [1, -1, 5], "b": [4, 4, None]}) == [2, -2, None]
    assert _eval("max(a - b, 0)", {"a": [1, 9], "b": [4, 4]}) == [0, 5]


def test_negative_division_keeps_sign():
    assert _eval("a / b", {"a": [3, 3, -3], "b": [-2, 2, -2]}) == [-2, 2, 2]
