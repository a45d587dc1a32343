"""大中小微型企业划分 by 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号).

The thresholds are the table ``THRESHOLDS`` (domain notes §3): per size row, the listed
indicators with the lower bounds of 大型, 中型 and 小型; "a–b" means a ≤ v < b.

Rules: 大型, 中型 and 小型 must reach the lower bound of **every** listed indicator,
otherwise the unit drops a class, and again until it does; 微型 needs only **one**
indicator below the 小型 bound. So the class is the lowest class any single indicator
reaches. Indicators not listed for a row are ignored.

A missing (None) indicator the row lists leaves the class undetermined, except when a
known indicator already lies below the 小型 bound: the unit is then 微型 whatever the
missing value is.

>>> from decimal import Decimal
>>> r = classify("industry", 1500, Decimal("1000"), None)
>>> r.size_class
'小型'
>>> r.reason
'工业：营业收入 1000万元 < 2000万元（中型下限），从业人员 1500人 ≥ 20人、营业收入 1000万元 ≥ 300万元（小型下限） → 小型'
>>> classify("industry", 500, Decimal("100"), None).reason
'工业：营业收入 100万元 < 300万元（小型下限），一项低于小型下限即为微型 → 微型'
>>> classify("industry", None, Decimal("1000"), None).reason
'工业：缺少从业人员，无法划分规模（须有从业人员、营业收入）'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhida.registry.industry import SIZE_ROW_LABELS, size_row

CLASSES = ("大型", "中型", "小型", "微型")

# indicator key → (Chinese name, unit)
INDICATORS: dict[str, tuple[str, str]] = {
    "X": ("从业人员", "人"),
    "Y": ("营业收入", "万元"),
    "Z": ("资产总额", "万元"),
}

# row → ((indicator, large ≥, medium ≥, small ≥), ...); below the small bound is micro.
THRESHOLDS: dict[str, tuple[tuple[str, int, int, int], ...]] = {
    "agriculture": (("Y", 20000, 500, 50),),
    "industry": (("X", 1000, 300, 20), ("Y", 40000, 2000, 300)),
    "construction": (("Y", 80000, 6000, 300), ("Z", 80000, 5000, 300)),
    "wholesale": (("X", 200, 20, 5), ("Y", 40000, 5000, 1000)),
    "retail": (("X", 300, 50, 10), ("Y", 20000, 500, 100)),
    "transport": (("X", 1000, 300, 20), ("Y", 30000, 3000, 200)),
    "warehousing": (("X", 200, 100, 20), ("Y", 30000, 1000, 100)),
    "postal": (("X", 1000, 300, 20), ("Y", 30000, 2000, 100)),
    "accommodation": (("X", 300, 100, 10), ("Y", 10000, 2000, 100)),
    "catering": (("X", 300, 100, 10), ("Y", 10000, 2000, 100)),
    "telecom": (("X", 2000, 100, 10), ("Y", 100000, 1000, 100)),
    "software": (("X", 300, 100, 10), ("Y", 10000, 1000, 50)),
    "real_estate_dev": (("Y", 200000, 1000, 100), ("Z", 10000, 5000, 2000)),
    "property_mgmt": (("X", 1000, 300, 100), ("Y", 5000, 1000, 500)),
    "leasing_business": (("X", 300, 100, 10), ("Z", 120000, 8000, 100)),
    "other": (("X", 300, 100, 10),),
}


@dataclass(frozen=True)
class SizeResult:
    """The class a unit falls in (None when undetermined) and why, in Chinese."""

    size_class: str | None
    reason: str
    row: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def decided(self) -> bool:
        return self.size_class is not None


def _fmt(value: Decimal | int) -> str:
    """A number as a clerk writes it: no exponent, no trailing zeros.

    >>> _fmt(Decimal("40000.0000")), _fmt(Decimal("39999.990")), _fmt(20)
    ('40000', '39999.99', '20')
    """
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return text


def _show(ind: str, value: Decimal | int) -> str:
    name, unit = INDICATORS[ind]
    return f"{name} {_fmt(value)}{unit}"


def _bound(ind: str, value: int) -> str:
    return f"{value}{INDICATORS[ind][1]}"


def _as_number(ind: str, value: object) -> Decimal | int | None:
    """Check one indicator value: a non-negative int (从业人员) or exact decimal (万元)."""
    name = INDICATORS[ind][0]
    if value is None:
        return None
    if isinstance(value, bool | float):
        raise TypeError(f"{name}须为整数或 Decimal，不能是 {type(value).__name__}（浮点数不精确）")
    if ind == "X" and not isinstance(value, int):
        raise TypeError(f"{name}须为整数人数，实际为 {value!r}")
    if not isinstance(value, int | Decimal):  # 从业人员 is an int by now
        raise TypeError(f"{name}须为 Decimal（万元），实际为 {value!r}")
    if value < 0:
        raise ValueError(f"{name}不能为负数：{_fmt(value)}")
    return value


def _level(value: Decimal | int, bounds: tuple[int, int, int]) -> int:
    """Index into CLASSES that one indicator reaches on its own.

    >>> _level(1000, (1000, 300, 20)), _level(999, (1000, 300, 20)), _level(19, (1000, 300, 20))
    (0, 1, 3)
    """
    return next((i for i, lower in enumerate(bounds) if value >= lower), len(bounds))


def classify(
    row: str,
    employees: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
) -> SizeResult:
    """Classify one unit by its size row (see ``zhida.registry.industry.size_row``).

    >>> classify("other", 9, None, None).size_class
    '微型'
    >>> classify("retail", 300, Decimal("20000"), None).size_class
    '大型'
    """
    if row not in THRESHOLDS:
        raise ValueError(f"规模划分行 {row!r} 不存在：应为 {'、'.join(THRESHOLDS)} 之一")
    given = {"X": employees, "Y": revenue_wan, "Z": assets_wan}
    label = SIZE_ROW_LABELS[row]
    known: list[tuple[str, Decimal | int, tuple[int, int, int]]] = []
    missing: list[str] = []
    for ind, large, medium, small in THRESHOLDS[row]:
        value = _as_number(ind, given[ind])
        if value is None:
            missing.append(ind)
        else:
            known.append((ind, value, (large, medium, small)))
    levels = [_level(v, b) for _, v, b in known]
    micro = [(i, v, b) for (i, v, b), lvl in zip(known, levels, strict=True) if lvl == 3]
    if micro:
        return SizeResult("微型", _micro_reason(label, micro), row, tuple(missing))
    if missing:
        return SizeResult(None, _missing_reason(label, row, missing), row, tuple(missing))
    level = max(levels)
    return SizeResult(CLASSES[level], _reason(label, known, level), row)


def _micro_reason(label: str, micro: list) -> str:
    below = "，".join(f"{_show(i, v)} < {_bound(i, b[2])}（小型下限）" for i, v, b in micro)
    return f"{label}：{below}，一项低于小型下限即为微型 → 微型"


def _missing_reason(label: str, row: str, missing: list[str]) -> str:
    names = "、".join(INDICATORS[i][0] for i in missing)
    needed = "、".join(INDICATORS[ind][0] for ind, *_ in THRESHOLDS[row])
    return f"{label}：缺少{names}，无法划分规模（须有{needed}）"


def _reason(label: str, known: list, level: int) -> str:
    cls = CLASSES[level]
    reached = "、".join(f"{_show(i, v)} ≥ {_bound(i, b[level])}" for i, v, b in known) + f"（{cls}下限）"
    if level == 0:
        return f"{label}：{reached} → {cls}"
    upper = CLASSES[level - 1]
    short = "，".join(
        f"{_show(i, v)} < {_bound(i, b[level - 1])}（{upper}下限）" for i, v, b in known if v < b[level - 1]
    )
    return f"{label}：{short}，{reached} → {cls}"


def classify_unit(
    industry_code: str | None,
    employees: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
) -> SizeResult:
    """Classify a unit from its GB/T 4754-2017 code; a bad code raises ``ValueError``.

    >>> classify_unit("K7010", None, Decimal("200000"), Decimal("10000")).size_class
    '大型'
    >>> classify_unit(None, 5, None, None).reason
    '缺少行业代码，无法确定适用的划分标准'
    """
    if industry_code is None or not str(industry_code).strip():
        return SizeResult(None, "缺少行业代码，无法确定适用的划分标准", None, ("industry_code",))
    return classify(size_row(industry_code), employees, revenue_wan, assets_wan)
