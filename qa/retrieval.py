"""Question → the best passages: dense (E5 + FAISS) and lexical (BM25) rankings, fused.

The two retrievers fail differently: BM25 finds rare names and numbers exactly and misses
paraphrases; the dense model finds paraphrases and blurs names. Relative score fusion (qa.fusion)
scales each list's scores to [0, 1] and adds them, weighted, so no calibration between a cosine and
a BM25 score is needed and a passage found by either one comes up. Which recipe won, and by how
much, is in docs/retrieval.md.

The retriever also serves the answering stage: the query vector (cached, so a question is encoded
once), chunks, articles and the pre-embedded sentences of each chunk.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from embeddings import Encoder, load_encoder
from qa.fusion import relative_score_fusion, top_rows
from qa.index import Index, Sentence, build_index
from qa.settings import Settings
from qa.types import Article, Chunk, Passage

__all__ = ["Retriever", "Sentence"]

CANDIDATES = 50  # depth read from each ranking before fusing


class Retriever:
    def __init__(self, index: Index, encoder: Encoder, settings: Settings) -> None:
        self.index = index
        self.encoder = encoder
        self.settings = settings
        self._weights = (settings.fusion_dense_weight, 1.0)
        self._query_vector = lru_cache(maxsize=1024)(self._encode_query)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Retriever":
        """Load the index of `settings.corpus_dir`, building or rebuilding it first when needed."""
        encoder = load_encoder(settings.embed_model)
        return cls(build_index(settings, encoder=encoder), encoder, settings)

    # -- retrieval --------------------------------------------------------------------------------

    def retrieve(self, question: str, k: int = 5) -> list[Passage]:
        """The k best passages for a cleaned question, best first; `score` is the fused score
        scaled to [0, 1], 1 when the dense and the word ranking both put the passage first (the
        answerer reads that agreement as evidence)."""
        depth = max(k, CANDIDATES)
        dense_scores, dense_rows = self.index.dense.search(self.encode_query(question)[None, :], depth)
        lexical_scores = self.lexical_scores(question)
        lexical_rows = top_rows(lexical_scores, depth)
        fused = relative_score_fusion(
            [(dense_rows[0], dense_scores[0]), (lexical_rows, lexical_scores[lexical_rows])],
            len(self.index.chunks),
            self._weights,
        )
        fused /= sum(self._weights)
        return [self._passage(row, fused[row]) for row in top_rows(fused, k)]

    def lexical_scores(self, question: str, chunk_ids: Sequence[str] | None = None) -> np.ndarray:
        """BM25 score of every passage (index order), or of the given chunks in that order."""
        scores = self.index.lexical.scores(question)
        if chunk_ids is None:
            return scores
        return scores[[self.index.row_of_chunk[c] for c in chunk_ids]]

    def encode_query(self, question: str) -> np.ndarray:
        """The question's unit vector, (dim,) float32, read-only: cached, so answering reuses it."""
        return self._query_vector(question)

    def _encode_query(self, question: str) -> np.ndarray:
        vector = self.encoder.encode_queries([question])[0]
        vector.setflags(write=False)
        return vector

    def _passage(self, row: int, score: float) -> Passage:
        chunk = self.index.chunks[row]
        article = self.index.article_by_id[chunk.article_id]
        return Passage(
            chunk_id=chunk.id,
            article_id=article.id,
            title=article.title,
            url=article.url,
            published=article.published,
            text=chunk.text,
            score=float(score),
        )

    # -- records, for answering -------------------------------------------------------------------

    @property
    def articles(self) -> list[Article]:
        return self.index.articles

    def article(self, article_id: str) -> Article:
        return self.index.article_by_id[article_id]

    def chunk(self, chunk_id: str) -> Chunk:
        return self.index.chunks[self.index.row_of_chunk[chunk_id]]

    def sentences(self, chunk_id: str) -> list[Sentence]:
        """The chunk's sentences with their offsets in the article body and their passage vectors."""
        return self.index.sentences(self.index.row_of_chunk[chunk_id])
