"""The full matcher beats plain BM25 and filters alone on a small seeded synthetic market."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from zhida.jobs.index import JobIndex
from zhida.jobs.matcher import LEVEL_SCORE, match_jobs, occupation_depth
from zhida.jobs.records import JobRecord
from zhida.jobs.synthetic import TODAY, gains, make_market

BENCH = Path(__file__).resolve().parents[2] / "bench" / "jobs_match_bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("jobs_match_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_full_matcher_beats_both_baselines():
    bench = _bench()
    jobs, seekers, jt, st = make_market(3000, 150, seed=11)
    idx = JobIndex(jobs, TODAY)
    means = {}
    for name, rank in (("full", bench.rank_full), ("bm25", bench.rank_bm25), ("filters", bench.rank_filters)):
        nd = []
        for s, truth in zip(seekers, st, strict=False):
            g = gains(jobs, jt, s, truth)
            if any(g):
                nd.append(bench.ndcg(rank(idx, s), g))
        means[name] = float(np.mean(nd))
    assert means["full"] > means["bm25"] + 0.2, means
    assert means["full"] > means["filters"] + 0.2, means


def test_occupation_depth_by_code_ranges_matches_the_taxonomy_levels():
    codes = ["4-01-02-01", "4-01-02-03", "4-01-02-00", "4-01-05-01", "4-01-00-00", "4-02-01-01", "6-31-01-03", None]
    jobs = [JobRecord(i + 1, "x", c, "菜屯镇", 1, 2) for i, c in enumerate(codes)]
    idx = JobIndex(jobs, TODAY)
    dep = occupation_depth(idx, ["4-01-02-01"])
    got = {idx.jobs[i].occupation_code: int(dep[i]) for i in range(len(jobs))}
    assert got == {"4-01-02-01": 4, "4-01-02-03": 3, "4-01-02-00": 3, "4-01-05-01": 2, "4-01-00-00": 2,
                   "4-02-01-01": 1, "6-31-01-03": 0, None: 0}
    assert LEVEL_SCORE.tolist() == [0.0, np.float32(0.1), np.float32(0.4), np.float32(0.7), 1.0]


def test_ties_and_education_boundary():
    jobs = [JobRecord(1, "电工", "6-31-01-03", "菜屯镇", 3000, 5000, "大专"),
            JobRecord(2, "电工", "6-31-01-03", "菜屯镇", 3000, 5000, "本科")]
    from zhida.jobs.records import SeekerRecord

    s = SeekerRecord(9, ["6-31-01-03"], "电工", ["菜屯镇"], None, 5000, "大专")
    got = match_jobs(JobIndex(jobs, TODAY), s)
    assert [m.target_id for m in got] == [1]  # 本科 required > 大专; 大专 required = 大专 passes
    s.salary_expected = 5001
    assert match_jobs(JobIndex(jobs, TODAY), s) == []
