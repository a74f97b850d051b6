"""The fact-missing copies (qa.evaluation.fact_missing) on made-up passages: every sentence holding an
answer is left out of what is read, and nothing else."""
from __future__ import annotations

from types import SimpleNamespace

from qa.evaluation.fact_missing import KIND, fact_missing_copies, without_fact
from qa.evaluation.testset import QARecord
from qa.types import Passage

FIRST = ["Cầu Mới khánh thành năm 2021.", "Cầu dài 800 m.", "Lễ khánh thành có nhiều khách."]
SECOND = ["Cầu cũ được xây năm 1975.", "Cầu cũ dài 300 m."]


def passage(chunk_id: str, sentences: list[str]) -> Passage:
    return Passage(chunk_id, chunk_id, f"Bài {chunk_id}", None, None, " ".join(sentences), 1.0)


def sentences_of(chunk_id: str) -> list[SimpleNamespace]:
    texts = {"a": FIRST, "b": SECOND}[chunk_id]
    return [SimpleNamespace(text=t, start=i) for i, t in enumerate(texts)]


def test_sentences_holding_the_answer_are_left_out_of_the_sentences_and_the_text():
    read, kept = without_fact([passage("a", FIRST), passage("b", SECOND)], sentences_of, ["800 m"])

    assert [s.text for s in kept("a")] == [FIRST[0], FIRST[2]]
    assert [s.text for s in kept("b")] == SECOND  # "300 m" is not "800 m"
    assert "800 m" not in read[0].text and FIRST[0] in read[0].text and FIRST[2] in read[0].text
    assert read[1].text == " ".join(SECOND)
    assert [p.chunk_id for p in read] == ["a", "b"]  # the ranking is kept


def test_answers_are_matched_as_whole_words_after_normalisation():
    _, kept = without_fact([passage("a", FIRST), passage("b", SECOND)], sentences_of, ["năm 2021", "1975"])

    assert [s.text for s in kept("a")] == FIRST[1:]
    assert [s.text for s in kept("b")] == [SECOND[1]]
    _, kept = without_fact([passage("a", FIRST)], sentences_of, ["202"])  # not inside 2021
    assert len(kept("a")) == 3


def test_copies_of_answerable_stand_alone_questions_must_be_declined():
    records = [
        QARecord("q1", "Cầu Mới dài bao nhiêu?", ("800 m",), ("a",), "factoid"),
        QARecord("q2", "Cầu tên gì?", (), (), "unanswerable"),
        QARecord("q3", "Còn cầu cũ thì sao?", ("300 m",), ("b",), "follow-up", history=("Cầu Mới dài bao nhiêu?",)),
    ]

    copies = fact_missing_copies(records)

    assert len(copies) == 1
    (copy,) = copies
    assert copy.should_abstain and copy.leave_out == ("800 m",) and copy.kind == KIND
    assert copy.question == records[0].question and copy.id != records[0].id
