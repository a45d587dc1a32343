"""The batch coder (``code_many``): same codes as title by title, in one or several processes."""

from __future__ import annotations

from zhida.jobs.coder import OccupationCoder, default_coder, training_rows
from zhida.jobs.evaluation import evaluate_coder, odd_rows
from zhida.jobs.taxonomy import load_taxonomy


def fresh() -> OccupationCoder:
    return OccupationCoder(load_taxonomy(), training_rows())


def test_batch_equals_title_by_title_on_all_odd_rows():
    titles = [t for t, *_ in odd_rows()]
    batch = fresh().code_many(titles, 5, batch=97)
    single_coder = fresh()
    single = [single_coder.code(t, 5) for t in titles]
    assert len(batch) == len(single) == 2951
    assert batch == single  # codes, names and scores, in the same order
    assert sum(bool(x) for x in batch) > 2900


def test_batch_keeps_accuracy_targets():
    coder = fresh()
    coder.code_many([t for t, *_ in odd_rows()], 5)  # fills the cache the evaluation reads through
    acc = evaluate_coder(coder)
    assert acc.at1 >= 0.50 and acc.at5 >= 0.80 and acc.mid_at1 >= 0.70, acc


def test_two_processes_give_the_same_codes_as_one():
    titles = [t for t, *_ in odd_rows()[:900]]
    one = fresh().code_many(titles, 3, batch=100, workers=1)
    two = fresh().code_many(titles, 3, batch=100, workers=2)
    assert one == two and len(one) == 900


def test_batch_handles_empty_noise_and_repeated_titles():
    coder = fresh()
    out = coder.code_many(["", "（急招）！！", "电工", "急招电工（包吃住）", "电工"], 5)
    assert out[0] == [] and out[1] == []
    assert out[2] == out[3] == out[4] and out[2][0].code == "6-31-01-03"
    assert len(out[2]) == 5 and [c.score for c in out[2]] == sorted((c.score for c in out[2]), reverse=True)
    assert "电工" in coder._cache and len(coder._cache) == 2  # repeated titles scored once


def test_best_many_matches_best():
    coder = default_coder()
    titles = ["网约车司机", "会计", "", "药店店员(百信缘望月路店)"]
    assert coder.best_many(titles) == [coder.best(t) for t in titles]
    assert coder.best_many(titles)[2] is None
