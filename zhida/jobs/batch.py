"""Matrix helpers for scoring many queries at once against a bm25s index.

bm25s keeps its precomputed scores as a sparse token × document matrix (CSC-like arrays
``data``, ``indices``, ``indptr``). Scoring a query sums the rows of its tokens; scoring a
batch of queries gathers all those rows in one go and adds them up with ``np.bincount``
(a sparse matrix product without scipy).

>>> import bm25s
>>> idx = bm25s.BM25()
>>> idx.index([["电工"], ["焊工"], ["电工", "师傅"]], show_progress=False)
>>> m = bm25_matrix(idx, [["电工"], ["师傅", "师傅"], ["未知"]])
>>> m.shape, bool(m[0, 0] > 0), bool(m[0, 1] == 0), bool(m[1, 2] > 0), bool(m[2].any())
((3, 3), True, True, True, False)
>>> row_top(np.array([[0.1, 0.5, 0.3], [0.0, 0.0, 0.0]], dtype=np.float32), 2)[0].tolist()
[[1, 2], [0, 1]]
"""

from __future__ import annotations

import numpy as np


def token_ids(index, queries: list[list[str]]) -> list[list[int]]:
    """Each query's token ids in the index vocabulary (unknown tokens left out)."""
    vocab = index.vocab_dict
    return [[vocab[t] for t in q if t in vocab] for q in queries]


def bm25_matrix(index, queries: list[list[str]]) -> np.ndarray:
    """BM25 scores of every query (rows) against every document (columns), float32.

    Same sums as ``index.get_scores`` for each query: a token repeated in the query counts
    as often as it appears.
    """
    ids = token_ids(index, queries)
    data, indices, indptr = (index.scores[k] for k in ("data", "indices", "indptr"))
    n_docs = int(index.scores["num_docs"])
    lens_q = np.fromiter((len(q) for q in ids), dtype=np.int64, count=len(ids))
    toks = np.fromiter((t for q in ids for t in q), dtype=np.int64, count=int(lens_q.sum()))
    starts = indptr[toks].astype(np.int64)
    lens = indptr[toks + 1].astype(np.int64) - starts
    owner = np.repeat(np.repeat(np.arange(len(ids), dtype=np.int64), lens_q), lens)
    offsets = np.cumsum(lens) - lens  # where each posting run begins in the gathered arrays
    pos = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(offsets - starts, lens)
    flat = owner * n_docs + indices[pos]
    sums = np.bincount(flat, weights=data[pos], minlength=len(ids) * n_docs)
    return sums.astype(np.float32).reshape(len(ids), n_docs)


def normalise_rows(m: np.ndarray) -> np.ndarray:
    """Each row divided by its maximum, in place; rows without a positive maximum become zeros."""
    if not m.size:
        return m
    top = m.max(axis=1, keepdims=True)
    np.divide(m, np.where(top > 0, top, np.inf).astype(m.dtype), out=m)
    return m


def row_top(m: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest entries of each row, best first."""
    k = min(k, m.shape[1])
    idx = np.argpartition(-m, min(k, m.shape[1] - 1), axis=1)[:, :k]
    vals = np.take_along_axis(m, idx, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(idx, order, axis=1), np.take_along_axis(vals, order, axis=1)
