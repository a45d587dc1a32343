"""Compile typed expressions to Polars column expressions, exactly.

Numbers and money are rationals: a pair of integer expressions ``num / den`` with
``den > 0`` (``den`` is a Python int when it is the same for every row). Integers are
Int64 where the known bounds of the data prove no overflow, Int128 otherwise (``ints``).
Nothing is ever a binary float; division by zero gives a missing value; logic is
three-valued (Kleene), so a missing input makes a condition unknown, never false.
Constant parameters are folded at compile time (``if layoff.method == "A" then …`` keeps
only the branch in force; ``true and x`` is ``x``).

>>> import polars as pl
>>> from fractions import Fraction
>>> c = Compiler(lambda name: Rat.const_of(Fraction(3, 10)) if name == "r" else Rat(pl.col(name).cast(pl.Int128), 1))
>>> df = pl.DataFrame({"fen": [101, 105, 0]})
>>> df.select(round_half_up(c.compile(parse("fen * r"))).alias("x"))["x"].to_list()
[30, 32, 0]
>>> c.compile(parse('"A" == "A" and 1 < 2')).const
True
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from zhida.rules.lang.rational import (
    CMP,
    Plain,
    Rat,
    Value,
    add,
    as_plain,
    as_rat,
    as_scalar,
    as_set,
    compare,
    divide,
    lit,
    multiply,
    neg,
    negate,
    pick,
    round_half_up,
    scaled,
)
from zhida.rules.lang.syntax import (
    COMPARE,
    Binary,
    Bool,
    Call,
    If,
    In,
    Name,
    Neg,
    Node,
    Not,
    Num,
    ParseError,
    SetLit,
    Str,
    parse,
)


class Compiler:
    """Compile nodes given ``resolve(name) -> Value`` for fields, variables and parameters.

    ``compile`` returns any value; ``rat``, ``plain`` and ``scalar`` narrow it to the kind the
    context needs and raise ``PolicyError`` on a kind the type checker (``types.check``) refuses.
    """

    def __init__(self, resolve: Callable[[str], Value]):
        self.resolve = resolve

    def compile(self, node: Node) -> Value:
        method: Callable[[Node], Value] = getattr(self, "c_" + type(node).__name__)
        return method(node)

    def rat(self, node: Node) -> Rat:
        return as_rat(self.compile(node))

    def plain(self, node: Node) -> Plain:
        return as_plain(self.compile(node))

    def scalar(self, node: Node) -> Rat | Plain:
        return as_scalar(self.compile(node))

    def c_Num(self, node: Num) -> Rat:
        return Rat.const_of(node.value)

    def c_Str(self, node: Str) -> Plain:
        return Plain(pl.lit(node.value, dtype=pl.String), node.value, False)

    def c_Bool(self, node: Bool) -> Plain:
        return Plain(pl.lit(node.value, dtype=pl.Boolean), node.value, False)

    def c_SetLit(self, node: SetLit) -> frozenset[str]:
        return frozenset(node.items)

    def c_Name(self, node: Name) -> Value:
        return self.resolve(node.name)

    def c_Neg(self, node: Neg) -> Rat:
        return negate(self.rat(node.operand))

    def c_Not(self, node: Not) -> Plain:
        a = self.plain(node.operand)
        return Plain.of(not a.const) if a.const is not None else Plain(~a.expr, None, a.null)

    def c_In(self, node: In) -> Plain:
        item, items = self.plain(node.item), as_set(self.compile(node.set))
        if item.const is not None:
            return Plain.of((item.const in items) != node.negate)
        member: pl.Expr
        if len(items) == 1:  # one equality is cheapest; null stays null
            member = item.expr == next(iter(items))
        elif items:  # a hash lookup beats a chain of string equalities (6 values: 2 ms vs 9 ms at 1M)
            member = item.expr.is_in(sorted(items))  # null stays null
        else:
            member = pl.when(item.expr.is_not_null()).then(pl.lit(False))
        return Plain(~member if node.negate else member, None, item.null)

    def c_If(self, node: If) -> Value:
        cond = self.plain(node.cond)
        if cond.const is not None:
            return self.compile(node.then if cond.const else node.other)
        a, b = self.scalar(node.then), self.scalar(node.other)
        if isinstance(a, Rat):
            return pick(cond, a, as_rat(b))
        b = as_plain(b)
        null = cond.null or a.null or b.null
        if a.const is not None and a.const == b.const:
            return a if not cond.null else Plain(pl.when(cond.expr.is_not_null()).then(a.expr), None, null)
        then = pl.when(cond.expr).then(a.expr)
        return Plain(then.when(~cond.expr).then(b.expr) if cond.null else then.otherwise(b.expr), None, null)

    def c_Binary(self, node: Binary) -> Value:
        a, b = self.scalar(node.left), self.scalar(node.right)
        op_ = node.op
        if op_ in ("and", "or"):
            return logic(op_, as_plain(a), as_plain(b))
        if op_ in COMPARE:
            if isinstance(a, Rat):
                return compare(op_, a, as_rat(b))
            b = as_plain(b)
            if a.const is not None and b.const is not None:
                return Plain.of(CMP[op_](a.const, b.const))
            return Plain(a.expr == b.expr if op_ == "==" else a.expr != b.expr, None, a.null or b.null)
        x, y = as_rat(a), as_rat(b)
        if op_ in "+-":
            return add(x, y, 1 if op_ == "+" else -1)
        if op_ == "*":
            return multiply(x, y)
        return divide(x, y)

    def c_Call(self, node: Call) -> Value:
        args = [self.scalar(a) for a in node.args]
        f = node.func
        if f == "known":
            a = args[0]
            if a.const is not None:
                return Plain.of(True)
            return Plain((a.num if isinstance(a, Rat) else a.expr).is_not_null(), None, False)
        if f == "coalesce":
            return coalesce(args)
        nums = [as_rat(a) for a in args]
        if f == "abs":
            r = nums[0]
            if r.const is not None:
                return Rat.const_of(abs(r.const))
            if r.nb is not None and r.nb[0] >= 0:
                return r
            return pick(compare("<", r, Rat.const_of(0)), negate(r), r)
        out = nums[0]
        for b in nums[1:]:
            out = pick(compare("<=" if f == "min" else ">=", out, b), out, b)
        return out


def logic(op_: str, a: Plain, b: Plain) -> Plain:
    """Kleene ``and``/``or`` with constant folding."""
    absorbing = op_ == "or"  # true absorbs or; false absorbs and
    for x, y in ((a, b), (b, a)):
        if x.const is not None:
            return Plain.of(absorbing) if bool(x.const) == absorbing else y
    return Plain(a.expr & b.expr if op_ == "and" else a.expr | b.expr, None, a.null or b.null)


def coalesce(args: list[Rat | Plain]) -> Rat | Plain:
    """The first known value of ``args`` (all numbers or all yes/no/text), row by row."""
    if isinstance(args[0], Plain):
        plains = [as_plain(a) for a in args]
        for i, a in enumerate(plains):
            if a.const is not None:
                plains = plains[: i + 1]
                break
        if len(plains) == 1:
            return plains[0]
        return Plain(pl.coalesce([a.expr for a in plains]), None, all(a.null for a in plains))
    nums = [as_rat(a) for a in args]
    out = nums[-1]
    for r in reversed(nums[:-1]):
        if r.const is not None:
            out = r
            continue
        out = pick(Plain(r.num.is_not_null(), None, False), r, out)
    return out


__all__ = [
    "Compiler",
    "ParseError",
    "Plain",
    "Rat",
    "Value",
    "as_plain",
    "as_rat",
    "as_scalar",
    "as_set",
    "lit",
    "neg",
    "parse",
    "round_half_up",
    "scaled",
]
