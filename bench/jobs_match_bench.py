"""Matching quality on a seeded synthetic labour market: full matcher vs plain BM25 vs filters alone.

    .venv/bin/python bench/jobs_match_bench.py [--jobs 20000] [--seekers 1000] [--seed 7]
    .venv/bin/python bench/jobs_match_bench.py --smoke    # 1,000 jobs, 50 seekers

Prints nDCG@10 and capped recall@20 (relevant found in the top 20 ÷ min(relevant, 20)) over
seekers with at least one relevant job. Relevance comes from the hidden true occupation and
place (see zhida/jobs/synthetic.py); the matcher only sees titles, wishes and coded codes.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from zhida.jobs.index import JobIndex, query_scores, terms
from zhida.jobs.matcher import match_jobs, seeker_mask
from zhida.jobs.synthetic import TODAY, gains, make_market


def ndcg(ranked: list[int], g: list[int], k: int = 10) -> float:
    dcg = sum((2 ** g[j] - 1) / math.log2(i + 2) for i, j in enumerate(ranked[:k]))
    ideal = sorted(g, reverse=True)[:k]
    idcg = sum((2 ** x - 1) / math.log2(i + 2) for i, x in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[int], g: list[int], k: int = 20) -> float:
    rel = sum(1 for x in g if x > 0)
    return sum(1 for j in ranked[:k] if g[j] > 0) / min(rel, k) if rel else 0.0


# each ranker returns positions in the generated job list (job id - 1)

def rank_full(idx: JobIndex, s) -> list[int]:
    return [m.target_id - 1 for m in match_jobs(idx, s, 20, explain=False)]


def rank_bm25(idx: JobIndex, s) -> list[int]:
    scores = query_scores(idx.bm25, terms(f"{s.desired} {s.skills}"), len(idx))
    top = np.argsort(-scores, kind="stable")[:20]
    return [idx.jobs[i].id - 1 for i in top if scores[i] > 0]


def rank_filters(idx: JobIndex, s) -> list[int]:
    """Hard filters only, newest posting first (what a job board shows by default)."""
    ids = sorted((idx.jobs[i].id for i in np.flatnonzero(seeker_mask(idx, s))), reverse=True)
    return [i - 1 for i in ids[:20]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=20_000)
    ap.add_argument("--seekers", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--smoke", action="store_true", help="tiny market (1,000 jobs, 50 seekers): checks the script runs")
    args = ap.parse_args()
    if args.smoke:
        args.jobs, args.seekers = 1_000, 50
    t0 = time.perf_counter()
    jobs, seekers, jt, st = make_market(args.jobs, args.seekers, args.seed)
    idx = JobIndex(jobs, TODAY)
    print(f"market: {len(jobs)} jobs, {len(seekers)} seekers, seed {args.seed} ({time.perf_counter() - t0:.1f} s)")
    methods = {"filters alone (newest first)": rank_filters, "plain BM25 (no filters)": rank_bm25,
               "zhida matcher": rank_full}
    results = {name: ([], []) for name in methods}
    for s, truth in zip(seekers, st, strict=False):
        g = gains(jobs, jt, s, truth)
        if not any(g):
            continue
        for name, rank in methods.items():
            ranked = rank(idx, s)
            results[name][0].append(ndcg(ranked, g))
            results[name][1].append(recall(ranked, g))
    n = len(next(iter(results.values()))[0])
    print(f"\n{n} seekers with at least one relevant job\n")
    print("| method | nDCG@10 | recall@20 |")
    print("|---|---|---|")
    for name, (nd, rc) in results.items():
        print(f"| {name} | {np.mean(nd):.3f} | {np.mean(rc):.3f} |")


if __name__ == "__main__":
    main()
