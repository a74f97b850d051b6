"""The learned sentence ranker (qa/reader/ranker.py) and how the reader uses it: the shipped file
read by onnxruntime on made-up sentences, a broken file, and the reranking of the hand score's best."""
from __future__ import annotations

import numpy as np
import pytest

from qa.errors import ModelFileError
from qa.lexicon import TermWeights
from qa.question import QuestionAnalysis
from qa.reader import Reader, SentenceScorer
from qa.reader.candidates import ScoredSentence
from qa.reader.ranker import RANKER_FILE, SentenceRanker
from qa.types import Passage

PASSAGE = Passage(chunk_id="a1#0", article_id="a1", title="Tin thử", url=None, published=None, text="", score=0.5)


def sentence(text: str, score: float) -> ScoredSentence:
    return ScoredSentence(0, PASSAGE, text, 0, score, score, 0.0)


class FakeRanker:
    """Logits by sentence text, and as its reading of a pair the logit twice; records what it was
    asked to read."""

    def __init__(self, logits: dict[str, float]) -> None:
        self.logits = logits
        self.asked: list[list[str]] = []

    def read(self, question: str, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
        self.asked.append(list(sentences))
        logits = np.array([self.logits[s] for s in sentences], dtype=np.float32)
        return logits, np.stack([logits, logits], axis=1)


def reader(ranker: FakeRanker | None, weight: float, candidates: int = 3) -> Reader:
    return Reader(SentenceScorer(TermWeights({}, 1)), ranker=ranker, ranker_weight=weight,  # type: ignore[arg-type]
                  ranker_candidates=candidates)


SCORED = [sentence("A", 1.0), sentence("B", 0.95), sentence("C", 0.9), sentence("D", 0.85)]
ASKED = QuestionAnalysis.of("Câu hỏi nào?")


def test_the_ranker_moves_the_hand_scores_best_few_and_its_best_keeps_its_score():
    fake = FakeRanker({"A": -6.0, "B": 0.0, "C": -1.0})
    reranked = reader(fake, 0.1).rerank(ASKED, SCORED)
    assert fake.asked == [["A", "B", "C"]]  # the hand score's best three
    assert [s.text for s in reranked] == ["B", "D", "C", "A"]  # D, not read, keeps its hand score
    by_text = {s.text: s.score for s in reranked}
    assert by_text["B"] == pytest.approx(0.95)  # the ranker's best: hand score kept, above all not read
    assert by_text["C"] == pytest.approx(0.9 - 0.1) and by_text["A"] == pytest.approx(1.0 - 0.6)
    assert by_text["D"] == pytest.approx(0.85)


def test_each_sentence_read_keeps_what_the_ranker_read_of_it():
    reranked = {s.text: s for s in reader(FakeRanker({"A": -6.0, "B": 0.0, "C": -1.0}), 0.1).rerank(ASKED, SCORED)}
    assert reranked["B"].reading.tolist() == [0.0, 0.0] and reranked["A"].reading.tolist() == [-6.0, -6.0]
    assert reranked["D"].reading is None  # not read


def test_a_question_in_english_has_more_of_the_hand_scores_best_read():
    fake = FakeRanker({"A": -6.0, "B": 0.0, "C": -1.0, "D": 1.0})
    english = Reader(SentenceScorer(TermWeights({}, 1)), ranker=fake, ranker_weight=0.1,  # type: ignore[arg-type]
                     ranker_candidates=2, ranker_candidates_english=4)
    english.rerank(QuestionAnalysis.of("Which province signed the agreement?"), SCORED)
    english.rerank(ASKED, SCORED)
    assert fake.asked == [["A", "B", "C", "D"], ["A", "B"]]


def test_without_a_weight_the_ranker_is_not_read():
    fake = FakeRanker({})
    assert reader(fake, 0.0).rerank(ASKED, SCORED) == SCORED and fake.asked == []
    assert reader(None, 0.1).rerank(ASKED, SCORED) == SCORED


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> SentenceRanker:
    return SentenceRanker(models_dir=tmp_path_factory.mktemp("models"))


def test_the_shipped_ranker_prefers_the_sentence_that_answers(shipped):
    assert RANKER_FILE.stat().st_size < 12_000_000  # float16, the tuned layers only (docs/answering.md)
    logits, _ = shipped.read("Cầu Hòa Lạc mới dài bao nhiêu mét?", [
        "Tỉnh có nhiều cây cầu được xây từ năm ngoái.",
        "Cầu Hòa Lạc mới dài 420 mét, rộng 12 mét.",
        "Lễ khánh thành có nhiều lãnh đạo địa phương tham dự.",
    ])
    assert logits.shape == (3,) and int(np.argmax(logits)) == 1


def test_each_logit_is_the_head_over_the_pooled_states_it_comes_with(shipped):
    logits, states = shipped.read("Ai làm chủ tịch?", ["Ông Lê Văn Tám làm chủ tịch xã.", "Xã có ba thôn."])
    with np.load(RANKER_FILE) as tensors:
        head_w, head_b = tensors["head.w"].astype(np.float32), tensors["head.b"].astype(np.float32)
    assert states.shape == (2, len(head_w))
    np.testing.assert_allclose(states @ head_w + head_b, logits, atol=1e-3)
    empty_logits, empty_states = shipped.read("Câu hỏi?", [])
    assert empty_logits.shape == (0,) and empty_states.shape == (0, len(head_w))


def test_the_graph_is_built_once_and_read_from_its_cache(shipped, tmp_path):
    first = SentenceRanker(models_dir=tmp_path)
    graphs = list(tmp_path.glob("ranker-*.onnx"))
    assert len(graphs) == 1
    again = SentenceRanker(models_dir=tmp_path)
    question, texts = "Ai làm chủ tịch?", ["Ông Lê Văn Tám làm chủ tịch xã.", "Xã có ba thôn."]
    assert np.allclose(first.read(question, texts)[0], again.read(question, texts)[0])
    assert np.allclose(first.read(question, texts)[0], shipped.read(question, texts)[0])


@pytest.mark.parametrize("content", [b"not a zip", None])
def test_a_broken_or_headless_ranker_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "ranker.npz"
    if content is None:
        np.savez(path, layers=np.array(6))
    else:
        path.write_bytes(content)
    with pytest.raises(ModelFileError, match="sentence ranker") as raised:
        SentenceRanker(path, models_dir=tmp_path)
    assert "\n" not in str(raised.value) and "make train" in str(raised.value)
