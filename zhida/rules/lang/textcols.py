"""``display.plain_value`` as a column expression: exact decimal text of a rational column.

Used to write the reasons of many units at once; a test checks it against ``plain_value``.

>>> import polars as pl
>>> df = pl.DataFrame({"n": [11, 1, -3, 0, None], "d": [200, 56, 2, 7, 1]})
>>> df.select(plain_text(pl.col("n"), pl.col("d"), "percent").alias("t"))["t"].to_list()
['5.5%', '1.785714%', '-150%', '0%', None]
>>> df.select(plain_text(pl.col("n"), 1, "yuan").alias("t"))["t"].to_list()
['0.11', '0.01', '-0.03', '0.00', None]
"""

from __future__ import annotations

import polars as pl

I128 = pl.Int128


def scale_of(unit: str) -> int:
    """Units of the last shown decimal place per unit of value (money is held in fen)."""
    return {"yuan": 1, "percent": 10**8}.get(unit, 10**6)


def plain_text(num: pl.Expr, den: pl.Expr | int, unit: str, wide: bool = True) -> pl.Expr:
    """Text of ``num / den`` as ``plain_value`` writes it (half up; exact values without trailing zeros).

    ``wide=False`` when ``num`` and ``den`` are known small enough for Int64 after scaling.
    """
    places = 2 if unit == "yuan" else 6
    scale = scale_of(unit)
    if isinstance(den, int) and scale % den == 0:
        return _decimal_text(num, places, scale // den, unit)
    dt = I128 if wide else pl.Int64
    n = num.cast(dt)
    d = pl.lit(den, dtype=dt) if isinstance(den, int) else den.cast(dt)
    scaled = n.abs() * pl.lit(scale, dtype=dt)
    q = (scaled * 2 + d) // (d * 2)
    text = _join(n, q, places)
    if unit != "yuan":
        exact = (scaled % d) == 0
        text = pl.when(exact).then(_strip(text)).otherwise(text)
    return text + pl.lit("%") if unit == "percent" else text


def _join(n: pl.Expr, q: pl.Expr, places: int) -> pl.Expr:
    unit = 10**places
    return pl.concat_str(
        [
            pl.when(n < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (q // unit).cast(pl.String),
            pl.lit("."),
            (q % unit).cast(pl.String).str.zfill(places),
        ]
    )


def _strip(text: pl.Expr) -> pl.Expr:
    return text.str.strip_chars_end("0").str.strip_chars_end(".")


def _decimal_text(num: pl.Expr, places: int, mult: int, unit: str) -> pl.Expr:
    """An exact decimal: ``num × mult`` units of ``10**-places`` (no rounding needed)."""
    if unit not in ("yuan", "percent") and mult == 10**places:  # a whole number
        return num.cast(pl.String)
    q = num.abs().cast(I128) * mult if mult > 1 else num.abs()
    text = _join(num, q, places)
    text = text if unit == "yuan" else _strip(text)
    return text + pl.lit("%") if unit == "percent" else text


__all__ = ["plain_text"]
