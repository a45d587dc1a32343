"""A seeded synthetic labour market for benchmarks: seekers with a hidden true occupation
and place, jobs whose titles are real colloquial titles (the held-out, odd lines of
``testcases.csv``) decorated the way ads are.

Jobs are coded by the coder from their titles (as imports do); seekers' wishes are coded
from their own wording. The hidden truth is only used to judge relevance.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from zhida.jobs.records import JobRecord, SeekerRecord
from zhida.jobs.taxonomy import load_taxonomy, load_testcases
from zhida.jobs.vocab import DISTRICTS, EDUCATION, EDUCATION_RANK

TODAY = dt.date(2026, 3, 1)
DECOR_BEFORE = ("", "", "急招", "诚聘", "高薪招聘", "直招")
DECOR_AFTER = ("", "", "（包吃住）", "+五险一金", "（月入6000+）", "(双休)", "【长期】", "（茌平）")
SALARY_STEPS = (2500, 3000, 3500, 4000, 4500, 5000, 6000, 7000, 8000, 10000)


@dataclass
class Truth:
    code: str
    township: str


def titles_by_code(min_titles: int = 3) -> dict[str, list[str]]:
    """Held-out (odd-line) titles grouped by their code, codes with enough wordings only."""
    groups: dict[str, list[str]] = defaultdict(list)
    known = load_taxonomy().by_code
    for line, title, code in load_testcases():
        if line % 2 == 1 and code in known:
            groups[code].append(title)
    return {c: t for c, t in groups.items() if len(t) >= min_titles}


def _snippet(rng: random.Random, definition: str) -> str:
    parts = [p for p in definition.replace("，", "、").replace("。", "、").split("、") if len(p) >= 2]
    return "、".join(rng.sample(parts, min(2, len(parts)))) if parts else ""


def make_market(n_jobs: int, n_seekers: int, seed: int = 7, code_jobs: bool = True):
    """(jobs, seekers, job truth, seeker truth) — deterministic for a seed."""
    from zhida.jobs.coder import default_coder

    rng = random.Random(seed)
    tax = load_taxonomy()
    groups = titles_by_code()
    codes = sorted(groups)
    weights = [len(groups[c]) for c in codes]  # common occupations are common
    towns = [t for d in DISTRICTS.values() for t in d]
    coder = default_coder()
    jobs, job_truth = [], []
    for i in range(n_jobs):
        code = rng.choices(codes, weights)[0]
        title = rng.choice(DECOR_BEFORE) + rng.choice(groups[code]) + rng.choice(DECOR_AFTER)
        low = rng.choice(SALARY_STEPS[:-2])
        town = rng.choice(towns)
        valid = TODAY + dt.timedelta(days=rng.randint(-30, 120))
        edu = rng.choice(EDUCATION[:6])
        jobs.append(JobRecord(i + 1, title, coder.best(title) if code_jobs else None, town, low,
                              low + rng.choice((500, 1000, 2000, 3000)), edu, rng.randint(0, 3),
                              _snippet(rng, tax.by_code[code].definition), valid))
        job_truth.append(Truth(code, town))
    seekers, seeker_truth = [], []
    for i in range(n_seekers):
        code = rng.choices(codes, weights)[0]
        home = rng.choice(towns)
        district = next(d for d, t in DISTRICTS.items() if home in t)
        accept = [home, *rng.sample([t for t in DISTRICTS[district] if t != home], rng.randint(0, 2))]
        wording = rng.choice(groups[code])
        seekers.append(SeekerRecord(i + 1, [c for c in [coder.best(wording)] if c], wording, accept, home,
                                    rng.choice(SALARY_STEPS[:7]), rng.choice(EDUCATION[1:]), rng.randint(0, 10),
                                    _snippet(rng, tax.by_code[code].definition)))
        seeker_truth.append(Truth(code, home))
    return jobs, seekers, job_truth, seeker_truth


def gains(jobs: list[JobRecord], job_truth: list[Truth], seeker: SeekerRecord, truth: Truth) -> list[int]:
    """Graded relevance of every job for a seeker (hidden truth; 0 when a hard condition fails).

    2 same true occupation, 1 same true 小类; +1 when in a township the seeker accepts.
    """
    from zhida.jobs.vocab import district_of

    edu = EDUCATION_RANK[seeker.education]
    district = district_of(truth.township)
    out = []
    for job, jt in zip(jobs, job_truth, strict=False):
        ok = (job.valid_until >= TODAY and job.salary_max >= seeker.salary_expected
              and EDUCATION_RANK[job.education] <= edu and district_of(job.township) == district)
        g = 2 if jt.code == truth.code else (1 if jt.code[:7] == truth.code[:7] and jt.code[5:7] != "00" else 0)
        if ok and g:
            out.append(g + (1 if job.township in seeker.townships else 0))
        else:
            out.append(0)
    return out
