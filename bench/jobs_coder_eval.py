"""Occupation coder accuracy on CSCO-2022 labelled titles (held-out odd lines).

    .venv/bin/python bench/jobs_coder_eval.py
    .venv/bin/python bench/jobs_coder_eval.py --smoke    # the first 100 rows of each set only

Trains on the even lines of zhida/jobs/data/testcases.csv, reports on the odd lines, and
prints a Markdown table next to two plain-BM25 baselines and the targets: on all odd rows
(what the targets apply to), and on the odd rows whose cleaned title no even row has (no
memorisation possible). ``--smoke`` scores only the first 100 rows of each set: it checks
the script runs, its figures are not the benchmark's.
"""

from __future__ import annotations

import argparse
import time

from zhida.jobs.coder import OccupationCoder, training_rows
from zhida.jobs.evaluation import (
    TARGETS_ROW,
    accuracy_table,
    evaluate_baseline,
    evaluate_coder,
    odd_rows,
    seen_odd_rows,
    unseen_odd_rows,
)
from zhida.jobs.taxonomy import load_taxonomy

SMOKE_ROWS = 100


def smoke_table(coder: OccupationCoder) -> str:
    """The table of ``accuracy_table`` on the first ``SMOKE_ROWS`` rows of each set."""
    lines = ["| coder (smoke: first rows only) | titles | acc@1 | acc@5 | 中类 acc@1 |", "|---|---:|---:|---:|---:|"]
    for label, rows in (("all odd rows", odd_rows()), ("odd rows, title not in even rows", unseen_odd_rows())):
        rows = rows[:SMOKE_ROWS]
        lines += [evaluate_baseline(rows).row(f"plain BM25, rjieba words — {label}"),
                  evaluate_baseline(rows, "bigrams").row(f"plain BM25, character bigrams — {label}"),
                  evaluate_coder(coder, rows).row(f"zhida coder — {label}")]
    return "\n".join([*lines, TARGETS_ROW])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help=f"score the first {SMOKE_ROWS} rows of each set only")
    smoke = ap.parse_args().smoke
    rows = odd_rows()
    t0 = time.perf_counter()
    coder = OccupationCoder(load_taxonomy(), training_rows())
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    coder.code(rows[0][0])
    per_title = (time.perf_counter() - t0) * 1000
    print(smoke_table(coder) if smoke else accuracy_table(coder))
    seen, same = seen_odd_rows(), seen_odd_rows(same_code=True)
    print(f"\n{len(seen)} of {len(rows)} odd rows ({len(seen) / len(rows):.1%}) repeat an even row's cleaned title, "
          f"{len(same)} ({len(same) / len(rows):.1%}) with the same code")
    print(f"build {build:.2f} s; {per_title:.3f} ms for one uncached title")


if __name__ == "__main__":
    main()
