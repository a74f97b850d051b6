"""Combining the dense and the lexical ranking into one.

Both functions read each ranking only down to its `depth` (what the searches return), so they cost
the same on 100 passages or 1 million. On XQuAD-vi, relative score fusion beat reciprocal-rank
fusion (docs/retrieval.md): a cosine of 0.86 against 0.80 says more than "rank 1 against rank 2",
and min-max scaling within each list makes the two kinds of score comparable without calibration.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RRF_K = 60  # the constant of Cormack et al. (2009)

Ranking = tuple[np.ndarray, np.ndarray]  # (rows best first, their scores)


def relative_score_fusion(rankings: Sequence[Ranking], size: int, weights: Sequence[float]) -> np.ndarray:
    """(size,) fused scores: each ranking's scores min-max scaled to [0, 1] within the ranking, times
    its weight, summed; a row absent from a ranking gets 0 from it (as if it were that list's worst)."""
    fused = np.zeros(size, dtype=np.float64)
    for (rows, scores), weight in zip(rankings, weights, strict=True):
        if len(rows) == 0:
            continue
        low, high = float(scores.min()), float(scores.max())
        fused[rows] += weight * ((scores - low) / (high - low) if high > low else np.ones(len(rows)))
    return fused


def reciprocal_rank_fusion(
    rankings: Sequence[Ranking], size: int, weights: Sequence[float], k: int = RRF_K
) -> np.ndarray:
    """(size,) fused scores: sum of weight / (k + rank), rank 1 = best; scores are ignored."""
    fused = np.zeros(size, dtype=np.float64)
    for (rows, _), weight in zip(rankings, weights, strict=True):
        fused[rows] += weight / (k + np.arange(1, len(rows) + 1))
    return fused


def top_rows(scores: np.ndarray, depth: int, floor: float = 0.0) -> np.ndarray:
    """Rows of the `depth` highest scores above `floor`, best first (a BM25 score of 0 is no match)."""
    candidates = np.flatnonzero(scores > floor)
    if len(candidates) > depth:
        candidates = candidates[np.argpartition(-scores[candidates], depth - 1)[:depth]]
    return candidates[np.argsort(-scores[candidates], kind="stable")]
