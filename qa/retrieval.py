"""Question → the best passages: dense (E5 + FAISS) and lexical (BM25) rankings, fused.

The two retrievers fail differently: BM25 finds rare names and numbers exactly and misses
paraphrases; the dense model finds paraphrases and blurs names. Relative score fusion (qa.fusion)
scales each list's scores to [0, 1] and adds them, weighted, so no calibration between a cosine and
a BM25 score is needed and a passage found by either one comes up. Which recipe won, and by how
much, is in docs/retrieval.md.

The retriever only retrieves: the question arrives cleaned and already encoded (the pipeline encodes
it once, for retrieval and answering alike), and the records it cites come from the index.
"""
from __future__ import annotations

import numpy as np

from qa.fusion import relative_score_fusion, top_rows
from qa.index import Index
from qa.settings import RetrievalSettings
from qa.types import Passage


class Retriever:
    def __init__(self, index: Index, settings: RetrievalSettings | None = None) -> None:
        self.index = index
        self.settings = settings or RetrievalSettings()
        self._weights = (self.settings.fusion_dense_weight, 1.0)

    def retrieve(self, question: str, query_vector: np.ndarray, k: int) -> list[Passage]:
        """The k best passages for a cleaned question and its query vector, best first; `score` is
        the fused score scaled to [0, 1], 1 when the dense and the word ranking both put the passage
        first (the answerer reads that agreement as evidence)."""
        depth = max(k, self.settings.candidates)
        dense_scores, dense_rows = self.index.dense.search(query_vector[None, :], depth)
        lexical_scores = self.index.lexical.scores(question)
        lexical_rows = top_rows(lexical_scores, depth)
        fused = relative_score_fusion(
            [(dense_rows[0], dense_scores[0]), (lexical_rows, lexical_scores[lexical_rows])],
            len(self.index.chunks),
            self._weights,
        )
        fused /= sum(self._weights)
        return [self._passage(row, fused[row]) for row in top_rows(fused, k)]

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
