"""Already-clean articles, one JSON object per line (an export from a newsroom system or a crawl).

Each line stands alone, so one malformed record becomes a problem of its own (with its line number)
while the other records of the file still load.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qa.corpus.article import build_article, split_paragraphs
from qa.corpus.dates import parse_iso
from qa.corpus.problems import LoadProblem, ProblemKind, UnreadableArticle
from qa.types import Article

_REQUIRED = ("id", "title", "body")
_OPTIONAL_TEXT = ("url", "published", "category", "author")  # a string or null, nothing else
# A link the chat will render: http(s), one line, no white space (no markdown or HTML smuggled in).
_URL = re.compile(r"https?://[^\s<>\"'`\[\]]+", re.IGNORECASE)


def _article(record: Any) -> Article:
    if not isinstance(record, dict):
        raise UnreadableArticle(f"expected a JSON object, got {type(record).__name__}", ProblemKind.NOT_AN_OBJECT)
    missing = [key for key in _REQUIRED if not isinstance(record.get(key), str) or not record[key].strip()]
    if missing:
        raise UnreadableArticle(f"missing or empty {', '.join(repr(k) for k in missing)}", ProblemKind.MISSING_FIELDS)
    for key in _OPTIONAL_TEXT:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            reason = f"{key!r} must be text or null, got {type(value).__name__}: {value!r:.40}"
            raise UnreadableArticle(reason, ProblemKind.BAD_FIELD)
    url = record.get("url") or None
    if url is not None and not _URL.fullmatch(url):
        raise UnreadableArticle(f"'url' is not a single http(s) link: {url!r:.60}", ProblemKind.BAD_URL)
    published = record.get("published")
    try:
        when = parse_iso(published) if published else None
    except (TypeError, ValueError) as exc:
        raise UnreadableArticle(f"'published' is not an ISO 8601 date: {published!r}", ProblemKind.BAD_DATE) from exc
    return build_article(
        record["id"],
        record["title"],
        split_paragraphs(record["body"]),
        published=when,
        url=url,
        category=record.get("category"),
        author=record.get("author"),
    )


def read_jsonl(path: Path, text: str) -> Iterator[Article | LoadProblem]:
    """Each record's article, or a problem whose reason starts with `line N:`. Blank lines are skipped."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _article(json.loads(line))
        except json.JSONDecodeError as exc:
            reason = f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})"
            yield LoadProblem(path, reason, ProblemKind.INVALID_JSON, number)
        except UnreadableArticle as exc:
            yield LoadProblem(path, f"line {number}: {exc}", exc.kind, number)


def record_id(line: str) -> str | None:
    """The article id of one JSON Lines record as the loader reads it (stripped), or None."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    value = record.get("id") if isinstance(record, dict) else None
    return value.strip() if isinstance(value, str) else None
