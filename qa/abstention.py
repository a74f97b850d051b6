"""Whether the retrieved passages answer the question: a small logistic model over evidence that
generalises across corpora (similarities and shares, not words), calibrated by
`benchmarks/calibrate_abstention.py` on the seed QA set and XQuAD dev (docs/answering.md).

No single signal separates "answered" from "not in these articles": a high similarity can come from
an article on the same topic that lacks the fact asked for, and a low word overlap from a paraphrase.
The evidence combines them; the weights are data (`abstention.json`), refitted by the script.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("abstention.json")


@dataclass(frozen=True)
class Evidence:
    """What the retrieved passages say about answerability; every field is in [0, 1] or a cosine
    (gap)."""

    dense: float  # best sentence's similarity to the question (encoder)
    dense_peak: float  # … above the mean of the ten best-scored sentences': an answer stands out
    agreement: float  # best passage's fused score: 1 when the dense and the word ranking agree on it
    coverage: float  # weighted share of the question's words in the best passage (0 if English)
    sentence_coverage: float  # … in the best sentence (0 if English)
    names_missing: float  # share of the question's names that no retrieved passage mentions
    subject_missing: float  # 1 if the question names something and the best sentence and title do not
    no_span: float  # 1 if a date or number is asked and the best sentences have none
    no_subject_span: float  # … none in a sentence about the question's subject
    no_name_span: float  # 1 if a person or place is asked and no such sentence names one
    english: float  # 1 for a question in English (word overlap then means nothing)

    def vector(self) -> np.ndarray:
        return np.array(astuple(self), dtype=np.float64)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class AbstentionModel:
    weights: np.ndarray
    bias: float
    threshold: float  # answer when P(answerable) ≥ threshold
    means: np.ndarray  # feature means of the calibration data, to explain decisions

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> AbstentionModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = Evidence.names()
        return cls(
            weights=np.array([data["weights"][n] for n in names]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            means=np.array([data["means"][n] for n in names]),
        )

    def probability(self, evidence: Evidence) -> float:
        z = float(self.weights @ evidence.vector()) + self.bias
        return 1.0 / (1.0 + math.exp(-z))

    def decide(self, evidence: Evidence) -> tuple[bool, str]:
        """(abstain, reason): the reason names the evidence that weighed most against answering."""
        p = self.probability(evidence)
        if p >= self.threshold:
            return False, ""
        pull = self.weights * (evidence.vector() - self.means)
        worst = Evidence.names()[int(np.argmin(pull))]
        return True, f"P(answerable)={p:.2f} < {self.threshold:.2f}, mostly {worst}={getattr(evidence, worst):.2f}"


def fit_logistic(
    x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None, l2: float = 1.0, steps: int = 50
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (the data are a few thousand rows of
    a dozen features: no need for a library). Features are standardised for the fit, so that the
    penalty treats a cosine gap and a share alike; the weights returned apply to raw features."""
    n, d = x.shape
    sw = np.ones(n) if sample_weight is None else sample_weight
    center, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    xb = np.hstack([(x - center) / scale, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        gradient = xb.T @ (sw * (p - y)) + reg * w
        hessian = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / scale
    return weights, float(w[-1] - weights @ center)


def save_model(weights: np.ndarray, bias: float, threshold: float, x: np.ndarray, path: Path, notes: dict) -> None:
    names = Evidence.names()
    data = {
        "weights": dict(zip(names, np.round(weights, 4).tolist(), strict=True)),
        "bias": round(bias, 4),
        "threshold": round(threshold, 3),
        "means": dict(zip(names, np.round(x.mean(axis=0), 4).tolist(), strict=True)),
        "calibration": notes,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def rows(evidence: Sequence[Evidence]) -> np.ndarray:
    return np.vstack([e.vector() for e in evidence]) if evidence else np.zeros((0, len(Evidence.names())))
