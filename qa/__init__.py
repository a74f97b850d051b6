"""Hỏi đáp tin tức: ask questions in Vietnamese about a folder of Vietnamese news articles.

    >>> from qa import ask
    >>> answer = ask("Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?")
    >>> answer.short_answer, [c.url for c in answer.citations]

Imports are lazy so that `import qa` (and the `qa` command) stays fast: the encoder, FAISS and
Gradio load only when a call needs them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Answer", "Article", "Chunk", "Citation", "Passage", "Settings", "__version__", "ask", "load_corpus",
    "retrieve",
]

_LAZY = {
    "Answer": "qa.types",
    "Article": "qa.types",
    "Chunk": "qa.types",
    "Citation": "qa.types",
    "Passage": "qa.types",
    "Settings": "qa.settings",
    "ask": "qa.api",
    "retrieve": "qa.api",
    "load_corpus": "qa.corpus",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from qa.api import ask, retrieve
    from qa.corpus import load_corpus
    from qa.settings import Settings
    from qa.types import Answer, Article, Chunk, Citation, Passage
