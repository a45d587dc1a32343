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

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zhida.jobs.taxonomy import Taxonomy, code_to_int, load_taxonomy, load_testcases
from zhida.jobs.text import char_ngrams, clean_title, words

HEADS = (
    "司机", "驾驶员", "经理", "主管", "总监", "助理", "专员", "顾问", "代表", "工程师", "技术员", "设计师",
    "会计", "出纳", "文员", "客服", "店员", "导购", "收银员", "厨师", "保安", "保洁", "教师", "老师",
    "医生", "护士", "普工", "操作工", "焊工", "电工", "钳工", "技工", "学徒", "师傅", "工", "员", "师",
)


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

    def __init__(self, taxonomy: Taxonomy, train: list[tuple[str, str]] = (), weights: Weights | None = None):
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
        for text, ci, wt in zip(entries, entry_code, entry_w):
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

    # -- building ---------------------------------------------------------------------------
    def _entries(self, train):
        texts, codes, wts = [], [], []
        for i, occ in enumerate(self.tax.occupations):
            for wording in (occ.name, *occ.aliases):
                t = clean_title(wording)
                if t:
                    texts.append(t), codes.append(i), wts.append(1.0)
        for title, code in train:
            t = clean_title(title)
            if t and code in self.code_idx:
                texts.append(t), codes.append(self.code_idx[code]), wts.append(self.w.train_weight)
        return texts, codes, wts

    def _code_words(self, occ, extra) -> list[str]:
        text = " ".join(clean_title(x) for x in (occ.name, *occ.aliases, *extra, occ.definition[:60]))
        return words(text) or ["∅"]

    def _heads(self, entries, entry_code) -> dict[str, np.ndarray]:
        out: dict[str, set[int]] = defaultdict(set)
        for text, ci in zip(entries, entry_code):
            h = head_of(text)
            if h:
                out[h].add(ci)
        return {h: np.array(sorted(s), dtype=np.int64) for h, s in out.items()}

    # -- scoring ----------------------------------------------------------------------------
    def scores(self, title: str) -> np.ndarray:
        """One score per taxonomy code for a title (0 for an empty title)."""
        text = clean_title(title)
        n = len(self.codes)
        total = np.zeros(n, dtype=np.float32)
        if not text:
            return total
        total += self.w.chars * self._char_scores(text)
        total += self.w.words * self._word_scores(text)
        total += self.w.prior * self.prior * (total > 0)
        for ci, wt in self.memory.get(text, {}).items():
            total[ci] += self.w.memory * min(wt, 3.0) / 3.0 + self.w.memory
        if self.w.suffix:
            for ci, share in self._suffix_hits(text):
                total[ci] += self.w.suffix * share
        h = head_of(text)
        if h in self.head_codes:
            total[self.head_codes[h]] += self.w.head
        if self.w.vote:
            self._promote_best_mid(total)
        return total

    def _promote_best_mid(self, total: np.ndarray) -> None:
        """Hierarchical vote: the 中类 with the most evidence puts its best code first."""
        n_mid = int(self._mid_ids.max()) + 1
        best = np.maximum.reduceat(total[self._mid_order], self._mid_starts)
        mass = np.bincount(self._mid_ids, weights=np.square(total), minlength=n_mid)
        strength = best + self.w.vote * np.sqrt(mass)
        mid = int(np.argmax(strength))
        inside = np.flatnonzero(self._mid_ids == mid)
        lead = inside[np.argmax(total[inside])]
        if total[lead] > 0:
            total[lead] = max(total[lead], float(total.max()) + 1e-3)

    def _suffix_hits(self, text: str) -> list[tuple[int, float]]:
        """Codes of the longest known wording that ends a piece of the title (not the whole)."""
        out = []
        for piece in text.split():
            for start in range(len(piece) - 1):
                sub = piece[start:]
                if sub != text and sub in self.memory:
                    slot = self.memory[sub]
                    total = sum(slot.values())
                    out.extend((ci, len(sub) / len(piece) * wt / total) for ci, wt in slot.items())
                    break
        return out

    def _char_scores(self, text: str) -> np.ndarray:
        toks = [t for t in _char_tokens(text) if t in self.char_index.vocab_dict]
        out = np.zeros(len(self.codes), dtype=np.float32)
        if not toks:
            return out
        s = self.char_index.get_scores(toks)
        top = s.max()
        if top <= 0:
            return out
        s = (s / top).astype(np.float32)
        out[self.run_codes] = np.maximum.reduceat(s, self.run_starts)
        if self.w.knn:
            k = min(self.w.k, len(s) - 1)
            near = np.argpartition(-s, k)[:k]
            votes = np.zeros(len(self.codes), dtype=np.float32)
            np.add.at(votes, self.entry_code[near], s[near] ** self.w.power)
            out = out + self.w.knn * votes / max(votes.max(), 1e-9)
        return out

    def _word_scores(self, text: str) -> np.ndarray:
        toks = [t for t in words(text) if t in self.word_index.vocab_dict]
        if not toks:
            return np.zeros(len(self.codes), dtype=np.float32)
        s = self.word_index.get_scores(toks).astype(np.float32)
        top = s.max()
        return s / top if top > 0 else s

    def code(self, title: str, top: int = 5) -> list[CodeScore]:
        """The ``top`` best codes for a title, best first (cached by cleaned title)."""
        key = clean_title(title)
        hit = self._cache.get(key)
        if hit is not None and len(hit) >= top:
            return hit[:top]
        s = self.scores(title)
        if not s.any():
            return []
        idx = np.argpartition(-s, min(top, len(s) - 1))[:top]
        idx = idx[np.argsort(-s[idx], kind="stable")]
        out = [CodeScore(self.codes[i], self.names[i], round(float(s[i]), 4)) for i in idx if s[i] > 0]
        if len(self._cache) < 500_000:
            self._cache[key] = out
        return out

    def best(self, title: str) -> str | None:
        hit = self.code(title, 1)
        return hit[0].code if hit else None


def training_rows() -> list[tuple[str, str]]:
    """The labelled titles on even file lines: the coder's training/tuning split."""
    return [(title, code) for line, title, code in load_testcases() if line % 2 == 0]


@lru_cache(maxsize=1)
def default_coder() -> OccupationCoder:
    """The production coder: taxonomy plus the memory of the even-line labelled titles."""
    return OccupationCoder(load_taxonomy(), training_rows())
