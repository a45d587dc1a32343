"""Tuning the occupation coder's weights on the even lines of testcases.csv only.

    .venv/bin/python bench/jobs_coder_tune.py [--only memory,chars]

The even-line labelled titles are split 3:1 (every fourth even row validates, the other
three train the coder's memory and BM25 indexes); odd lines are never read. The script
scores the shipped ``Weights`` and then each weight varied one at a time (set to 0 for an
ablation, halved, doubled), printing a Markdown table of validation accuracy. A variation
that beats the shipped weights on the sum acc@1 + acc@5 + 中类 acc@1 is marked ↑.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from zhida.jobs.coder import OccupationCoder, Weights, training_rows
from zhida.jobs.evaluation import Accuracy, accuracy
from zhida.jobs.taxonomy import load_taxonomy

# integer weights keep integer variations; k1/b/power are not zeroed (no meaning at 0)
NO_ZERO = {"k1", "b", "power", "k", "train_weight"}


def split() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(fit, validate): a 3:1 split of the even-line rows, by position."""
    rows = training_rows()
    return [r for i, r in enumerate(rows) if i % 4 != 3], [r for i, r in enumerate(rows) if i % 4 == 3]


def score(weights: Weights, tax, fit, val) -> Accuracy:
    coder = OccupationCoder(tax, fit, weights)
    return accuracy(lambda t: [c.code for c in coder.code(t, 5)], val)


def variations(names: list[str]) -> list[tuple[str, Weights]]:
    base = Weights()
    out = []
    for name in names:
        value = getattr(base, name)
        factors = ([] if name in NO_ZERO else [0]) + [0.5, 2]
        for f in factors:
            new = type(value)(value * f) if not isinstance(value, int) else max(1, int(value * f))
            if name == "b":
                new = min(new, 1.0)  # BM25 length normalisation lives in [0, 1]
            if new != value:
                out.append((f"{name} = {new:g}", dataclasses.replace(base, **{name: new})))
    return out


def main() -> None:
    fields = [f.name for f in dataclasses.fields(Weights)]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(fields), help="comma-separated weights to vary")
    args = ap.parse_args()
    tax = load_taxonomy()
    fit, val = split()
    t0 = time.perf_counter()
    shipped = score(Weights(), tax, fit, val)
    total = shipped.at1 + shipped.at5 + shipped.mid_at1
    print(f"fit on {len(fit)} even rows, validate on {len(val)} even rows (odd rows untouched)\n")
    print("| weights | titles | acc@1 | acc@5 | 中类 acc@1 | |")
    print("|---|---|---|---|---|---|")
    print(shipped.row("shipped `Weights()`") + " |")
    for label, w in variations([n for n in args.only.split(",") if n in fields]):
        acc = score(w, tax, fit, val)
        mark = "↑" if acc.at1 + acc.at5 + acc.mid_at1 > total + 1e-9 else ""
        print(acc.row(label) + f" {mark} |")
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
