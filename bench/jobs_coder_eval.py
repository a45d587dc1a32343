"""Occupation coder accuracy on CSCO-2022 labelled titles (held-out odd lines).

    .venv/bin/python bench/jobs_coder_eval.py

Trains on the even lines of zhida/jobs/data/testcases.csv, reports on the odd lines, and
prints a Markdown table next to the plain-BM25 baseline and the targets.
"""

from __future__ import annotations

import time

from zhida.jobs.coder import OccupationCoder, training_rows
from zhida.jobs.evaluation import evaluate_baseline, evaluate_coder, odd_rows
from zhida.jobs.taxonomy import load_taxonomy


def main() -> None:
    rows = odd_rows()
    t0 = time.perf_counter()
    coder = OccupationCoder(load_taxonomy(), training_rows())
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = evaluate_coder(coder, rows)
    per_title = (time.perf_counter() - t0) / len(rows) * 1000
    base = evaluate_baseline(rows)
    print("| coder | titles | acc@1 | acc@5 | 中类 acc@1 |")
    print("|---|---|---|---|---|")
    print(base.row("plain BM25 (words of names + aliases)"))
    print(full.row("zhida coder"))
    print("| target | | ≥ 0.50 | ≥ 0.80 | ≥ 0.70 |")
    print(f"\nbuild {build:.2f} s; {per_title:.3f} ms per title (uncached)")


if __name__ == "__main__":
    main()
