"""Exact rational columns: the values compiled expressions compute with, and their arithmetic.

A number or amount is a ``Rat``: a pair of integer expressions ``num / den`` with ``den > 0``
(``den`` is a Python int when it is the same for every row) and the known bounds of both, so
that Int64 is used where it provably cannot overflow and Int128 elsewhere (``ints``). A yes/no
or text value is a ``Plain``; a set literal is a ``frozenset``. Division by zero gives a missing
value; rounding is half up, once, at the end.

>>> from fractions import Fraction
>>> add(Rat.const_of(Fraction(1, 3)), Rat.const_of(Fraction(1, 6)), 1).const
Fraction(1, 2)
>>> as_rat(Plain.of(True))
Traceback (most recent call last):
...
zhida.errors.PolicyError: 表达式此处应为数值或金额，实际为是/否或文字：请检查策略中的表达式
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import polars as pl

from zhida.errors import PolicyError
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


Value = Rat | Plain | frozenset[str]


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


def negate(r: Rat) -> Rat:
    """``-r``."""
    if r.const is not None:
        return Rat.const_of(-r.const)
    return rat(_neg(r.n), r.d, r.null)


def neg(x: pl.Expr) -> pl.Expr:
    """``-x`` (Polars has no negation for Int128)."""
    return lit(0) - x


def compare(op_: str, a: Rat, b: Rat) -> Plain:
    if a.const is not None and b.const is not None:
        return Plain.of(CMP[op_](a.const, b.const))
    left, right = _mul(a.n, b.d), _mul(b.n, a.d)
    wide = not (_fits(left) and _fits(right))
    return Plain(CMP[op_](expr(*left, wide=wide), expr(*right, wide=wide)), None, a.null or b.null)


def _fits(t) -> bool:
    return fits(_b(t))


CMP: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


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
    den_expr, dbounds = when2(cond.expr, a.d, b.d, cond.null)
    return Rat(num, den_expr, None, nbounds, dbounds, null)


def round_half_up(r: Rat) -> pl.Expr:
    """Round to the nearest integer, halves away from zero, as Int64."""
    if r.const is not None:
        f = r.const
        q = (abs(f.numerator) * 2 + f.denominator) // (f.denominator * 2)
        return pl.lit(q if f >= 0 else -q, dtype=I64)
    if isinstance(r.den, int) and r.den % 2 == 0:  # (2n + d) // 2d == (n + d/2) // d
        half = r.den // 2

        def half_up(n: tuple[Term, Bounds]) -> tuple[Term, Bounds]:
            return _floordiv(_add(n, (half, None)), r.d)
    else:

        def half_up(n: tuple[Term, Bounds]) -> tuple[Term, Bounds]:
            return _floordiv(_add(_mul(n, (2, None)), r.d), _mul(r.d, (2, None)))

    if r.nb is not None and r.nb[0] >= 0:
        return expr(*half_up(r.n)).cast(I64)
    rounded = half_up((r.num.abs(), absb(r.nb)))  # |n| rounded half up, then the sign of n back
    return (expr(*rounded) * r.num.sign()).cast(I64)


def _floordiv(a: tuple[Term, Bounds], d: tuple[Term, Bounds]) -> tuple[Term, Bounds]:
    return op(operator.floordiv, [a, d], floordivb(_b(a)))


def scaled(r: Rat, digits: int) -> pl.Expr:
    """``r × 10**digits`` rounded half up (for display)."""
    return round_half_up(multiply(r, Rat.const_of(10**digits)))


def as_rat(v: Value) -> Rat:
    """``v`` as a number or amount; ``PolicyError`` for anything else (the type checker refuses it first)."""
    if isinstance(v, Rat):
        return v
    raise _wrong_kind(v, "数值或金额")


def as_plain(v: Value) -> Plain:
    """``v`` as a yes/no or text value; ``PolicyError`` for anything else."""
    if isinstance(v, Plain):
        return v
    raise _wrong_kind(v, "是/否或文字")


def as_set(v: Value) -> frozenset[str]:
    """``v`` as a set literal; ``PolicyError`` for anything else."""
    if isinstance(v, frozenset):
        return v
    raise _wrong_kind(v, "集合")


def as_scalar(v: Value) -> Rat | Plain:
    """``v`` as one value per row (not a set); ``PolicyError`` for a set."""
    if isinstance(v, Rat | Plain):
        return v
    raise _wrong_kind(v, "单个值")


def _wrong_kind(v: Value, wanted: str) -> PolicyError:
    got = {Rat: "数值或金额", Plain: "是/否或文字"}.get(type(v), "集合")
    return PolicyError(f"表达式此处应为{wanted}，实际为{got}：请检查策略中的表达式")


__all__ = [
    "CMP",
    "Plain",
    "Rat",
    "Value",
    "add",
    "as_plain",
    "as_rat",
    "as_scalar",
    "as_set",
    "compare",
    "divide",
    "lit",
    "multiply",
    "neg",
    "negate",
    "pick",
    "rat",
    "round_half_up",
    "scaled",
]
