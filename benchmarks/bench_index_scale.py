"""How the dense and lexical indexes scale: build time, query latency, memory, HNSW recall.

Random unit vectors stand in for embeddings (FAISS cost depends on count and width, not meaning) and
the seed passages, replicated, stand in for text (BM25 cost depends on postings). This is what set
the default `exact_limit` of `embeddings.store.VectorStore.build` (QA_FAISS_EXACT_LIMIT): where an
exact scan stops fitting the latency budget.

    .venv/bin/python benchmarks/bench_index_scale.py [--sizes 10000 100000] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embeddings.store import VectorStore  # noqa: E402
from qa.chunking import Chunker  # noqa: E402
from qa.corpus import load_corpus  # noqa: E402
from qa.lexical import LexicalIndex  # noqa: E402

DIM = 384
QUERIES = 200


def unit_vectors(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def latencies_ms(search, queries) -> np.ndarray:
    times = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        times.append((time.perf_counter() - started) * 1000)
    return np.array(times)


def bench_dense(n: int, kind: str) -> tuple[dict, np.ndarray]:
    vectors = unit_vectors(n, seed=1)
    # Queries near real passages, as real questions are: a passage vector plus noise.
    queries = unit_vectors(QUERIES, seed=2) * 0.6 + vectors[:QUERIES]
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    started = time.perf_counter()
    store = VectorStore.build(vectors, exact_limit=n + 1 if kind == "flat" else 0)
    build_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        store.save(Path(tmp) / "dense.faiss")
        size = os.path.getsize(Path(tmp) / "dense.faiss")
    lat = latencies_ms(lambda q: store.search(q[None, :], 50), queries)
    _, top10 = store.search(queries, 10)
    return {
        "index": f"faiss {store.kind}", "passages": n, "build_s": round(build_s, 2),
        "p50_ms": round(float(np.percentile(lat, 50)), 3), "p95_ms": round(float(np.percentile(lat, 95)), 3),
        "bytes_per_passage": round(size / n, 1),
    }, top10


def bench_lexical(n: int, texts: list[str], questions: list[str]) -> dict:
    corpus = [texts[i % len(texts)] + f" mã{i}" for i in range(n)]  # distinct documents, shared vocabulary
    started = time.perf_counter()
    index = LexicalIndex.build(corpus)
    build_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        index.save(Path(tmp))
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    lat = latencies_ms(index.scores, questions * (QUERIES // len(questions)))
    return {
        "index": "bm25s bigrams+folded", "passages": n, "build_s": round(build_s, 2),
        "p50_ms": round(float(np.percentile(lat, 50)), 3), "p95_ms": round(float(np.percentile(lat, 95)), 3),
        "bytes_per_passage": round(size / n, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args()
    texts = [c.text for c in Chunker().split_all(load_corpus(REPO / "seeds").articles)]
    questions = [
        "Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?",
        "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?",
        "binh phuoc hop tac voi champasak ve linh vuc gi",
        "Ai đã tiếp đoàn đại biểu tỉnh Champasak?",
    ]
    rows = []
    print(f"{os.cpu_count()} CPU cores, {DIM}-dim vectors, {QUERIES} queries, top-50 search")
    print(f"{'index':<22} {'passages':>9} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'B/passage':>10} "
          f"{'recall@10':>9}")
    for n in args.sizes:
        flat, exact = bench_dense(n, "flat")
        hnsw, approx = bench_dense(n, "hnsw")
        overlap = [len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)]
        hnsw["recall@10_vs_exact"] = round(float(np.mean(overlap)), 4)
        for row in (flat, hnsw, bench_lexical(n, texts, questions)):
            rows.append(row)
            print(f"{row['index']:<22} {n:>9} {row['build_s']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} "
                  f"{row['bytes_per_passage']:>10} {row.get('recall@10_vs_exact', ''):>9}", flush=True)
    if args.json_path:
        args.json_path.write_text(json.dumps({"cpu_count": os.cpu_count(), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
