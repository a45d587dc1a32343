"""Occupation coding: a free-text job title → the most likely CSCO-2022 codes, with scores.

The coder looks at a title four ways and adds the evidence up per code:

1. **memory** — the title, once cleaned, equals a known wording of a code: the code's name,
   one of its aliases, or a labelled title it was trained on (``train``);
2. **characters** — BM25 over character uni-, bi- and trigrams of all those wordings (short
   colloquial titles share characters with the taxonomy more often than whole words), the
   best-matching wording counting for its code;
3. **words** — BM25 over rjieba words of each code's name, aliases and definition;
4. **head** — Chinese titles end in their occupation (…工, …员, …师, …司机): a code whose
   wordings end with the same head gets a bonus.

Codes then vote up the taxonomy: each 中类 collects the best score of its codes, and a code
inside the strongest 中类 gets a share of it (hierarchical voting).

>>> coder = default_coder()
>>> [c.code for c in coder.code("电工")[:1]]
['6-31-01-03']
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zhida.jobs.batch import bm25_matrix, normalise_rows, row_top
from zhida.jobs.taxonomy import Taxonomy, code_to_int, load_taxonomy, load_testcases
from zhida.jobs.text import char_ngrams, clean_title, words

HEADS = (
    "司机", "驾驶员", "经理", "主管", "总监", "助理", "专员", "顾问", "代表", "工程师", "技术员", "设计师",
    "会计", "出纳", "文员", "客服", "店员", "导购", "收银员", "厨师", "保安", "保洁", "教师", "老师",
    "医生", "护士", "普工", "操作工", "焊工", "电工", "钳工", "技工", "学徒", "师傅", "工", "员", "师",
)
PARALLEL_MIN = 20_000  # distinct titles from which code_many uses every core
# a code whose confidence is below this is flagged for review; calibrated on the training split
# only (``evaluation.calibrate_threshold``), its precision/recall on the odd rows is in docs/performance.md
LOW_CONFIDENCE = 0.20


@dataclass(frozen=True)
class CodeScore:
    code: str
    name: str
    score: float


@dataclass
class Weights:
    """Tunable weights (tuned on the even lines of testcases.csv only)."""

    memory: float = 1.0  # exact known wording
    chars: float = 1.0  # best character-BM25 wording
    words: float = 1.0  # word BM25 over a code's name, aliases, definition, titles
    head: float = 0.15  # same head noun
    vote: float = 0.1  # 中类 mass in the hierarchical vote
    train_weight: float = 1.0  # a labelled title against a taxonomy wording
    prior: float = 0.3  # how common a code is among labelled titles
    suffix: float = 0.25  # a known wording ends a piece of the title
    k1: float = 1.2  # character BM25
    b: float = 0.75
    knn: float = 2.0  # votes of the nearest wordings
    k: int = 50
    power: float = 1.0


def head_of(text: str) -> str:
    """The occupation word a title ends with.

    >>> head_of("电气焊工"), head_of("网约车司机"), head_of("财务")
    ('焊工', '司机', '')
    """
    last = text.split()[-1] if text.split() else ""
    for h in HEADS:
        if last.endswith(h):
            return last[-2:] if len(h) == 1 and len(last) >= 2 else h
    return ""


def _char_tokens(text: str) -> list[str]:
    return char_ngrams(text, 1) + char_ngrams(text, 2) + [g + "³" for g in char_ngrams(text, 3)]


class OccupationCoder:
    """Codes titles against a taxonomy; ``train`` adds labelled (title, code) pairs."""

    def __init__(self, taxonomy: Taxonomy, train: Sequence[tuple[str, str]] = (), weights: Weights | None = None):
        import bm25s

        self.tax = taxonomy
        self.w = weights or Weights()
        self.codes = [o.code for o in taxonomy.occupations]
        self.code_idx = {c: i for i, c in enumerate(self.codes)}
        self.names = [o.name for o in taxonomy.occupations]
        ints = np.array([code_to_int(c) for c in self.codes], dtype=np.int64)
        self.mid = ints // 10_000  # 中类 of every code
        self._mid_ids = np.unique(self.mid, return_inverse=True)[1]
        # codes ordered by 中类, and where each 中类's run starts (for np.maximum.reduceat)
        self._mid_order = np.argsort(self._mid_ids, kind="stable")
        sorted_ids = self._mid_ids[self._mid_order]
        self._mid_starts = np.flatnonzero(np.r_[True, np.diff(sorted_ids) > 0])
        entries, entry_code, entry_w = self._entries(train)
        order = sorted(range(len(entries)), key=lambda i: entry_code[i])  # group wordings by code
        entries = [entries[i] for i in order]
        entry_code = [entry_code[i] for i in order]
        entry_w = [entry_w[i] for i in order]
        self.entry_code = np.array(entry_code, dtype=np.int64)
        self.entry_w = np.array(entry_w, dtype=np.float32)
        # first wording of each code that has any: np.maximum.reduceat over these runs
        self.run_codes, self.run_starts = np.unique(self.entry_code, return_index=True)
        self.memory: dict[str, dict[int, float]] = defaultdict(dict)
        for text, ci, wt in zip(entries, entry_code, entry_w, strict=False):
            slot = self.memory[text]
            slot[ci] = slot.get(ci, 0.0) + wt
        self.char_index = bm25s.BM25(k1=self.w.k1, b=self.w.b)
        self.char_index.index([_char_tokens(t) or ["∅"] for t in entries], show_progress=False)
        self.word_index = bm25s.BM25()
        by_code: dict[str, list[str]] = defaultdict(list)
        for title, code in train:
            by_code[code].append(title)
        self.word_index.index([self._code_words(o, by_code[o.code]) for o in taxonomy.occupations], show_progress=False)
        counts = np.array([len(by_code[c]) for c in self.codes], dtype=np.float32)
        self.prior = np.log1p(counts) / max(np.log1p(counts).max(), 1e-9)
        self.head_codes = self._heads(entries, entry_code)
        self._cache: dict[str, list[CodeScore]] = {}
        self._overflow: dict[str, list[CodeScore]] = {}  # past the cache size, this call only

    # -- building ---------------------------------------------------------------------------
    def _entries(self, train):
        texts, codes, wts = [], [], []
        for i, occ in enumerate(self.tax.occupations):
            for wording in (occ.name, *occ.aliases):
                t = clean_title(wording)
                if t:
                    texts.append(t)
                    codes.append(i)
                    wts.append(1.0)
        for title, code in train:
            t = clean_title(title)
            if t and code in self.code_idx:
                texts.append(t)
                codes.append(self.code_idx[code])
                wts.append(self.w.train_weight)
        return texts, codes, wts

    def _code_words(self, occ, extra) -> list[str]:
        text = " ".join(clean_title(x) for x in (occ.name, *occ.aliases, *extra, occ.definition[:60]))
        return words(text) or ["∅"]

    def _heads(self, entries, entry_code) -> dict[str, np.ndarray]:
        out: dict[str, set[int]] = defaultdict(set)
        for text, ci in zip(entries, entry_code, strict=False):
            h = head_of(text)
            if h:
                out[h].add(ci)
        return {h: np.array(sorted(s), dtype=np.int64) for h, s in out.items()}

    # -- scoring (matrix form: one row per title) ----------------------------------------
    def scores(self, title: str) -> np.ndarray:
        """One score per taxonomy code for a title (0 for an empty title)."""
        return self.score_matrix([clean_title(title)])[0]

    def score_matrix(self, texts: list[str]) -> np.ndarray:
        """Scores of already-cleaned titles: one row per title, one column per code."""
        total = np.zeros((len(texts), len(self.codes)), dtype=np.float32)
        live = [i for i, t in enumerate(texts) if t]
        if not live:
            return total
        sub = [texts[i] for i in live]
        part = self.w.chars * self._char_matrix(sub) + self.w.words * self._word_matrix(sub)
        part += self.w.prior * self.prior[None, :] * (part > 0)
        for row, text in enumerate(sub):
            self._add_rules(part[row], text)
        if self.w.vote:
            self._promote_best_mid(part)
        total[live] = part
        return total

    def _add_rules(self, row: np.ndarray, text: str) -> None:
        """Known wording, known suffix and head noun of one title, added in place."""
        for ci, wt in self.memory.get(text, {}).items():
            row[ci] += self.w.memory * min(wt, 3.0) / 3.0 + self.w.memory
        if self.w.suffix:
            for ci, share in self._suffix_hits(text):
                row[ci] += self.w.suffix * share
        h = head_of(text)
        if h in self.head_codes:
            row[self.head_codes[h]] += self.w.head

    def _promote_best_mid(self, total: np.ndarray) -> None:
        """Hierarchical vote: in each row, the 中类 with the most evidence puts its best code first."""
        ordered = total[:, self._mid_order]
        best = np.maximum.reduceat(ordered, self._mid_starts, axis=1)
        mass = np.add.reduceat(np.square(ordered, dtype=np.float64), self._mid_starts, axis=1)
        strength = best + self.w.vote * np.sqrt(mass)
        mid = np.argmax(strength, axis=1)
        inside = self._mid_ids[None, :] == mid[:, None]
        lead = np.argmax(np.where(inside, total, -1.0), axis=1)
        rows = np.arange(len(total))
        top = total.max(axis=1)
        hit = total[rows, lead] > 0
        total[rows[hit], lead[hit]] = np.maximum(total[rows[hit], lead[hit]], top[hit] + 1e-3)

    def _suffix_hits(self, text: str) -> list[tuple[int, float]]:
        """Codes of the longest known wording that ends a piece of the title (not the whole)."""
        out: list[tuple[int, float]] = []
        for piece in text.split():
            for start in range(len(piece) - 1):
                sub = piece[start:]
                if sub != text and sub in self.memory:
                    slot = self.memory[sub]
                    total = sum(slot.values())
                    out.extend((ci, len(sub) / len(piece) * wt / total) for ci, wt in slot.items())
                    break
        return out

    def _char_matrix(self, texts: list[str]) -> np.ndarray:
        """Best character-BM25 wording per code, plus the votes of the nearest wordings."""
        s = normalise_rows(bm25_matrix(self.char_index, [_char_tokens(t) for t in texts]))
        out = np.zeros((len(texts), len(self.codes)), dtype=np.float32)
        out[:, self.run_codes] = np.maximum.reduceat(s, self.run_starts, axis=1)
        if self.w.knn:
            k = min(self.w.k, s.shape[1] - 1)
            near = np.argpartition(-s, k, axis=1)[:, :k]
            vals = np.take_along_axis(s, near, axis=1) ** self.w.power
            flat = (np.arange(len(texts))[:, None] * len(self.codes) + self.entry_code[near]).ravel()
            votes = np.bincount(flat, weights=vals.ravel(), minlength=out.size).reshape(out.shape)
            top = np.maximum(votes.max(axis=1, keepdims=True), 1e-9)
            out += (self.w.knn * votes / top).astype(np.float32)
        return out

    def _word_matrix(self, texts: list[str]) -> np.ndarray:
        return normalise_rows(bm25_matrix(self.word_index, [words(t) for t in texts]))

    # -- coding -----------------------------------------------------------------------------
    def code(self, title: str, top: int = 5) -> list[CodeScore]:
        """The ``top`` best codes for a title, best first (cached by cleaned title)."""
        return self.code_many([title], top)[0]

    def code_many(self, titles: list[str], top: int = 5, batch: int = 256,
                  workers: int | None = None) -> list[list[CodeScore]]:
        """The ``top`` best codes of each title, scored ``batch`` distinct titles at a time.

        Same results as :meth:`code` title by title; titles that clean to the same text are
        scored once (and remembered). With many distinct titles the batches are shared out
        over ``workers`` processes (default: every core once there are ≥ 20,000 to score).
        """
        keys = [clean_title(t) for t in titles]
        todo = list(dict.fromkeys(k for k in keys if k not in self._cache or len(self._cache[k]) < top))
        chunks = [todo[i:i + batch] for i in range(0, len(todo), batch)]
        if workers is None:
            workers = (os.cpu_count() or 1) if len(todo) >= PARALLEL_MIN else 1
        for chunk, (idx, vals) in zip(chunks, self._run_chunks(chunks, top, workers), strict=False):
            for key, ri, rv in zip(chunk, idx.tolist(), vals.tolist(), strict=False):
                found = [CodeScore(self.codes[i], self.names[i], round(v, 4)) for i, v in zip(ri, rv, strict=False) if v > 0]
                (self._cache if len(self._cache) < 500_000 else self._overflow)[key] = found
        out = [(self._cache.get(k) or self._overflow.get(k, []))[:top] for k in keys]
        self._overflow.clear()
        return out

    def top_matrix(self, texts: list[str], top: int) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and scores of the ``top`` best codes of cleaned titles, best first."""
        return row_top(self.score_matrix(texts), top)

    def _run_chunks(self, chunks: list[list[str]], top: int, workers: int):
        if workers <= 1 or len(chunks) < 2 or "fork" not in mp.get_all_start_methods():
            return (self.top_matrix(c, top) for c in chunks)
        global _FORKED
        _FORKED = self
        words("电工")  # the tokenizer is built once, before the fork
        pool = mp.get_context("fork").Pool(min(workers, len(chunks)))
        try:
            return pool.starmap(_top_in_child, [(c, top) for c in chunks], chunksize=4)
        finally:
            pool.close()
            pool.join()

    def best(self, title: str) -> str | None:
        hit = self.code(title, 1)
        return hit[0].code if hit else None

    def best_many(self, titles: list[str]) -> list[str | None]:
        """The best code of each title (``None`` where nothing matches), in batch."""
        return [hit[0].code if hit else None for hit in self.code_many(titles, 1)]


_FORKED: OccupationCoder | None = None  # the coder child processes inherit through fork


def _top_in_child(texts: list[str], top: int) -> tuple[np.ndarray, np.ndarray]:
    if _FORKED is None:
        raise RuntimeError("the occupation coder was not loaded before the worker processes were forked")
    idx, vals = _FORKED.top_matrix(texts, top)
    return idx.astype(np.int32), vals


def confidence(scores: list[CodeScore]) -> float:
    """How clearly the best code beats the second: (best − second) / best, in [0, 1]; 0 for no code.

    >>> confidence([CodeScore("a", "甲", 4.0), CodeScore("b", "乙", 1.0)]), confidence([])
    (0.75, 0.0)
    """
    if not scores or scores[0].score <= 0:
        return 0.0
    second = scores[1].score if len(scores) > 1 else 0.0
    return max(0.0, (scores[0].score - second) / scores[0].score)


def low_confidence(scores: list[CodeScore]) -> bool:
    """Whether a coded title should be checked by a person (confidence below ``LOW_CONFIDENCE``)."""
    return confidence(scores) < LOW_CONFIDENCE


def training_rows() -> list[tuple[str, str]]:
    """The labelled titles on even file lines: the coder's training/tuning split, with the
    reviewed label fixes (``data/label-fixes.csv``) applied."""
    from zhida.jobs.labels import apply_fixes

    return apply_fixes([row for row in load_testcases() if row[0] % 2 == 0])


@lru_cache(maxsize=1)
def default_coder() -> OccupationCoder:
    """The production coder: taxonomy plus the memory of the even-line labelled titles."""
    return OccupationCoder(load_taxonomy(), training_rows())
