"""Rounding at output and the Chinese wording of bulletin figures.

Every figure is exact (``Decimal``) until it is printed; it is rounded half up here, once.

>>> yi(Decimal("1464000"), "万元")
'146.4亿元'
>>> wan(Decimal("965.364"))
'965.36万元'
>>> growth(Decimal("47.7")), growth(Decimal("-17.1")), growth(Decimal("0.04"))
('增长47.7%', '下降17.1%', '持平')
>>> growth(Decimal("99.9")), growth(Decimal("100")), growth(Decimal("120")), growth(Decimal("910"))
('增长99.9%', '增长1倍', '增长1.2倍', '增长9.1倍')
>>> growth(Decimal("124.96")), growth(Decimal("99.96"))
('增长1.2倍', '增长100.0%')
>>> pp(Decimal("4.257")), pct(Decimal("70.9699")), pct(Decimal("52.4"), 0)
('4.3个百分点', '71.0%', '52%')
>>> gap(Decimal("20.6"), Decimal("8.1")), gap(Decimal("4.2"), Decimal("9.9"))
('高12.5个百分点', '低5.7个百分点')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from zhida.errors import ValidationFailed

# how many yuan one unit of an amount is worth
AMOUNT_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


@overload
def round_half_up(value: Decimal | int, digits: int = 1) -> Decimal: ...
@overload
def round_half_up(value: None, digits: int = 1) -> None: ...
@overload
def round_half_up(value: Decimal | int | None, digits: int = 1) -> Decimal | None: ...
def round_half_up(value: Decimal | int | None, digits: int = 1) -> Decimal | None:
    """Round half away from zero to ``digits`` decimals; ``None`` stays ``None``.

    >>> round_half_up(Decimal("4.25")), round_half_up(Decimal("-4.25")), round_half_up(Decimal("4.249"))
    (Decimal('4.3'), Decimal('-4.3'), Decimal('4.2'))
    """
    if value is None:
        return None
    out = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(out) if out == 0 else out  # never "-0.0"


def _fmt(value: Decimal, digits: int) -> str:
    return str(round_half_up(value, digits))


def _need(value, what: str) -> Decimal:
    if value is None:
        raise ValidationFailed(f"公报所需的{what}缺失或无法计算，请检查导入的统计数据")
    return Decimal(value)


def convert_amount(value: Decimal, unit: str, to: str) -> Decimal:
    """Convert an amount between 元, 万元 and 亿元 exactly."""
    if unit not in AMOUNT_UNITS:
        raise ValidationFailed(f"单位「{unit}」不是金额单位，无法换算为{to}（可用：元、万元、亿元）")
    return Decimal(value) * AMOUNT_UNITS[unit] / AMOUNT_UNITS[to]


def yi(value, unit: str = "亿元", digits: int = 1) -> str:
    """An amount in 亿元 with one decimal."""
    return _fmt(convert_amount(_need(value, "金额"), unit, "亿元"), digits) + "亿元"


def wan(value, unit: str = "万元", digits: int = 2) -> str:
    """An amount in 万元 with two decimals."""
    return _fmt(convert_amount(_need(value, "金额"), unit, "万元"), digits) + "万元"


def growth(pct_value, digits: int = 1) -> str:
    """增长/下降 with the absolute value; 倍 from 100% up; 持平 when it rounds to zero.

    Every decision is taken on the exact value and the printed figure is rounded once:
    the 倍 wording applies when the exact growth is at least 100%, and the multiple is
    ``round_half_up(value / 100, 1)`` of the exact value (124.96% is 1.2496 times → 1.2倍,
    never 125.0% → 1.25 → 1.3倍). A growth just below 100% keeps the percent wording even
    when it prints as 100.0% (99.96% → 增长100.0%), since it is not yet a doubling.
    """
    exact = _need(pct_value, "增速")
    rounded = round_half_up(exact, digits)
    if rounded == 0:
        return "持平"
    if exact >= 100:
        times = round_half_up(exact / 100, 1)
        text = str(times.normalize()) if times == times.to_integral_value() else str(times)
        return f"增长{text}倍"
    word = "增长" if rounded > 0 else "下降"
    return f"{word}{abs(rounded)}%"


def pct(value, digits: int = 1) -> str:
    """A percentage (share, contribution, completion)."""
    return _fmt(_need(value, "百分比"), digits) + "%"


def pp(value, digits: int = 1) -> str:
    """Percentage points."""
    return _fmt(_need(value, "百分点"), digits) + "个百分点"


def gap(a, b, digits: int = 1) -> str:
    """How far growth ``a`` is above or below ``b``: the exact difference, rounded once.

    The two growths are not rounded before subtracting (that would round twice), so the
    printed gap may differ by 0.1 from the difference of the printed growths, just as a
    published 拉动 differs from 贡献率 × growth of the printed figures.

    >>> gap(Decimal("20.64"), Decimal("8.06")), gap(Decimal("8.04"), Decimal("7.96"))
    ('高12.6个百分点', '高0.1个百分点')
    """
    diff = round_half_up(_need(a, "增速") - _need(b, "增速"), digits)
    if diff == 0:
        return "持平"
    word = "高" if diff > 0 else "低"
    return f"{word}{abs(diff)}个百分点"


def pull(value, what: str = "", digits: int = 1) -> str:
    """拉动 (or 下拉) ``what`` by percentage points.

    >>> pull(Decimal("4.265"), "规上工业增长"), pull(Decimal("-0.44"))
    ('拉动规上工业增长4.3个百分点', '下拉0.4个百分点')
    """
    rounded = round_half_up(_need(value, "拉动"), digits)
    word = "下拉" if rounded < 0 else "拉动"
    return f"{word}{what}{abs(rounded)}个百分点"
