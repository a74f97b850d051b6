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
