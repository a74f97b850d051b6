"""The public entry points: `ask()` and `retrieve()`, and the `Pipeline` behind them.

A `Pipeline` binds one `Settings` to its loaded index, encoder and answerer, loading each on first
use. The module-level functions share one pipeline per settings, so a long-running process (the chat
UI, an evaluation) loads the index once.
"""
from __future__ import annotations

import threading
from functools import cached_property
from typing import Sequence

from qa.settings import Settings
from qa.types import Answer, Passage

History = Sequence[tuple[str, str]]  # (earlier question, the answer text given to it), oldest first


class Pipeline:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.load()

    @cached_property
    def retriever(self):  # -> qa.retrieval.Retriever
        from qa.retrieval import Retriever

        return Retriever.from_settings(self.settings)

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        from qa.question import clean_question

        return self.retriever.retrieve(clean_question(question), k or self.settings.top_k)

    def ask(self, question: str, *, k: int | None = None, history: History | None = None) -> Answer:
        raise NotImplementedError("ask() lands with the answering issue")


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
    """Answer `question` in Vietnamese from the articles, with [n] citations, or abstain."""
    return default_pipeline().ask(question, k=k, history=history)
