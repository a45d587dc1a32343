r"""Cell normalisation (单元格规范化): what a clerk obviously meant, before any cell is typed.

Every import (and the bank return file) goes through these functions, once, column by column
(Polars expressions, so a million rows stay fast). What each class of column accepts:

>>> for kind, raw in EXAMPLES:
...     print(kind, repr(raw), "→", repr(normalise(kind, raw)))
code '９１３７１５０３４４９７８６９０４Ｅ' → '91371503449786904E'
code '="91371503449786904E"' → '91371503449786904E'
code '9137 1503\xa04497 8690 4E' → '91371503449786904E'
code "'6228480012345678901" → '6228480012345678901'
number '２８３１．５１' → '2831.51'
number '１２' → '12'
number '\t1 213.50 ' → '1213.50'
number '－5' → '-5'
money '¥2,831.51' → '2831.51'
money '￥96 032.37元' → '96032.37'
money '30，001.15' → '30001.15'
money '2831,51' → '2831,51'
text '\xa0聊城市（茌平）有限公司\u3000' → '聊城市（茌平）有限公司'

A money value whose commas are not digit groups of three (``2831,51``: a decimal comma?) is
left as it is, so the field parser refuses it rather than reading 283151. Text keeps its
full-width brackets (they are part of a registered name). Numbers from Excel number cells:

>>> excel_number_text(48000.23999999999), excel_number_text(2025.0), excel_number_text(9.13715031417776e17)
('48000.24', '2025', '913715031417776000')
>>> digits_lost("913715031417776000", numeric=True), digits_lost("13800138000", numeric=True)
(True, False)
>>> digits_lost("7656115971439870000", numeric=False, rounded=True)
True
>>> digits_lost("9.25634E+18", numeric=False), digits_lost("6228480012345678901", numeric=False)
(True, False)
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

# full-width ASCII (U+FF01–U+FF5E) → ASCII; the ideographic space → space
_WIDE = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
_NARROW = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
SPACES = " \t\r\n\u00a0\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\ufeff"
_SPACE_RE = "[" + "".join(SPACES) + "]"
_EXCEL_TEXT = r'^="(.*)"$'  # ="…" written by exports to keep a number as text
_GROUPED = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$"
SCIENTIFIC = r"^[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$"
# an account whose digits past the 15th are all zeros (4 or more): what Excel writes for a number it
# rounded (a real account of that shape: about 1 in 10,000)
_ROUNDED = r"^[0-9]{15}0{4,}$"
LOST_DIGITS = "该列是数字格式，Excel 只保留 15 位有效数字，请把整列设为文本后重新填写"

EXAMPLES = [
    ("code", "９１３７１５０３４４９７８６９０４Ｅ"),
    ("code", '="91371503449786904E"'),
    ("code", "9137 1503\u00a04497 8690 4E"),
    ("code", "'6228480012345678901"),
    ("number", "２８３１．５１"),
    ("number", "１２"),
    ("number", "\t1 213.50 "),
    ("number", "－5"),
    ("money", "¥2,831.51"),
    ("money", "￥96 032.37元"),
    ("money", "30，001.15"),
    ("money", "2831,51"),
    ("text", "\u00a0聊城市（茌平）有限公司\u3000"),
]


def text(e: pl.Expr) -> pl.Expr:
    """Free text: only leading/trailing spaces (incl. NBSP, full-width space) removed."""
    return e.str.strip_chars(SPACES)


def half_width(e: pl.Expr) -> pl.Expr:
    """Full-width digits, letters and signs (１、Ａ、．、－、，) → their ASCII forms."""
    return e.str.replace_many(_WIDE, _NARROW)


def code(e: pl.Expr) -> pl.Expr:
    """Codes, account and phone numbers: half-width, no spaces anywhere, ``="…"`` and ``'`` unwrapped."""
    e = half_width(e).str.replace_all(_SPACE_RE, "").str.replace(_EXCEL_TEXT, "${1}")
    return e.str.strip_prefix("'").replace("", None)


def number(e: pl.Expr, money: bool = False) -> pl.Expr:
    """Numbers: like ``code``; digit-group commas removed; for money also ¥/￥ and 元."""
    e = code(e)
    if money:
        e = e.str.replace(r"^([+-]?)[¥￥$]", "${1}").str.strip_suffix("元")
    return pl.when(e.str.contains(_GROUPED)).then(e.str.replace_all(",", "")).otherwise(e)


def normalise(kind: str, value: str) -> str | None:
    """One value through the column class ``kind`` (code, number, money or text)."""
    e = pl.lit(value, dtype=pl.Utf8)
    expr = {"code": code(e), "number": number(e), "money": number(e, money=True), "text": text(e)}[kind]
    return pl.select(expr).item()


def excel_number_text(value: float | int) -> str:
    """An Excel number cell as Excel shows it: 15 significant digits, no exponent, no ``.0``."""
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    d = Decimal(format(value, ".15g")).normalize()
    return format(d, "f") if d != d.to_integral() or abs(d) < 1 else str(int(d))


def digits_lost(value: str, numeric: bool, rounded: bool = False) -> bool:
    """True when an identifier cell went through an Excel number and lost digits.

    ``numeric``: the cell was an Excel number; ``rounded``: also suspect digits past the 15th
    that are all zeros (account columns, whose values come as text from CSV exports).
    """
    return pl.select(digits_lost_expr(pl.lit(value), pl.lit(numeric), rounded)).item()


def digits_lost_expr(e: pl.Expr, numeric: pl.Expr, rounded: bool = False) -> pl.Expr:
    """Vectorised ``digits_lost`` over a code column and its "was an Excel number" flags."""
    long = e.str.replace(r"\..*$", "").str.strip_prefix("-").str.len_chars() > 15
    lost = e.str.contains(SCIENTIFIC) | (numeric & long)
    if rounded:
        lost = lost | e.str.contains(_ROUNDED)
    return lost.fill_null(False)
