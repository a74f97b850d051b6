"""Evaluation metrics as pure functions over plain values, so each one is unit-tested on hand-made cases.

Answer matching works on `normalize_answer` forms: `qa.text.normalize` (NFC, new-style tone placement,
so `Tỉnh uỷ` equals `Tỉnh ủy` and composed equals decomposed), then case folding, then every run of
punctuation or white space becomes one space (`2025–2028`, `2025 - 2028` and `2025-2028` all become
`2025 2028`). Diacritics are kept: `Lào` and `lao`, `Hà Nội` and `Hạ Nội` are different words, and
folding them would count wrong answers as right. Containment is whole-word: the gold must start and
end on word boundaries, so `2011` is not found inside `20112`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from qa.text import normalize

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)

SHORT_ANSWER_MAX_WORDS = 5


def normalize_answer(text: str) -> str:
    """Canonical form for comparing answers: normalised Vietnamese, case-folded, punctuation-free."""
    return _NOT_WORD.sub(" ", normalize(text).casefold()).strip()


def answer_tokens(text: str) -> list[str]:
    return normalize_answer(text).split()


def contains_answer(text: str, golds: Iterable[str]) -> bool:
    """True when any gold answer occurs in `text` as whole words, after normalisation."""
    haystack = f" {normalize_answer(text)} "
    return any(f" {gold} " in haystack for gold in map(normalize_answer, golds) if gold)


def exact_match(prediction: str, golds: Iterable[str]) -> bool:
    """True when the prediction equals some gold answer after normalisation."""
    predicted = normalize_answer(prediction)
    return any(predicted == normalize_answer(gold) for gold in golds)


def token_f1(prediction: str, golds: Iterable[str]) -> float:
    """SQuAD-style F1 over normalised words (bag of words), the best over the gold answers."""
    predicted = answer_tokens(prediction)
    best = 0.0
    for gold in golds:
        expected = answer_tokens(gold)
        common = sum((Counter(predicted) & Counter(expected)).values())
        if common:
            precision, recall = common / len(predicted), common / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def is_short_answer(gold: str, max_words: int = SHORT_ANSWER_MAX_WORDS) -> bool:
    """Exact match and F1 only mean something for short spans (a year, a name, a number)."""
    return 0 < len(answer_tokens(gold)) <= max_words


def rank_articles(article_ids: Iterable[str]) -> list[str]:
    """Articles in the order their first passage was retrieved (one article can own many passages)."""
    return list(dict.fromkeys(article_ids))


def gold_rank(ranking: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold article in `ranking`; any one of several gold articles counts."""
    wanted = set(gold)
    return next((position for position, article in enumerate(ranking, 1) if article in wanted), None)


def hit_at_k(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, cutoff: int = 10) -> float:
    """1/rank within the cutoff, else 0: the per-question term of MRR@cutoff."""
    return 1.0 / rank if rank is not None and rank <= cutoff else 0.0


def abstention_precision_recall(
    outcomes: Iterable[tuple[bool, bool]],
) -> tuple[float | None, float | None]:
    """Precision and recall of declining, from (should_abstain, did_abstain) pairs.

    The positive class is "should abstain". Precision is None when the system never abstained and
    recall is None when no question should have been declined: a ratio with nothing under it is
    undefined, and reporting 0 or 1 instead would read as a result.
    """
    true_pos = false_pos = false_neg = 0
    for should, did in outcomes:
        true_pos += should and did
        false_pos += did and not should
        false_neg += should and not did
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else None
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else None
    return precision, recall


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return math.fsum(values) / len(values) if values else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0–100), linear between order statistics (numpy's default); None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
