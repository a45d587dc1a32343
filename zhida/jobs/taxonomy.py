"""The occupation taxonomy: 中华人民共和国职业分类大典（2022 年版）, CSCO-2022.

A code has four parts, 大类-中类-小类-细类: ``4-01-02-01``. A part of ``00`` means the
code stops at the level above (``4-01-02-00`` is the 小类 itself). Codes are also held
as integers (``4010201``) so that closeness between two codes is a matter of integer
division, which vectorises over whole arrays.

>>> code_to_int("4-01-02-01")
4010201
>>> int_to_code(4010200)
'4-01-02-00'
>>> closeness(code_to_int("4-01-02-01"), code_to_int("4-01-02-03"))
(3, '同小类')
>>> closeness(code_to_int("4-01-02-01"), code_to_int("4-01-02-01"))
(4, '同细类')
>>> closeness(code_to_int("4-01-02-01"), code_to_int("6-01-02-01"))
(0, '')
>>> clean_name("人工智能工程技术人员S")
'人工智能工程技术人员'
>>> parse_code("4-1-2-1")
'4-01-02-01'
>>> parse_code("40102")
Traceback (most recent call last):
...
ValueError: 职业代码 40102 格式不对：应为 大类-中类-小类-细类，如 4-01-02-01
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

# the divisor that keeps a code's prefix at a level: 大类, 中类, 小类, 细类
LEVEL_DIV = (1_000_000, 10_000, 100, 1)
LEVEL_NAMES = ("大类", "中类", "小类", "细类")
_MARKS = re.compile(r"(L/S|L|S)$")
_CODE = re.compile(r"^(\d)-(\d{1,2})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Occupation:
    code: str
    level: int  # 1 大类 … 4 细类 (as given by the source)
    name: str
    definition: str = ""
    aliases: tuple[str, ...] = field(default=())


def clean_name(name: str) -> str:
    """Drop the 绿色 (L) / 数字 (S) marks the source appends to a name."""
    return _MARKS.sub("", name.strip())


def code_to_int(code: str) -> int:
    return int(code.replace("-", ""))


def int_to_code(value: int) -> str:
    s = f"{value:07d}"
    return f"{s[0]}-{s[1:3]}-{s[3:5]}-{s[5:7]}"


def parse_code(value: str) -> str:
    """Normalise a code typed by a person (``4-1-2-1`` → ``4-01-02-01``); format only."""
    m = _CODE.match(str(value).strip())
    if not m:
        raise ValueError(f"职业代码 {value} 格式不对：应为 大类-中类-小类-细类，如 4-01-02-01")
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}-{int(m[4]):02d}"


def closeness(a: int, b: int) -> tuple[int, str]:
    """How many leading levels two codes share (4 = same 细类), and its Chinese label."""
    for depth, div in zip((4, 3, 2, 1), (1, 100, 10_000, 1_000_000), strict=False):
        if a // div == b // div and (depth == 1 or (a // div) % 100 != 0 or depth == 4):
            return depth, "同" + LEVEL_NAMES[depth - 1]
    return 0, ""


class Taxonomy:
    """All occupations, by code, with lookups the coder and the matcher need."""

    def __init__(self, occupations: list[Occupation]):
        self.occupations = occupations
        self.by_code = {o.code: o for o in occupations}

    def __len__(self) -> int:
        return len(self.occupations)

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def name(self, code: str) -> str:
        occ = self.by_code.get(code)
        return occ.name if occ else ""

    def require(self, code: str) -> Occupation:
        """The occupation for a code, or a Chinese ``ValueError`` naming it."""
        norm = parse_code(code)
        occ = self.by_code.get(norm)
        if occ is None:
            raise ValueError(f"职业代码 {code} 不在职业分类大典（2022 年版）中")
        return occ

    def path(self, code: str) -> list[Occupation]:
        """The chain 大类 → … → the code itself (levels that exist in the taxonomy)."""
        value = code_to_int(code)
        out: list[Occupation] = []
        for div in LEVEL_DIV:
            prefix = int_to_code(value // div * div)
            occ = self.by_code.get(prefix)
            if occ and (not out or out[-1].code != occ.code):
                out.append(occ)
        return out


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """CSCO-2022 from the vendored ``data/csco22.csv`` (see ``data/README.md``)."""
    with open(DATA_DIR / "csco22.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    occs = []
    for r in rows:
        name = clean_name(r["name"])
        aliases = {clean_name(a) for a in (r["alias"] or "").split(",") if a.strip()}
        aliases.discard(name)
        occs.append(Occupation(r["code"], int(r["level"]), name, r["definition"] or "", tuple(sorted(aliases))))
    return Taxonomy(occs)


def load_testcases() -> list[tuple[int, str, str]]:
    """The labelled titles as (file line number, title, code); the header is line 1."""
    with open(DATA_DIR / "testcases.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return [(i, row[0], row[1]) for i, row in enumerate(reader, start=2)]
