"""Ask every test question through the real pipeline and record what came back.

The runner only observes (answer text, short answer, abstention, citations, the article ranking,
latency); the per-question scores are derived from those observations by `metrics`, so a result can
be re-scored without asking again.
"""
from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tqdm import tqdm

from qa import answering
from qa.api import History, Trace
from qa.errors import InvalidQuestion
from qa.evaluation import fact_missing, metrics
from qa.evaluation.testset import QARecord
from qa.types import Passage

log = logging.getLogger(__name__)

# Retrieval is ranked over this many passages, enough for hit@5 and MRR@10 at the article level.
RANKING_DEPTH = 10


class QAPipeline(Protocol):
    """What the runner needs from `qa.api.Pipeline`."""

    def trace(
        self,
        question: str,
        history: History | None = None,
        *,
        k: int | None = None,
        passages: Sequence[Passage] | None = None,
        omit: Callable[[str], bool] | None = None,
    ) -> Trace: ...

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]: ...


@dataclass(frozen=True)
class QuestionResult:
    """What the system did with one test question, and how that scores against the gold."""

    record: QARecord
    searched: str
    answer_text: str
    short_answer: str | None
    abstained: bool
    cited_articles: tuple[str, ...]
    ranked_articles: tuple[str, ...]
    latency_s: float
    # The answerability model's P(answerable) (None when nothing was read), and whether the answer
    # the reader composed holds a gold answer, given or declined: with them the verdict at any other
    # threshold is known without asking again (`summary.threshold_curve`).
    probability: float | None = None
    composed_contains: bool | None = None

    @property
    def gold_rank(self) -> int | None:
        """Rank of the first gold article among the retrieved articles (None: not retrieved)."""
        return metrics.gold_rank(self.ranked_articles, self.record.articles)

    @property
    def contained(self) -> bool | None:
        """Whether the answer text holds a gold answer; None for questions that should be declined."""
        if self.record.should_abstain:
            return None
        return metrics.contains_answer(self.answer_text, self.record.answers)

    @property
    def short_golds(self) -> tuple[str, ...]:
        return tuple(g for g in self.record.answers if metrics.is_short_answer(g))

    @property
    def predicted_short(self) -> str:
        """The short answer when the system gives one, else the whole answer is what the user got."""
        return self.short_answer or self.answer_text

    @property
    def exact_match(self) -> bool | None:
        """None when no gold answer is short enough for exact match to be meaningful."""
        golds = self.short_golds
        return metrics.exact_match(self.predicted_short, golds) if golds else None

    @property
    def f1(self) -> float | None:
        golds = self.short_golds
        return metrics.token_f1(self.predicted_short, golds) if golds else None

    @property
    def cited_gold(self) -> bool | None:
        """Whether a gold article is cited; None when the system declined or there is no gold article."""
        if self.abstained or not self.record.articles:
            return None
        return bool(set(self.cited_articles) & set(self.record.articles))

    @property
    def correct(self) -> bool:
        """The one-word verdict used to list failures: declined when it should, else answer found."""
        if self.record.should_abstain:
            return self.abstained
        return not self.abstained and bool(self.contained)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.record.to_dict(),
            "searched": self.searched,
            "answer_text": self.answer_text,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "cited_articles": list(self.cited_articles),
            "ranked_articles": list(self.ranked_articles),
            "latency_s": round(self.latency_s, 4),
            "probability": None if self.probability is None else round(self.probability, 4),
            "composed_contains": self.composed_contains,
            "gold_rank": self.gold_rank,
            "contained": self.contained,
            "exact_match": self.exact_match,
            "f1": self.f1,
            "cited_gold": self.cited_gold,
            "correct": self.correct,
        }


def run_question(pipeline: QAPipeline, record: QARecord, k: int) -> QuestionResult:
    """Ask the conversation's earlier questions first (untimed), then time the question itself. A
    question the product refuses (overlong, wordless: `InvalidQuestion`) is recorded as the user
    would see it, the refusal in Vietnamese and no answer, and logged; the run goes on."""
    try:
        return _asked(pipeline, record, k)
    except InvalidQuestion as exc:
        log.warning("question %s refused: %s", record.id, exc)
        return QuestionResult(
            record=record, searched="", answer_text=exc.vi, short_answer=None, abstained=True,
            cited_articles=(), ranked_articles=(), latency_s=0.0,
            composed_contains=None if record.should_abstain else False,
        )


def _asked(pipeline: QAPipeline, record: QARecord, k: int) -> QuestionResult:
    history: list[tuple[str, str]] = []
    for earlier in record.history:
        history.append((earlier, pipeline.trace(earlier, history, k=k).answer.text))
    start = time.perf_counter()
    omit = fact_missing.holds_answer(record.leave_out) if record.leave_out else None
    trace = pipeline.trace(record.question, history or None, k=k, omit=omit)
    latency = time.perf_counter() - start
    answer = trace.answer
    # Rank what was searched (a follow-up is rewritten into a standalone question), so that the
    # retrieval figures describe the retrieval behind the answer, not a query nobody ran.
    searched = trace.query
    passages = pipeline.retrieve(searched, RANKING_DEPTH)
    decision = trace.decision
    composed = answering.from_extract(trace.question, decision.composed, trace.passages).text
    return QuestionResult(
        record=record,
        searched=searched,
        answer_text=answer.text,
        short_answer=answer.short_answer,
        abstained=answer.abstained,
        cited_articles=tuple(c.article_id for c in answer.citations),
        ranked_articles=tuple(metrics.rank_articles(p.article_id for p in passages)),
        latency_s=latency,
        probability=None if decision.evidence is None else decision.probability,
        composed_contains=None if record.should_abstain else metrics.contains_answer(composed, record.answers),
    )


def run_testset(pipeline: QAPipeline, records: Sequence[QARecord], k: int) -> list[QuestionResult]:
    """Results in test-set order. One untimed question first loads (or builds) the index, the encoder
    and the answerer, so that start-up cost is not charged to the first question's latency. Progress
    is shown on a terminal only (tqdm's `disable=None`), keeping logs and CI output clean."""
    if not records:
        return []
    with contextlib.suppress(InvalidQuestion):  # recorded when it is asked
        pipeline.trace(records[0].question, k=k)
    return [run_question(pipeline, record, k) for record in tqdm(records, desc="eval", unit="q", disable=None)]
