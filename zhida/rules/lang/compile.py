"""Compile typed expressions to Polars column expressions, exactly.

Numbers and money are rationals: a pair of Int128 expressions ``num / den`` with
``den > 0`` (``den`` is a Python int when it is the same for every row). Nothing is ever
a binary float; division by zero gives a missing value; logic is three-valued (Kleene),
so a missing input makes a condition unknown, never false.

>>> import polars as pl
>>> from fractions import Fraction
>>> c = Compiler(lambda name: Rat.const_of(Fraction(3, 10)) if name == "r" else Rat(pl.col(name).cast(pl.Int128), 1))
>>> df = pl.DataFrame({"fen": [101, 105, 0]})
>>> df.select(round_half_up(c.compile(parse("fen * r"))).alias("x"))["x"].to_list()
[30, 32, 0]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from zhida.rules.lang.syntax import (
    COMPARE, Binary, Bool, Call, If, In, Name, Neg, Node, Not, Num, ParseError, SetLit, Str, parse,
)

I128 = pl.Int128


def lit(n: int) -> pl.Expr:
    return pl.lit(n, dtype=I128)


def _e(x: pl.Expr | int) -> pl.Expr:
    return lit(x) if isinstance(x, int) else x


def neg(x: pl.Expr) -> pl.Expr:
    """``-x`` (Polars has no negation for Int128)."""
    return lit(0) - x


def absolute(x: pl.Expr) -> pl.Expr:
    return pl.when(x < 0).then(neg(x)).otherwise(x)


def mul(x: pl.Expr | int, y: pl.Expr | int) -> pl.Expr | int:
    if isinstance(x, int) and isinstance(y, int):
        return x * y
    if isinstance(y, int):
        return x if y == 1 else x * lit(y)
    if isinstance(x, int):
        return y if x == 1 else lit(x) * y
    return x * y


@dataclass(frozen=True)
class Rat:
    """An exact rational column ``num / den``; ``const`` when the same for all rows."""

    num: pl.Expr
    den: pl.Expr | int
    const: Fraction | None = None

    @staticmethod
    def const_of(value) -> "Rat":
        f = Fraction(value)
        return Rat(lit(f.numerator), f.denominator, f)


@dataclass(frozen=True)
class Plain:
    """A boolean or text column."""

    expr: pl.Expr


Value = Rat | Plain | frozenset


def when2(cond: pl.Expr, a, b):
    """``a`` where cond is true, ``b`` where false, missing where cond is missing."""
    return pl.when(cond).then(_e(a)).when(~cond).then(_e(b))


def compare(op: str, a: Rat, b: Rat) -> pl.Expr:
    left, right = _e(mul(a.num, b.den)), _e(mul(b.num, a.den))
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right,
            "==": left == right, "!=": left != right}[op]


def add(a: Rat, b: Rat, sign: int) -> Rat:
    bn = b.num if sign > 0 else neg(b.num)
    if isinstance(a.den, int) and isinstance(b.den, int) and a.den == b.den:
        return Rat(a.num + bn, a.den)
    return Rat(_e(mul(a.num, b.den)) + _e(mul(bn, a.den)), mul(a.den, b.den))


def multiply(a: Rat, b: Rat) -> Rat:
    return Rat(_e(mul(a.num, b.num)), mul(a.den, b.den))


def divide(a: Rat, b: Rat) -> Rat:
    if b.const is not None:
        if b.const == 0:
            return Rat(pl.lit(None, dtype=I128), 1)
        inv = 1 / b.const
        return multiply(a, Rat.const_of(inv))
    num = _e(mul(a.num, b.den))
    return Rat(pl.when(b.num > 0).then(num).when(b.num < 0).then(neg(num)), absolute(_e(mul(a.den, b.num))))


def pick(cond: pl.Expr, a: Rat, b: Rat) -> Rat:
    if isinstance(a.den, int) and isinstance(b.den, int) and a.den == b.den:
        return Rat(when2(cond, a.num, b.num), a.den)
    return Rat(when2(cond, a.num, b.num), when2(cond, a.den, b.den))


def round_half_up(r: Rat) -> pl.Expr:
    """Round to the nearest integer, halves away from zero, as Int64."""
    d = _e(r.den)
    pos = (r.num * 2 + d) // (d * 2)
    negative = neg((neg(r.num) * 2 + d) // (d * 2))
    return pl.when(r.num >= 0).then(pos).otherwise(negative).cast(pl.Int64)


def scaled(r: Rat, digits: int) -> pl.Expr:
    """``r × 10**digits`` rounded half up (for display)."""
    return round_half_up(Rat(r.num * lit(10**digits), r.den))


class Compiler:
    """Compile nodes given ``resolve(name) -> Value`` for fields, variables and parameters."""

    def __init__(self, resolve: Callable[[str], Value]):
        self.resolve = resolve

    def compile(self, node: Node) -> Value:
        method = getattr(self, "c_" + type(node).__name__)
        return method(node)

    def c_Num(self, node: Num) -> Rat:
        return Rat.const_of(node.value)

    def c_Str(self, node: Str) -> Plain:
        return Plain(pl.lit(node.value, dtype=pl.String))

    def c_Bool(self, node: Bool) -> Plain:
        return Plain(pl.lit(node.value, dtype=pl.Boolean))

    def c_SetLit(self, node: SetLit) -> frozenset:
        return frozenset(node.items)

    def c_Name(self, node: Name) -> Value:
        return self.resolve(node.name)

    def c_Neg(self, node: Neg) -> Rat:
        r = self.compile(node.operand)
        return Rat(neg(r.num), r.den, None if r.const is None else -r.const)

    def c_Not(self, node: Not) -> Plain:
        return Plain(~self.compile(node.operand).expr)

    def c_In(self, node: In) -> Plain:
        item, items = self.compile(node.item).expr, self.compile(node.set)
        member = pl.when(item.is_not_null()).then(item.is_in(sorted(items)))
        return Plain(~member if node.negate else member)

    def c_If(self, node: If) -> Value:
        cond, a, b = self.compile(node.cond).expr, self.compile(node.then), self.compile(node.other)
        if isinstance(a, Rat):
            return pick(cond, a, b)
        return Plain(when2(cond, a.expr, b.expr))

    def c_Binary(self, node: Binary) -> Value:
        a, b = self.compile(node.left), self.compile(node.right)
        op = node.op
        if op == "and":
            return Plain(a.expr & b.expr)
        if op == "or":
            return Plain(a.expr | b.expr)
        if op in COMPARE:
            if isinstance(a, Rat):
                return Plain(compare(op, a, b))
            return Plain(a.expr == b.expr if op == "==" else a.expr != b.expr)
        if op in "+-":
            return add(a, b, 1 if op == "+" else -1)
        if op == "*":
            return multiply(a, b)
        return divide(a, b)

    def c_Call(self, node: Call) -> Value:
        args = [self.compile(a) for a in node.args]
        f = node.func
        if f == "known":
            a = args[0]
            return Plain((a.num if isinstance(a, Rat) else a.expr).is_not_null())
        if f == "abs":
            return Rat(absolute(args[0].num), args[0].den)
        if f == "coalesce":
            return self.coalesce(args)
        out = args[0]
        for b in args[1:]:
            keep = compare("<=" if f == "min" else ">=", out, b)
            out = pick(keep, out, b)
        return out

    @staticmethod
    def coalesce(args: list[Value]) -> Value:
        if isinstance(args[0], Plain):
            return Plain(pl.coalesce([a.expr for a in args]))
        out = args[-1]
        for a in reversed(args[:-1]):
            known = a.num.is_not_null()
            out = Rat(pl.when(known).then(a.num).otherwise(out.num),
                      pl.when(known).then(_e(a.den)).otherwise(_e(out.den)))
        return out


__all__ = ["Rat", "Plain", "Compiler", "round_half_up", "scaled", "parse", "ParseError"]
