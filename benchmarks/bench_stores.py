"""The two passage stores side by side (qa/store.py): FAISS + bm25s (the default) and Milvus Lite.

`quality`: XQuAD-vi dev (../shared/benchmarks/xquad-vi/dev.json, read where it is; every paragraph an
article, every question asked against all of them, as `qa eval --squad` does), hit@1 / hit@5 / MRR@10
at the article level through the real `Retriever`, for

- the default store;
- Milvus, our BM25 terms in its analysed field, the two rankings fused by the retriever (the product);
- Milvus, the same collection, fused by Milvus's `hybrid_search` (RRF k=60; weighted 1:1);
- Milvus, the raw passage text under its standard analyzer (question raw too), fused by the retriever.

Vectors come from the embedding cache in QA_INDEX_DIR (nothing is re-embedded when it holds them).

`latency`: synthetic stores of N passages (random unit 384-d vectors; Vietnamese-like text of made-up
syllables, ~150 a passage), the build time, on-disk bytes per passage, resident memory added, and the
latency of one search (dense + BM25, depth 50) p50 / p95 over 200 questions, the median of 3 runs.

    OMP_NUM_THREADS=1 python benchmarks/bench_stores.py quality
    OMP_NUM_THREADS=1 python benchmarks/bench_stores.py latency --sizes 10000 100000
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embeddings.cache import EmbeddingCache  # noqa: E402
from qa.api import Pipeline  # noqa: E402
from qa.dates import asked_time  # noqa: E402
from qa.evaluation import metrics  # noqa: E402
from qa.evaluation.runner import RANKING_DEPTH  # noqa: E402
from qa.evaluation.squad import load_squad, write_corpus  # noqa: E402
from qa.index import folder_key, passage_text  # noqa: E402
from qa.milvus import MilvusStore  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.store import LocalStore  # noqa: E402
from qa.types import Chunk  # noqa: E402

DEFAULT_SQUAD = REPO.parent / "shared" / "benchmarks" / "xquad-vi" / "dev.json"
DIM, QUERIES, DEPTH, RUNS = 384, 200, 50, 3


# -- quality --------------------------------------------------------------------------------------


def figures(rankings: list[list[str]], golds: list[tuple[str, ...]]) -> dict[str, float]:
    ranks = [metrics.gold_rank(metrics.rank_articles(r), g) for r, g in zip(rankings, golds, strict=True)]
    return {
        "hit@1": float(np.mean([metrics.hit_at_k(r, 1) for r in ranks])),
        "hit@5": float(np.mean([metrics.hit_at_k(r, 5) for r in ranks])),
        "mrr@10": float(np.mean([metrics.reciprocal_rank(r) for r in ranks])),
    }


def fused(retriever: Retriever, queries: list[str], vectors: list[np.ndarray]) -> list[list[str]]:
    """Each question's articles as the retriever ranks them (a time it names preferred, as `qa eval`)."""
    return [
        [p.article_id for p in retriever.retrieve(q, v, RANKING_DEPTH, prefer=asked_time(q))]
        for q, v in zip(queries, vectors, strict=True)
    ]


def milvus_variants(
    pipeline: Pipeline, corpus: Path, queries: list[str], vectors: list[np.ndarray], golds: list
) -> dict[str, dict[str, float]]:
    """Milvus's own fusion of the product's collection, and a second collection of raw text."""
    index = pipeline.index
    assert isinstance(index.store, MilvusStore)
    results = {}
    for ranker in ("rrf", "weighted"):
        rankings = [
            [index.chunks[row].article_id for row in index.store.hybrid(q, v, RANKING_DEPTH, ranker)[0]]
            for q, v in zip(queries, vectors, strict=True)
        ]
        results[f"milvus, hybrid_search {ranker}"] = figures(rankings, golds)
    cache = EmbeddingCache(pipeline.settings.index.dir / "cache", pipeline.encoder, 256)
    texts = [passage_text(index.article_by_id[c.article_id], c) for c in index.chunks]
    raw = MilvusStore.build(
        pipeline.settings.override(milvus_collection="raw"), folder_key(corpus), index.chunks, texts,
        lambda rows: cache.encode_passages([index.chunks[r].text for r in rows]), pipeline.encoder.dim,
        index.manifest["lexical_scheme"], raw_text=True,
    )
    raw_index = copy.copy(index)
    raw_index.store = raw
    label = "milvus, raw text + standard analyzer, retriever's fusion"
    results[label] = figures(fused(Retriever(raw_index, pipeline.settings.retrieval), queries, vectors), golds)
    return results


def quality(squad: Path, index_dir: Path, milvus_uri: str) -> dict[str, dict[str, float]]:
    bench = load_squad(squad)
    records = [r for r in bench.records if r.articles]
    corpus = write_corpus(bench.articles, index_dir)
    base = Settings.load(index_dir=index_dir, corpus_dir=corpus, milvus_uri=milvus_uri or str(index_dir / "bench.db"))
    results: dict[str, dict[str, float]] = {}
    golds = [r.articles for r in records]
    for store in ("faiss", "milvus"):
        pipeline = Pipeline(base.override(store=store))
        index = pipeline.prepare(progress=True)
        queries = [pipeline.clean(r.question) for r in records]
        vectors = [pipeline.encode_query(q) for q in queries]
        results[f"{store}, retriever's fusion"] = figures(
            fused(Retriever(index, pipeline.settings.retrieval), queries, vectors), golds
        )
        if store == "milvus":
            results.update(milvus_variants(pipeline, corpus, queries, vectors, golds))
        print(json.dumps(results, indent=1), flush=True)
    return results


# -- latency --------------------------------------------------------------------------------------


ONSETS = [*"b c ch d đ g gh h k kh l m n ng nh p ph qu r s t th tr v x".split(), ""]
RHYMES = ("a à á ả ã ạ ăn ắc ân ất e è é ê ề ế i ì í o ò ó ô ồ ố ơ ờ ớ u ù ú ư ừ ứ y ý "
          "anh ành ong ông ương ước iên iệt oa oài uyên").split()


def synthetic_texts(n: int, seed: int) -> tuple[list[str], list[str]]:
    """(n passages of ~150 made-up syllables, Zipf-distributed; 200 questions of 8–14 of them)."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([o + r for o in ONSETS for r in RHYMES])
    weights = 1 / np.arange(1, len(vocabulary) + 1) ** 0.9
    weights /= weights.sum()

    def draw(k: int) -> str:
        return " ".join(vocabulary[rng.choice(len(vocabulary), size=k, p=weights)])
    passages = [draw(int(rng.integers(120, 180))) for _ in range(n)]
    return passages, [draw(int(rng.integers(8, 15))) for _ in range(QUERIES)]


def unit_vectors(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of this process and its children (the binary Milvus Lite 2.5 is a child)."""
    pid = pid or os.getpid()
    with open(f"/proc/{pid}/status") as fh:
        own = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(rss_mb(int(child)) for child in children)


def folder_bytes(path: Path) -> int:
    """Bytes of a folder's files, or of a file (Milvus Lite 2.5 keeps one)."""
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def latency(n: int, work: Path) -> dict[str, dict[str, float]]:
    texts, questions = synthetic_texts(n, seed=n)
    vectors = unit_vectors(n, seed=1)
    queries = unit_vectors(QUERIES, seed=2)
    chunks = [Chunk(id=f"a{i // 4}#{i:08x}", article_id=f"a{i // 4}", text=t, start=0, end=len(t))
              for i, t in enumerate(texts)]
    settings = Settings.load(env={}, index_dir=work, store="milvus", milvus_uri=str(work / f"milvus-{n}.db"))
    out = {}
    for kind in ("faiss", "milvus"):
        before = rss_mb()
        started = time.perf_counter()
        if kind == "faiss":
            store = LocalStore.build(settings, texts, lambda rows: vectors[list(rows)], "bigrams")
            folder = work / f"faiss-{n}"
            folder.mkdir()
            store.save(folder)
        else:
            store = MilvusStore.build(
                settings, f"synthetic-{n}", chunks, texts, lambda rows: vectors[list(rows)], DIM, "bigrams"
            )
            folder = Path(settings.index.milvus_uri)
        build_s = time.perf_counter() - started
        store.search(questions[0], queries[0], DEPTH)  # warm
        runs = []
        for _ in range(RUNS):
            times = []
            for question, vector in zip(questions, queries, strict=True):
                t = time.perf_counter()
                store.search(question, vector, DEPTH)
                times.append((time.perf_counter() - t) * 1000)
            runs.append((np.percentile(times, 50), np.percentile(times, 95)))
        out[kind] = {
            "passages": n,
            "build_s": round(build_s, 1),
            "p50_ms": round(float(np.median([r[0] for r in runs])), 2),
            "p95_ms": round(float(np.median([r[1] for r in runs])), 2),
            "disk_bytes_per_passage": round(folder_bytes(folder) / n),
            "rss_added_mb": round(rss_mb() - before),
            "load": os.getloadavg()[0],
        }
        print(kind, out[kind], flush=True)
        del store
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    q.add_argument("--index-dir", type=Path, default=Settings.load().index.dir)
    q.add_argument("--milvus-uri", default="", help="default: bench.db in the index folder")
    lat = sub.add_parser("latency")
    lat.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.what == "quality":
        result: dict = quality(args.squad, args.index_dir, args.milvus_uri)
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-stores-"))
        try:
            result = {str(n): latency(n, work) for n in args.sizes}
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
