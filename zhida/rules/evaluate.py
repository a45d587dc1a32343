"""Evaluate one policy for one period over all its entities at once (Polars, exact).

The result frame holds, per entity (unit, loan application … — the policy's ``target``): status (an Enum),
amount in fen, one column per condition (``c.<code>``) and exclusion (``x.<code>``) — true, false or missing
(unknown) — and the values of every derived variable (``v.<name>``, rationals as ``.n``/``.d`` pairs;
``.d`` is absent when the denominator is the same for every row). With the input fields and
the parameter constants, that is every unit's full result: reasons are read from it.

Speed without giving up exactness: the min and max of every numeric input let the
compiler prove where Int64 cannot overflow (else Int128) — found once, when the input frame
is built, and remembered with it (``bounds``); null counts tell which columns are complete;
constant parameters are folded; variables are inlined into one lazy step per stage so Polars
shares common sub-expressions; compiled plans are cached by policy file hash, parameter
values, bounds and complete columns. ``outputs="amount"`` computes only status and amount
(what a bare benefit formula computes), exactly the same values, in one pruned query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import polars as pl

from zhida.errors import PolicyError
from zhida.rules.bounds import bounds_of
from zhida.rules.entities import entity
from zhida.rules.lang.compile import Compiler, Plain, Rat, Value, as_rat, lit, round_half_up
from zhida.rules.lang.ints import fits
from zhida.rules.lang.types import suggest
from zhida.rules.parameters import Dated
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
        param = policy.parameters[name]
        try:
            value = param.parse(text)
        except ValueError as exc:
            raise PolicyError(f"参数 {name}（{param.description}）的模拟取值无效：{exc}") from None
        out[name] = Dated(day, value, "模拟取值（--set）")
    return out


def var_cols(name: str) -> tuple[str, str]:
    return f"v.{name}.n", f"v.{name}.d"


STATUS = pl.Enum([ELIGIBLE, INELIGIBLE, UNDETERMINED])


@dataclass
class Plan:
    """What the compiled expressions refer to: fields, parameter constants, variables.

    ``bounds`` holds the smallest and largest value of each numeric input column (so the
    compiler can prove Int64 safe); with ``inline`` a variable is its compiled expression
    (one query, shared sub-expressions), otherwise it is read from its ``v.*`` columns.
    """

    policy: Policy
    params: dict[str, Dated]
    var_dens: dict[str, int | None]
    bounds: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    complete: frozenset[str] = frozenset()  # input columns without a missing value
    inline: dict[str, Value] | None = None
    used: dict[str | None, set[str]] = field(default_factory=dict)  # variables each variable (None: rules) uses
    current: str | None = None

    def resolve(self, name: str) -> Value:
        sym = self.policy.env[name]
        if sym.kind == "param":
            return _param_value(name, sym.type, self.params[name].value)
        if sym.kind == "var":
            if self.inline is not None:
                self.used.setdefault(self.current, set()).add(name)
                return self.inline[name]
            if name not in self.var_dens:  # not materialised (no decision uses it): compute it here
                return Compiler(self.resolve).compile(self.policy.variables[name].node)
            if sym.type in ("number", "money"):
                n, d = var_cols(name)
                den = self.var_dens.get(name)
                return Rat(pl.col(n).cast(pl.Int128), den if den is not None else pl.col(d).cast(pl.Int128))
            return Plain(pl.col(f"v.{name}"))
        if sym.type in ("number", "money"):
            b = self.bounds.get(name)
            col = pl.col(name) if fits(b) else pl.col(name).cast(pl.Int128)
            return Rat(col, 10**sym.scale, None, b, (10**sym.scale,) * 2, name not in self.complete)
        return Plain(pl.col(name), None, name not in self.complete)


def _param_value(name: str, kind: str, value: object) -> Value:
    """A parameter's value as a constant of its declared type; ``PolicyError`` when it is not one."""
    if kind in ("number", "money") and isinstance(value, Fraction | Decimal | int):
        return Rat.const_of(Fraction(value))
    if kind == "set" and isinstance(value, frozenset):
        return value
    if kind not in ("number", "money", "set"):
        return Plain.of(value)
    raise PolicyError(f"参数 {name} 的取值 {value!r} 与其类型不符")


def numeric_bounds(policy: Policy, frame: pl.DataFrame) -> dict[str, tuple[int, int] | None]:
    """Min and max of every numeric input field in ``frame`` (``None`` if all missing): the
    bounds the loader remembered with the frame, else one query to find them."""
    return bounds_of(policy, frame)


def complete_columns(frame: pl.DataFrame) -> frozenset[str]:
    """Columns of ``frame`` with no missing value (Polars keeps the null counts: no scan)."""
    counts = frame.null_count().row(0) if frame.width else ()
    return frozenset(c for c, n in zip(frame.columns, counts, strict=True) if n == 0)


def _var_columns(plan: Plan, name: str, value: Value) -> list[pl.Expr]:
    if isinstance(value, Plain):
        return [value.expr.alias(f"v.{name}")]
    value = as_rat(value)
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

    @property
    def entity(self) -> str:
        """The kind of what was judged (``unit``, ``loan_application`` …)."""
        return entity(self.policy.target).name

    @property
    def key(self) -> str:
        """The key column of the judged entity in ``frame`` (``uscc`` for units)."""
        return entity(self.policy.target).key

    @property
    def title(self) -> str:
        """The column naming each judged entity (``name`` for units)."""
        return entity(self.policy.target).title


def live_variables(policy: Policy, plan: Plan) -> list[str]:
    """Variables a decision uses once constants are folded (e.g. only the layoff-rate method in
    force), plus those a rule names (their values are part of its reasons); in declared order."""
    todo = set(plan.used.get(None, ()))
    for r in policy.rules:
        todo |= {n for n in policy.names_in(r.node) if policy.env[n].kind == "var"}
    live: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in live:
            live.add(name)
            todo |= plan.used.get(name, set())
    return [n for n in policy.variables if n in live]


def decision_exprs(policy: Policy, plan: Plan, outputs: str = "all") -> tuple[list[pl.Expr], list[pl.Expr]]:
    """The output columns in two steps: variables, rules and the raw amount; then status and
    amount_fen. With ``outputs="amount"`` no variable column is materialised."""
    compiler = Compiler(plan.resolve)
    plan.inline = {}
    for name in policy.variables:  # declared in dependency order (checked at load)
        plan.current = name
        plan.inline[name] = compiler.compile(policy.variables[name].node)
    plan.current = None
    first = [compiler.plain(r.node).expr.alias(rule_col(r)) for r in policy.rules]
    raw = compiler.rat(policy.amount.node)  # materialised first, so rounding reads a column
    if outputs == "all":
        variables = [c for name in live_variables(policy, plan) for c in _var_columns(plan, name, plan.inline[name])]
        first = variables + first
    first.append(raw.num.alias("_amount.n"))
    known = pl.col("_amount.n").is_not_null()
    den: pl.Expr | int = raw.den
    if not isinstance(raw.den, int):
        first.append(raw.den.alias("_amount.d"))
        den, known = pl.col("_amount.d"), known & pl.col("_amount.d").is_not_null()
    amount = round_half_up(Rat(pl.col("_amount.n"), den, raw.const, raw.nb, raw.db))
    ok = pl.lit(True)
    for r in policy.rules:
        ok = ok & (pl.col(rule_col(r)) if r.kind == "condition" else ~pl.col(rule_col(r)))
    u, i, e = (pl.lit(x, dtype=STATUS) for x in (UNDETERMINED, INELIGIBLE, ELIGIBLE))
    # an eligible unit whose amount cannot be computed is undetermined, never paid a guess
    status = pl.when(ok).then(pl.when(known).then(e).otherwise(u)).when(~ok).then(i).otherwise(u)
    second = [status.alias("status"), pl.when(ok).then(amount).otherwise(0).fill_null(0).alias("amount_fen")]
    return first, second


OUTPUTS = ("all", "amount")
_PLANS: dict[tuple, tuple[list[pl.Expr], list[pl.Expr], dict[str, int | None]]] = {}


def _plan_key(policy: Policy, params: dict[str, Dated], bounds, complete: frozenset[str], outputs: str):
    def key_of(v):
        if isinstance(v, set | frozenset | list | tuple):
            return tuple(sorted(map(str, v)))
        return (type(v).__name__, str(v))
    return (policy.hash, tuple((k, key_of(d.value)) for k, d in sorted(params.items())),
            tuple(sorted(bounds.items())), complete & set(policy.env), outputs)


def compiled(policy: Policy, params: dict[str, Dated], bounds, complete: frozenset[str], outputs: str):
    """``decision_exprs`` and the static denominators, cached by policy file hash, parameter
    values, input bounds, complete columns and outputs (a loaded policy is never changed)."""
    key = _plan_key(policy, params, bounds, complete, outputs) if policy.hash else None
    if key is not None and key in _PLANS:
        return _PLANS[key]
    plan = Plan(policy, params, {}, bounds, complete)
    first, second = decision_exprs(policy, plan, outputs)
    out = (first, second, dict(plan.var_dens))
    if key is not None:
        if len(_PLANS) >= 64:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = out
    return out


def evaluate(policy: Policy, frame: pl.DataFrame, period: Period, params: dict[str, Dated],
             outputs: str = "all") -> Evaluation:
    """Add the decision columns to ``frame``: variables, rules, status and amount_fen.

    ``outputs="amount"`` computes only the entity's key, ``status`` and ``amount_fen`` — the same
    exact values — in one query that Polars prunes to the columns they depend on (no reasons
    can be read from it).
    """
    if outputs not in OUTPUTS:
        raise PolicyError(f"评估输出 {outputs!r} 无效，应为 {'、'.join(OUTPUTS)} 之一")
    complete = complete_columns(frame)
    first, second, var_dens = compiled(policy, params, numeric_bounds(policy, frame), complete, outputs)
    if outputs == "amount":
        keep = [c for c in (entity(policy.target).key,) if c in frame.columns]
        result = frame.lazy().with_columns(first).select(*keep, *second).collect()
        return Evaluation(policy, result, params, {})
    # two lazy steps (shared sub-expressions found in each): cheaper than one plan or eager calls
    result = frame.lazy().with_columns(first).collect()
    result = result.lazy().with_columns(second).drop(pl.selectors.starts_with("_amount")).collect()
    return Evaluation(policy, result, params, var_dens)


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


__all__ = ["evaluate", "lit", "resolve_parameters", "summary_counts"]
