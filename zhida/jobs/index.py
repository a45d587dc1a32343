"""In-memory matching indexes: every job and every seeker as NumPy columns plus a BM25 index.

Building once and scoring by whole columns is what lets one seeker be matched against
100,000 jobs in a few milliseconds: the hard filters are boolean masks, taxonomy
closeness is integer division of the codes, text relevance is one bm25s lookup.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from zhida.jobs.records import JobRecord, SeekerRecord
from zhida.jobs.taxonomy import code_to_int, load_taxonomy
from zhida.jobs.text import clean_title, tokenizer
from zhida.jobs.vocab import DISTRICTS, EDUCATION_RANK, TOWNSHIP_DISTRICT

TOWNS = [t for towns in DISTRICTS.values() for t in towns]
TOWN_ID = {t: i + 1 for i, t in enumerate(TOWNS)}  # 0 = unknown
DISTRICT_ID = {d: i + 1 for i, d in enumerate(DISTRICTS)}
TOWN_DISTRICT = np.array([0] + [DISTRICT_ID[TOWNSHIP_DISTRICT[t]] for t in TOWNS], dtype=np.int8)
MAX_DESIRED = 4
STOP = frozenset(["的", "和", "与", "及", "等", "有", "在", "了", "是", "可", "能", "会", "做", "我", "本人",
                  "工作", "负责", "相关", "岗位", "以上", "经验", "熟悉", "优先", "能够"])


def terms(text: str) -> list[str]:
    """Search terms of free text: rjieba words of the cleaned text, stop words and single
    characters dropped.

    >>> terms("熟悉电工维修，有焊工证")
    ['电工', '维修', '焊工']
    """
    jb = tokenizer()
    out = []
    for piece in clean_title(text).split():
        for w in jb.cut(piece, False):
            if w in STOP or len(w) == 1:
                continue
            out.append(w)
    return out


def _code_int(code: str | None) -> int:
    return code_to_int(code) if code else 0


def _bm25(docs: list[list[str]]):
    import bm25s

    if not docs:
        return None
    index = bm25s.BM25()
    index.index([d or ["∅"] for d in docs], show_progress=False)
    return index


def query_scores(index, toks: list[str], n: int) -> np.ndarray:
    """BM25 scores of every document for ``toks`` (zeros when no term is known)."""
    if index is None:
        return np.zeros(n, dtype=np.float32)
    known = [t for t in dict.fromkeys(toks) if t in index.vocab_dict]
    if not known:
        return np.zeros(n, dtype=np.float32)
    return index.get_scores(known)


class JobIndex:
    """All jobs as columns, ordered by occupation code; ``today`` decides which are valid.

    Ordering by code makes every taxonomy level a contiguous range: the jobs in the same
    中类 as a wanted code are one slice, found by binary search.
    """

    def __init__(self, jobs: list[JobRecord], today: dt.date | None = None):
        codes = np.array([_code_int(j.occupation_code) for j in jobs], dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        self.jobs = [jobs[i] for i in order]
        jobs = self.jobs
        self.today = today or dt.date.today()
        self.pos = {j.id: i for i, j in enumerate(jobs)}
        self.code = codes[order]
        self.code_levels = levels(self.code)
        self.sal_min = np.array([j.salary_min for j in jobs], dtype=np.int64)
        self.sal_max = np.array([j.salary_max for j in jobs], dtype=np.int64)
        self.edu = np.array([EDUCATION_RANK.get(j.education, 0) for j in jobs], dtype=np.int8)
        self.town = np.array([TOWN_ID.get(j.township or "", 0) for j in jobs], dtype=np.int16)
        self.district = TOWN_DISTRICT[self.town]
        self.valid = np.array([j.valid_until >= self.today for j in jobs], dtype=bool)
        self.half_in_district = np.where(self.district > 0, 0.5, 0.0).astype(np.float32)
        self.town_rows = {t: np.flatnonzero(self.town == t) for t in range(1, len(TOWNS) + 1)}
        self._masks: dict[tuple, np.ndarray] = {}
        tax = load_taxonomy()
        self.docs = [terms(f"{j.title} {tax.name(j.occupation_code or '')} {j.description}") for j in jobs]
        self.bm25 = _bm25(self.docs)

    def __len__(self) -> int:
        return len(self.jobs)

    def code_range(self, lo: int, hi: int) -> tuple[int, int]:
        """Rows whose code lies in [lo, hi]."""
        return int(np.searchsorted(self.code, lo, "left")), int(np.searchsorted(self.code, hi, "right"))

    def base_mask(self, districts: frozenset[int], edu: int) -> np.ndarray:
        """Valid jobs in one of ``districts`` (any when empty) needing at most education ``edu``; cached."""
        key = (districts, edu)
        mask = self._masks.get(key)
        if mask is None:
            mask = self.valid & (self.edu <= edu)
            if districts:
                mask &= np.isin(self.district, list(districts))
            self._masks[key] = mask
        return mask


class SeekerIndex:
    """All seekers as columns; up to ``MAX_DESIRED`` desired codes each."""

    def __init__(self, seekers: list[SeekerRecord]):
        self.seekers = seekers
        n = len(seekers)
        self.pos = {s.id: i for i, s in enumerate(seekers)}
        self.codes = np.zeros((n, MAX_DESIRED), dtype=np.int64)
        for i, s in enumerate(seekers):
            for k, c in enumerate(s.desired_codes[:MAX_DESIRED]):
                self.codes[i, k] = _code_int(c)
        self.code_levels = [levels(self.codes[:, k], missing=-2) for k in range(MAX_DESIRED)]
        self.salary = np.array([s.salary_expected for s in seekers], dtype=np.int64)
        self.edu = np.array([EDUCATION_RANK.get(s.education, 0) for s in seekers], dtype=np.int8)
        # accept[i, t]: seeker i named township t among the acceptable ones (or lives there)
        self.accept = np.zeros((n, len(TOWNS) + 1), dtype=bool)
        self.districts = np.zeros((n, len(DISTRICTS) + 1), dtype=bool)
        for i, s in enumerate(seekers):
            named = [TOWN_ID[t] for t in (s.townships or [t for t in (s.home_township,) if t]) if t in TOWN_ID]
            self.accept[i, named] = True
            self.districts[i, TOWN_DISTRICT[named]] = True
        self.anywhere = ~self.districts[:, 1:].any(axis=1)
        self.docs = [terms(f"{s.desired} {s.skills}") for s in seekers]
        self.bm25 = _bm25(self.docs)

    def __len__(self) -> int:
        return len(self.seekers)


def levels(codes: np.ndarray, missing: int = -1) -> tuple[np.ndarray, ...]:
    """(细类, 小类, 中类, 大类) prefixes of codes, as arrays.

    A level whose part is ``00`` (the code stops above it) and a missing code (0) get the
    sentinel ``missing``; the two sides of a comparison use different sentinels.

    >>> [int(a[0]) for a in levels(np.array([4010200]))]
    [4010200, 40102, 401, 4]
    >>> [int(a[0]) for a in levels(np.array([4010000]), missing=-2)]
    [4010000, -2, 401, 4]
    """
    xiao, zhong, da = codes // 100, codes // 10_000, codes // 1_000_000
    none = codes == 0
    return (np.where(none, missing, codes),
            np.where(none | (xiao % 100 == 0), missing, xiao),
            np.where(none | (zhong % 100 == 0), missing, zhong),
            np.where(none, missing, da))
