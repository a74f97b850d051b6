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
    model, pairs, _ = train([g], epochs=3)
    with torch.no_grad():
        scores = model(*pairs(g.question, g.texts)).numpy()
    assert int(np.argmax(scores)) == 1


def test_the_written_file_scores_in_onnxruntime_as_in_torch(tmp_path):
    from qa.reader.ranker import SentenceRanker
    from training.train_ranker import tuned_tensors

    g = group([0.9, 0.8, 0.5], [False, True, False])
    model, pairs, _ = train([g], epochs=1)
    np.savez(tmp_path / "ranker.npz", **tuned_tensors(model))
    with torch.no_grad():
        expected = model(*pairs(g.question, g.texts)).numpy()
    ranker = SentenceRanker(tmp_path / "ranker.npz", models_dir=tmp_path)
    assert np.abs(ranker.read(g.question, g.texts)[0] - expected).max() < 0.05  # float16 weights


def test_candidates_are_the_hand_scores_best_sentences_labelled(seed_settings):
    from training.data import seed_benchmark
    from training.train_ranker import CANDIDATES, candidates

    groups = candidates([seed_benchmark()], seed_settings)
    assert groups and all(1 <= len(g.texts) <= CANDIDATES and len(g.labels) == len(g.texts) for g in groups)
    assert all(np.all(np.diff(g.hand) <= 0) for g in groups)  # best hand score first: the ranker has not moved them
    assert np.mean([g.labels.any() for g in groups]) > 0.8  # the gold is among them for most seed questions


def test_a_question_nothing_answers_teaches_the_null_only_when_asked_to():
    unanswerable = group([0.9, 0.8], [False, False])
    unanswerable.answerable = False
    assert train([unanswerable], epochs=2)[2] == 0.0  # without the null it teaches nothing
    _, _, null = train([unanswerable], epochs=2, null=True)
    assert null > 0  # the no-answer logit rises above the sentences


def test_declined_at_a_share_of_right_answers_kept():
    from training.train_ranker import declined_at

    score = np.array([0.9, 0.8, 0.7, 0.6, 0.1, 0.5, 0.85])
    right = np.array([True, True, True, True, True, False, False])
    # keeping 80 % of the five right answers puts the threshold at their second lowest (0.6)
    assert declined_at(score, right, ~right, share=0.8) == 0.5
    assert declined_at(score, right, ~right, share=1.0) == 0.0


def test_answerability_is_reported_for_p_the_margin_and_both(capsys):
    from training.train_ranker import report_answerability

    rng = np.random.default_rng(0)
    groups, scores = [], []
    for n in range(40):
        answerable, right = n % 4 != 0, n % 4 in (1, 2)
        g = group([0.9, 0.8], [right, False])
        g.source, g.key, g.held_out, g.answerable, g.right = "news-dev", f"a{n}", True, answerable, right
        g.p = 0.7 if right else 0.4 + 0.2 * rng.random()
        groups.append(g)
        scores.append(np.array([2.0 if right else -1.0, -2.0]))  # the margin tells them apart
    report_answerability(groups, scores, null=0.0, read=4)
    out = capsys.readouterr().out
    assert "ranker margin: AUC right vs not 1.000" in out and "unanswerable declined at 95 % of right kept 1.000" in out
