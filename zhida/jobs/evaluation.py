"""Accuracy of the occupation coder on the labelled titles of ``data/testcases.csv``.

The split is fixed: rows on even file lines (header = line 1) train and tune the coder,
rows on odd lines are only ever used to report. ``baseline_coder`` is the plain BM25 over
rjieba words of names and aliases the targets are compared with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhida.jobs.coder import OccupationCoder, training_rows
from zhida.jobs.taxonomy import Taxonomy, load_taxonomy, load_testcases
from zhida.jobs.text import clean_title, words


@dataclass(frozen=True)
class Accuracy:
    n: int
    at1: float
    at5: float
    mid_at1: float  # top code in the right 中类

    def row(self, label: str) -> str:
        return f"| {label} | {self.n} | {self.at1:.3f} | {self.at5:.3f} | {self.mid_at1:.3f} |"


class BaselineCoder:
    """Plain BM25 (bm25s) over rjieba words of each code's name and aliases."""

    def __init__(self, taxonomy: Taxonomy):
        import bm25s

        self.codes = [o.code for o in taxonomy.occupations]
        docs = [words(clean_title(" ".join((o.name, *o.aliases)))) or ["∅"] for o in taxonomy.occupations]
        self.index = bm25s.BM25()
        self.index.index(docs, show_progress=False)

    def top_codes(self, title: str, top: int = 5) -> list[str]:
        toks = [t for t in words(clean_title(title)) if t in self.index.vocab_dict]
        if not toks:
            return []
        s = self.index.get_scores(toks)
        idx = np.argsort(-s, kind="stable")[:top]
        return [self.codes[i] for i in idx if s[i] > 0]


def odd_rows() -> list[tuple[str, str]]:
    """The held-out labelled titles (odd file lines)."""
    return [(title, code) for line, title, code in load_testcases() if line % 2 == 1]


def accuracy(top_codes, rows: list[tuple[str, str]]) -> Accuracy:
    """``top_codes(title) -> [code, …]`` scored on (title, expected code) rows."""
    a1 = a5 = m1 = 0
    for title, expected in rows:
        got = top_codes(title)
        a1 += bool(got) and got[0] == expected
        a5 += expected in got[:5]
        m1 += bool(got) and got[0][:4] == expected[:4]
    n = len(rows)
    return Accuracy(n, a1 / n, a5 / n, m1 / n)


def evaluate_coder(coder: OccupationCoder | None = None, rows=None) -> Accuracy:
    coder = coder or OccupationCoder(load_taxonomy(), training_rows())
    return accuracy(lambda t: [c.code for c in coder.code(t, 5)], rows if rows is not None else odd_rows())


def evaluate_baseline(rows=None) -> Accuracy:
    base = BaselineCoder(load_taxonomy())
    return accuracy(base.top_codes, rows if rows is not None else odd_rows())
