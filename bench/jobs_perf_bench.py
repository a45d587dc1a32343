"""Performance of occupation coding and matching at district scale.

    .venv/bin/python bench/jobs_perf_bench.py [--jobs 100000] [--seekers 100000] [--sample 1000]
    .venv/bin/python bench/jobs_perf_bench.py --smoke    # 1,000 jobs and seekers, 50 sampled

Builds a seeded synthetic market (zhida/jobs/synthetic.py), then times: coding every job
title, building the job and seeker indexes, top-20 jobs for one seeker (with explanations,
p50/p95 over a sample), top-20 seekers for one job, and recommendations for all seekers.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from zhida.jobs.coder import OccupationCoder, default_coder, training_rows
from zhida.jobs.index import JobIndex, SeekerIndex
from zhida.jobs.matcher import match_jobs, match_seekers
from zhida.jobs.synthetic import TODAY, make_market
from zhida.jobs.taxonomy import load_taxonomy


class Rows(list):
    """Rows of the result table, each also printed as soon as it is measured."""

    def append(self, row) -> None:
        print(" — ".join(x for x in row if x), flush=True)
        super().append(row)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def latencies(fn, items) -> tuple[float, float]:
    ms = []
    for it in items:
        t0 = time.perf_counter()
        fn(it)
        ms.append((time.perf_counter() - t0) * 1000)
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=100_000)
    ap.add_argument("--seekers", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=1_000)
    ap.add_argument("--smoke", action="store_true", help="tiny market (1,000 × 1,000, 50 sampled): checks it runs")
    args = ap.parse_args()
    if args.smoke:
        args.jobs, args.seekers, args.sample = 1_000, 1_000, 50
    rows = Rows()
    (jobs, seekers, _, _), t = timed(lambda: make_market(args.jobs, args.seekers, code_jobs=False))
    print(f"generated {len(jobs)} jobs and {len(seekers)} seekers in {t:.1f} s")

    fresh = OccupationCoder(load_taxonomy(), training_rows())  # empty cache
    titles = [j.title for j in jobs]
    codes, t = timed(lambda: fresh.best_many(titles))
    distinct = len(fresh._cache)
    rows.append((f"code {len(titles):,} job titles in batch ({distinct:,} distinct after cleaning)", f"{t:.1f} s", "≤ 30 s"))
    cold = OccupationCoder(load_taxonomy(), training_rows())
    sample = random.Random(1).sample(titles, min(2000, len(titles)))
    _, t2 = timed(lambda: [cold.scores(x) for x in sample])
    rows.append(("  uncached cost per title", f"{t2 / len(sample) * 1000:.3f} ms", ""))
    for j, c in zip(jobs, codes, strict=False):
        j.occupation_code = c
    default_coder()

    jidx, t = timed(lambda: JobIndex(jobs, TODAY))
    rows.append((f"build job index ({len(jobs):,} jobs)", f"{t:.1f} s", "≤ 30 s"))
    sidx, t = timed(lambda: SeekerIndex(seekers))
    rows.append((f"build seeker index ({len(seekers):,} seekers)", f"{t:.1f} s", "≤ 30 s"))

    rng = random.Random(2)
    some = rng.sample(seekers, min(args.sample, len(seekers)))
    p50, p95 = latencies(lambda s: match_jobs(jidx, s, 20), some)
    rows.append(("top-20 jobs for one seeker, with explanations", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "p95 ≤ 20 ms"))
    some_jobs = rng.sample(jobs, min(args.sample, len(jobs)))
    p50, p95 = latencies(lambda j: match_seekers(sidx, j, TODAY, 20), some_jobs)
    rows.append(("top-20 seekers for one job, with explanations", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", ""))

    _, t = timed(lambda: [match_jobs(jidx, s, 20, explain=False) for s in seekers])
    rows.append((f"top-20 recommendations for all {len(seekers):,} seekers", f"{t:.0f} s", "≤ 300 s"))

    print("\n| step | measured | target |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
