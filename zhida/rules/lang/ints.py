"""Integer columns with known bounds: Int64 where the bounds prove it safe, else Int128.

A term is a Polars expression or a Python ``int`` (a constant), with ``Bounds`` — the
smallest and largest value it can take (``None``: unknown). Every operation computes the
bounds of its result; it runs in Int64 only when its operands and its result are proven
to stay within ±2**62, otherwise in Int128. So arithmetic is fast on real data and still
never wraps around. An expression with unknown bounds is always treated as Int128.

>>> mulb((-3, 5), (2, 4)), addb((1, 2), (10, 20)), negb((1, 2)), absb((-7, 3))
((-12, 20), (11, 22), (-2, -1), (0, 7))
>>> op(lambda a, b: a * b, [(6, None), (7, None)], None)
(42, (42, 42))
>>> import polars as pl
>>> e, b = op(lambda a, b: a * b, [(pl.col("x"), (0, 100)), (3, None)], mulb((0, 100), (3, 3)))
>>> b, pl.DataFrame({"x": [7]}).select(e).dtypes
((0, 300), [Int64])
>>> e, b = op(lambda a, b: a * b, [(pl.col("x"), (0, 2**61)), (8, None)], mulb((0, 2**61), (8, 8)))
>>> pl.DataFrame({"x": [7]}).select(e).dtypes
[Int128]
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

I64, I128 = pl.Int64, pl.Int128
LIMIT = 2**62
Bounds = tuple[int, int] | None
Term = pl.Expr | int


def fits(b: Bounds) -> bool:
    return b is not None and b[0] >= -LIMIT and b[1] <= LIMIT


def bounds_of(x: Term, b: Bounds) -> Bounds:
    return (x, x) if isinstance(x, int) else b


def mulb(a: Bounds, b: Bounds) -> Bounds:
    if a is None or b is None:
        return None
    p = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return min(p), max(p)


def addb(a: Bounds, b: Bounds) -> Bounds:
    return None if a is None or b is None else (a[0] + b[0], a[1] + b[1])


def negb(a: Bounds) -> Bounds:
    return None if a is None else (-a[1], -a[0])


def absb(a: Bounds) -> Bounds:
    if a is None or a[0] >= 0:
        return a
    return (-a[1], -a[0]) if a[1] <= 0 else (0, max(-a[0], a[1]))


def unionb(*bs: Bounds) -> Bounds:
    known = [b for b in bs if b is not None]
    if len(known) < len(bs):
        return None
    return min(b[0] for b in known), max(b[1] for b in known)


def floordivb(a: Bounds) -> Bounds:
    """Bounds of ``a // d`` for any divisor ``d >= 1``."""
    return None if a is None else (min(a[0], 0), max(a[1], 0))


def expr(x: Term, b: Bounds, wide: bool = False) -> pl.Expr:
    """The term as an expression, Int128 when ``wide`` (or when it does not fit Int64)."""
    if isinstance(x, int):
        return pl.lit(x, dtype=I128 if wide or not fits((x, x)) else I64)
    return x.cast(I128) if wide else x


def op(f: Callable, args: list[tuple[Term, Bounds]], rb: Bounds) -> tuple[Term, Bounds]:
    """Apply ``f`` to the terms; Int64 if everything fits, else Int128 (narrowed back if the result fits)."""
    if all(isinstance(x, int) for x, _ in args):
        v = f(*[x for x, _ in args])
        return v, (v, v)
    narrow = fits(rb) and all(fits(bounds_of(x, b)) for x, b in args)
    r = f(*[expr(x, b, wide=not narrow) for x, b in args])
    if not narrow and fits(rb):
        r = r.cast(I64)
    return r, rb


def when2(cond: pl.Expr, a: tuple[Term, Bounds], b: tuple[Term, Bounds], null: bool = True) -> tuple[pl.Expr, Bounds]:
    """``a`` where ``cond`` is true, ``b`` where false, missing where ``cond`` is missing
    (``null=False``: ``cond`` is known never to be missing, one branch test is enough)."""
    rb = unionb(bounds_of(*a), bounds_of(*b))
    wide = not fits(rb)
    then = pl.when(cond).then(expr(*a, wide=wide))
    return (then.when(~cond).then(expr(*b, wide=wide)) if null else then.otherwise(expr(*b, wide=wide))), rb


__all__ = ["Bounds", "Term", "absb", "addb", "expr", "fits", "floordivb", "mulb", "negb", "op", "unionb", "when2"]
