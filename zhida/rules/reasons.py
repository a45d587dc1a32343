"""Per-unit reasons from a result frame: each condition and exclusion, its outcome, the
values it used, and — when it could not be decided — the input fields that were missing.

The result frame already holds all of it as columns (``c.*``/``x.*`` outcomes, ``v.*``
values, the input fields; parameters are constants). ``reasons_json`` turns those columns
into the JSON text of each unit's reasons list in one Polars query (for storing and
exporting many units); ``unit_reasons`` builds the same list for one row in Python (for
explaining one unit), and a test checks the two agree.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import polars as pl

from zhida.rules.evaluate import UNDETERMINED, Evaluation, Plan, rule_col, var_cols
from zhida.rules.lang.compile import Compiler
from zhida.rules.lang.display import plain_value
from zhida.rules.lang.textcols import plain_text, scale_of
from zhida.rules.policy import Rule
from zhida.rules.zeros import Divisor, divisors, zero_expr


class Values:
    """Reads the value of a name (field, variable, parameter) from a result row."""

    def __init__(self, ev: Evaluation):
        self.ev, self.policy = ev, ev.policy
        self._divisors: dict[str, list[Divisor]] = {}

    def divisors(self, rule: Rule | None) -> list[Divisor]:
        """Divisors behind a rule (``None``: the amount) whose value is in the result frame."""
        key = rule.code if rule is not None else ""
        if key not in self._divisors:
            self._divisors[key] = rule_divisors(self.ev, rule)
        return self._divisors[key]

    def zeros(self, rule: Rule | None, row: dict) -> list[Divisor]:
        """The divisors of ``rule`` that are 0 in ``row``."""
        out = []
        for d in self.divisors(rule):
            col = d.name if self.policy.env[d.name].kind == "field" else var_cols(d.name)[0]
            if row.get(col) == 0:
                out.append(d)
        return out

    def columns_for(self, name: str) -> list[str]:
        sym = self.policy.env[name]
        if sym.kind == "param":
            return []
        if sym.kind == "var":
            if sym.type in ("number", "money"):
                n, d = var_cols(name)
                return [n] if self.ev.var_dens.get(name) is not None else [n, d]
            return [f"v.{name}"]
        return [name]

    def get(self, name: str, row: dict):
        sym = self.policy.env[name]
        if sym.kind == "param":
            return self.ev.params[name].value
        if sym.kind == "var":
            if sym.type not in ("number", "money"):
                return row[f"v.{name}"]
            n, d = var_cols(name)
            num, den = row[n], self.ev.var_dens.get(name) or row.get(d)
            return None if num is None or not den else Fraction(num, den)
        value = row[name]
        if sym.type in ("number", "money") and value is not None:
            return Fraction(value, 10**sym.scale)
        return value


def rule_divisors(ev: Evaluation, rule: Rule | None) -> list[Divisor]:
    """The traceable divisors behind ``rule`` (``None``: the amount formula) in ``ev``'s frame."""
    policy = ev.policy
    node, owner = (rule.node, rule.description) if rule is not None else (policy.amount.node, policy.amount.label)
    compiler = Compiler(Plan(policy, ev.params, dict(ev.var_dens)).resolve)
    found = divisors(policy, node, compiler, owner)
    return [d for d in found if zero_expr(d, policy.env, ev.frame.columns, ev.var_dens) is not None]


def reason(rule: Rule, values: Values, row: dict) -> dict:
    policy = values.policy
    outcome = row[rule_col(rule)]
    passed = outcome if outcome is None or rule.kind == "condition" else not outcome
    used = {name: plain_value(values.get(name, row), policy.env[name].unit) for name in policy.names_in(rule.node)}
    out = {"code": rule.code, "kind": rule.kind, "description": rule.description, "passed": passed,
           "text": outcome_text(rule, passed), "values": used, "names": names_of(policy, rule)}
    if passed is None:
        out["missing"] = [policy.env[f].label for f in policy.fields_behind(rule.node) if row.get(f) is None]
        if zeros := values.zeros(rule, row):
            out["zero"] = [d.label for d in zeros]
    return out


def outcome_text(rule: Rule, passed: bool | None) -> str:
    """The rule's outcome in plain Chinese: its ``passed``/``failed`` label, or 无法判定."""
    if passed is None:
        return f"无法判定：{rule.description}"
    return rule.label_passed if passed else rule.label_failed


def names_of(policy, rule: Rule) -> dict[str, list[str]]:
    """Chinese name and display unit of every name the rule uses: ``{"insured_avg": ["月均参保人数", "person"]}``."""
    return {n: [policy.env[n].label or n, policy.env[n].unit or "plain"] for n in policy.names_in(rule.node)}


def reasons_for(ev: Evaluation, frame=None) -> list[list[dict]]:
    """The reasons list of every row of ``frame`` (default: the whole result), in row order."""
    frame = ev.frame if frame is None else frame
    return [json.loads(text) for text in frame.select(reasons_json(ev))["reasons"]]


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def value_expr(ev: Evaluation, name: str) -> pl.Expr:
    """The JSON-ready value of ``name`` for every row (as ``plain_value`` writes it)."""
    sym = ev.policy.env[name]
    if sym.kind == "param":
        value = plain_value(ev.params[name].value, sym.unit)
        return pl.lit(value, dtype=pl.Boolean if isinstance(value, bool) else pl.String)
    numeric = sym.type in ("number", "money")
    if sym.kind == "var" and not numeric:
        return pl.col(f"v.{name}")
    if sym.kind == "var":
        n, d = var_cols(name)
        den = ev.var_dens.get(name)
        return plain_text(pl.col(n), den if den is not None else pl.col(d), sym.unit, _wide(ev, n, d, den, sym.unit))
    if name not in ev.frame.columns:
        return pl.lit(None, dtype=pl.String)
    return plain_text(pl.col(name), 10**sym.scale, sym.unit) if numeric else pl.col(name)


def _wide(ev: Evaluation, n: str, d: str, den: int | None, unit: str) -> bool:
    """Whether formatting ``n / d`` needs Int128 (from the largest values in the frame)."""
    f = ev.frame
    top = f.select(pl.col(n).abs().max().alias("n"), (pl.col(d).max() if den is None else pl.lit(den)).alias("d"))
    big_n, big_d = top.row(0)
    return big_n is None or big_d is None or big_n * scale_of(unit) * 2 + big_d > 2**62


def _missing(ev: Evaluation, fields: list[str]) -> pl.Expr:
    """``,"missing":[…]`` naming the fields of ``fields`` that are missing in the row."""
    policy = ev.policy
    labels = [pl.when(pl.col(f).is_null()).then(pl.lit(_j(policy.env[f].label))) if f in ev.frame.columns
              else pl.lit(_j(policy.env[f].label)) for f in fields]
    inner = pl.concat_str(labels, separator=",", ignore_nulls=True) if labels else pl.lit("")
    return pl.concat_str([pl.lit(',"missing":['), inner, pl.lit("]")])


def _zero(ev: Evaluation, rule: Rule | None) -> pl.Expr:
    """``,"zero":[…]`` naming the divisors of ``rule`` that are 0 in the row ("" when none)."""
    policy = ev.policy
    zeros = [(d, zero_expr(d, policy.env, ev.frame.columns, ev.var_dens)) for d in rule_divisors(ev, rule)]
    labels = [pl.when(z).then(pl.lit(_j(d.label))) for d, z in zeros if z is not None]
    if not labels:
        return pl.lit("")
    inner = pl.concat_str(labels, separator=",", ignore_nulls=True)
    return pl.when(inner != "").then(pl.concat_str([pl.lit(',"zero":['), inner, pl.lit("]")])).otherwise(pl.lit(""))


def _reason_json(ev: Evaluation, rule: Rule) -> tuple[pl.Expr, pl.Expr]:
    """The JSON object of one rule's reason, and its ``passed`` column."""
    policy = ev.policy
    outcome = pl.col(rule_col(rule))
    passed = outcome if rule.kind == "condition" else ~outcome
    names = policy.names_in(rule.node)
    values = (pl.struct([value_expr(ev, n).alias(n) for n in names]).struct.json_encode() if names
              else pl.lit("{}"))
    head = f'{{"code":{_j(rule.code)},"kind":{_j(rule.kind)},"description":{_j(rule.description)},"passed":'
    said = (pl.when(passed.is_null()).then(pl.lit(_j(outcome_text(rule, None))))
            .when(passed).then(pl.lit(_j(outcome_text(rule, True)))).otherwise(pl.lit(_j(outcome_text(rule, False)))))
    text = pl.concat_str([pl.lit(head), passed.cast(pl.String).fill_null("null"), pl.lit(',"text":'), said,
                          pl.lit(',"values":'), values, pl.lit(',"names":' + _j(names_of(policy, rule))),
                          pl.when(passed.is_null()).then(pl.concat_str([_missing(ev, policy.fields_behind(rule.node)),
                                                                        _zero(ev, rule)]))
                          .otherwise(pl.lit("")), pl.lit("}")])
    return text, passed


def reasons_json(ev: Evaluation) -> pl.Expr:
    """An expression over the result frame: the JSON text of each row's reasons list, as ``reasons``."""
    policy = ev.policy
    parts, decided = [], pl.lit(True)
    for rule in policy.rules:
        text, passed = _reason_json(ev, rule)
        parts.append(text)
        decided = decided & passed.is_not_null()
    amount = policy.amount
    head = (f'{{"code":"amount","kind":"amount","description":{_j("计算" + amount.label)},"passed":null,'
            f'"text":{_j("无法计算" + amount.label)},"values":{{}}')
    extra = pl.concat_str([pl.lit(head), _missing(ev, policy.fields_behind(amount.node)), _zero(ev, None),
                           pl.lit("}")])
    parts.append(pl.when((pl.col("status") == UNDETERMINED) & decided.fill_null(False)).then(extra))
    body = pl.concat_str(parts, separator=",", ignore_nulls=True)
    return pl.concat_str([pl.lit("["), body, pl.lit("]")]).alias("reasons")


def unit_reasons(values: Values, row: dict) -> list[dict]:
    """Reasons of one row; an undecidable amount adds an ``amount`` reason naming what is missing."""
    policy = values.policy
    out = [reason(r, values, row) for r in policy.rules]
    if row.get("status") == "undetermined" and all(r["passed"] is not None for r in out):
        missing = [policy.env[f].label for f in policy.fields_behind(policy.amount.node) if row.get(f) is None]
        extra: dict[str, Any] = {"code": "amount", "kind": "amount", "description": f"计算{policy.amount.label}",
                 "passed": None, "text": f"无法计算{policy.amount.label}", "values": {}, "missing": missing}
        if zeros := values.zeros(None, row):
            extra["zero"] = [d.label for d in zeros]
        out.append(extra)
    return out
