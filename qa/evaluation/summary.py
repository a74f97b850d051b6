"""Per-question results → the figures reported, overall and per kind.

Each figure is averaged only over the questions it is defined for (retrieval and answer figures over
answerable questions, citation accuracy over answers given, abstention over all), so a kind with no
such question shows "n/a" rather than a misleading 0.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from qa.evaluation import metrics
from qa.evaluation.fact_missing import KIND
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


# The thresholds of `threshold_curve`, around where the shipped one lies (docs/answering.md).
CURVE_THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(9))


def threshold_curve(
    results: Sequence[QuestionResult], thresholds: Sequence[float] = CURVE_THRESHOLDS
) -> dict[str, list[float | None]]:
    """What `QA_ABSTAIN_THRESHOLD` trades, read off each question's P(answerable): for every
    threshold, the share of answerable questions answered with the gold (`answered & holds`), the
    share of questions that should be declined that are (`declined`), and, when the results hold
    fact-removed copies (`qa eval --fact-missing`), the share of those declined. A question nothing
    was read for is declined at every threshold. Columns of a kind without questions are left out."""
    def declined(r: QuestionResult, t: float) -> bool:
        return r.probability is None or r.probability < t

    answerable = [r for r in results if not r.record.should_abstain]
    unanswerable = [r for r in results if r.record.should_abstain and r.record.kind != KIND]
    removed = [r for r in results if r.record.kind == KIND]
    curve: dict[str, list[float | None]] = {"threshold": list(thresholds)}
    if answerable:
        curve["answered & holds"] = [_rate(not declined(r, t) and bool(r.composed_contains) for r in answerable)
                                     for t in thresholds]
    if unanswerable:
        curve["declined"] = [_rate(declined(r, t) for r in unanswerable) for t in thresholds]
    if removed:
        curve["fact removed: declined"] = [_rate(declined(r, t) for r in removed) for t in thresholds]
    return curve
