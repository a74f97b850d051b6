"""Question → the best passages: dense (E5) and lexical (BM25) rankings from the store (FAISS +
bm25s, or Milvus: qa/store.py), fused.

The two retrievers fail differently: BM25 finds rare names and numbers exactly and misses
paraphrases; the dense model finds paraphrases and blurs names. Relative score fusion (qa.fusion)
scales each list's scores to [0, 1] and adds them, weighted, so no calibration between a cosine and
a BM25 score is needed and a passage found by either one comes up. Which recipe won, and by how
much, is in docs/retrieval.md. A passage with no vector yet (an index between its two stages,
`qa.index`) is scored by BM25 alone, its share standing for both rankings'.

Dates (docs/dates.md): `within` is a filter (an explicit `since=`/`until=`: only passages of articles
published in the range, undated ones left out); `prefer` is a preference read from the question
("năm 2023", "mới nhất"): among the relevant passages (fused score at least `date_relevant` of the
best), those published in the range, or the newest, move up by `date_weight`; nothing is dropped.
Either reads `DATE_DEPTH` times deeper into each ranking, so that passages of the asked time are
among the candidates. A passage's `score` stays its fused score, which the answerer reads.

The retriever only retrieves: the question arrives cleaned and already encoded (the pipeline encodes
it once, for retrieval and answering alike), and the records it cites come from the index.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np

from qa.dates import TimeRange, published_day
from qa.fusion import relative_score_fusion, top_rows
from qa.index import Index
from qa.question import looks_english
from qa.settings import RetrievalSettings
from qa.text import has_diacritics
from qa.types import Passage

DATE_DEPTH = 4  # how much deeper each ranking is read when dates filter or re-rank the passages


class Retriever:
    def __init__(self, index: Index, settings: RetrievalSettings | None = None) -> None:
        self.index = index
        self.settings = settings or RetrievalSettings()

    def retrieve(
        self,
        question: str,
        query_vector: np.ndarray,
        k: int,
        *,
        within: TimeRange | None = None,
        prefer: TimeRange | None = None,
    ) -> list[Passage]:
        """The k best passages for a cleaned question and its query vector, best first; `score` is
        the fused score scaled to [0, 1], 1 when the dense and the word ranking both put the passage
        first (the answerer reads that agreement as evidence). `within` keeps only passages of
        articles published in it; `prefer` moves those published then (or the newest) up."""
        depth = max(k, self.settings.candidates)
        if within is not None or prefer is not None:
            depth *= DATE_DEPTH
        dense, lexical = self.index.store.search(question, query_vector, depth)
        weights = self.weights(question)
        fused = relative_score_fusion([dense, lexical], len(self.index.chunks), weights)
        # A passage not embedded yet (a new article, `Index.dense_pending`) has no dense score: its BM25
        # share stands for both, so that it is not ranked below the others for want of a vector.
        fused[self.index.unembedded] *= sum(weights) / weights[1]
        fused /= sum(weights)
        ranking = fused
        if within is not None:
            ranking = np.where(self._in_range(within), fused, 0.0)
        if prefer is not None:
            ranking = ranking + self._date_bonus(ranking, prefer)
        return [self._passage(row, fused[row]) for row in top_rows(ranking, k)]

    def weights(self, question: str) -> tuple[float, float]:
        """The dense and the word ranking's weights in fusion, by how the question is typed: in
        English it shares only names with Vietnamese articles, so the (multilingual) dense ranking
        weighs more; without diacritics the encoder reads it poorly while BM25 matches its folded
        syllables, so the word ranking weighs more (docs/retrieval.md)."""
        if looks_english(question):
            dense = self.settings.english_dense_weight
        elif not has_diacritics(question):
            dense = self.settings.unaccented_dense_weight
        else:
            dense = self.settings.fusion_dense_weight
        return (dense, 1.0)

    @cached_property
    def _days(self) -> np.ndarray:
        """Each passage's publication day as a day number (float), NaN when its article has none
        (from the articles' metadata: no body is read)."""
        texts = self.index.texts
        days = np.array([np.nan if p is None else published_day(p).toordinal() for p in texts.published()])
        return days[texts.passage_articles]

    def _in_range(self, span: TimeRange) -> np.ndarray:
        days = self._days
        inside = ~np.isnan(days)
        if span.since is not None:
            inside &= days >= span.since.toordinal()
        if span.until is not None:
            inside &= days <= span.until.toordinal()
        return inside

    def _date_bonus(self, scores: np.ndarray, prefer: TimeRange) -> np.ndarray:
        """`date_weight` for each relevant passage published in the range; for "the newest", that
        weight scaled by how new it is among the relevant dated passages (oldest 0, newest 1)."""
        bonus = np.zeros_like(scores)
        if not scores.size or scores.max() <= 0:
            return bonus
        relevant = scores >= self.settings.date_relevant * scores.max()
        relevant &= scores > 0
        if prefer.bounded:
            bonus[relevant & self._in_range(prefer)] = self.settings.date_weight
        if prefer.recent:
            dated = relevant & ~np.isnan(self._days)
            if dated.any():
                days = self._days[dated]
                spread = days.max() - days.min()
                bonus[dated] += self.settings.date_weight * ((days - days.min()) / spread if spread else 1.0)
        return bonus

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
