"""The public entry points: `ask()` and `retrieve()`, and the `Pipeline` behind them.

A `Pipeline` binds one `Settings` to its loaded index, encoder and answerers, loading each on first
use (under a lock: the chat UI calls it from several threads). The module-level functions share one
pipeline per settings, so a long-running process loads the index once.

    question ─ clean ─ resolve follow-up ─ retrieve (dense + BM25, fused) ─ extract sentences
             ─ [optional: language model over the same passages] ─ Answer with [n] citations
"""
from __future__ import annotations

import logging
import threading
from dataclasses import replace
from functools import cached_property
from typing import Sequence

from qa.settings import Settings
from qa.types import Answer, Article, Passage

log = logging.getLogger(__name__)

History = Sequence[tuple[str, str]]  # (earlier question, the answer text given to it), oldest first


class Pipeline:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.load()
        self._lock = threading.RLock()

    @cached_property
    def retriever(self):  # -> qa.retrieval.Retriever (imported lazily: it loads FAISS)
        from qa.retrieval import Retriever

        with self._lock:
            return Retriever.from_settings(self.settings)

    @cached_property
    def extractive(self):  # -> qa.extractive.ExtractiveAnswerer
        from qa.abstention import AbstentionModel
        from qa.extractive import ExtractiveAnswerer
        from qa.lexicon import TermWeights

        with self._lock:
            abstention = AbstentionModel.load()
            if self.settings.abstain_threshold is not None:
                abstention = replace(abstention, threshold=self.settings.abstain_threshold)
            weights = TermWeights(*self.retriever.index.lexical.document_frequencies())
            return ExtractiveAnswerer(weights, abstention)

    @cached_property
    def generator(self):  # -> qa.generative.ChatCompletionsClient | None
        s = self.settings
        if not (s.llm_base_url and s.llm_model):
            return None
        from qa.generative import ChatCompletionsClient

        return ChatCompletionsClient(s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout)

    @property
    def articles(self) -> list[Article]:
        """Every article of the corpus, as indexed (for corpus summaries and in-app article views)."""
        return self.retriever.articles

    def article(self, article_id: str) -> Article | None:
        return self.retriever.index.article_by_id.get(article_id)

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        from qa.question import clean_question

        return self.retriever.retrieve(clean_question(question), k or self.settings.top_k)

    def ask(self, question: str, *, k: int | None = None, history: History | None = None) -> Answer:
        from qa import answering
        from qa.followup import resolve
        from qa.question import clean_question, is_list_question

        question = clean_question(question)
        query = resolve(question, history)
        passages = self.retriever.retrieve(query, k or self.settings.top_k)
        query_vector = self.retriever.encode_query(query)
        sentences_of = self.retriever.sentences
        if self.generator is not None:
            answer = self._generate(question, passages, history or (), query, query_vector)
            if answer is not None:
                return _with_query(answer, query)
        extract = self.extractive.extract(
            query, query_vector, passages, sentences_of, multi=is_list_question(query)
        )
        if extract.abstained:
            log.info("declined %r: %s", query, extract.reason)
        return _with_query(answering.from_extract(question, extract, passages), query)

    def _generate(self, question, passages, history, query, query_vector) -> Answer | None:
        """The model's answer, or None (logged) so the caller falls back to the extractive one."""
        from qa import answering
        from qa.generative import GenerationFailed, build_messages

        if not passages:
            return None
        try:
            reply = self.generator.complete(build_messages(question, passages, history))
        except GenerationFailed as exc:
            log.warning("language model failed, answering extractively instead: %s", exc)
            return None
        scored = self.extractive.score(query, query_vector, passages, self.retriever.sentences)
        best = {
            i: next((s for s in scored if s.passage.chunk_id == p.chunk_id), None)
            for i, p in enumerate(passages, 1)
        }
        return answering.from_generated(question, reply, passages, best)


def _with_query(answer: Answer, query: str) -> Answer:
    return replace(answer, query=query)


_pipelines: dict[Settings, Pipeline] = {}
_lock = threading.Lock()


def default_pipeline(settings: Settings | None = None) -> Pipeline:
    settings = settings or Settings.load()
    with _lock:
        if settings not in _pipelines:
            _pipelines[settings] = Pipeline(settings)
        return _pipelines[settings]


def retrieve(question: str, k: int = 5) -> list[Passage]:
    """The k passages most relevant to `question`, best first, each citable (title, url, date)."""
    return default_pipeline().retrieve(question, k)


def ask(question: str, *, k: int = 5, history: History | None = None) -> Answer:
    """Answer `question` in Vietnamese from the articles, with [n] citations, or abstain.

    `history` holds the earlier (question, answer text) pairs of the conversation, oldest first, so
    that a follow-up such as "Còn Cần Thơ thì sao?" is understood."""
    return default_pipeline().ask(question, k=k, history=history)
