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

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


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
