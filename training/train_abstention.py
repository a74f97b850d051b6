"""Train the answerability model (qa/reader/abstention.json) and print its figures on the held-out
half of the articles.

    python -m training.train_abstention [--write] [--examples FILE.npz] [--reading-only]   (make train: --write)

1. Each benchmark (training/data.py) becomes a corpus indexed by the product's own pipeline. Every
   question is retrieved and read as in production: the reader composes the answer it would give and
   gathers the `Evidence` about it. The label is 1 when that answer holds a gold answer, else 0
   (so an unanswerable question, or an answer that misses, is a 0).
   Extra examples: for XQuAD's and the seed set's answerable questions, the passages left once
   their document is removed ("article missing": the archive's topic without the answer, the
   commonest unanswerable question in a newsroom); and for every answerable question, its passages
   without the sentences holding the answer ("fact missing", qa.evaluation.fact_missing), which are
   only measured: fitting on them was tried and gained nothing on the held-out half. And every
   question with diacritics is asked a second time typed without them (":unaccented"), so that the
   model learns what such a question's evidence looks like (its cosines run lower): they set the
   weight of the `unaccented` field alone.
2. A logistic regression over the evidence, on the training half. Every source (benchmark, or its
   article-missing copies) weighs the same in total, and right and wrong answers weigh half each.
3. The threshold: the highest at which the training half still gives at least `MIN_KEPT` of the
   right answers of every benchmark with answerable questions. Declining a right answer costs the
   user; declining a wrong one costs nothing. docs/figures/threshold_curve.md has the whole curve.
4. The second stage: a logistic correction of that logit from what the sentence ranker read of the
   best sentence (`Evidence.reading`, its pooled states), fitted on the news development set's
   training half alone (`READING_SOURCE`), the first stage's logit held as an offset.
   `--reading-only` keeps the file's first stage and threshold and fits this stage alone.
Figures are then measured on the held-out half, which the model never saw, for the first stage
alone and with the second, the checks before the model applied as in the product (`Reader.ruled_out`:
an answer they decline counts as declined). The model is fitted on every example, those included:
fitting without them was measured and gained nothing (docs/answering.md, session 51).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa import answering  # noqa: E402
from qa.api import Pipeline  # noqa: E402
from qa.errors import InvalidQuestion  # noqa: E402
from qa.evaluation.fact_missing import without_fact  # noqa: E402
from qa.evaluation.metrics import contains_answer  # noqa: E402
from qa.evaluation.squad import write_corpus  # noqa: E402
from qa.question import QuestionAnalysis  # noqa: E402
from qa.reader.evidence import Evidence  # noqa: E402
from qa.reader.model import MODEL_FILE, AnswerabilityModel  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.text import has_diacritics, strip_diacritics  # noqa: E402
from training.data import Benchmark, benchmarks  # noqa: E402
from training.logistic import auc, fit_logistic  # noqa: E402

# On standardised features, with the sample weights summing to 1: at 1 (until session 23) every weight
# shrank to about a tenth; 0.01 separates right answers better on every held-out half (docs/answering.md).
L2 = 0.01
MIN_KEPT = 0.95
# The second stage (what the ranker read of the best sentence) is fitted on native news alone, over
# the first stage's logit: fitted on every source too, it declined fewer of the news questions the
# articles do not answer (docs/answering.md, session 34). Its penalty: the news held-out half's
# near-miss questions declined are flat from 0.1 to 1 (0.318 / 0.325 / 0.308 at 95 % right kept).
READING_SOURCE = "news-dev"
READING_L2 = 0.3
FACT_MISSING = ":fact-missing"  # measured on the held-out half, not fitted (docs/answering.md says why)
UNACCENTED = ":unaccented"  # the question typed without diacritics: fitted, so that P does not drop with them


@dataclass
class Examples:
    x: np.ndarray  # (questions, Evidence fields)
    reading: np.ndarray  # (questions, the ranker's hidden size): `Evidence.reading`, NaN where none
    y: np.ndarray  # 1 = the answer the reader would give holds a gold answer
    answerable: np.ndarray  # bool: the question has a gold answer (in the passages read, or not)
    source: np.ndarray  # benchmark name, + ":missing" for the article-missing copies
    held_out: np.ndarray  # bool
    ruled: np.ndarray  # bool: a check before the model declines the answer, whatever P (`Reader.ruled_out`)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, **self.__dict__)

    @classmethod
    def load(cls, path: Path) -> Examples:
        """The examples cached by `save`; a file of other fields (cached by an older version of this
        script) is a clear stop, not a traceback: delete it to gather again."""
        with np.load(path, allow_pickle=False) as data:
            if set(data.files) != set(cls.__dataclass_fields__):
                raise SystemExit(f"{path} holds other fields than today's examples: delete it to gather them again")
            return cls(**{k: data[k] for k in data.files})


Row = tuple[np.ndarray, np.ndarray | None, float, bool, str, bool, bool]


def collect(benchmark: Benchmark, settings: Settings) -> list[Row]:
    corpus = benchmark.corpus_dir or write_corpus(benchmark.articles, settings.index.dir)
    pipeline = Pipeline(settings.override(corpus_dir=corpus))
    pipeline.prepare(progress=True)
    reader = pipeline.reader  # scores and composes; its model is never read
    k = settings.retrieval.top_k
    # what an article-missing copy removes: the question's document (all its paragraphs, for SQuAD)
    document_of = {a.id: (a.id if benchmark.corpus_dir else a.title) for a in pipeline.index.articles}
    out = []
    for n, q in enumerate(benchmark.questions):
        if n % 500 == 0:
            print(f"  {benchmark.name}: {n}/{len(benchmark.questions)} questions", flush=True)
        try:
            text = pipeline.clean(q.text)
        except InvalidQuestion as exc:  # a question the product would refuse is not an example
            print(f"  skipped {q.id}: {exc}")
            continue
        as_written = QuestionAnalysis.of(text)
        forms = [(text, "")]
        if not as_written.english and has_diacritics(text):
            forms.append((strip_diacritics(text), UNACCENTED))  # as typed on a keyboard without them
        for asked, form in forms:
            passages = pipeline.retrieve(asked, k + 12)
            read, sentences_of = passages[:k], pipeline.sentences_of(passages[:k])
            variants = [(form, read, sentences_of)]
            if q.answers and not form and benchmark.name in ("xquad-vi", "seed"):
                kept = [p for p in passages if document_of[p.article_id] not in q.gold_titles][:k]
                variants.append((":missing", kept, pipeline.sentences_of(kept)))
            if q.answers and not form:
                variants.append((FACT_MISSING, *without_fact(read, sentences_of, q.answers)))
            analysis = as_written if not form else QuestionAnalysis.of(asked)
            query_vector = pipeline.encode_query(asked)
            for suffix, read, sentences_of in variants:
                scored = reader.score(analysis, query_vector, read, sentences_of)
                if not scored:
                    continue
                extract, evidence = reader.compose(analysis, scored, read)
                answer = answering.from_extract(asked, extract, read).text
                right = float(bool(q.answers) and contains_answer(answer, q.answers))
                ruled = reader.ruled_out(analysis, extract) is not None
                name = benchmark.name + suffix
                out.append((evidence.vector(), evidence.reading, right, bool(q.answers), name, q.held_out, ruled))
    return out


def gather(settings: Settings) -> Examples:
    rows = []
    for benchmark in benchmarks():
        print(f"{benchmark.name}: {len(benchmark.questions)} questions", flush=True)
        rows += collect(benchmark, settings)
    x, readings, y, answerable, source, held_out, ruled = zip(*rows, strict=True)
    width = next((len(r) for r in readings if r is not None), 0)
    return Examples(
        x=np.vstack(x),
        reading=np.array([np.full(width, np.nan) if r is None else r for r in readings], dtype=np.float32),
        y=np.array(y),
        answerable=np.array(answerable),
        source=np.array(source),
        held_out=np.array(held_out),
        ruled=np.array(ruled),
    )


def source_weights(ex: Examples, mask: np.ndarray) -> np.ndarray:
    """Every source of `mask` weighs 1 in total (so no benchmark drowns the others), then right and
    wrong answers are rescaled to weigh half each. Weighing every (source, label) cell the same was
    tried and measured worse: a cell of three rows then weighs as much as one of a thousand."""
    w = np.zeros(len(ex.y))
    for name in set(ex.source[mask]):
        rows = mask & (ex.source == name)
        w[rows] = 1.0 / rows.sum()
    right, wrong = (w * (ex.y == 1)).sum(), (w * (ex.y == 0)).sum()
    return np.where(ex.y == 1, 0.5 * w / max(right, 1e-12), 0.5 * w / max(wrong, 1e-12))


def figures(ex: Examples, p: np.ndarray, mask: np.ndarray, t: float) -> dict[str, float]:
    """Per source: right answers kept (given and holding the gold), and answers declined when the
    source has no right answer to give. As the product decides: an answer that a check before the
    model declines (`ruled`) is declined at every threshold, whatever its P."""
    p = np.where(ex.ruled, 0.0, p)
    out = {}
    for name in sorted(set(ex.source[mask])):
        m = mask & (ex.source == name)
        right = m & (ex.y == 1)
        if right.sum() >= 0.3 * m.sum():  # a source of answerable questions
            out[f"{name} answered"] = float((p[m] >= t).mean())
            out[f"{name} right kept"] = float((p[right] >= t).mean())
            out[f"{name} contains"] = float(((p >= t) & (ex.y == 1))[m].mean())
            unanswerable = m & ~ex.answerable
            if unanswerable.any():  # the near-miss questions of a set that has both
                out[f"{name} unanswerable declined"] = float((p[unanswerable] < t).mean())
        else:
            out[f"{name} declined"] = float((p[m] < t).mean())
    return out


def fit_evidence(ex: Examples, train: np.ndarray, written: np.ndarray, retyped: np.ndarray) -> tuple[np.ndarray, float]:
    """The first stage: weights and bias over the evidence fields. The questions as written set every
    weight; their copies typed without diacritics then set how far the `unaccented` field moves P,
    every other weight held, so that a question typed with diacritics gets the same P as without the
    copies (fitting all at once lowered the encoder's weights for everyone: docs/answering.md)."""
    weights, bias = fit_logistic(ex.x[written], ex.y[written], source_weights(ex, train & ~retyped)[written], l2=L2)
    unaccented = Evidence.names().index("unaccented")
    typed_so = train & (ex.x[:, unaccented] == 1)
    _, shift = fit_logistic(
        ex.x[typed_so][:, :0], ex.y[typed_so], source_weights(ex, typed_so)[typed_so],
        offset=ex.x[typed_so] @ weights + bias,
    )
    weights[unaccented] += shift
    return weights, bias


def threshold_for(ex: Examples, p: np.ndarray, train: np.ndarray) -> float:
    """The highest threshold at which the training half still gives at least `MIN_KEPT` of the right
    answers of every benchmark with answerable questions (the first stage's P: the second is fitted
    on the news training half, so its P there is surer than on articles it never saw)."""
    grid = np.round(np.arange(0.01, 0.99, 0.01), 2)
    kept_sources = [
        s for s in sorted(set(ex.source[train])) if ":" not in s and (ex.y[train & (ex.source == s)] == 1).any()
    ]

    def keeps_enough(t: float) -> bool:
        return all((p[train & (ex.source == s) & (ex.y == 1)] >= t).mean() >= MIN_KEPT for s in kept_sources)

    return float(max((t for t in grid if keeps_enough(t)), default=grid[0]))


def fit_reading(ex: Examples, first: np.ndarray) -> tuple[np.ndarray, float]:
    """The second stage: a linear correction of the first stage's logit `first` from what the ranker
    read of the best sentence, fitted on `READING_SOURCE`'s training half, its questions as written
    and typed without diacritics (fitted on those as written alone, it raised P for every question
    typed without: the ranker reads them otherwise)."""
    asked = np.isin(ex.source.astype(str), [READING_SOURCE, READING_SOURCE + UNACCENTED])
    rows = ~ex.held_out & asked & np.isfinite(ex.reading).all(axis=1)
    if not rows.any():
        raise SystemExit(f"no {READING_SOURCE} example has the ranker's reading: is the ranker on?")
    return fit_logistic(
        ex.reading[rows].astype(np.float64), ex.y[rows], np.full(rows.sum(), 1.0 / rows.sum()),
        l2=READING_L2, offset=first[rows],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.relative_to(REPO)}")
    parser.add_argument("--examples", type=Path, help="cache the gathered examples in this .npz (re-used if present)")
    parser.add_argument(
        "--reading-only", action="store_true",
        help=f"keep the first stage of {MODEL_FILE.name} as it is and fit only the second (the ranker's reading)",
    )
    args = parser.parse_args()

    if args.examples and args.examples.exists():
        ex = Examples.load(args.examples)
    else:
        ex = gather(Settings.load())
        if args.examples:
            ex.save(args.examples)
    fitted = ~np.char.endswith(ex.source.astype(str), FACT_MISSING)
    retyped = np.char.endswith(ex.source.astype(str), UNACCENTED)
    train, held = ~ex.held_out & fitted, ex.held_out
    print(f"{len(ex.y)} examples ({int(train.sum())} training, {int(held.sum())} held out)")

    written = fitted & ~retyped
    if args.reading_only:
        shipped = AnswerabilityModel.load()
        weights, bias, threshold = shipped.weights, shipped.bias, shipped.threshold
    else:
        weights, bias = fit_evidence(ex, train, written, retyped)
        threshold = threshold_for(ex, 1.0 / (1.0 + np.exp(-(ex.x @ weights + bias))), train)
    first = ex.x @ weights + bias
    reading, reading_bias = fit_reading(ex, first)
    read = np.isfinite(ex.reading).all(axis=1)
    second = np.where(read, np.nan_to_num(ex.reading) @ reading + reading_bias, 0.0)
    p_first, p = 1.0 / (1.0 + np.exp(-first)), 1.0 / (1.0 + np.exp(-(first + second)))

    print("\nweights (× feature sd):")
    for name, w, sd in zip(Evidence.names(), weights, ex.x.std(axis=0), strict=True):
        print(f"  {name:18s} {w:+9.3f}   ({w * sd:+.3f})")
    chosen = f"{MODEL_FILE.name}'s" if args.reading_only else f"keeps ≥ {MIN_KEPT:.0%} of the training half's right"
    print(f"bias {bias:+.3f}; threshold {threshold:.2f} ({chosen})")
    print(f"the ranker's reading: {len(reading)} weights, norm {np.linalg.norm(reading):.2f}, bias {reading_bias:+.3f}")
    scored = held & fitted  # the fact-missing copies have figures of their own below
    for stage, shown_p in (("the evidence alone", p_first), ("with the ranker's reading", p)):
        print(f"\n{stage}: held-out AUC, right answer vs not: {auc(shown_p[scored], ex.y[scored]):.3f}")
        for t in sorted({0.1, 0.2, threshold, 0.4, 0.5}):
            shown = figures(ex, shown_p, held, t)
            print(f"  t={t:.2f}  " + "  ".join(f"{k}={v:.3f}" for k, v in shown.items()))

    if args.write:
        second_stage = {
            "weights": np.round(reading, 4).tolist(),
            "bias": round(reading_bias, 4),
            "fitted": f"{dt.date.today().isoformat()}: {READING_SOURCE}'s training half, over the first stage's logit",
            "held_out": {k: round(v, 3) for k, v in figures(ex, p, held, threshold).items()},
        }
        if args.reading_only:
            data = json.loads(MODEL_FILE.read_text(encoding="utf-8")) | {"reading": second_stage}
            MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"\nwrote the second stage of {MODEL_FILE.relative_to(REPO)}")
            return 0
        data = {
            "weights": dict(zip(Evidence.names(), np.round(weights, 4).tolist(), strict=True)),
            "bias": round(bias, 4),
            "threshold": threshold,
            # the average question as written: what a doubt is measured against (`weakest`)
            "means": dict(zip(Evidence.names(), np.round(ex.x[written & train].mean(axis=0), 4).tolist(), strict=True)),
            "provenance": {
                "trained": dt.date.today().isoformat(),
                "by": "training/train_abstention.py (make train)",
                "data": "../shared/benchmarks xquad-vi, squad2-vi-noans, vi-answerability and "
                        "testsets/news_dev_qa.jsonl (the half with crc32(title or article id) even; held out: odd) "
                        "and testsets/seed_qa.jsonl",
                "examples": len(ex.y),
                "training_examples": int(train.sum()),
                "held_out": {k: round(v, 3) for k, v in figures(ex, p_first, held, threshold).items()},
            },
            "reading": second_stage,
        }
        MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
