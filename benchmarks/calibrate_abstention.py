"""Fit the abstention model (qa/abstention.json) on the seed QA set and XQuAD dev.

The model predicts whether the extractive answer would be right. Its examples are the evidence the
answerer gathers for a question and its retrieved passages:
- every answerable question, labelled 1 when the (not declined) answer contains a gold answer, else 0;
- the seed set's unanswerable and boilerplate-trap questions, labelled 0;
- "article missing": every answerable question again, with the passages retrieval gives once its
  gold article(s) are removed, labelled 0 — a question whose answer is not in the archive, on the
  archive's own topics. XQuAD has no unanswerable questions; these supply them.
Seed and XQuAD examples weigh the same in total; within the seed set, its real unanswerable
questions weigh as much as all its synthetic ones.

The threshold is the lowest one that declines the most of the seed set's unanswerable questions
while still answering ≥ 92% of its answerable ones and keeping XQuAD's answer containment ≥ 0.85
(declining a question whose answer would have contained the gold answer costs containment;
declining one whose answer was wrong costs nothing); the lowest, so as not to decline more than
that takes. Two-fold cross-validation, split by question, reports the same figures on held-out
questions.

    python benchmarks/calibrate_abstention.py [--write] [--examples cache.npz]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qa import answering  # noqa: E402
from qa.abstention import WEIGHTS_FILE, Evidence  # noqa: E402
from qa.api import Pipeline  # noqa: E402
from qa.evaluation.metrics import contains_answer  # noqa: E402
from qa.evaluation.squad import load_squad, write_corpus  # noqa: E402
from qa.evaluation.testset import QARecord, load_testset  # noqa: E402
from qa.settings import Settings  # noqa: E402

XQUAD = REPO.parent / "shared" / "benchmarks" / "xquad-vi" / "dev.json"
SEED_SET = REPO / "testsets" / "seed_qa.jsonl"

MIN_SEED_ANSWERED = 0.92
MIN_XQUAD_CONTAINMENT = 0.85


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



@dataclasses.dataclass
class Examples:
    """Evidence rows and what is known of each: the arrays line up."""

    x: np.ndarray
    answerable: np.ndarray  # the question has a gold answer
    contained: np.ndarray  # … and the undeclined answer contains it
    synthetic: np.ndarray  # gold article removed from the passages
    seed: np.ndarray  # from the seed set (else XQuAD)
    half: np.ndarray  # 0/1 by a stable hash of the question id, for cross-validation

    @property
    def label(self) -> np.ndarray:
        return (self.answerable & self.contained & ~self.synthetic).astype(float)

    def save(self, path: Path) -> None:
        np.savez(path, **dataclasses.asdict(self))

    @classmethod
    def load(cls, path: Path) -> Examples:
        with np.load(path) as data:
            return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls)})


def collect(pipeline: Pipeline, records: list[QARecord], k: int, seed: bool) -> list[tuple]:
    """One (evidence, answerable, contained, synthetic, seed, half) row per record, plus a synthetic
    "article missing" row per answerable record: the same question read from the passages retrieval
    gives once its gold article(s) are removed. Each row is `Pipeline.trace`'s evidence; "contained"
    is judged on the answer it composed, before the abstention model's verdict."""
    out = []
    for record in records:
        history: list[tuple[str, str]] = []
        for earlier in record.history:
            history.append((earlier, pipeline.trace(earlier, history).answer.text))
        trace = pipeline.trace(record.question, history, k=k)
        traces = [(trace, False)]
        if record.answers:
            candidates = pipeline.retrieve(trace.query, k + 30)
            others = [p for p in candidates if p.article_id not in record.articles][:k]
            traces.append((pipeline.trace(record.question, history, passages=others), True))
        half = zlib.crc32(record.id.encode()) % 2
        for t, synthetic in traces:
            if t.decision.evidence is None:  # nothing retrieved: no evidence to learn from
                continue
            answer = answering.from_extract(t.query, t.decision.composed, t.passages)  # as given if not declined
            contained = bool(record.answers) and contains_answer(answer.text, record.answers)
            out.append((t.decision.evidence, bool(record.answers), contained, synthetic, seed, half))
    return out


def build(seed_rows: list[tuple], xquad_rows: list[tuple]) -> Examples:
    both = seed_rows + xquad_rows
    column = lambda i: np.array([r[i] for r in both], dtype=bool)  # noqa: E731
    return Examples(
        x=rows([r[0] for r in both]),
        answerable=column(1),
        contained=column(2),
        synthetic=column(3),
        seed=column(4),
        half=np.array([r[5] for r in both]),
    )


def figures(ex: Examples, p: np.ndarray, mask: np.ndarray, threshold: float) -> dict[str, float]:
    """The product's figures at this threshold, over the examples in `mask`."""
    answered = p >= threshold
    real = mask & ~ex.synthetic
    out: dict[str, float] = {}
    for name, source in (("seed", ex.seed), ("xquad", ~ex.seed)):
        answerable = real & source & ex.answerable
        unanswerable = real & source & ~ex.answerable
        synthetic = mask & source & ex.synthetic
        if answerable.any():
            out[f"{name}_answered"] = answered[answerable].mean()
            out[f"{name}_containment"] = (answered & ex.contained)[answerable].mean()
        if unanswerable.any():
            out[f"{name}_unanswerable_declined"] = (~answered[unanswerable]).mean()
        if synthetic.any():
            out[f"{name}_article_removed_declined"] = (~answered[synthetic]).mean()
    return {k: round(float(v), 3) for k, v in out.items()}


def choose_threshold(ex: Examples, p: np.ndarray, mask: np.ndarray) -> float:
    """The lowest threshold that declines the most unanswerable questions within the answer-rate
    and containment floors (see module doc)."""
    best, most_declined = 0.0, -1.0
    for t in np.linspace(0.0, 0.95, 191):
        f = figures(ex, p, mask, t)
        if f.get("seed_answered", 1) < MIN_SEED_ANSWERED or f.get("xquad_containment", 1) < MIN_XQUAD_CONTAINMENT:
            continue
        declined = f.get("seed_unanswerable_declined", f.get("xquad_article_removed_declined", 0.0))
        if declined > most_declined:
            best, most_declined = float(t), declined
    return best


def sample_weights(ex: Examples) -> np.ndarray:
    w = np.ones(len(ex.label))
    if ex.seed.any() and (~ex.seed).any():
        w[ex.seed] = (~ex.seed).sum() / ex.seed.sum()
    real_negative = ex.seed & ~ex.answerable
    synthetic = ex.seed & ex.synthetic
    if real_negative.any() and synthetic.any():
        w[real_negative] *= synthetic.sum() / real_negative.sum()
    return w


def probabilities(ex: Examples, weights: np.ndarray, bias: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(ex.x @ weights + bias)))


def gather(settings: Settings) -> Examples:
    k = settings.retrieval.top_k
    seed_pipeline = Pipeline(settings)
    seed_pipeline.prepare(progress=True)
    seed_rows = collect(seed_pipeline, load_testset(SEED_SET), k, seed=True)
    xquad_rows: list[tuple] = []
    if XQUAD.exists():
        benchmark = load_squad(XQUAD)
        corpus = write_corpus(benchmark.articles, settings.index.dir)
        squad_pipeline = Pipeline(settings.override(corpus_dir=corpus), encoder=seed_pipeline.encoder)
        squad_pipeline.prepare(progress=True)
        xquad_rows = collect(squad_pipeline, benchmark.records, k, seed=False)
    else:
        print(f"note: {XQUAD} not found; calibrating on the seed set alone")
    return build(seed_rows, xquad_rows)


def print_table(ex: Examples, p: np.ndarray, chosen: float) -> None:
    """The trade-off at a few thresholds around the chosen one, as docs/answering.md shows it."""
    columns = [
        ("seed: answerable answered", "seed_answered"),
        ("seed: unanswerable declined", "seed_unanswerable_declined"),
        ("XQuAD: answered", "xquad_answered"),
        ("XQuAD: containment", "xquad_containment"),
        ("XQuAD: article removed, declined", "xquad_article_removed_declined"),
    ]
    print("| threshold | " + " | ".join(c for c, _ in columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    everything = np.ones(len(p), dtype=bool)
    for t in sorted({0.0, round(chosen, 3), 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4}):
        f = figures(ex, p, everything, t)
        label = f"**{t:.3f} (default)**" if t == round(chosen, 3) else f"{t:.2f}"
        print(f"| {label} | " + " | ".join(f"{f.get(key, float('nan')):.3f}" for _, key in columns) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the fitted model to {WEIGHTS_FILE}")
    parser.add_argument(
        "--examples", type=Path, help="cache of the evidence rows (.npz): read if present, else written"
    )
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the logistic fit")
    parser.add_argument("--table", action="store_true", help="print the trade-off at other thresholds (markdown)")
    parser.add_argument(
        "--without", nargs="+", default=[], choices=Evidence.names(), metavar="FEATURE",
        help="leave these evidence features out (to measure what they bring)",
    )
    args = parser.parse_args()

    if args.examples and args.examples.exists():
        ex = Examples.load(args.examples)
    else:
        ex = gather(Settings.load())
        if args.examples:
            ex.save(args.examples)
    for name in args.without:
        ex.x[:, Evidence.names().index(name)] = 0.0  # a constant column: its fitted weight is 0
    w = sample_weights(ex)
    print(f"examples: {ex.seed.sum()} seed, {(~ex.seed).sum()} XQuAD")
    if (~ex.seed).any():
        print("transfer (fitted on XQuAD alone, threshold by XQuAD containment alone):")
        weights, bias = fit_logistic(ex.x[~ex.seed], ex.label[~ex.seed], w[~ex.seed], l2=args.l2)
        p = probabilities(ex, weights, bias)
        t = choose_threshold(ex, p, ~ex.seed)
        print(f"  threshold {t:.3f}, on the seed set:", figures(ex, p, ex.seed, t))

    print("two-fold cross-validation (fitted on one half of the questions, figures on the other):")
    for half in (0, 1):
        train = ex.half != half
        weights, bias = fit_logistic(ex.x[train], ex.label[train], w[train], l2=args.l2)
        p = probabilities(ex, weights, bias)
        t = choose_threshold(ex, p, train)
        print(f"  half {half}: threshold {t:.3f}", figures(ex, p, ~train, t))

    everything = np.ones(len(ex.label), dtype=bool)
    weights, bias = fit_logistic(ex.x, ex.label, w, l2=args.l2)
    p = probabilities(ex, weights, bias)
    threshold = choose_threshold(ex, p, everything)
    result = figures(ex, p, everything, threshold)
    fitted = ", ".join(f"{n}={v:+.2f}" for n, v in zip(Evidence.names(), weights, strict=True))
    print("fitted on all:", fitted, f"bias={bias:+.2f}")
    print(f"threshold {threshold:.3f}:", result)
    if args.table:
        print_table(ex, p, threshold)
    if args.write:
        notes = {
            "rule": "lowest threshold declining the most seed unanswerable questions with seed answered "
            f">= {MIN_SEED_ANSWERED} and XQuAD containment >= {MIN_XQUAD_CONTAINMENT}",
            "examples": len(ex.label),
            **result,
        }
        save_model(weights, bias, threshold, ex.x, WEIGHTS_FILE, notes)
        print(f"written to {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
