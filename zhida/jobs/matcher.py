"""Two-way matching with explanations: jobs for a seeker, seekers for a job.

A pair must pass the hard filters — the job is still valid, its top salary reaches the
seeker's expectation, the seeker's education meets the requirement, and the job lies in a
district the seeker accepts. Passing pairs are ranked by

    score = 0.50 × occupation + 0.30 × text + 0.20 × location

* occupation: closeness in CSCO-2022 — same 细类 1.0, 小类 0.7, 中类 0.4, 大类 0.1;
* text: BM25 (bm25s over rjieba words) of the seeker's wishes and skills against the job's
  title, occupation and description, scaled so that the best candidate scores 1;
* location: the job's 乡镇街道 is one the seeker accepts 1.0, elsewhere in the district 0.5.

Each ``Match`` carries its parts and a Chinese sentence explaining them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from zhida.jobs.index import DISTRICT_ID, TOWN_ID, JobIndex, SeekerIndex, levels, query_scores, terms
from zhida.jobs.records import JobRecord, SeekerRecord
from zhida.jobs.taxonomy import code_to_int, load_taxonomy
from zhida.jobs.vocab import EDUCATION_RANK, district_of

WEIGHTS = {"occupation": 0.50, "text": 0.30, "location": 0.20}
LEVEL_SCORE = np.array([0.0, 0.1, 0.4, 0.7, 1.0], dtype=np.float32)  # by shared depth 0–4
OCC_WEIGHTED = (WEIGHTS["occupation"] * LEVEL_SCORE).astype(np.float32)
DEPTH_LABEL = {4: "同细类", 3: "同小类", 2: "同中类", 1: "同大类", 0: "职业不同"}
PART_LABEL = {"occupation": "职业相近", "text": "文字相关", "location": "地点"}


@dataclass
class Match:
    """One ranked result; ``target_id`` is the job's id (or the seeker's, the other way)."""

    target_id: int
    score: float
    parts: dict[str, float]
    explanation: str
    facts: dict[str, object] = field(default_factory=dict)


def depth(job_levels, one_code: int) -> np.ndarray:
    """How many leading levels each job code shares with ``one_code`` (0–4)."""
    if not one_code:
        return np.zeros(len(job_levels[0]), dtype=np.int8)
    mine = [int(x[0]) for x in levels(np.array([one_code]), missing=-2)]
    out = np.zeros(len(job_levels[0]), dtype=np.int8)
    for d, (col, value) in zip((4, 3, 2, 1), zip(job_levels, mine, strict=False), strict=False):
        np.maximum(out, np.where(col == value, d, 0).astype(np.int8), out=out)
    return out


def _scaled(raw: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``raw`` divided by its largest value among ``mask`` (in place when already float32)."""
    raw = raw.astype(np.float32, copy=False)
    top = float((raw * mask).max()) if len(raw) else 0.0  # scores are ≥ 0
    if top <= 0:
        return np.zeros(len(raw), dtype=np.float32)
    raw *= np.float32(1.0 / top)
    return raw


def _top(score: np.ndarray, mask: np.ndarray, top: int) -> np.ndarray:
    """Rows of the ``top`` best scores among ``mask``, best first (ties: lower row first).

    Rows scoring above the location-only level are tried first, which is exact whenever
    there are at least ``top`` of them, and far fewer than all rows.
    """
    strong = np.flatnonzero(mask & (score > WEIGHTS["location"] + 1e-6))
    cand = strong if len(strong) >= top else np.flatnonzero(mask)
    if len(cand) > top:
        cand = cand[np.argpartition(-score[cand], top - 1)[:top]]
    return cand[np.lexsort((cand, -score[cand]))]


# ----------------------------------------------------------------- jobs for a seeker

def _districts(s: SeekerRecord) -> frozenset[int]:
    towns = s.townships or [t for t in (s.home_township,) if t]
    return frozenset(DISTRICT_ID[d] for d in {district_of(t) for t in towns} if d is not None)


def seeker_mask(idx: JobIndex, s: SeekerRecord) -> np.ndarray:
    """The hard filters for one seeker over all jobs."""
    return idx.base_mask(_districts(s), EDUCATION_RANK.get(s.education, 0)) & (idx.sal_max >= s.salary_expected)


def occupation_depth(idx: JobIndex, codes: list[str]) -> np.ndarray:
    """Shared depth (0–4) of every job's code with the nearest wanted code, by code ranges."""
    dep = np.zeros(len(idx), dtype=np.int8)
    for code in codes:
        d = code_to_int(code)
        spans = [(1, d // 1_000_000 * 1_000_000, 999_999)]
        if (d // 10_000) % 100:
            spans.append((2, d // 10_000 * 10_000, 9_999))
        if (d // 100) % 100:
            spans.append((3, d // 100 * 100, 99))
        spans.append((4, d, 0))
        for level, lo, width in spans:
            a, b = idx.code_range(lo, lo + width)
            np.maximum(dep[a:b], level, out=dep[a:b])
    return dep


def seeker_parts(idx: JobIndex, s: SeekerRecord, mask: np.ndarray, toks: list[str] | None = None):
    """(occupation depth, text, location) arrays over all jobs for one seeker."""
    dep = occupation_depth(idx, s.desired_codes)
    toks = terms(f"{s.desired} {s.skills}") if toks is None else toks
    text = _scaled(query_scores(idx.bm25, toks, len(idx)), mask)
    loc = idx.half_in_district.copy()
    for t in (s.townships or [t for t in (s.home_township,) if t]):
        if t in TOWN_ID:
            loc[idx.town_rows[TOWN_ID[t]]] = 1.0
    return dep, text, loc


def match_jobs(idx: JobIndex, s: SeekerRecord, top: int = 20, explain: bool = True) -> list[Match]:
    """The ``top`` jobs for a seeker, best first."""
    mask = seeker_mask(idx, s)
    if not mask.any():
        return []
    dep, text, loc = seeker_parts(idx, s, mask)
    score = OCC_WEIGHTED[dep]
    score += np.float32(WEIGHTS["text"]) * text
    score += np.float32(WEIGHTS["location"]) * loc
    best = _top(score, mask, top)
    return [_job_match(idx.jobs[i], s, float(score[i]), int(dep[i]), float(text[i]), float(loc[i]), explain)
            for i in best]


def _job_match(job: JobRecord, s: SeekerRecord, score, dep, text, loc, explain) -> Match:
    parts = {"occupation": round(WEIGHTS["occupation"] * float(LEVEL_SCORE[dep]), 4),
             "text": round(WEIGHTS["text"] * text, 4), "location": round(WEIGHTS["location"] * loc, 4)}
    m = Match(job.id, round(score, 4), parts, "")
    if explain:
        m.explanation = explain_pair(job, s, dep, parts)
        m.facts = {"depth": dep, "title": job.title, "township": job.township}
    return m


# ----------------------------------------------------------------- seekers for a job

def job_mask(idx: SeekerIndex, job: JobRecord, today) -> tuple[np.ndarray, int, int]:
    """The hard filters for one job over all seekers; also the job's township and district ids."""
    d = DISTRICT_ID.get(district_of(job.township) or "", 0)
    town = TOWN_ID.get(job.township or "", 0)
    mask = (idx.salary <= job.salary_max) & (idx.edu >= EDUCATION_RANK.get(job.education, 0))
    mask &= job.valid_until >= today
    if d:
        mask &= idx.districts[:, d] | idx.anywhere
    return mask, town, d


def match_seekers(idx: SeekerIndex, job: JobRecord, today, top: int = 20, explain: bool = True) -> list[Match]:
    """The ``top`` seekers for a job, best first."""
    mask, town, d = job_mask(idx, job, today)
    if not mask.any():
        return []
    dep = np.zeros(len(idx), dtype=np.int8)
    job_code = code_to_int(job.occupation_code) if job.occupation_code else 0
    for lv in idx.code_levels:
        np.maximum(dep, depth(lv, job_code), out=dep)
    tax = load_taxonomy()
    toks = terms(f"{job.title} {tax.name(job.occupation_code or '')} {job.description}")
    text = _scaled(query_scores(idx.bm25, toks, len(idx)), mask)
    loc = np.where(idx.accept[:, town] & (town > 0), 1.0, np.where(d > 0, 0.5, 0.0)).astype(np.float32)
    score = WEIGHTS["occupation"] * LEVEL_SCORE[dep] + WEIGHTS["text"] * text + WEIGHTS["location"] * loc
    best = _top(score, mask, top)
    out = []
    for i in best:
        s = idx.seekers[i]
        m = _job_match(job, s, float(score[i]), int(dep[i]), float(text[i]), float(loc[i]), explain)
        m.target_id = s.id
        out.append(m)
    return out


# ----------------------------------------------------------------- explanation

def explain_pair(job: JobRecord, s: SeekerRecord, dep: int, parts: dict[str, float]) -> str:
    """One Chinese sentence: each score part with its reason, then the filters passed."""
    tax = load_taxonomy()
    wanted = "、".join(tax.name(c) for c in s.desired_codes) or "未填"
    occ = f"{PART_LABEL['occupation']} +{parts['occupation']:.2f}（岗位职业 {tax.name(job.occupation_code or '') or '未编码'}，" \
          f"求职意向 {wanted}，{DEPTH_LABEL[dep]}）"
    common = sorted(set(terms(f"{s.desired} {s.skills}")) & set(terms(f"{job.title} {job.description}")))
    hit = f"共同词：{'、'.join(common[:5])}" if common else "无共同词"
    text = f"{PART_LABEL['text']} +{parts['text']:.2f}（{hit}）"
    if parts["location"] >= 0.2 - 1e-9:
        where = f"在可接受的 {job.township}"
    elif parts["location"] > 0:
        where = f"{job.township}，同在{district_of(job.township)}"
    else:
        where = "工作地点未知"
    loc = f"{PART_LABEL['location']} +{parts['location']:.2f}（{where}）"
    salary = f"月薪 {job.salary_min}–{job.salary_max} 元 ≥ 期望 {s.salary_expected} 元"
    edu = f"学历要求{job.education}，本人{s.education}"
    return f"{occ}；{text}；{loc}。已满足：{salary}，{edu}，有效期至 {job.valid_until}。"
