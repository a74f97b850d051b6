"""Questions whose fact is missing, made from answerable ones: the passages a question reads with every
sentence holding its answer left out.

The commonest question a newsroom archive cannot answer is on a story it covers, asking for a detail
no article gives (a price, an office holder, a year). Such questions are hard to write by hand and
easy to make: take a question the archive does answer and read it without the sentences that hold
the answer. The topic, the names and the neighbouring sentences stay; only the fact is gone, so the
right response is to decline. Retrieval still ranks the passages as it did with the fact in them,
so this measures the answering stage, not the search.

Used by `qa eval --fact-missing` (a second table: how often the product declines then) and by
`make train` (held-out figures for such copies of the benchmarks' answerable questions).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.evaluation.metrics import contains_answer
from qa.evaluation.testset import QARecord
from qa.reader.scoring import SentencesOf
from qa.sentences import leave_out
from qa.types import Passage

KIND = "fact removed"


def holds_answer(answers: Sequence[str]) -> Callable[[str], bool]:
    """Whether a sentence holds one of `answers` (as `qa eval` matches answers: whole words, after
    normalisation): what `Pipeline.trace(omit=…)` leaves out."""
    return lambda text: contains_answer(text, answers)


def without_fact(
    passages: Sequence[Passage], sentences_of: SentencesOf, answers: Sequence[str]
) -> tuple[list[Passage], SentencesOf]:
    """The passages and their sentences with every sentence holding one of `answers` left out (from
    the passage's text too, which the evidence for declining reads)."""
    return leave_out(passages, sentences_of, holds_answer(answers))


def fact_missing_copies(records: Sequence[QARecord]) -> list[QARecord]:
    """A copy of every answerable stand-alone question, to be read without its answer's sentences:
    no answer is right for it (`answers` empty), and `leave_out` holds what to take out. Follow-ups
    are left out: their earlier turns would be answered from the full passages."""
    return [
        replace(r, id=f"{r.id}:fact-missing", answers=(), kind=KIND, leave_out=r.answers)
        for r in records
        if r.answers and not r.history
    ]
