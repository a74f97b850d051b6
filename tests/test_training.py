"""The training data's reading and split (training/data.py), on a made-up SQuAD file: every question
keeps its document's title, the split is by that title, and articles are named as `qa eval --squad`
names them. Fast: nothing is indexed."""
from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

from training.data import held_out, squad_benchmark

SQUAD = {
    "data": [
        {"title": "Cầu Mới", "paragraphs": [
            {"context": "Cầu dài 800 m.", "qas": [
                {"id": "q1", "question": "Cầu dài bao nhiêu?", "answers": [{"text": "800 m", "answer_start": 8}]},
                {"id": "q2", "question": "Cầu tên gì?", "answers": [], "is_impossible": True},
            ]},
        ]},
        {"title": "Lễ Hội", "paragraphs": [
            {"context": "Lễ hội kéo dài ba ngày.", "qas": [
                {"id": "q3", "question": "Lễ hội kéo dài mấy ngày?",
                 "answers": [{"text": "ba ngày", "answer_start": 14}]},
            ]},
        ]},
    ]
}


def test_questions_keep_their_document_title_and_the_split_follows_it(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")

    benchmark = squad_benchmark("made-up", path)

    assert [a.id for a in benchmark.articles] == ["cau-moi-0", "le-hoi-0"]
    by_id = {q.id: q for q in benchmark.questions}
    assert by_id["q1"].split_key == by_id["q2"].split_key == "Cầu Mới"
    assert by_id["q1"].gold_titles == ("Cầu Mới",) and by_id["q2"].gold_titles == ()  # q2 answers nothing
    assert by_id["q3"].held_out == held_out("Lễ Hội") == (zlib.crc32("Lễ Hội".encode()) % 2 == 1)
    assert by_id["q1"].held_out == by_id["q2"].held_out  # one article, one side of the split


def _examples(n: int = 400, seed: int = 0):
    """News questions whose right answers the ranker's reading tells (its first dimension), the
    evidence not; half of them held out; a quarter of the wrong ones unanswerable."""
    from training.train_abstention import Examples

    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(float)
    reading = rng.normal(size=(n, 3)).astype(np.float32)
    reading[:, 0] += 2.0 * (y - 0.5)
    return Examples(
        x=rng.normal(size=(n, 2)), reading=reading, y=y, answerable=(y == 1) | (np.arange(n) % 4 != 1),
        source=np.array(["news-dev"] * n), held_out=np.arange(n) % 2 == 1, ruled=np.zeros(n, dtype=bool),
    )


def test_the_second_stage_learns_from_the_rankers_reading_what_the_evidence_misses():
    from training.train_abstention import fit_reading

    ex = _examples()
    weights, _ = fit_reading(ex, np.zeros(len(ex.y)))
    assert weights[0] > 0.2 and weights[0] > 5 * np.abs(weights[1:]).max()  # shrunk, but the only one that tells
    ex.reading[:] = np.nan  # the ranker read nothing: a clear stop, not a fit on nothing
    with pytest.raises(SystemExit, match="reading"):
        fit_reading(ex, np.zeros(len(ex.y)))


def test_a_set_with_unanswerable_questions_reports_how_many_it_declines():
    from training.train_abstention import figures

    ex = _examples()
    p = np.where(ex.answerable, 0.9, 0.1)
    shown = figures(ex, p, ex.held_out, 0.5)
    assert shown["news-dev unanswerable declined"] == 1.0 and shown["news-dev answered"] < 1.0


def test_an_answer_a_check_declines_counts_as_declined_whatever_its_p():
    from training.train_abstention import figures

    ex = _examples()
    p = np.where(ex.answerable, 0.9, 0.1)
    ex.ruled[:] = ~ex.answerable  # what the checks before the model decline, P would answer too
    p[ex.ruled] = 0.9
    shown = figures(ex, p, ex.held_out, 0.5)
    assert shown["news-dev unanswerable declined"] == 1.0


def test_examples_cached_by_another_version_are_a_clear_stop(tmp_path):
    from training.train_abstention import Examples

    ex = _examples(8)
    ex.save(tmp_path / "now.npz")
    assert Examples.load(tmp_path / "now.npz").ruled.shape == (8,)
    older = {k: v for k, v in ex.__dict__.items() if k != "ruled"}
    np.savez_compressed(tmp_path / "older.npz", **older)
    with pytest.raises(SystemExit, match="delete it"):
        Examples.load(tmp_path / "older.npz")
