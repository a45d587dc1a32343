"""Accuracy of the occupation coder on the labelled titles of ``data/testcases.csv``.

The split is fixed: rows on even file lines (header = line 1) train and tune the coder,
rows on odd lines are only ever used to report. Two plain-BM25 baselines over each code's
name and aliases are reported next to the coder: ``BaselineCoder`` over rjieba words (the
tokeniser's dictionary holds every name and alias, so an alias is one token and a colloquial
variant of it often shares no token at all) and ``CharBigramBaseline`` over character
bigrams (partial overlaps count).

Part of the odd lines repeat an even-line title: ``unseen_odd_rows`` leaves out every odd
row whose cleaned title is also the cleaned title of an even row (the coder's memory would
recall it), so accuracy can be reported without memorisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhida.jobs.coder import OccupationCoder, training_rows
from zhida.jobs.taxonomy import Taxonomy, load_taxonomy, load_testcases
from zhida.jobs.text import char_ngrams, clean_title, words


@dataclass(frozen=True)
class Accuracy:
    n: int
    at1: float
    at5: float
    mid_at1: float  # top code in the right 中类

    def row(self, label: str) -> str:
        return f"| {label} | {self.n} | {self.at1:.3f} | {self.at5:.3f} | {self.mid_at1:.3f} |"


def bigrams(text: str) -> list[str]:
    """Character bigrams of cleaned text; a one-character piece counts as itself.

    >>> bigrams("电工师傅 厨")
    ['电工', '工师', '师傅', '厨']
    """
    return [g for piece in text.split() for g in (char_ngrams(piece, 2) or [piece])]


class BaselineCoder:
    """Plain BM25 (bm25s) over tokens of each code's name and aliases (rjieba words by default)."""

    def __init__(self, taxonomy: Taxonomy, tokens=words):
        import bm25s

        self.tokens = tokens
        self.codes = [o.code for o in taxonomy.occupations]
        docs = [tokens(clean_title(" ".join((o.name, *o.aliases)))) or ["∅"] for o in taxonomy.occupations]
        self.index = bm25s.BM25()
        self.index.index(docs, show_progress=False)

    def top_codes(self, title: str, top: int = 5) -> list[str]:
        toks = [t for t in self.tokens(clean_title(title)) if t in self.index.vocab_dict]
        if not toks:
            return []
        s = self.index.get_scores(toks)
        idx = np.argsort(-s, kind="stable")[:top]
        return [self.codes[i] for i in idx if s[i] > 0]


class CharBigramBaseline(BaselineCoder):
    """Plain BM25 over character bigrams of each code's name and aliases."""

    def __init__(self, taxonomy: Taxonomy):
        super().__init__(taxonomy, bigrams)


def odd_rows() -> list[tuple[str, str]]:
    """The held-out labelled titles (odd file lines)."""
    return [(title, code) for line, title, code in load_testcases() if line % 2 == 1]


def seen_odd_rows(same_code: bool = False) -> list[tuple[str, str]]:
    """Odd rows whose cleaned title is also an even row's (with the same code if ``same_code``)."""
    even = [(clean_title(t), c) for line, t, c in load_testcases() if line % 2 == 0]
    titles, pairs = {t for t, _ in even}, set(even)
    return [(t, c) for t, c in odd_rows() if ((clean_title(t), c) in pairs if same_code else clean_title(t) in titles)]


def unseen_odd_rows() -> list[tuple[str, str]]:
    """Odd rows whose cleaned title no even row has: accuracy without memorisation."""
    titles = {clean_title(t) for line, t, _ in load_testcases() if line % 2 == 0}
    return [(t, c) for t, c in odd_rows() if clean_title(t) not in titles]


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


def evaluate_baseline(rows=None, kind: str = "words") -> Accuracy:
    """A plain-BM25 baseline: ``kind`` is ``words`` (rjieba) or ``bigrams`` (characters)."""
    base = CharBigramBaseline(load_taxonomy()) if kind == "bigrams" else BaselineCoder(load_taxonomy())
    return accuracy(base.top_codes, rows if rows is not None else odd_rows())


TARGETS_ROW = "| target (all odd rows) | | ≥ 0.50 | ≥ 0.80 | ≥ 0.70 |"


def accuracy_table(coder: OccupationCoder | None = None) -> str:
    """Markdown table: both baselines and the coder on all odd rows and on the unseen ones."""
    coder = coder or OccupationCoder(load_taxonomy(), training_rows())
    lines = ["| coder | titles | acc@1 | acc@5 | 中类 acc@1 |", "|---|---:|---:|---:|---:|"]
    for label, rows in (("all odd rows", odd_rows()), ("odd rows, title not in even rows", unseen_odd_rows())):
        lines += [evaluate_baseline(rows).row(f"plain BM25, rjieba words of names + aliases — {label}"),
                  evaluate_baseline(rows, "bigrams").row(f"plain BM25, character bigrams of names + aliases — {label}"),
                  evaluate_coder(coder, rows).row(f"**zhida coder** — {label}")]
    return "\n".join([*lines, TARGETS_ROW])


# ----------------------------------------------------------------- low-confidence flag
@dataclass(frozen=True)
class FlagQuality:
    """How well ``confidence < threshold`` picks out wrong top codes: precision (flagged ones that
    are wrong), recall (wrong ones that are flagged), and the share of titles flagged."""

    threshold: float
    n: int
    flagged: float
    precision: float
    recall: float

    def row(self, label: str) -> str:
        return f"| {label} | {self.n} | {self.threshold:.2f} | {self.flagged:.3f} | {self.precision:.3f} | {self.recall:.3f} |"


def flag_quality(coder: OccupationCoder, rows: list[tuple[str, str]], threshold: float) -> FlagQuality:
    from zhida.jobs.coder import confidence

    results = coder.code_many([t for t, _ in rows], top=2)
    wrong = np.array([not r or r[0].code != c for r, (_, c) in zip(results, rows, strict=False)])
    low = np.array([confidence(r) < threshold for r in results])
    tp = int((low & wrong).sum())
    return FlagQuality(threshold, len(rows), float(low.mean()), tp / max(int(low.sum()), 1),
                       tp / max(int(wrong.sum()), 1))


PRECISION_WANTED = 0.70  # of the flagged titles, at least this share should really be wrong


THRESHOLD_GRID = tuple(k / 100 for k in range(5, 96, 5))


def calibrate_threshold(grid: tuple[float, ...] = THRESHOLD_GRID) -> float:
    """The largest threshold whose flags are still right (wrong top code) at least
    ``PRECISION_WANTED`` of the time, chosen on the training split only: a coder trained on the
    even lines ≡ 0 (mod 4) is scored on the even lines ≡ 2 (mod 4)."""
    from zhida.jobs.labels import apply_fixes

    even = [row for row in load_testcases() if row[0] % 2 == 0]
    coder = OccupationCoder(load_taxonomy(), apply_fixes([r for r in even if r[0] % 4 == 0]))
    held = [(t, c) for line, t, c in even if line % 4 == 2 and c]

    good = [t for t in grid if flag_quality(coder, held, t).precision >= PRECISION_WANTED]
    return max(good) if good else min(grid)
