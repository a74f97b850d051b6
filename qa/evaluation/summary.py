"""Per-question results → the figures reported, overall and per kind.

Each figure is averaged only over the questions it is defined for (retrieval and answer figures over
answerable questions, citation accuracy over answers given, abstention over all), so a kind with no
such question shows "n/a" rather than a misleading 0.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from qa.evaluation import metrics
from qa.evaluation.runner import QuestionResult

OVERALL = "all"


@dataclass(frozen=True)
class Figures:
    questions: int
    answerable: int
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    mrr_at_10: float | None
    containment: float | None
    exact_match: float | None
    f1: float | None
    citation_accuracy: float | None
    abstention_precision: float | None
    abstention_recall: float | None
    answered_rate: float | None
    correct: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    median_answer_chars: float | None

    def to_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def _rate(flags: Iterable[bool]) -> float | None:
    return metrics.mean(float(flag) for flag in flags)


def summarize(results: Sequence[QuestionResult]) -> Figures:
    answerable = [r for r in results if not r.record.should_abstain]
    ranks = [r.gold_rank for r in answerable]
    latencies_ms = [r.latency_s * 1000 for r in results]
    precision, recall = metrics.abstention_precision_recall(
        (r.record.should_abstain, r.abstained) for r in results
    )
    return Figures(
        questions=len(results),
        answerable=len(answerable),
        hit_at_1=_rate(metrics.hit_at_k(rank, 1) for rank in ranks),
        hit_at_3=_rate(metrics.hit_at_k(rank, 3) for rank in ranks),
        hit_at_5=_rate(metrics.hit_at_k(rank, 5) for rank in ranks),
        mrr_at_10=metrics.mean(metrics.reciprocal_rank(rank, 10) for rank in ranks),
        containment=_rate(bool(r.contained) for r in answerable),
        exact_match=_rate(r.exact_match for r in answerable if r.exact_match is not None),
        f1=metrics.mean(r.f1 for r in answerable if r.f1 is not None),
        citation_accuracy=_rate(r.cited_gold for r in results if r.cited_gold is not None),
        abstention_precision=precision,
        abstention_recall=recall,
        answered_rate=_rate(not r.abstained for r in answerable),
        correct=_rate(r.correct for r in results),
        latency_p50_ms=metrics.percentile(latencies_ms, 50),
        latency_p95_ms=metrics.percentile(latencies_ms, 95),
        median_answer_chars=metrics.percentile((len(r.answer_text) for r in results if not r.abstained), 50),
    )


def summarize_by_kind(results: Sequence[QuestionResult]) -> dict[str, Figures]:
    """`{"all": …, kind: …}`, kinds in the order they first appear in the test set."""
    kinds = dict.fromkeys(r.record.kind for r in results)
    return {
        OVERALL: summarize(results),
        **{kind: summarize([r for r in results if r.record.kind == kind]) for kind in kinds},
    }
