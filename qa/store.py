"""Where passages are searched: the one interface the retriever and the index talk to, and its two
implementations, chosen by `QA_STORE`.

A store holds, for each passage of a build (row i = passage i of the build: `qa.textstore`), its vector and the
text BM25 indexes (`qa.index.passage_text`), and answers a question with two rankings of those
rows, the dense one and the lexical one, each best first with its scores; the retriever fuses them
(`qa.fusion.relative_score_fusion`), whichever store gave them.

- `LocalStore` (`faiss`, the default): FAISS (`embeddings.store.VectorStore`) and bm25s
  (`qa.lexical.LexicalIndex`), files in the build folder (`dense.faiss`, `lexical/`), rebuilt
  whole by each build; embedded, one machine.
- `MilvusStore` (`milvus`, `qa/milvus.py`): one Milvus collection per corpus, at `QA_MILVUS_URI`
  (a file: Milvus Lite in this process; `http://host:19530`: a server or cluster), holding the
  vectors and the text that Milvus's own BM25 indexes; a build upserts only new or changed
  passages and deletes those of removed articles (docs/scaling.md).

A build calls `build_store` with two ways to get vectors: `Cached`, the rows the embedding cache
holds and their vectors, and `Embed`, the vectors of some rows, embedding what the cache lacks. The
default store takes only the cached ones and leaves the others out of dense search until the
build's stage 2 embeds them (`qa.index.complete_dense`: the passages are searched by BM25 meanwhile);
Milvus, which keeps vectors of its own, asks `Embed` for the rows it does not hold, in one stage.
Then `save` writes the store's files into the build folder and says what the manifest records.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from embeddings.store import VectorStore
from qa.fusion import Ranking, top_rows
from qa.lexical import LexicalIndex
from qa.settings import Settings
from qa.types import Chunk

Embed = Callable[[Sequence[int]], np.ndarray]  # the vectors of these rows' passages, in that order
Cached = Callable[[], tuple[np.ndarray, np.ndarray]]  # (rows, vectors) of the passages the cache holds
# How the index reads a file of a build: `read(path, loader)`, any failure an `IndexCorrupt` naming the file.
Read = Callable[[Path, Callable[[Path], Any]], Any]


class PassageStore(Protocol):
    kind: str  # shown by `qa build` / `Index.summary`: "FAISS flat + bm25s", "Milvus …"

    def __len__(self) -> int:
        """Passages of the build in dense search (all of them, once the build's stage 2 is done)."""
        ...

    def unembedded(self, passages: int) -> np.ndarray:
        """Rows of the build's `passages` not in dense search yet, ascending (searched by BM25 only)."""
        ...

    def search(self, question: str, query_vector: np.ndarray, depth: int) -> tuple[Ranking, Ranking]:
        """(dense, lexical): each (rows, scores), best first, at most `depth` rows of the build; a
        lexical score is BM25's (0 never listed), a dense one the inner product of unit vectors."""
        ...

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """({syllable: passages holding it}, passages): the answering stage's IDF weights."""
        ...

    def save(self, build: Path) -> dict[str, Any]:
        """Write the store's files into a new build folder; the entries the manifest records."""
        ...


class LocalStore:
    """FAISS + bm25s in the build folder: what every index was before stores were pluggable (the
    same files, the same scores)."""

    def __init__(self, dense: VectorStore, lexical: LexicalIndex) -> None:
        self.dense = dense
        self.lexical = lexical
        self.kind = f"FAISS {dense.kind} + bm25s {lexical.scheme}"

    @classmethod
    def build(cls, settings: Settings, texts: Sequence[str], cached: Cached, scheme: str) -> LocalStore:
        """BM25 over every passage; dense search over those the cache has vectors for (stage 1). BM25
        first, while the least else is in memory: its build is a large build's peak."""
        lexical = LexicalIndex.build(iter(texts), scheme, settings.index.build_workers)
        rows, vectors = cached()
        dense = dense_store(settings, vectors, rows if len(rows) < len(texts) else None)
        return cls(dense, lexical)

    @classmethod
    def load(cls, build: Path, manifest: dict[str, Any], ef_search: int, read: Read) -> LocalStore:
        return cls(
            read(build / "dense.faiss", lambda p: VectorStore.load(p, ef_search)),
            read(build / "lexical", lambda p: LexicalIndex.load(p, manifest["lexical_scheme"])),
        )

    def __len__(self) -> int:
        return len(self.dense)

    def unembedded(self, passages: int) -> np.ndarray:
        ids = self.dense.ids()
        if ids is None:  # a plain (not id-mapped) index holds every passage
            return np.empty(0, dtype=np.int64)
        embedded = np.zeros(passages, dtype=bool)
        embedded[ids] = True
        return np.flatnonzero(~embedded)

    def search(self, question: str, query_vector: np.ndarray, depth: int) -> tuple[Ranking, Ranking]:
        dense_scores, dense_rows = self.dense.search(query_vector[None, :], depth)
        lexical_scores = self.lexical.scores(question)
        lexical_rows = top_rows(lexical_scores, depth)
        return (dense_rows[0], dense_scores[0]), (lexical_rows, lexical_scores[lexical_rows])

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        return self.lexical.document_frequencies()

    def save(self, build: Path) -> dict[str, Any]:
        self.dense.save(build / "dense.faiss")
        self.lexical.save(build / "lexical")
        return {"faiss": self.dense.kind}


def dense_store(settings: Settings, vectors: np.ndarray, ids: np.ndarray | None = None) -> VectorStore:
    """FAISS over `vectors` as the settings say (exact, or HNSW for a large archive); `ids`: the rows
    they belong to, when not every passage has its vector yet."""
    ix = settings.index
    return VectorStore.build(vectors, ix.exact_limit, ix.hnsw_m, ix.hnsw_ef_construction, ix.hnsw_ef_search, ids)


def store_config(settings: Settings) -> dict[str, Any]:
    """What a current index must have been built with, store-wise (part of `qa.index.expected_config`):
    nothing for the default store, so its manifests are as they always were; the store, the URI and the
    collection names for Milvus."""
    ix = settings.index
    if ix.store == "faiss":
        return {}
    return {"store": ix.store, "milvus_uri": ix.milvus_uri, "milvus_collection": ix.milvus_collection}


def build_store(
    settings: Settings,
    corpus: str,
    chunks: Sequence[Chunk],
    texts: Sequence[str],
    cached: Cached,
    embed: Embed,
    dim: int,
    scheme: str,
) -> PassageStore:
    """The store of a new build of `corpus`: `texts` are what BM25 indexes for each chunk."""
    if settings.index.store == "milvus":
        from qa.milvus import MilvusStore

        return MilvusStore.build(settings, corpus, chunks, texts, embed, dim, scheme)
    return LocalStore.build(settings, texts, cached, scheme)


def load_store(
    build: Path, manifest: dict[str, Any], chunk_ids: Sequence[str], ef_search: int, read: Read
) -> PassageStore:
    """The store of a build on disk, as its manifest describes it (`chunk_ids`: its passages', by row)."""
    if manifest.get("store", "faiss") == "milvus":
        from qa.milvus import MilvusStore

        return MilvusStore.load(build, manifest, chunk_ids, ef_search, read)
    return LocalStore.load(build, manifest, ef_search, read)
