"""Article bodies → passages (`Chunk`s) that fit the encoder and read on their own.

langchain's recursive splitter tries paragraph breaks first, then sentence ends (Vietnamese-aware,
see `qa.text.SENTENCE_BOUNDARY`), then clause punctuation, then spaces: a passage never ends
mid-word. Ids hash the article id and the passage text, so the same text gets the same id on every
run and embeddings can be cached by it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from qa.text import SENTENCE_BOUNDARY
from qa.types import Article, Chunk


class Chunker:
    def __init__(self, chunk_size: int = 1000, chunk_overlap: int = 150) -> None:
        if chunk_overlap >= chunk_size:
            raise ValueError(f"chunk_overlap ({chunk_overlap}) must be smaller than chunk_size ({chunk_size})")
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        # Imported here: it costs ~0.6 s, which only a build (never a cold question) should pay.
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self._splitter = RecursiveCharacterTextSplitter(
            separators=[r"\n\s*\n", SENTENCE_BOUNDARY.pattern, r"(?<=[;:])\s+", r"(?<=,)\s+", r"\s+"],
            is_separator_regex=True,
            keep_separator="end",
            chunk_size=chunk_size,
            chunk_overlap=chunk_overlap,
            strip_whitespace=True,
        )

    def split(self, article: Article) -> list[Chunk]:
        chunks: list[Chunk] = []
        seen: set[str] = set()
        cursor = 0
        for piece in self._splitter.split_text(article.body):
            start = article.body.find(piece, cursor)
            if start < 0:  # the splitter only strips, so this cannot happen; fail loudly if it does
                raise AssertionError(f"passage not found in body of {article.id}: {piece[:60]!r}")
            end = start + len(piece)
            # Overlapping passages start before the previous one ended; search from just after its start.
            cursor = start + 1
            chunk_id = make_chunk_id(article.id, piece)
            if chunk_id in seen:
                continue
            seen.add(chunk_id)
            chunks.append(Chunk(id=chunk_id, article_id=article.id, text=piece, start=start, end=end))
        return chunks

    def split_all(self, articles: Iterable[Article]) -> list[Chunk]:
        return [chunk for article in articles for chunk in self.split(article)]


def make_chunk_id(article_id: str, text: str) -> str:
    digest = hashlib.sha1(f"{article_id}\x00{text}".encode()).hexdigest()[:12]
    return f"{article_id}#{digest}"
