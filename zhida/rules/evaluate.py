"""Evaluate one policy for one period over all units at once (Polars, exact).

The result frame holds, per unit: status, amount in fen, one column per condition
(``c.<code>``) and exclusion (``x.<code>``) — true, false or missing (unknown) — and the
values of every derived variable (``v.<name>``, rationals as ``.n``/``.d`` pairs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from zhida.errors import PolicyError
from zhida.rules.lang.compile import Compiler, Plain, Rat, lit, round_half_up
from zhida.rules.lang.types import suggest
from zhida.rules.parameters import Dated, parse_value
from zhida.rules.period import Period
from zhida.rules.policy import Policy

ELIGIBLE, INELIGIBLE, UNDETERMINED = "eligible", "ineligible", "undetermined"
STATUS_ZH = {ELIGIBLE: "符合", INELIGIBLE: "不符合", UNDETERMINED: "待定（数据缺失）"}


def resolve_parameters(policy: Policy, day: dt.date, overrides: dict[str, str] | None = None) -> dict[str, Dated]:
    """Parameter values in force on ``day``, with ``overrides`` (text) applied on top."""
    out = {}
    for name, p in policy.parameters.items():
        found = p.at(day)
        if found is None:
            raise PolicyError(f"策略 {policy.id} 的参数 {name}（{p.description}）在 {day} 没有生效的取值")
        out[name] = found
    for name, text in (overrides or {}).items():
        if name not in policy.parameters:
            raise PolicyError(f"策略 {policy.id} 没有参数 {name}。提示：{suggest(name, policy.parameters)}")
        try:
            value = parse_value(text, policy.parameters[name].unit)
        except ValueError as exc:
            raise PolicyError(f"参数 {name} 的模拟取值无效：{exc}") from None
        out[name] = Dated(day, value, "模拟取值（--set）")
    return out


def var_cols(name: str) -> tuple[str, str]:
    return f"v.{name}.n", f"v.{name}.d"


@dataclass
class Plan:
    """What the compiled expressions refer to: fields, parameter constants, variable columns."""

    policy: Policy
    params: dict[str, Dated]
    var_dens: dict[str, int | None]

    def resolve(self, name: str):
        sym = self.policy.env[name]
        if sym.kind == "param":
            value = self.params[name].value
            if sym.type in ("number", "money"):
                return Rat.const_of(Fraction(value))
            if sym.type == "set":
                return value
            return Plain(pl.lit(value))
        if sym.kind == "var":
            if sym.type in ("number", "money"):
                n, d = var_cols(name)
                den = self.var_dens.get(name)
                return Rat(pl.col(n), den if den is not None else pl.col(d))
            return Plain(pl.col(f"v.{name}"))
        if sym.type in ("number", "money"):
            return Rat(pl.col(name).cast(pl.Int128), 10**sym.scale)
        return Plain(pl.col(name))


def _var_columns(plan: Plan, compiler: Compiler, name: str) -> list[pl.Expr]:
    value = compiler.compile(plan.policy.variables[name].node)
    if isinstance(value, Plain):
        return [value.expr.alias(f"v.{name}")]
    n, d = var_cols(name)
    if isinstance(value.den, int):
        plan.var_dens[name] = value.den
        return [value.num.alias(n)]
    plan.var_dens[name] = None
    return [value.num.alias(n), value.den.alias(d)]


@dataclass
class Evaluation:
    """A result frame and what is needed to read it: parameters and static denominators."""

    policy: Policy
    frame: pl.DataFrame
    params: dict[str, Dated]
    var_dens: dict[str, int | None]


def evaluate(policy: Policy, frame: pl.DataFrame, period: Period, params: dict[str, Dated]) -> Evaluation:
    """Add the decision columns to ``frame``: variables, rules, status and amount_fen."""
    plan = Plan(policy, params, {})
    compiler = Compiler(plan.resolve)
    lf = frame.lazy()
    for name in policy.variables:  # declared in dependency order (checked at load)
        lf = lf.with_columns(_var_columns(plan, compiler, name))
    rule_cols = [compiler.compile(r.node).expr.alias(rule_col(r)) for r in policy.rules]
    lf = lf.with_columns(rule_cols)
    ok = pl.lit(True)
    for r in policy.rules:
        ok = ok & (pl.col(rule_col(r)) if r.kind == "condition" else ~pl.col(rule_col(r)))
    status = pl.when(ok).then(pl.lit(ELIGIBLE)).when(~ok).then(pl.lit(INELIGIBLE)).otherwise(pl.lit(UNDETERMINED))
    amount = round_half_up(compiler.compile(policy.amount.node))
    # an eligible unit whose amount cannot be computed is undetermined, never paid a guess
    status = pl.when(ok & amount.is_null()).then(pl.lit(UNDETERMINED)).otherwise(status)
    lf = lf.with_columns(status.alias("status"), amount.alias("_amount"))
    lf = lf.with_columns(
        pl.when(pl.col("status") == ELIGIBLE).then(pl.col("_amount")).otherwise(0).cast(pl.Int64).alias("amount_fen"))
    return Evaluation(policy, lf.drop("_amount").collect(), params, plan.var_dens)


def rule_col(rule) -> str:
    return ("c." if rule.kind == "condition" else "x.") + rule.code


def summary_counts(result: pl.DataFrame) -> dict:
    """evaluated / eligible / undetermined / total_fen of a result frame."""
    s = result.select(
        pl.len().alias("evaluated"),
        (pl.col("status") == ELIGIBLE).sum().alias("eligible"),
        (pl.col("status") == UNDETERMINED).sum().alias("undetermined"),
        pl.col("amount_fen").sum().alias("total_fen"),
    ).row(0, named=True)
    return {k: int(v or 0) for k, v in s.items()}


__all__ = ["evaluate", "resolve_parameters", "summary_counts", "lit"]
