"""The one place where cleaned parts become an `Article`, whatever the input format.

Putting normalisation and the emptiness check here means a page, an HTML file and a JSON Lines record
come out alike: NFC text with new-style tone marks, paragraphs separated by exactly one blank line,
and no article without a title or a body (it could be neither retrieved nor cited).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from qa.corpus.problems import ProblemKind, UnreadableArticle
from qa.text import normalize
from qa.types import Article

_BLANK_LINES = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a body that marks them with blank lines (one or more)."""
    return [" ".join(part.split()) for part in _BLANK_LINES.split(text) if part.strip()]


def _clean(value: str | None) -> str | None:
    """Normalised text on one line, or None when nothing is left."""
    if not value:
        return None
    return " ".join(normalize(value).split()) or None


def build_article(
    article_id: str,
    title: str | None,
    paragraphs: Iterable[str],
    *,
    published: datetime | None = None,
    url: str | None = None,
    category: str | None = None,
    author: str | None = None,
    source_path: str | None = None,
) -> Article:
    """Normalise every text field and refuse an article with no id, title or body."""
    body = "\n\n".join(p for p in (_clean(p) for p in paragraphs) if p)
    clean_id, clean_title = (article_id or "").strip(), _clean(title)
    missing = [name for name, value in (("id", clean_id), ("title", clean_title), ("body", body)) if not value]
    if missing:
        raise UnreadableArticle(f"the article has no {' and no '.join(missing)} after cleaning", ProblemKind.EMPTY)
    return Article(
        id=clean_id,
        title=clean_title or "",
        body=body,
        published=published,
        url=(url or "").strip() or None,
        category=_clean(category),
        author=_clean(author),
        source_path=source_path,
    )
