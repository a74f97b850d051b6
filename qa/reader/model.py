"""The answerability model: P(the reader's answer is right) from the `Evidence`, a logistic model
whose weights are data (`abstention.json`), fitted by training/train_abstention.py (`make train`)
on the benchmarks in ../shared, the seed QA set and the news development set, split by article
(docs/answering.md).

The threshold is the one operators move (QA_ABSTAIN_THRESHOLD); the trade-off curve is in
docs/figures/threshold_curve.md.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import ModelFileError
from qa.reader.evidence import Evidence

MODEL_FILE = Path(__file__).with_name("abstention.json")


@dataclass(frozen=True)
class AnswerabilityModel:
    weights: np.ndarray = field(repr=False)  # one per Evidence field
    bias: float
    threshold: float  # answer when P(answerable) ≥ threshold
    means: np.ndarray = field(repr=False)  # feature means of the training data, to explain decisions
    provenance: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerabilityModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            names = Evidence.names()
            if sorted(data["weights"]) != sorted(names):
                raise ModelFileError(
                    f"{path} was trained on other evidence ({', '.join(data['weights'])}); retrain it with `make train`"
                )
            return cls(
                weights=np.array([data["weights"][n] for n in names], dtype=np.float64),
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                means=np.array([data["means"][n] for n in names], dtype=np.float64),
                provenance=data.get("provenance", {}),
            )
        except ModelFileError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"cannot read the answerability model {path}: {exc}") from None

    def probability(self, evidence: Evidence) -> float:
        z = float(self.weights @ evidence.vector()) + self.bias
        return 1.0 / (1.0 + math.exp(-z))

    def weakest(self, evidence: Evidence) -> str:
        """The evidence that weighed most against answering, against the training data's average:
        the name of an `Evidence` field."""
        pull = self.weights * (evidence.vector() - self.means)
        return Evidence.names()[int(np.argmin(pull))]

    def reason(self, evidence: Evidence, threshold: float) -> str:
        """Why it declined: the probability, and the evidence that weighed most against answering."""
        worst = self.weakest(evidence)
        p = self.probability(evidence)
        return f"P(answerable)={p:.2f} < {threshold:.2f}, mostly {worst}={getattr(evidence, worst):.2f}"
