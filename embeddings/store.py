"""FAISS inner-product search over unit vectors (= cosine similarity), with the index type chosen
by corpus size.

Below `exact_limit` vectors an exact scan (`IndexFlatIP`) is both exact and fast enough; above it
HNSW answers in well under a millisecond with recall@10 close to 1 at the cost of a slower build and
more memory per vector. The default limit is where exact search stops fitting the retrieval latency
budget on a 2-core machine (benchmarks/bench_index_scale.py, figures in docs/retrieval.md); the
caller (the index, from its settings) passes the limit and the HNSW parameters.

A store may hold vectors for only some rows of the index (`ids`: a build whose newest passages are
not embedded yet, docs/architecture.md "Searchable before it is embedded"): the FAISS index is then
wrapped in an `IndexIDMap`, so that `search` answers with the rows' ids, not with positions.
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class VectorStore:
    def __init__(self, index: faiss.Index, ef_search: int = 96) -> None:
        self.index = index
        inner = self._inner
        if isinstance(inner, faiss.IndexHNSW):
            inner.hnsw.efSearch = ef_search

    @property
    def _inner(self) -> faiss.Index:
        """The index that searches (inside the id map, when there is one)."""
        return faiss.downcast_index(self.index.index) if isinstance(self.index, faiss.IndexIDMap) else self.index

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        exact_limit: int = 50_000,
        hnsw_m: int = 32,
        ef_construction: int = 80,
        ef_search: int = 96,
        ids: np.ndarray | None = None,
    ) -> VectorStore:
        """Exact below `exact_limit` vectors, else HNSW with graph degree `hnsw_m` (recall against
        memory) and the given build- and query-time search depths. With `ids` (one per vector),
        `search` returns those instead of the vectors' positions."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        index: faiss.Index
        if len(vectors) < exact_limit:
            index = faiss.IndexFlatIP(dim)
        else:
            hnsw = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = ef_construction
            index = hnsw
        if ids is None:
            index.add(vectors)
        else:
            index = faiss.IndexIDMap(index)
            index.add_with_ids(vectors, np.ascontiguousarray(ids, dtype=np.int64))
        return cls(index, ef_search)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self._inner, faiss.IndexHNSW) else "flat"

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def ids(self) -> np.ndarray | None:
        """The ids the store was built with (None: it holds every row, its vectors' positions)."""
        return faiss.vector_to_array(self.index.id_map) if isinstance(self.index, faiss.IndexIDMap) else None

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows), each (n_queries, k'), best first, k' = min(k, len(self)); no -1 padding.
        The rows are the vectors' ids when the store was built with them."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        k = min(k, len(self))
        if k == 0:  # nothing embedded yet: every row is searched by its words only
            return np.empty((len(queries), 0), dtype=np.float32), np.empty((len(queries), 0), dtype=np.int64)
        scores, rows = self.index.search(queries, k)
        return scores, rows

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, ef_search: int = 96) -> VectorStore:
        return cls(faiss.read_index(str(path)), ef_search)
