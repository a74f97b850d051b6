"""The sentence ranker's training (training/train_ranker.py) on made-up sentences: the figure it
reports, and that fine-tuning moves the sentence holding the answer above the others. Fast: one
question, the bundled E5's lower layers, a few steps."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from training.train_ranker import Group, best_holds, train  # noqa: E402


def group(hand: list[float], labels: list[bool]) -> Group:
    texts = ["Cầu Tân Lạc dài 3 km.", "Cầu Tân Lạc được khánh thành sáng nay.", "Tỉnh có nhiều cây cầu."][: len(hand)]
    return Group("made-up", "a1", "Cầu Tân Lạc dài bao nhiêu?", False, texts, np.array(hand), np.array(labels))


def test_the_best_sentence_is_read_by_hand_ranker_or_both():
    g = group([0.9, 0.5], [False, True])
    ranker = [np.array([-1.0, 2.0])]
    assert best_holds([g], ranker, 0.0) == 0.0  # the hand score's best misses
    assert best_holds([g], ranker, None) == 1.0  # the ranker alone finds it
    assert best_holds([g], ranker, 0.1) == 0.0 and best_holds([g], ranker, 0.5) == 1.0  # the gap is 0.4 by hand


def test_fine_tuning_puts_the_sentence_holding_the_answer_first():
    g = group([0.9, 0.8, 0.5], [False, True, False])
    model, pairs = train([g], epochs=3)
    with torch.no_grad():
        scores = model(*pairs(g.question, g.texts)).numpy()
    assert int(np.argmax(scores)) == 1


def test_the_written_file_scores_in_onnxruntime_as_in_torch(tmp_path):
    from qa.reader.ranker import SentenceRanker
    from training.train_ranker import tuned_tensors

    g = group([0.9, 0.8, 0.5], [False, True, False])
    model, pairs = train([g], epochs=1)
    np.savez(tmp_path / "ranker.npz", **tuned_tensors(model))
    with torch.no_grad():
        expected = model(*pairs(g.question, g.texts)).numpy()
    ranker = SentenceRanker(tmp_path / "ranker.npz", models_dir=tmp_path)
    assert np.abs(ranker.scores(g.question, g.texts) - expected).max() < 0.05  # float16 weights


def test_candidates_are_the_hand_scores_best_sentences_labelled(seed_settings):
    from training.data import seed_benchmark
    from training.train_ranker import CANDIDATES, candidates

    groups = candidates([seed_benchmark()], seed_settings)
    assert groups and all(1 <= len(g.texts) <= CANDIDATES and len(g.labels) == len(g.texts) for g in groups)
    assert all(np.all(np.diff(g.hand) <= 0) for g in groups)  # best hand score first: the ranker has not moved them
    assert np.mean([g.labels.any() for g in groups]) > 0.8  # the gold is among them for most seed questions
