"""Identifiers: 统一社会信用代码 (GB 32100-2015), 公民身份号码 (GB 11643-1999), phone numbers.

Each validator returns the normalised value or raises ``ValueError`` with a Chinese
message naming what is wrong (and, for a wrong check character, the expected one).

>>> validate_uscc("91110000600037341l")
'91110000600037341L'
>>> validate_uscc("91110000600037341A")
Traceback (most recent call last):
...
ValueError: 统一社会信用代码校验位错误：第 18 位应为 L，实际为 A
>>> uscc_check_char("91110000600037341")
'L'
>>> validate_id_number("11010519491231002x")
'11010519491231002X'
>>> mask_id_number("11010519491231002X")
'110105********002X'
>>> validate_phone("138 0013 8000"), validate_phone("138-0013-8000"), validate_phone("+86 13800138000")
('13800138000', '13800138000', '13800138000')
>>> validate_phone("０６３５－８８８８８８８")
'0635-8888888'
>>> mask_phone("13800138000")
'138****8000'
>>> mask_uscc("91110000600037341L")
'91110000********1L'
>>> mask_name("聊城市茌平区某某机械有限公司")
'聊城市茌平区**机械有限公司'
"""

from __future__ import annotations

import datetime as dt
import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
FORBIDDEN_USCC = set("IOSVZ")

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    code = str(value).strip().upper()
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码应为 18 位，实际 {len(code)} 位")
    bad = [c for c in code if c not in USCC_VALUES]
    if bad:
        forbidden = [c for c in bad if c in FORBIDDEN_USCC]
        if forbidden:
            raise ValueError(f"统一社会信用代码不能含字母 {'、'.join(sorted(set(forbidden)))}（I、O、S、V、Z 不用）")
        raise ValueError(f"统一社会信用代码含非法字符 {'、'.join(sorted(set(bad)))}")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(f"统一社会信用代码校验位错误：第 18 位应为 {expected}，实际为 {code[17]}")
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValueError:
        return False
    return True


def make_uscc(first17: str) -> str:
    """Complete 17 characters with their check character (for generated data).

    >>> make_uscc("123")
    Traceback (most recent call last):
    ...
    ValueError: 需要 17 位（不含校验位）统一社会信用代码字符
    """
    if len(first17) != 17 or any(c not in USCC_VALUES for c in first17):
        raise ValueError("需要 17 位（不含校验位）统一社会信用代码字符")
    return first17 + uscc_check_char(first17)


def validate_id_number(value: str) -> str:
    code = str(value).strip().upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", code):
        raise ValueError("身份证号应为 18 位：17 位数字加 1 位数字或 X")
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise ValueError(f"身份证号中的出生日期 {code[6:14]} 不是有效日期") from None
    if born > dt.date.today() or born.year < 1900:
        raise ValueError(f"身份证号中的出生日期 {code[6:14]} 不合理")
    total = sum(int(c) * w for c, w in zip(code[:17], ID_WEIGHTS, strict=False))
    expected = ID_CHECK[total % 11]
    if code[17] != expected:
        raise ValueError(f"身份证号校验位错误：第 18 位应为 {expected}，实际为 {code[17]}")
    return code


def make_id_number(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=False))
    return first17 + ID_CHECK[total % 11]


_FULLWIDTH = str.maketrans("０１２３４５６７８９－＋", "0123456789-+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")


def validate_phone(value: str) -> str:
    raw = str(value).strip().translate(_FULLWIDTH)
    raw = re.sub(r"[\s()（）]", "", raw)
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("86") and len(raw) == 13:
        raw = raw[2:]
    if re.fullmatch(r"1[0-9]{2}-[0-9]{4}-[0-9]{4}", raw):
        raw = raw.replace("-", "")
    if _MOBILE.fullmatch(raw) or _LANDLINE.fullmatch(raw):
        return raw
    raise ValueError("电话应为 11 位手机号，或带区号的固定电话（如 0635-8888888）")


def is_mobile(phone: str) -> bool:
    return bool(_MOBILE.fullmatch(phone or ""))


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if _MOBILE.fullmatch(phone):
        return phone[:3] + "****" + phone[-4:]
    return phone[:-4].rstrip("-")[:4] + "****" + phone[-4:] if len(phone) > 8 else "****"


def mask_id_number(code: str | None) -> str:
    """Keep the area (6) and the last 4 characters; a 15-digit number keeps 6 + 3.

    >>> mask_id_number("110105491231002")
    '110105******002'
    """
    if not code:
        return ""
    if len(code) == 15:
        return code[:6] + "*" * 6 + code[-3:]
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def mask_uscc(code: str | None) -> str:
    if not code:
        return ""
    return code[:8] + "*" * 8 + code[-2:]


_NAME_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "合作社", "事务所", "公司", "厂", "店", "中心")


def mask_name(name: str | None) -> str:
    """Mask the distinctive part (字号) of a unit or person name for publication.

    A short name (a person's) keeps its first character only.

    >>> mask_name("张三")
    '张*'
    """
    if not name:
        return ""
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 1)
    m = re.match(r"^(.{2,3}省)?(.{2,3}市)?(.{2,3}[县区])?", name)
    prefix = m.group(0) if m and len(m.group(0)) < len(name) - 2 else ""
    rest = name[len(prefix):]
    suffix = ""
    for s in _NAME_SUFFIXES:
        idx = rest.find(s)
        if idx > 0:
            # keep the industry word right before the legal form, e.g. 机械有限公司
            suffix = rest[max(idx - 2, 1):]
            break
    core = rest[: len(rest) - len(suffix)] if suffix else rest[:-1]
    tail = suffix or rest[-1:]
    return prefix + "**" + tail if core else prefix + rest
