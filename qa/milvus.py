"""The Milvus store (`QA_STORE=milvus`): passages in one Milvus collection per corpus, searched by
Milvus itself, densely (inner product of the unit E5 vectors) and with its own full-text BM25.

`QA_MILVUS_URI` names the Milvus: a file path runs Milvus Lite (the `milvus-lite` package) inside
this process, `http://host:19530` talks to a Milvus server or cluster; the code is the same
(`pymilvus.MilvusClient`). Both come with the optional `milvus` extra (`pip install '.[milvus]'`);
without them, or with a Milvus that cannot be reached, one `StoreError` line says so.

A collection row is a passage: `id` (the chunk id), `article_id`, `digest` (of the vector space and
the text indexed: a passage whose title or encoder changed is written again), `vector`, and `text`,
an analyzer-enabled field that a BM25 function turns into the sparse field `sparse`. Vietnamese:
`text` is not the passage but the product's own BM25 terms (`qa.lexical.passage_tokens`: accented and
folded syllables and their bigrams) joined by spaces, the folded mark `~` written `_` (`~hop_tac` →
`_hop_tac`), split at spaces only (`MILVUS_ANALYZER`, `LITE3_ANALYZER`); a question is searched under
`qa.lexical.query_tokens`. So Milvus's BM25 sees exactly the terms the default store's bm25s
does (with the same k1 and b); on XQuAD-vi that measured better than the standard analyzer on the raw
text (docs/scaling.md). The two rankings are fused by the retriever as the default store's are
(relative score fusion): that measured closer to the default store than Milvus's `hybrid_search`
with its RRF or weighted ranker (`MilvusStore.hybrid`, kept for that comparison).

A build synchronises the collection with the build's passages: it reads the ids and digests the
collection holds, deletes the passages of articles that are gone (by article) and the passages no
longer produced, and upserts only new or changed passages, asking the embedding cache for their
vectors alone. The build folder keeps the records (articles, passages, sentence offsets) and the
document frequencies the answering stage weighs words with (`frequencies.json`); unlike the files
of the default store, the collection is shared by successive builds, so a process still answering
from the previous build while a new one is synchronised sees passages appear and disappear (those
its build does not know are skipped).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from embeddings import vector_space
from qa.errors import StoreError
from qa.fusion import Ranking
from qa.lexical import FOLDED, document_frequencies, passage_tokens, query_tokens
from qa.settings import Settings
from qa.store import Embed, Read
from qa.types import Chunk

log = logging.getLogger(__name__)

FREQUENCIES = "frequencies.json"  # in the build folder: `document_frequencies` of the passages
LITE_FILE = "milvus.db"  # Milvus Lite's data under QA_INDEX_DIR when QA_MILVUS_URI is empty
BATCH = 512  # rows per upsert request
EMBED_ROWS = 65_536  # passages whose vectors are fetched (or embedded) at once: ~100 MB
MAX_TEXT_BYTES = 65_535  # a VARCHAR's limit in Milvus
# Our terms, split at spaces and nothing else. Milvus's own standard analyzer (a server's, the binary
# Milvus Lite 2.5's) splits at underscores (`hợp_tác` → `hợp`, `tác`), so Milvus gets the whitespace
# tokenizer; Milvus Lite 3 (pure Python) has none, and its standard one (runs of `\w`, lower-cased)
# keeps each term whole.
MILVUS_ANALYZER = {"tokenizer": "whitespace"}
LITE3_ANALYZER = {"tokenizer": "standard"}
BM25_PARAMS = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, so both stores weigh terms alike
_CLIENTS: dict[str, Any] = {}  # one client per URI and process (Milvus Lite: one engine per file)
_CLIENTS_LOCK = threading.Lock()


def milvus_terms(tokens: Sequence[str]) -> str:
    """Our BM25 terms as one text for Milvus's analyzer: `~` (folded) written `_`, joined by spaces."""
    return " ".join(t.replace(FOLDED, "_", 1) if t.startswith(FOLDED) else t for t in tokens)


def collection_name(prefix: str, corpus: str) -> str:
    """`qa_seeds_1a2b3c4d`: Milvus names are letters, digits and underscores."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', corpus)}"


def resolve_uri(settings: Settings) -> str:
    """QA_MILVUS_URI, a file path made absolute; empty: Milvus Lite's file in the index folder."""
    uri = settings.index.milvus_uri or str(settings.index.dir / LITE_FILE)
    return uri if "://" in uri else str(Path(uri).expanduser().resolve())


@contextmanager
def _talking_to(uri: str) -> Iterator[None]:
    """Milvus's own errors (unreachable server, refused request) as one `StoreError` line."""
    from pymilvus.exceptions import MilvusException

    try:
        yield
    except MilvusException as exc:
        raise StoreError(
            f"Milvus at {uri} failed: {exc.message or exc}; check QA_MILVUS_URI (a file path for Milvus Lite, "
            "http://host:19530 for a server) and that the server is running"
        ) from None


def connect(uri: str) -> Any:
    """A `MilvusClient` for this URI, shared in the process; `StoreError` if pymilvus (or, for a file
    path, milvus-lite) is missing or the Milvus cannot be reached."""
    with _CLIENTS_LOCK:
        if uri in _CLIENTS:
            return _CLIENTS[uri]
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise StoreError(
                "QA_STORE=milvus needs the pymilvus and milvus-lite packages: pip install '.[milvus]' "
                "(or QA_STORE=faiss)"
            ) from None
        if "://" not in uri:
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        with _talking_to(uri):
            try:
                client = MilvusClient(uri=uri, timeout=10)
            except ImportError:  # a file path without milvus-lite
                raise StoreError(
                    f"QA_MILVUS_URI={uri} is a file, which needs the milvus-lite package: pip install '.[milvus]'"
                ) from None
        _CLIENTS[uri] = client
        return client


def _schema(client: Any, dim: int, analyzer: dict[str, str]) -> tuple[Any, Any]:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=256)
    schema.add_field("article_id", DataType.VARCHAR, max_length=256)
    schema.add_field("digest", DataType.VARCHAR, max_length=32)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field(
        "text", DataType.VARCHAR, max_length=MAX_TEXT_BYTES, enable_analyzer=True, analyzer_params=analyzer
    )
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(
        Function(
            name="bm25", function_type=FunctionType.BM25, input_field_names=["text"], output_field_names=["sparse"]
        )
    )
    return schema, client.prepare_index_params()


class MilvusStore:
    """A build's view of its corpus's collection: Milvus answers with chunk ids, mapped to the build's
    rows (ids the build does not hold are skipped)."""

    def __init__(
        self,
        client: Any,
        uri: str,
        collection: str,
        chunk_ids: Sequence[str],
        frequencies: tuple[dict[str, int], int],
        ef_search: int,
        raw_text: bool = False,
    ) -> None:
        self.client = client
        self.uri = uri
        self.collection = collection
        self.row_of = {chunk_id: row for row, chunk_id in enumerate(chunk_ids)}
        self.frequencies = frequencies
        self.ef_search = ef_search
        self.raw_text = raw_text
        self.kind = f"Milvus {collection} at {uri}"
        self.written = self.deleted = 0  # by the build that made this store: passages upserted, deleted

    # -- building ----------------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        settings: Settings,
        corpus: str,
        chunks: Sequence[Chunk],
        texts: Sequence[str],
        embed: Embed,
        dim: int,
        scheme: str,
        raw_text: bool = False,
    ) -> MilvusStore:
        """Synchronise the corpus's collection with these passages (`texts`: what BM25 indexes for
        each) and return the store. `raw_text` (benchmarks only) gives Milvus the text itself, for its
        standard analyzer, instead of our terms."""
        uri, ix = resolve_uri(settings), settings.index
        name = collection_name(ix.milvus_collection, corpus)
        indexed = [t if raw_text else milvus_terms(passage_tokens(t, scheme)) for t in texts]
        space = vector_space(ix.embed_model)
        digests = [hashlib.sha1(f"{space}\x00{text}".encode()).hexdigest()[:16] for text in indexed]
        client = connect(uri)
        with _talking_to(uri):
            _ensure_collection(client, name, dim, settings, lite="://" not in uri)
            held = _held(client, name)
            wanted = {chunk.id: digest for chunk, digest in zip(chunks, digests, strict=True)}
            articles = {chunk.article_id for chunk in chunks}
            gone = [id_ for id_ in held if id_ not in wanted]
            gone_articles = sorted({held[id_][1] for id_ in gone} - articles)
            ids = [c.id for c in chunks]
            store = cls(client, uri, name, ids, document_frequencies(texts), ix.hnsw_ef_search, raw_text)
            store.delete_articles(gone_articles)
            leftover = [id_ for id_ in gone if held[id_][1] in articles]
            for start in range(0, len(leftover), BATCH):
                client.delete(name, ids=leftover[start : start + BATCH])
            todo = [row for row, chunk in enumerate(chunks) if held.get(chunk.id, ("",))[0] != digests[row]]
            for start in range(0, len(todo), EMBED_ROWS):  # a first build of millions: bounded memory
                rows = todo[start : start + EMBED_ROWS]
                vectors = embed(rows)
                for first in range(0, len(rows), BATCH):
                    client.upsert(name, [
                        {
                            "id": chunks[row].id,
                            "article_id": chunks[row].article_id,
                            "digest": digests[row],
                            "vector": vectors[first + i].tolist(),
                            "text": _clip(indexed[row]),
                        }
                        for i, row in enumerate(rows[first : first + BATCH])
                    ])
            # Seal what was written into indexed segments: Milvus Lite otherwise re-indexes its
            # in-memory rows at every search (10k passages: seconds a question).
            client.flush(name)
        log.info(
            "milvus %s: %d passages written, %d deleted (%d articles gone), %d unchanged",
            name, len(todo), len(gone), len(gone_articles), len(chunks) - len(todo),
        )
        store.written, store.deleted = len(todo), len(gone)
        return store

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        """Delete every passage of these articles."""
        with _talking_to(self.uri):
            for start in range(0, len(article_ids), BATCH):
                batch = json.dumps(list(article_ids[start : start + BATCH]), ensure_ascii=False)
                self.client.delete(self.collection, filter=f"article_id in {batch}")

    def save(self, build: Path) -> dict[str, Any]:
        words, n = self.frequencies
        (build / FREQUENCIES).write_text(json.dumps({"passages": n, "frequencies": words}, ensure_ascii=False), "utf-8")
        return {
            "milvus_uri_used": self.uri, "milvus_collection_used": self.collection, "milvus_raw_text": self.raw_text
        }

    @classmethod
    def load(
        cls, build: Path, manifest: dict[str, Any], chunk_ids: Sequence[str], ef_search: int, read: Read
    ) -> MilvusStore:
        record = read(build / FREQUENCIES, lambda p: json.loads(p.read_text(encoding="utf-8")))
        uri, name = manifest["milvus_uri_used"], manifest["milvus_collection_used"]
        client = connect(uri)
        with _talking_to(uri):
            if not client.has_collection(name):
                raise StoreError(f"Milvus at {uri} has no collection {name}; rebuild the index with `qa build --force`")
            client.load_collection(name)
        frequencies = (record["frequencies"], record["passages"])
        return cls(client, uri, name, chunk_ids, frequencies, ef_search, manifest["milvus_raw_text"])

    # -- searching ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.row_of)

    def unembedded(self, passages: int) -> np.ndarray:
        """None: a Milvus build embeds what the collection lacks before it is switched in (one stage)."""
        return np.empty(0, dtype=np.int64)

    def _query_text(self, question: str) -> str:
        return question if self.raw_text else milvus_terms(query_tokens(question))

    def _requests(self, question: str, query_vector: np.ndarray, depth: int) -> list[dict[str, Any]]:
        """The dense and (when the question has a word) the BM25 search, as `search` keywords."""
        dense = {
            "data": [np.asarray(query_vector, dtype=np.float32).tolist()],
            "anns_field": "vector",
            "search_params": {"metric_type": "IP", "params": {"ef": max(self.ef_search, depth)}},
        }
        text = self._query_text(question)
        lexical = {"data": [text], "anns_field": "sparse", "search_params": {"metric_type": "BM25"}}
        return [dense, lexical] if text.strip() else [dense]

    def _ranking(self, hits: Sequence[dict[str, Any]]) -> Ranking:
        # Milvus Lite 3.2 reports a BM25 score as a negative distance, a server as the score: |·| is both.
        known = [(self.row_of[h["id"]], abs(float(h["distance"]))) for h in hits if h["id"] in self.row_of]
        rows = np.array([row for row, _ in known], dtype=np.int64)
        return rows, np.array([score for _, score in known], dtype=np.float32)

    def search(self, question: str, query_vector: np.ndarray, depth: int) -> tuple[Ranking, Ranking]:
        rankings = []
        with _talking_to(self.uri):
            for request in self._requests(question, query_vector, depth):
                hits = self.client.search(self.collection, limit=depth, output_fields=[], **request)[0]
                rankings.append(self._ranking(hits))
        empty = (np.zeros(0, np.int64), np.zeros(0, np.float32))
        return rankings[0], rankings[1] if len(rankings) > 1 else empty

    def hybrid(
        self, question: str, query_vector: np.ndarray, depth: int, ranker: str, dense_weight: float = 1.0
    ) -> Ranking:
        """Milvus's own fusion of the two searches (`hybrid_search`), `ranker` "rrf" (k=60) or
        "weighted" (`dense_weight` : 1): the alternative to the retriever's fusion, for benchmarks."""
        from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

        requests = [
            AnnSearchRequest(data=r["data"], anns_field=r["anns_field"], param=r["search_params"], limit=depth)
            for r in self._requests(question, query_vector, depth)
        ]
        weights = [dense_weight, 1.0][: len(requests)]
        chosen = RRFRanker(60) if ranker == "rrf" else WeightedRanker(*weights)
        with _talking_to(self.uri):
            hits = self.client.hybrid_search(self.collection, requests, ranker=chosen, limit=depth, output_fields=[])[0]
        return self._ranking(hits)

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        return self.frequencies


def _clip(text: str) -> str:
    """At most a VARCHAR's bytes, cut at a space (a 1,000-character passage's terms are ~6 KB)."""
    data = text.encode("utf-8")
    return text if len(data) <= MAX_TEXT_BYTES else data[:MAX_TEXT_BYTES].decode("utf-8", "ignore").rsplit(" ", 1)[0]


def _lite_major() -> int:
    """The major version of the installed milvus-lite (3: the pure-Python engine)."""
    from importlib.metadata import version

    return int(version("milvus-lite").split(".")[0])


def _ensure_collection(client: Any, name: str, dim: int, settings: Settings, *, lite: bool) -> None:
    """Create the collection if missing; recreate it when its vectors have another dimension. A
    server's vectors get HNSW with the FAISS store's parameters; Milvus Lite's its AUTOINDEX (3.x:
    FAISS HNSW; the binary 2.5 takes only FLAT, IVF_FLAT and AUTOINDEX)."""
    if client.has_collection(name):
        fields = client.describe_collection(name)["fields"]
        have = next((f.get("params", {}).get("dim") for f in fields if f["name"] == "vector"), None)
        if have is not None and int(have) == dim:
            client.load_collection(name)
            return
        log.warning("milvus collection %s holds %s-dimensional vectors, not %d: recreating it", name, have, dim)
        client.drop_collection(name)
    schema, index_params = _schema(client, dim, LITE3_ANALYZER if lite and _lite_major() >= 3 else MILVUS_ANALYZER)
    if lite:
        index_params.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
    else:
        hnsw = {"M": settings.index.hnsw_m, "efConstruction": settings.index.hnsw_ef_construction}
        index_params.add_index("vector", index_type="HNSW", metric_type="IP", params=hnsw)
    index_params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25_PARAMS)
    client.create_collection(name, schema=schema, index_params=index_params, consistency_level="Strong")


def _not_lite_noise(record: logging.LogRecord) -> bool:
    """Milvus Lite gives a query iterator no server timestamp, and pymilvus warns on every build."""
    return "failed to get mvccTs" not in record.getMessage()


logging.getLogger("pymilvus.client.iterator.query_iterator").addFilter(_not_lite_noise)


def _held(client: Any, name: str) -> dict[str, tuple[str, str]]:
    """{chunk id: (digest, article id)} of every row of the collection."""
    held: dict[str, tuple[str, str]] = {}
    iterator = client.query_iterator(name, batch_size=4096, filter='id != ""', output_fields=["digest", "article_id"])
    try:
        while batch := iterator.next():
            held.update((row["id"], (row["digest"], row["article_id"])) for row in batch)
    finally:
        iterator.close()
    return held
