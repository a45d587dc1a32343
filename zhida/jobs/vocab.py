"""Vocabularies of the employment service: education levels, places (from the divisions table), seeker categories.

>>> EDUCATION_RANK["本科"] > EDUCATION_RANK["高中"]
True
>>> district_of("菜屯镇"), district_of("阿城镇"), district_of("火星")
('茌平区', '阳谷县', None)
>>> split_list("振兴街道、信发街道, 菜屯镇")
['振兴街道', '信发街道', '菜屯镇']
>>> parse_townships("振兴街道、不存在镇")
Traceback (most recent call last):
...
ValueError: 乡镇街道「不存在镇」不在茌平区、阳谷县的乡镇街道中
"""

from __future__ import annotations

import re

EDUCATION = ("不限", "初中", "高中", "中专", "大专", "本科", "硕士", "博士")
# 高中 and 中专 are the same level for a job's requirement
EDUCATION_RANK = {"不限": 0, "初中": 1, "高中": 2, "中专": 2, "大专": 3, "本科": 4, "硕士": 5, "博士": 6}


def _districts() -> dict[str, tuple[str, ...]]:
    """County name → its 乡镇街道, from the administrative-divisions table (``registry/regions``)."""
    from zhida.registry.regions import table

    return {c.name: c.townships for c in table().counties}


DISTRICTS: dict[str, tuple[str, ...]] = _districts()
TOWNSHIP_DISTRICT = {t: d for d, towns in DISTRICTS.items() for t in towns}
ANYWHERE = ("不限", "全区", "全县")

SEEKER_CATEGORIES = ("高校毕业生", "就业困难人员", "退役军人", "脱贫人口", "城镇登记失业人员", "农村转移劳动力",
                     "残疾人", "返乡创业人员", "其他")
FAIR_KINDS = ("招聘会", "直播带岗")
OUTCOMES = ("报名", "面试", "录用", "未录用")

_SEP = re.compile(r"[、,，;；/\s]+")


def split_list(text: str | None) -> list[str]:
    return [p for p in _SEP.split(text or "") if p]


def district_of(township: str | None) -> str | None:
    return TOWNSHIP_DISTRICT.get(township or "")


def parse_township(value: str) -> str:
    t = value.strip()
    if t not in TOWNSHIP_DISTRICT:
        raise ValueError(f"乡镇街道「{t}」不在{'、'.join(DISTRICTS)}的乡镇街道中")
    return t


def parse_townships(value: str) -> str:
    """A 、-separated list of townships, or 不限 (stored as empty)."""
    parts = split_list(value)
    if any(p in ANYWHERE for p in parts):
        return ""
    return "、".join(parse_township(p) for p in parts)


def parse_categories(value: str) -> str:
    parts = split_list(value)
    bad = [p for p in parts if p not in SEEKER_CATEGORIES]
    if bad:
        raise ValueError(f"人员类别「{'、'.join(bad)}」不认识：应为 {'、'.join(SEEKER_CATEGORIES)}")
    return "、".join(parts)
