"""Bounds of the numeric inputs, found once per input frame.

The compiler proves Int64 safe from the smallest and largest value of every numeric input
(else it falls back to Int128). Finding them is a pass over the data; the input frame's
builder (``inputs.input_frame``) does it once, in one query, and the frame carries them
(``InputFrame``, a DataFrame with its bounds), so every evaluation of that frame (a run, its
what-if scenarios, a benchmark loop) skips the pass. Any Polars operation returns a new frame
without bounds, so a derived frame is scanned again; the carried bounds are also checked
against the frame's height and columns.

>>> import polars as pl
>>> df = pl.DataFrame({"a": [3, -1, None], "b": [None, None, None], "s": ["x", "y", "z"]},
...                   schema_overrides={"b": pl.Int64})
>>> scan(df, ["a", "b"])
{'a': (-1, 3), 'b': None}
>>> carried = remember(df, {"a": (-1, 3)})
>>> recall(carried, ["a"]), recall(df, ["a"])
({'a': (-1, 3)}, None)
>>> recall(carried.head(2), ["a"]) is None
True
"""

from __future__ import annotations

from typing import cast

import polars as pl

Bounds = dict[str, tuple[int, int] | None]


class InputFrame(pl.DataFrame):
    """A DataFrame that carries the bounds of its numeric columns (``carried``)."""

    carried: tuple[int, tuple[str, ...], Bounds] | None = None


def scan(frame: pl.DataFrame, cols: list[str]) -> Bounds:
    """Min and max of ``cols`` in one query (``None`` where a column is all missing)."""
    cols = [c for c in cols if c in frame.columns]
    if not cols or frame.height == 0:
        return {}
    row = frame.select([pl.col(c).min().alias(f"lo{i}") for i, c in enumerate(cols)]
                       + [pl.col(c).max().alias(f"hi{i}") for i, c in enumerate(cols)]).row(0)
    k = len(cols)
    return {c: None if row[i] is None else (int(row[i]), int(row[i + k])) for i, c in enumerate(cols)}


def remember(frame: pl.DataFrame, bounds: Bounds) -> InputFrame:
    """``frame`` (same data, no copy) carrying ``bounds``."""
    # _from_pydf builds an instance of the class it is called on, typed as a plain DataFrame
    out = frame if isinstance(frame, InputFrame) else cast(InputFrame, InputFrame._from_pydf(frame._df))
    out.carried = (frame.height, tuple(frame.columns), dict(bounds))
    return out


def recall(frame: pl.DataFrame, cols: list[str]) -> Bounds | None:
    """The bounds of ``cols`` that ``frame`` carries, or None when not all are known."""
    found = getattr(frame, "carried", None)
    if found is None or found[0] != frame.height or found[1] != tuple(frame.columns):
        return None
    bounds = found[2]
    wanted = [c for c in cols if c in frame.columns]
    if frame.height and any(c not in bounds for c in wanted):
        return None
    return {c: bounds[c] for c in wanted if c in bounds}


def numeric_fields(policy) -> list[str]:
    """The policy's numeric input fields (the ones the compiler needs bounds for)."""
    return [n for n, s in policy.env.items() if s.kind == "field" and s.type in ("number", "money")]


def bounds_of(policy, frame: pl.DataFrame) -> Bounds:
    """Remembered bounds of the policy's numeric fields, else one pass to find them."""
    cols = numeric_fields(policy)
    known = recall(frame, cols)
    return known if known is not None else scan(frame, cols)
