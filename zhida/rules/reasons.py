"""Per-unit reasons from a result frame: each condition and exclusion, its outcome, the
values it used, and — when it could not be decided — the input fields that were missing.
"""

from __future__ import annotations

from fractions import Fraction

from zhida.rules.evaluate import Evaluation, rule_col, var_cols
from zhida.rules.lang.display import plain_value
from zhida.rules.policy import Rule


class Values:
    """Reads the value of a name (field, variable, parameter) from a result row."""

    def __init__(self, ev: Evaluation):
        self.ev, self.policy = ev, ev.policy

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


def needed_columns(ev: Evaluation) -> list[str]:
    values, policy = Values(ev), ev.policy
    cols = ["uscc", "status", *policy.fields_behind(policy.amount.node)]
    for r in policy.rules:
        cols.append(rule_col(r))
        for name in policy.names_in(r.node) + policy.fields_behind(r.node):
            cols.extend(values.columns_for(name))
    return list(dict.fromkeys(cols))


def reason(rule: Rule, values: Values, row: dict) -> dict:
    policy = values.policy
    outcome = row[rule_col(rule)]
    passed = outcome if outcome is None or rule.kind == "condition" else not outcome
    used = {name: plain_value(values.get(name, row), policy.env[name].unit) for name in policy.names_in(rule.node)}
    out = {"code": rule.code, "kind": rule.kind, "description": rule.description, "passed": passed, "values": used}
    if passed is None:
        out["missing"] = [policy.env[f].label for f in policy.fields_behind(rule.node) if row.get(f) is None]
    return out


def reasons_for(ev: Evaluation, frame=None) -> list[list[dict]]:
    """The reasons list of every row of ``frame`` (default: the whole result), in row order."""
    values = Values(ev)
    frame = ev.frame if frame is None else frame
    rows = frame.select(needed_columns(ev)).iter_rows(named=True)
    return [unit_reasons(values, row) for row in rows]


def unit_reasons(values: Values, row: dict) -> list[dict]:
    """Reasons of one row; an undecidable amount adds an ``amount`` reason naming what is missing."""
    policy = values.policy
    out = [reason(r, values, row) for r in policy.rules]
    if row.get("status") == "undetermined" and all(r["passed"] is not None for r in out):
        missing = [policy.env[f].label for f in policy.fields_behind(policy.amount.node) if row.get(f) is None]
        out.append({"code": "amount", "kind": "amount", "description": f"计算{policy.amount.label}",
                    "passed": None, "values": {}, "missing": missing})
    return out
