"""The answerability model: P(the reader's answer is right) from the `Evidence`, a logistic model
whose weights are data (`abstention.json`), fitted by training/train_abstention.py (`make train`)
on the benchmarks in ../shared, the seed QA set and the news development set, split by article
(docs/answering.md). A second stage, when the file has one (`reading`), reads what the learned
sentence ranker read of the best sentence (`Evidence.reading`, its pooled states): a linear
correction of the first stage's logit, fitted over it on native news (docs/answering.md, session 34).

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
    reading: np.ndarray | None = field(default=None, repr=False)  # weights over `Evidence.reading`
    reading_bias: float = 0.0

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
                **cls._reading(data.get("reading")),
            )
        except ModelFileError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"cannot read the answerability model {path}: {exc}") from None

    @staticmethod
    def _reading(data: dict[str, Any] | None) -> dict[str, Any]:
        if data is None:
            return {}
        weights = np.array(data["weights"], dtype=np.float64)
        if weights.ndim != 1 or not len(weights):
            raise ValueError("its reading weights are not a list of numbers")
        return {"reading": weights, "reading_bias": float(data["bias"])}

    def read(self, evidence: Evidence) -> float:
        """What the second stage adds to the logit (0 without one, or when the ranker read nothing)."""
        if self.reading is None or evidence.reading is None:
            return 0.0
        return float(self.reading @ evidence.reading) + self.reading_bias

    def probability(self, evidence: Evidence) -> float:
        z = float(self.weights @ evidence.vector()) + self.bias + self.read(evidence)
        return 1.0 / (1.0 + math.exp(-z))

    def weakest(self, evidence: Evidence) -> str:
        """The evidence that weighed most against answering, against the training data's average:
        the name of an `Evidence` field."""
        pull = self.weights * (evidence.vector() - self.means)
        return Evidence.names()[int(np.argmin(pull))]

    def reason(self, evidence: Evidence, threshold: float) -> str:
        """Why it declined: the probability, the evidence that weighed most against answering, and
        what the ranker's reading added to the logit."""
        worst = self.weakest(evidence)
        p = self.probability(evidence)
        read = self.reading is not None and evidence.reading is not None
        said = f", reading {self.read(evidence):+.2f}" if read else ""
        return f"P(answerable)={p:.2f} < {threshold:.2f}, mostly {worst}={getattr(evidence, worst):.2f}{said}"
