"""Money: integer fen in storage and arithmetic, ``Decimal`` yuan at the edges.

Rounding is half up, once, at the end of a computation.

>>> yuan_to_fen("1234.5")
123450
>>> fen_to_yuan(123450)
Decimal('1234.50')
>>> format_yuan(9653600)
'96,536.00'
>>> round_half_up_fen(Decimal("10.005"))
1001
>>> round_half_up_fen(Decimal("-10.005"))
-1001
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
# the largest amount a BIGINT column of fen holds (2⁶³ − 1 分 = 92,233,720,368,547,758.07 元)
MAX_FEN = 2**63 - 1
# yuan as typed on a form: ASCII digits, commas only between groups of three, at most 2 decimals
TYPED_YUAN = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?", re.ASCII)


def yuan_to_fen(value: str | int | Decimal) -> int:
    """Exact yuan (at most 2 decimals) to integer fen; raises ValueError otherwise."""
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"不是金额: {value!r}") from exc
    if not d.is_finite():
        raise ValueError(f"不是金额: {value!r}")
    fen = d * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额最多两位小数: {value!r}")
    return int(fen)


def parse_yuan(text: str) -> int:
    """An amount in 元 typed by a person → integer fen, between 0 and ``MAX_FEN`` (both included).

    Only digits, with optional comma thousands separators and up to 2 decimals: an exponent
    (``1e5``), underscores (``1_000``), a sign or misplaced commas are not an amount. Raises
    ``ValueError`` with the reason in Chinese (the caller names the field).

    >>> parse_yuan("200,000.5"), parse_yuan(" 1000 "), parse_yuan("0.01")
    (20000050, 100000, 1)
    >>> parse_yuan("92,233,720,368,547,758.07") == MAX_FEN
    True
    >>> for bad in ("1e5", "1_000", "-1", "1,00", "1.005", "", "92233720368547758.08"):
    ...     try:
    ...         parse_yuan(bad)
    ...     except ValueError as exc:
    ...         print(exc)
    应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）
    应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）
    应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）
    应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）
    应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）
    应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）
    超出可记录的范围：最多 92,233,720,368,547,758.07 元
    """
    raw = text.strip()
    if not TYPED_YUAN.fullmatch(raw):
        raise ValueError("应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）")
    fen = int(Decimal(raw.replace(",", "")) * 100)
    if fen > MAX_FEN:
        raise ValueError(f"超出可记录的范围：最多 {format_yuan(MAX_FEN)} 元")
    return fen


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(FEN)


def round_half_up_fen(yuan: Decimal) -> int:
    """Round an exact yuan amount to whole fen, half away from zero."""
    return int((yuan * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_yuan(fen: int) -> str:
    """Thousands-separated yuan with two decimals, as printed in notices."""
    return f"{fen_to_yuan(fen):,.2f}"


def format_wan(fen: int) -> str:
    """Amount in 万元 with two decimals, rounded half up.

    >>> format_wan(965360000)
    '965.36'
    """
    return str((Decimal(int(fen)) / 1_000_000).quantize(FEN, rounding=ROUND_HALF_UP))
