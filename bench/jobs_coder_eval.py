"""Occupation coder accuracy on CSCO-2022 labelled titles (held-out odd lines).

    .venv/bin/python bench/jobs_coder_eval.py

Trains on the even lines of zhida/jobs/data/testcases.csv, reports on the odd lines, and
prints a Markdown table next to two plain-BM25 baselines and the targets: on all odd rows
(what the targets apply to), and on the odd rows whose cleaned title no even row has (no
memorisation possible).
"""

from __future__ import annotations

import time

from zhida.jobs.coder import OccupationCoder, training_rows
from zhida.jobs.evaluation import accuracy_table, odd_rows, seen_odd_rows
from zhida.jobs.taxonomy import load_taxonomy


def main() -> None:
    rows = odd_rows()
    t0 = time.perf_counter()
    coder = OccupationCoder(load_taxonomy(), training_rows())
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    coder.code(rows[0][0])
    per_title = (time.perf_counter() - t0) * 1000
    print(accuracy_table(coder))
    seen, same = seen_odd_rows(), seen_odd_rows(same_code=True)
    print(f"\n{len(seen)} of {len(rows)} odd rows ({len(seen) / len(rows):.1%}) repeat an even row's cleaned title, "
          f"{len(same)} ({len(same) / len(rows):.1%}) with the same code")
    print(f"build {build:.2f} s; {per_title:.3f} ms for one uncached title")


if __name__ == "__main__":
    main()
