"""国民经济行业分类 GB/T 4754-2017 codes, and the row of the 2017 size standard they fall in.

A code is a 门类 (section) letter alone, or the letter followed by the 2-digit 大类
(division), optionally extended to the 3-digit 中类 or 4-digit 小类: ``C``, ``C33``,
``C331``, ``C3311``. Digits without a letter are accepted too: the 大类 ranges of the
sections do not overlap, so the letter follows from the digits.

>>> parse_industry_code(" c3311 ")
'C3311'
>>> parse_industry_code("3311")
'C3311'
>>> parse_industry_code("C0311")
Traceback (most recent call last):
...
ValueError: 行业代码 C0311 的大类 03 不属于门类 C（制造业，大类 13–43）；大类 03 属于门类 A（农、林、牧、渔业）
>>> section_of("K7010"), size_row("K7010"), SIZE_ROW_LABELS[size_row("K7010")]
('K', 'real_estate_dev', '房地产开发经营')

Size rows (统计上大中小微型企业划分办法（2017）, 国统字〔2017〕213号, as tabulated in the
domain notes §3) are found by the longest code prefix listed in ``SIZE_ROW_PREFIXES``;
a code no prefix covers is 其他未列明行业 (``"other"``). A letter alone maps only when the
whole 门类 falls in one row (A → agriculture, B/C/D → industry, E → construction,
L → leasing_business); a letter whose 门类 spans several rows (F, G, H, I, K) cannot be
placed and falls to ``"other"``, the row that needs only 从业人员. The same holds for a
大类 that spans rows (``K70`` → other: only 7010 and 7020 have rows of their own).
"""

from __future__ import annotations

import re

# 门类 → (name, first 大类, last 大类), GB/T 4754-2017.
SECTIONS: dict[str, tuple[str, int, int]] = {
    "A": ("农、林、牧、渔业", 1, 5),
    "B": ("采矿业", 6, 12),
    "C": ("制造业", 13, 43),
    "D": ("电力、热力、燃气及水生产和供应业", 44, 46),
    "E": ("建筑业", 47, 50),
    "F": ("批发和零售业", 51, 52),
    "G": ("交通运输、仓储和邮政业", 53, 60),
    "H": ("住宿和餐饮业", 61, 62),
    "I": ("信息传输、软件和信息技术服务业", 63, 65),
    "J": ("金融业", 66, 69),
    "K": ("房地产业", 70, 70),
    "L": ("租赁和商务服务业", 71, 72),
    "M": ("科学研究和技术服务业", 73, 75),
    "N": ("水利、环境和公共设施管理业", 76, 79),
    "O": ("居民服务、修理和其他服务业", 80, 82),
    "P": ("教育", 83, 83),
    "Q": ("卫生和社会工作", 84, 85),
    "R": ("文化、体育和娱乐业", 86, 90),
    "S": ("公共管理、社会保障和社会组织", 91, 97),
    "T": ("国际组织", 98, 98),
}

SIZE_ROW_LABELS: dict[str, str] = {
    "agriculture": "农、林、牧、渔业",
    "industry": "工业",
    "construction": "建筑业",
    "wholesale": "批发业",
    "retail": "零售业",
    "transport": "交通运输业",
    "warehousing": "仓储业",
    "postal": "邮政业",
    "accommodation": "住宿业",
    "catering": "餐饮业",
    "telecom": "信息传输业",
    "software": "软件和信息技术服务业",
    "real_estate_dev": "房地产开发经营",
    "property_mgmt": "物业管理",
    "leasing_business": "租赁和商务服务业",
    "other": "其他未列明行业",
}

# Code prefix → size row; the longest matching prefix wins, no match → "other".
# G53 铁路运输业 is left out on purpose (the standard excludes rail from 交通运输业);
# A05 农林牧渔专业及辅助性活动 stays with 农、林、牧、渔业 through the "A" prefix.
SIZE_ROW_PREFIXES: dict[str, str] = {
    "A": "agriculture",
    "B": "industry",
    "C": "industry",
    "D": "industry",
    "E": "construction",
    "F51": "wholesale",
    "F52": "retail",
    "G54": "transport",
    "G55": "transport",
    "G56": "transport",
    "G57": "transport",
    "G58": "transport",  # 多式联运和运输代理业
    "G59": "warehousing",
    "G60": "postal",
    "H61": "accommodation",
    "H62": "catering",
    "I63": "telecom",
    "I64": "telecom",  # 互联网和相关服务: part of 信息传输业
    "I65": "software",
    "K701": "real_estate_dev",  # 7010 房地产开发经营
    "K702": "property_mgmt",  # 7020 物业管理
    "L": "leasing_business",
}

_FORMAT = re.compile(r"([A-Z])(\d{2,4})?|(\d{2,4})")
_EXPECTED = "行业代码应为门类字母加 2–4 位数字，如 C3311（或只写门类字母，如 C）"


def _section_for_division(division: int) -> str | None:
    """The 门类 letter whose 大类 range holds ``division``, or None.

    >>> _section_for_division(33), _section_for_division(99)
    ('C', None)
    """
    for letter, (_, first, last) in SECTIONS.items():
        if first <= division <= last:
            return letter
    return None


def parse_industry_code(code: str) -> str:
    """Validate and normalise a GB/T 4754-2017 code; raise ``ValueError`` in Chinese.

    >>> parse_industry_code("f5211")
    'F5211'
    >>> parse_industry_code("K")
    'K'
    >>> parse_industry_code("C33111")
    Traceback (most recent call last):
    ...
    ValueError: 行业代码 "C33111" 格式不对：行业代码应为门类字母加 2–4 位数字，如 C3311（或只写门类字母，如 C）
    """
    text = str(code).strip().upper() if code is not None else ""
    m = _FORMAT.fullmatch(text)
    if not m:
        raise ValueError(f'行业代码 "{str(code or "").strip()}" 格式不对：{_EXPECTED}')
    letter, digits = m.group(1), m.group(2) or m.group(3)
    if letter and letter not in SECTIONS:
        raise ValueError(f"行业代码 {text} 的门类字母 {letter} 不存在：门类为 A–T")
    if digits is None:
        return letter
    division = int(digits[:2])
    owner = _section_for_division(division)
    if owner is None:
        raise ValueError(f"行业代码 {text} 的大类 {digits[:2]} 不存在：大类为 01–98")
    if letter is None:
        return owner + digits
    if owner != letter:
        name, first, last = SECTIONS[letter]
        span = f"{first:02d}" if first == last else f"{first:02d}–{last:02d}"
        raise ValueError(
            f"行业代码 {text} 的大类 {digits[:2]} 不属于门类 {letter}（{name}，大类 {span}）；"
            f"大类 {digits[:2]} 属于门类 {owner}（{SECTIONS[owner][0]}）"
        )
    return text


def section_of(code: str) -> str:
    """The 门类 letter of a code.

    >>> section_of("3311"), section_of("G5810"), section_of("t")
    ('C', 'G', 'T')
    """
    return parse_industry_code(code)[0]


def section_name(letter: str) -> str:
    """The Chinese name of a 门类.

    >>> section_name("i")
    '信息传输、软件和信息技术服务业'
    >>> section_name("Z")
    Traceback (most recent call last):
    ...
    ValueError: 门类字母 Z 不存在：门类为 A–T
    """
    key = str(letter).strip().upper()
    if key not in SECTIONS:
        raise ValueError(f"门类字母 {key} 不存在：门类为 A–T")
    return SECTIONS[key][0]


def size_row(code: str) -> str:
    """The row key of the 2017 size standard for a code (see the module docstring).

    >>> size_row("C3311"), size_row("F51"), size_row("F5211"), size_row("G5310"), size_row("F")
    ('industry', 'wholesale', 'retail', 'other', 'other')
    """
    normal = parse_industry_code(code)
    for length in range(len(normal), 0, -1):
        row = SIZE_ROW_PREFIXES.get(normal[:length])
        if row is not None:
            return row
    return "other"


def size_row_label(code: str) -> str:
    """The Chinese name of the size-standard row a code falls in.

    >>> size_row_label("G5810")
    '交通运输业'
    """
    return SIZE_ROW_LABELS[size_row(code)]
