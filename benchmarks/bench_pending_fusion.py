"""How a passage without a vector yet should be ranked, on XQuAD-vi dev (issue 13, item 4).

Between an index's two stages (docs/architecture.md, "Searchable before it is embedded") the newest
passages are in BM25 but not in dense search. The real `Retriever` runs over the real index of
XQuAD-vi's paragraphs (`retrieval_experiments.xquad_index`) with a fifth of the articles made
pending — their passages taken out of the dense store, as stage 1 leaves them — five times, each
article pending once, and two rules for the pending passages' fused score:

- BM25's share only: dense search has not seen them, so they get nothing from it;
- BM25's share standing for both (what `Retriever` does): scaled by (dense weight + 1) / 1.

Reported per question kind: its gold article pending (the new article asked about) or embedded (the
old ones, which the pending passages now compete with); complete hybrid and BM25 alone for scale.

    .venv/bin/python benchmarks/bench_pending_fusion.py [--squad PATH] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from retrieval_experiments import DEFAULT_SQUAD, article_ranks, metrics, xquad_index, xquad_questions  # noqa: E402

from embeddings.store import VectorStore  # noqa: E402
from qa.api import Pipeline  # noqa: E402
from qa.index import Index  # noqa: E402
from qa.question import clean_question  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.store import LocalStore  # noqa: E402

FOLDS = 5
DEPTH = 20


def partial(index: Index, vectors: np.ndarray, pending_articles: set[str], *, plain: bool = False) -> Index:
    """The index as stage 1 would leave it with these articles new: their passages not in dense search.
    `plain`: the Retriever is not told which passages those are, so they get BM25's share only."""
    embedded = np.array([row for row, c in enumerate(index.chunks) if c.article_id not in pending_articles],
                        dtype=np.int64)
    dense = VectorStore.build(vectors[embedded].reshape(-1, vectors.shape[1]), ids=embedded)
    manifest = {**index.manifest, "dense_pending": len(index.chunks) - len(embedded)}
    assert isinstance(index.store, LocalStore)
    stage1 = Index(index.folder, manifest, index.texts, LocalStore(dense, index.store.lexical),
                   index.sentence_spans, index.sentence_offsets)
    if plain:
        stage1.__dict__["unembedded"] = np.empty(0, dtype=np.int64)  # the cached property, set beforehand
    return stage1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = Settings.load()
    articles, questions = xquad_questions(args.squad)
    encoder = Pipeline(settings).encoder
    index = xquad_index(settings, articles, encoder)
    assert isinstance(index.store, LocalStore)
    vectors = index.store.dense.index.reconstruct_n(0, len(index.store))
    queries = [clean_question(q, settings.answering.max_question_chars) for q, _ in questions]
    query_vectors = encoder.encode_queries(queries)

    def ranks(ix: Index, which: list[int]) -> list[int | None]:
        retriever = Retriever(ix, settings.retrieval)
        out = []
        for i in which:
            passages = retriever.retrieve(queries[i], query_vectors[i], DEPTH)
            rows = np.array([ix.row_of_chunk[p.chunk_id] for p in passages])
            out.append(article_ranks(rows, ix.chunks, questions[i][1]))
        return out

    ids = sorted({a.id for a in articles})
    random.Random(2026).shuffle(ids)
    results: dict[str, dict[str, list[int | None]]] = {
        kind: {"complete": [], "bm25 share only": [], "bm25 share for both": []} for kind in ("pending", "embedded")
    }
    everyone = list(range(len(questions)))
    complete = ranks(index, everyone)
    bm25 = ranks(partial(index, vectors, set(ids), plain=True), everyone)  # nothing embedded: BM25 alone
    for fold in range(FOLDS):
        pending = set(ids[fold::FOLDS])
        for kind in ("pending", "embedded"):
            which = [i for i, (_, gold) in enumerate(questions) if (gold in pending) == (kind == "pending")]
            results[kind]["complete"] += [complete[i] for i in which]
            results[kind]["bm25 share only"] += ranks(partial(index, vectors, pending, plain=True), which)
            results[kind]["bm25 share for both"] += ranks(partial(index, vectors, pending), which)
    table = {"bm25 alone, all questions": metrics(bm25), "complete hybrid, all questions": metrics(complete)}
    for kind, by_rule in results.items():
        for rule, found in by_rule.items():
            table[f"gold {kind} ({len(found)} asked), {rule}"] = metrics(found)
    print(f"XQuAD-vi dev: {len(articles)} articles, {len(index.chunks)} passages, {len(questions)} questions; "
          f"{FOLDS} folds, a fifth of the articles pending in each")
    print(f"{'':<52} hit@1  hit@5  mrr@10")
    for name, figures in table.items():
        print(f"{name:<52} {figures['hit@1']:.3f}  {figures['hit@5']:.3f}  {figures['mrr@10']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
