"""Name the zero divisor behind an unknown value.

A rate such as 新增领取失业保险金人数 ÷ 月均参保人数 is unknown when 月均参保人数 is 0
(the language never divides by zero: the quotient is missing, so the condition is
undecided). The reason of such a condition then names the field — ``"zero": ["月均参保人数"]``
— and the explanation says 「月均参保人数为 0，裁员率（口径A）无法计算」, instead of a unit
left undetermined without a cause.

Only divisions whose divisor is a name (an input field or a derived variable) are traced;
branches of ``if`` folded away by constant parameters (the layoff-rate method not in force)
are skipped, so only the division the decision really uses is named.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from zhida.rules.lang.compile import Compiler, Plain
from zhida.rules.lang.syntax import Binary, If, Name, Node


@dataclass(frozen=True)
class Divisor:
    name: str  # the field or variable divided by
    label: str  # its Chinese label
    quantity: str  # what cannot be computed when it is 0


def divisors(policy, node: Node, compiler: Compiler, owner: str) -> list[Divisor]:
    """The divisors a decision on ``node`` depends on (through variables), in order, once each."""
    out: dict[str, Divisor] = {}
    seen: set[str] = set()

    def visit(n: Node, quantity: str) -> None:
        if isinstance(n, If):
            cond = compiler.compile(n.cond)
            if isinstance(cond, Plain) and cond.const is not None:
                visit(n.then if cond.const else n.other, quantity)
                return
        if isinstance(n, Binary) and n.op == "/" and isinstance(n.right, Name):
            sym = policy.env[n.right.name]
            if sym.kind in ("field", "var") and sym.type in ("number", "money"):
                out.setdefault(n.right.name, Divisor(n.right.name, sym.label, quantity))
        if isinstance(n, Name) and n.name in policy.variables and n.name not in seen:
            seen.add(n.name)
            var = policy.variables[n.name]
            visit(var.node, var.label)
            return
        for child in n.children():
            visit(child, quantity)

    visit(node, owner)
    return list(out.values())


def zero_expr(d: Divisor, env, frame_columns, var_dens) -> pl.Expr | None:
    """True where the divisor is 0 in a result frame (None when its value is not in the frame)."""
    sym = env[d.name]
    if sym.kind == "field":
        return pl.col(d.name) == 0 if d.name in frame_columns else None
    col = f"v.{d.name}.n"
    return pl.col(col) == 0 if d.name in var_dens and col in frame_columns else None


def zero_text(found: list[Divisor]) -> str:
    """「月均参保人数为 0，裁员率（口径A）无法计算」 for each zero divisor."""
    return "；".join(f"{d.label}为 0，{d.quantity}无法计算" for d in found)
