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

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from zhida.rules.lang.ints import (
    I64,
    I128,
    Bounds,
    Term,
    absb,
    addb,
    expr,
    fits,
    floordivb,
    mulb,
    negb,
    op,
    unionb,
    when2,
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


def lit(n: int) -> pl.Expr:
    return pl.lit(n, dtype=I128)


@dataclass(frozen=True)
class Rat:
    """An exact rational column ``num / den``; ``const`` when the same for all rows.

    ``nb`` and ``db`` are the bounds of ``num`` and ``den`` (``None``: unknown, held as Int128);
    ``null`` is false when the value is known never to be missing.
    """

    num: pl.Expr
    den: pl.Expr | int
    const: Fraction | None = None
    nb: Bounds = None
    db: Bounds = None
    null: bool = True

    @staticmethod
    def const_of(value) -> Rat:
        f = Fraction(value)
        n = f.numerator
        return Rat(expr(n, (n, n)), f.denominator, f, (n, n), (f.denominator, f.denominator), False)

    @property
    def n(self) -> tuple[Term, Bounds]:
        return (self.const.numerator, self.nb) if self.const is not None else (self.num, self.nb)

    @property
    def d(self) -> tuple[Term, Bounds]:
        return (self.den, (self.den, self.den)) if isinstance(self.den, int) else (self.den, self.db)


def rat(num: tuple[Term, Bounds], den: tuple[Term, Bounds], null: bool = True) -> Rat:
    """A Rat from terms; a constant when both terms are Python ints."""
    (n, nb), (d, db) = num, den
    if isinstance(n, int) and isinstance(d, int):
        return Rat.const_of(Fraction(n, d))
    return Rat(expr(n, nb), d, None, nb, db, null)


@dataclass(frozen=True)
class Plain:
    """A boolean or text column; ``const`` when it is the same for all rows; ``null`` as in Rat."""

    expr: pl.Expr
    const: object = None
    null: bool = True

    @staticmethod
    def of(value) -> Plain:
        return Plain(pl.lit(value), value, False)


Value = Rat | Plain | frozenset


def _mul(a: tuple[Term, Bounds], b: tuple[Term, Bounds]) -> tuple[Term, Bounds]:
    if isinstance(b[0], int) and b[0] == 1:
        return a
    if isinstance(a[0], int) and a[0] == 1:
        return b
    return op(operator.mul, [a, b], mulb(_b(a), _b(b)))


def _b(t: tuple[Term, Bounds]) -> Bounds:
    return (t[0], t[0]) if isinstance(t[0], int) else t[1]


def _add(a: tuple[Term, Bounds], b: tuple[Term, Bounds], sign: int = 1) -> tuple[Term, Bounds]:
    f = operator.add if sign > 0 else operator.sub
    return op(f, [a, b], addb(_b(a), _b(b) if sign > 0 else negb(_b(b))))


def _neg(a: tuple[Term, Bounds]) -> tuple[Term, Bounds]:
    return _add((0, (0, 0)), a, -1)


def neg(x: pl.Expr) -> pl.Expr:
    """``-x`` (Polars has no negation for Int128)."""
    return lit(0) - x


def compare(op_: str, a: Rat, b: Rat) -> Plain:
    if a.const is not None and b.const is not None:
        return Plain.of(_CMP[op_](a.const, b.const))
    left, right = _mul(a.n, b.d), _mul(b.n, a.d)
    wide = not (_fits(left) and _fits(right))
    return Plain(_CMP[op_](expr(*left, wide=wide), expr(*right, wide=wide)), None, a.null or b.null)


def _fits(t) -> bool:
    return fits(_b(t))


_CMP = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}


def add(a: Rat, b: Rat, sign: int) -> Rat:
    if a.const is not None and b.const is not None:
        return Rat.const_of(a.const + sign * b.const)
    if isinstance(a.den, int) and isinstance(b.den, int) and a.den == b.den:
        return rat(_add(a.n, b.n, sign), a.d, a.null or b.null)
    return rat(_add(_mul(a.n, b.d), _mul(b.n, a.d), sign), _mul(a.d, b.d), a.null or b.null)


def multiply(a: Rat, b: Rat) -> Rat:
    if a.const is not None and b.const is not None:
        return Rat.const_of(a.const * b.const)
    return rat(_mul(a.n, b.n), _mul(a.d, b.d), a.null or b.null)


def divide(a: Rat, b: Rat) -> Rat:
    if b.const is not None:
        if b.const == 0:
            return Rat(pl.lit(None, dtype=I64), 1, None, (0, 0), (1, 1))
        return multiply(a, Rat.const_of(1 / b.const))
    num, den = _mul(a.n, b.d), _mul(a.d, b.n)
    n_expr, d_expr = expr(*num), expr(*den)
    if b.nb is not None and b.nb[0] > 0:  # never zero nor negative
        return Rat(n_expr, d_expr, None, num[1], den[1], a.null or b.null)
    if b.nb is not None and b.nb[0] >= 0:  # never negative: no sign to fix
        return Rat(pl.when(b.num > 0).then(n_expr), d_expr, None, num[1], den[1])
    nn = _neg(num)
    wide = not (_fits(num) and _fits(nn))
    signed = pl.when(b.num > 0).then(expr(*num, wide=wide)).when(b.num < 0).then(expr(*nn, wide=wide))
    dn = _neg(den)
    d_abs = (
        pl.when(d_expr < 0)
        .then(expr(*dn, wide=not _fits(dn) or not _fits(den)))
        .otherwise(expr(*den, wide=not _fits(dn) or not _fits(den)))
    )
    return Rat(signed, d_abs, None, unionb(_b(num), _b(nn)), absb(_b(den)))


def pick(cond: Plain, a: Rat, b: Rat) -> Rat:
    """``a`` where ``cond`` holds, ``b`` where not, missing where unknown."""
    if cond.const is not None:
        return a if cond.const else b
    null = cond.null or a.null or b.null
    if isinstance(a.den, int) and isinstance(b.den, int):
        den = math.lcm(a.den, b.den)
        na, nb_ = _mul(a.n, (den // a.den, None)), _mul(b.n, (den // b.den, None))
        num, bounds = when2(cond.expr, na, nb_, cond.null)
        return Rat(num, den, None, bounds, (den, den), null)
    num, nbounds = when2(cond.expr, a.n, b.n, cond.null)
    den, dbounds = when2(cond.expr, a.d, b.d, cond.null)
    return Rat(num, den, None, nbounds, dbounds, null)


def round_half_up(r: Rat) -> pl.Expr:
    """Round to the nearest integer, halves away from zero, as Int64."""
    if r.const is not None:
        f = r.const
        q = (abs(f.numerator) * 2 + f.denominator) // (f.denominator * 2)
        return pl.lit(q if f >= 0 else -q, dtype=I64)
    if isinstance(r.den, int) and r.den % 2 == 0:  # (2n + d) // 2d == (n + d/2) // d

        def half_up(n):
            return _floordiv(_add(n, (r.den // 2, None)), r.d)
    else:

        def half_up(n):
            return _floordiv(_add(_mul(n, (2, None)), r.d), _mul(r.d, (2, None)))

    if r.nb is not None and r.nb[0] >= 0:
        return expr(*half_up(r.n)).cast(I64)
    q = half_up((r.num.abs(), absb(r.nb)))  # |n| rounded half up, then the sign of n back
    return (expr(*q) * r.num.sign()).cast(I64)


def _floordiv(a: tuple[Term, Bounds], d: tuple[Term, Bounds]) -> tuple[Term, Bounds]:
    return op(operator.floordiv, [a, d], floordivb(_b(a)))


def scaled(r: Rat, digits: int) -> pl.Expr:
    """``r × 10**digits`` rounded half up (for display)."""
    return round_half_up(multiply(r, Rat.const_of(10**digits)))


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
        return Plain(pl.lit(node.value, dtype=pl.String), node.value, False)

    def c_Bool(self, node: Bool) -> Plain:
        return Plain(pl.lit(node.value, dtype=pl.Boolean), node.value, False)

    def c_SetLit(self, node: SetLit) -> frozenset:
        return frozenset(node.items)

    def c_Name(self, node: Name) -> Value:
        return self.resolve(node.name)

    def c_Neg(self, node: Neg) -> Rat:
        r = self.compile(node.operand)
        if r.const is not None:
            return Rat.const_of(-r.const)
        return rat(_neg(r.n), r.d, r.null)

    def c_Not(self, node: Not) -> Plain:
        a = self.compile(node.operand)
        return Plain.of(not a.const) if a.const is not None else Plain(~a.expr, None, a.null)

    def c_In(self, node: In) -> Plain:
        item, items = self.compile(node.item), self.compile(node.set)
        if item.const is not None:
            return Plain.of((item.const in items) != node.negate)
        if len(items) == 1:  # one equality is cheapest; null stays null
            member = item.expr == next(iter(items))
        elif items:  # a hash lookup beats a chain of string equalities (6 values: 2 ms vs 9 ms at 1M)
            member = item.expr.is_in(sorted(items))  # null stays null
        else:
            member = pl.when(item.expr.is_not_null()).then(pl.lit(False))
        return Plain(~member if node.negate else member, None, item.null)

    def c_If(self, node: If) -> Value:
        cond = self.compile(node.cond)
        if cond.const is not None:
            return self.compile(node.then if cond.const else node.other)
        a, b = self.compile(node.then), self.compile(node.other)
        if isinstance(a, Rat):
            return pick(cond, a, b)
        null = cond.null or a.null or b.null
        if a.const is not None and a.const == b.const:
            return a if not cond.null else Plain(pl.when(cond.expr.is_not_null()).then(a.expr), None, null)
        then = pl.when(cond.expr).then(a.expr)
        return Plain(then.when(~cond.expr).then(b.expr) if cond.null else then.otherwise(b.expr), None, null)

    def c_Binary(self, node: Binary) -> Value:
        a, b = self.compile(node.left), self.compile(node.right)
        op_ = node.op
        if op_ in ("and", "or"):
            return logic(op_, a, b)
        if op_ in COMPARE:
            if isinstance(a, Rat):
                return compare(op_, a, b)
            if a.const is not None and b.const is not None:
                return Plain.of(_CMP[op_](a.const, b.const))
            return Plain(a.expr == b.expr if op_ == "==" else a.expr != b.expr, None, a.null or b.null)
        if op_ in "+-":
            return add(a, b, 1 if op_ == "+" else -1)
        if op_ == "*":
            return multiply(a, b)
        return divide(a, b)

    def c_Call(self, node: Call) -> Value:
        args = [self.compile(a) for a in node.args]
        f = node.func
        if f == "known":
            a = args[0]
            if a.const is not None:
                return Plain.of(True)
            return Plain((a.num if isinstance(a, Rat) else a.expr).is_not_null(), None, False)
        if f == "abs":
            a = args[0]
            if a.const is not None:
                return Rat.const_of(abs(a.const))
            if a.nb is not None and a.nb[0] >= 0:
                return a
            return pick(compare("<", a, Rat.const_of(0)), rat(_neg(a.n), a.d, a.null), a)
        if f == "coalesce":
            return coalesce(args)
        out = args[0]
        for b in args[1:]:
            out = pick(compare("<=" if f == "min" else ">=", out, b), out, b)
        return out


def logic(op_: str, a: Plain, b: Plain) -> Plain:
    """Kleene ``and``/``or`` with constant folding."""
    absorbing = op_ == "or"  # true absorbs or; false absorbs and
    for x, y in ((a, b), (b, a)):
        if x.const is not None:
            return Plain.of(absorbing) if bool(x.const) == absorbing else y
    return Plain(a.expr & b.expr if op_ == "and" else a.expr | b.expr, None, a.null or b.null)


def coalesce(args: list[Value]) -> Value:
    if isinstance(args[0], Plain):
        for i, a in enumerate(args):
            if a.const is not None:
                args = args[: i + 1]
                break
        if len(args) == 1:
            return args[0]
        return Plain(pl.coalesce([a.expr for a in args]), None, all(a.null for a in args))
    out = args[-1]
    for a in reversed(args[:-1]):
        if a.const is not None:
            out = a
            continue
        out = pick(Plain(a.num.is_not_null(), None, False), a, out)
    return out


__all__ = ["Compiler", "ParseError", "Plain", "Rat", "lit", "neg", "parse", "round_half_up", "scaled"]
