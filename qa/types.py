"""The records that flow through the pipeline, from raw page to cited answer.

Each stage of the data flow (see README, "How it works") takes and returns these, so a stage can be
swapped without touching its neighbours. They are plain frozen dataclasses with a `to_dict()` that
gives JSON-ready values (datetimes as ISO 8601), because every one of them ends up on disk or on a wire.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class Article(_Record):
    """One news article, cleaned of its page's boilerplate.

    `body` holds paragraphs separated by one blank line; `published` is timezone-aware (Vietnam time
    for the seed pages) or None when the page gives no date.
    """

    id: str
    title: str
    body: str
    published: datetime | None = None
    url: str | None = None
    category: str | None = None
    author: str | None = None
    source_path: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        published = data.get("published")
        if isinstance(published, str) and published:
            published = datetime.fromisoformat(published)
        return cls(
            id=str(data["id"]),
            title=str(data.get("title") or ""),
            body=str(data.get("body") or ""),
            published=published or None,
            url=data.get("url") or None,
            category=data.get("category") or None,
            author=data.get("author") or None,
            source_path=data.get("source_path") or None,
        )


@dataclass(frozen=True)
class Chunk(_Record):
    """A passage of an article: `text == article.body[start:end]`."""

    id: str
    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage(_Record):
    """A retrieved chunk with what a citation needs, ranked by `score` (higher is better)."""

    chunk_id: str
    article_id: str
    title: str
    url: str | None
    published: datetime | None
    text: str
    score: float


@dataclass(frozen=True)
class Citation(_Record):
    """Source `[n]` of an answer: the article and the sentence quoted from it."""

    n: int
    article_id: str
    title: str
    url: str | None
    published: datetime | None
    quote: str


@dataclass(frozen=True)
class Answer(_Record):
    """What `ask()` returns.

    Every `[n]` marker in `text` has a citation numbered n, and every citation is used in `text`.
    An abstention has `abstained=True`, no citations and no short answer.
    """

    question: str
    text: str
    short_answer: str | None = None
    abstained: bool = False
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    # The standalone question that was searched: the question itself, or a follow-up rewritten
    # with the help of the conversation ("Còn Cần Thơ thì sao?" → "Cần Thơ ký … năm nào?").
    query: str | None = None
    # How sure the answering model is that the answer is right: P(answerable) from its evidence
    # (None when nothing was read); `sure` when that reaches QA_ANSWER_SURE; otherwise `doubt`
    # names the evidence that weighed most against it (a field of `qa.reader.Evidence`, e.g.
    # "names_missing"), which the chat explains in Vietnamese.
    confidence: float | None = None
    sure: bool = False
    doubt: str | None = None
