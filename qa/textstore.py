"""The texts of a build — article bodies, and passages as slices of them — read when they are asked for.

A cold start used to parse every body and every passage text (two JSON Lines files of ~60 MB each
at 60k passages: over a second) before it could answer anything, though a question reads a dozen
passages. A build now stores:

    articles.json     the articles without their bodies (id, title, published, url, …), one JSON list
    bodies.bin        the bodies, UTF-8, one after the other
    bodies.npy        (n_articles, 3) uint64: each body's first and end byte in bodies.bin, and the
                      xxh3-64 hash of those bytes
    passages.npy      (n_passages, 3) int64: each passage's article (row of articles.json), start and
                      end (characters of the body: the passage is `body[start:end]`, so no passage
                      text is stored); row i = vector i of dense.faiss = document i of lexical/
    passage_ids.json  the passages' ids, one JSON list

Loading reads the small files (the metadata, ids and offsets). A body is read with one `pread` of
its bytes, when an article or a passage of it is asked for, checked against its hash and decoded.
The index's checksums (`qa.index`) cover bodies.bin at load too; the per-body hash also catches a
file damaged in place after it was loaded, and the file is read through a descriptor kept open (not
mapped), so that a file truncated under a running reader is an `IndexCorrupt` error, not a crash,
and a build folder removed by a newer build stays readable until the reader moves to the new one.

`TextStore.articles`, `.chunks` and `.article_by_id` are read-only views that make `Article` and
`Chunk` records on each access (nothing is kept): code that walks every record reads every body,
so what needs only metadata reads it here (`published`, `passage_counts`, `passage_articles`).
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np
import xxhash

from qa.errors import IndexCorrupt
from qa.types import Article, Chunk

T = TypeVar("T")

ARTICLES = "articles.json"
BODIES = "bodies.bin"
BODY_OFFSETS = "bodies.npy"
PASSAGES = "passages.npy"
PASSAGE_IDS = "passage_ids.json"
FILES = (ARTICLES, BODIES, BODY_OFFSETS, PASSAGES, PASSAGE_IDS)


def _hash(data: bytes) -> int:
    return xxhash.xxh3_64_intdigest(data)


def write(folder: Path, articles: Sequence[Article], chunks: Sequence[Chunk]) -> None:
    """Store the articles and their passages in `folder` (which exists); the bodies are streamed to
    disk one at a time."""
    row_of = {article.id: row for row, article in enumerate(articles)}
    offsets = np.zeros((len(articles), 3), dtype=np.uint64)
    position = 0
    with open(folder / BODIES, "wb") as fh:
        for row, article in enumerate(articles):
            data = article.body.encode("utf-8")
            fh.write(data)
            offsets[row] = (position, position + len(data), _hash(data))
            position += len(data)
    metadata = []
    for article in articles:
        record = article.to_dict()
        del record["body"]
        metadata.append(record)
    (folder / ARTICLES).write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    np.save(folder / BODY_OFFSETS, offsets, allow_pickle=False)
    passages = np.array([(row_of[c.article_id], c.start, c.end) for c in chunks], dtype=np.int64).reshape(-1, 3)
    np.save(folder / PASSAGES, passages, allow_pickle=False)
    (folder / PASSAGE_IDS).write_text(json.dumps([c.id for c in chunks], ensure_ascii=False), encoding="utf-8")


class TextStore:
    """A build's texts, opened: metadata in memory, bodies on disk (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        """Open the store in `folder`; ValueError (or OSError) when a file is missing or does not
        fit the others (the index turns it into `IndexCorrupt`)."""
        self.folder = folder
        metadata = json.loads((folder / ARTICLES).read_text(encoding="utf-8"))
        ids = json.loads((folder / PASSAGE_IDS).read_text(encoding="utf-8"))
        offsets = np.load(folder / BODY_OFFSETS, allow_pickle=False)
        passages = np.load(folder / PASSAGES, allow_pickle=False)
        if not isinstance(metadata, list) or not all(isinstance(m, dict) and "id" in m for m in metadata):
            raise ValueError(f"{ARTICLES} is not a list of articles")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError(f"{PASSAGE_IDS} is not a list of ids")
        if offsets.dtype != np.uint64 or offsets.shape != (len(metadata), 3):
            raise ValueError(f"{BODY_OFFSETS} holds {offsets.dtype} {offsets.shape}, not ({len(metadata)}, 3) uint64")
        if passages.dtype != np.int64 or passages.shape != (len(ids), 3):
            raise ValueError(f"{PASSAGES} holds {passages.dtype} {passages.shape}, not ({len(ids)}, 3) int64")
        self._file = open(folder / BODIES, "rb", buffering=0)  # noqa: SIM115  kept open: see the module docstring
        size = os.fstat(self._file.fileno()).st_size
        if len(offsets) and (np.any(offsets[:, 0] > offsets[:, 1]) or int(offsets[:, 1].max()) > size):
            raise ValueError(f"{BODY_OFFSETS} points outside {BODIES} ({size} bytes)")
        if len(passages) and (passages[:, 0].min() < 0 or passages[:, 0].max() >= len(metadata)):
            raise ValueError(f"{PASSAGES} names articles that {ARTICLES} does not hold")
        self._metadata: list[dict[str, Any]] = metadata
        self._offsets = offsets
        self._passages = passages
        self.passage_ids: list[str] = ids
        self.passage_articles: np.ndarray = passages[:, 0]
        """The article row of each passage."""
        self.row_of_article = {m["id"]: row for row, m in enumerate(metadata)}
        self.row_of_chunk = {chunk_id: row for row, chunk_id in enumerate(ids)}
        if len(self.row_of_article) != len(metadata) or len(self.row_of_chunk) != len(ids):
            raise ValueError("two articles or two passages share an id")
        self.articles = RowView(len(metadata), self.article)
        self.chunks = RowView(len(ids), self.chunk)
        self.article_by_id = _ArticlesById(self)

    def close(self) -> None:
        self._file.close()

    # -- bodies, read when asked for ---------------------------------------------------------------

    def body(self, row: int) -> str:
        """The body of the article in this row, read from disk and checked."""
        start, end, expected = (int(v) for v in self._offsets[row])
        try:
            data = os.pread(self._file.fileno(), end - start, start)
        except OSError as exc:
            raise self._damaged(f"unreadable ({exc})") from exc
        if len(data) != end - start:
            raise self._damaged(f"truncated ({len(data)} of {end - start} bytes of article row {row} read)")
        if _hash(data) != expected:
            raise self._damaged(f"altered (the body of article {self._metadata[row]['id']!r} does not match its hash)")
        return data.decode("utf-8")

    def _damaged(self, problem: str) -> IndexCorrupt:
        return IndexCorrupt.in_file(self.folder / BODIES, problem)

    def article(self, row: int) -> Article:
        return Article.from_dict({**self._metadata[row], "body": self.body(row)})

    def chunk(self, row: int) -> Chunk:
        article, start, end = (int(v) for v in self._passages[row])
        text, article_id = self.body(article)[start:end], self._metadata[article]["id"]
        return Chunk(id=self.passage_ids[row], article_id=article_id, text=text, start=start, end=end)

    def passage_body(self, row: int) -> str:
        """The body of the article passage `row` is a slice of."""
        return self.body(int(self.passage_articles[row]))

    # -- metadata, in memory -----------------------------------------------------------------------

    def published(self) -> list[datetime | None]:
        """Each article's publication time (None when unknown), by row, without reading bodies."""
        return [Article.from_dict(m).published for m in self._metadata]

    def headers(self) -> list[Article]:
        """Every article without its body (`body` empty), by row, without reading bodies: what a
        listing or a summary of the archive needs."""
        return [Article.from_dict({**m, "body": ""}) for m in self._metadata]

    def passage_counts(self) -> dict[str, int]:
        """{article id: passages it has}, without reading bodies."""
        counts = np.bincount(self.passage_articles, minlength=len(self._metadata))
        return {m["id"]: int(n) for m, n in zip(self._metadata, counts, strict=True)}


class RowView(Sequence[T]):
    """A read-only sequence whose item `row` is `get(row)`, made on each access (nothing kept)."""

    def __init__(self, length: int, get: Callable[[int], T]) -> None:
        self._length, self._get = length, get

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, row: int) -> T: ...
    @overload
    def __getitem__(self, row: slice) -> list[T]: ...
    def __getitem__(self, row: int | slice) -> T | list[T]:
        if isinstance(row, slice):
            return [self._get(r) for r in range(self._length)[row]]
        return self._get(range(self._length)[row])


class _ArticlesById(Mapping[str, Article]):
    def __init__(self, store: TextStore) -> None:
        self._store = store

    def __getitem__(self, article_id: str) -> Article:
        return self._store.article(self._store.row_of_article[article_id])

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._store.row_of_article

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.row_of_article)

    def __len__(self) -> int:
        return len(self._store.row_of_article)
