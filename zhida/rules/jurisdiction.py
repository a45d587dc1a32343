"""适用地域: a policy is evaluated only for units inside its jurisdiction (GB/T 2260 codes).

A unit's county is the county of its 乡镇街道 in the divisions table (``registry/regions``),
else the registering authority's division in its 统一社会信用代码 (characters 3–8).

>>> import polars as pl
>>> units = pl.DataFrame({"uscc": ["91371503MA0000000A", "91371521MA0000000B", "91371500MA0000000C"],
...                       "township": ["阿城镇", None, None]})
>>> within(("371521",), units)["uscc"].to_list()
['91371503MA0000000A', '91371521MA0000000B']
>>> within(("371500",), units).height, within((), units).height
(3, 3)
>>> describe(("371521", "371503"))
'阳谷县（371521）、茌平区（371503）'
"""

from __future__ import annotations

import polars as pl

from zhida.registry.regions import table


def prefix(code: str) -> str:
    """The leading digits a code stands for: ``370000`` → ``37``, ``371500`` → ``3715``."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def county_expr() -> pl.Expr:
    """Each unit's county code: from its 乡镇街道, else from its 统一社会信用代码."""
    regions = table()
    town_map = {t: c.code for c in regions.counties for t in c.townships
                if regions.county_of_township(t) == c.code}
    by_town = pl.col("township").replace_strict(town_map, default=None, return_dtype=pl.String)
    return pl.coalesce(by_town, pl.col("uscc").str.slice(2, 6))


def within(codes: tuple[str, ...], units: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``units`` (columns uscc, township) inside ``codes``; all of them when empty."""
    if not codes or units.height == 0:
        return units
    county = county_expr()
    inside = pl.any_horizontal([county.str.starts_with(prefix(c)) for c in codes])
    return units.filter(inside.fill_null(False))


def describe(codes: tuple[str, ...]) -> str:
    """``阳谷县（371521）``; a code not in the table is shown as the code alone."""
    regions = table()
    names = []
    for c in codes:
        county = regions.county(c)
        names.append(f"{county.name}（{c}）" if county else c)
    return "、".join(names) or "不限"
