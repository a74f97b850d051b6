"""Scraped news pages saved as plain text (the format of `seeds/*.txt`).

Such a page opens with a header (breadcrumb `Trang chủ …`, timestamp `17:02 | 26/05/2022 GMT+7`,
title), any of which may be missing, then the article woven with teasers, then the tail. The header
gives the metadata; `boilerplate` separates the article from the rest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from qa.corpus.article import build_article
from qa.corpus.boilerplate import clean_body, split_tail
from qa.corpus.dates import parse_page_timestamp
from qa.text import normalize
from qa.types import Article

_BREADCRUMB = re.compile(r"trang chủ(?=$|[\s>»/|›-])(?P<trail>.*)", re.IGNORECASE)


@dataclass(frozen=True)
class _Header:
    title: str | None
    category: str | None
    published: datetime | None
    body_start: int


def _breadcrumb_category(trail: str) -> str | None:
    """`Trang chủ Chính trị - Xã hội Chuyện tuần này` → `Chính trị - Xã hội Chuyện tuần này`. The
    scraper dropped the separators between the levels, so the trail is kept whole."""
    return trail.lstrip(" >»/|›-").strip() or None


def _read_header(lines: list[str]) -> _Header:
    """Breadcrumb (only as the first line), timestamp and title, in whatever order and presence the
    page has them; the body starts at the first line after the title that is neither."""
    title = category = published = None
    for index, line in enumerate(lines):
        if not line:
            continue
        breadcrumb = _BREADCRUMB.match(line) if not any(lines[:index]) else None
        if breadcrumb:
            category = _breadcrumb_category(breadcrumb["trail"])
        elif published is None and (stamp := parse_page_timestamp(line)):
            published = stamp
        elif title is None:
            title = line
        else:
            return _Header(title, category, published, index)
    return _Header(title, category, published, len(lines))


def parse_page(
    text: str, article_id: str, url: str | None = None, published: datetime | None = None
) -> Article:
    """The article in one scraped page. `url` and `published` come from outside the page (e.g.
    `sources.json`); the page's own timestamp wins over `published`.

    Raises `UnreadableArticle` (a ValueError) when no title or no article text is left."""
    lines = [line.strip() for line in normalize(text).splitlines()]
    header = _read_header(lines)
    body_lines, author = split_tail(lines[header.body_start :])
    return build_article(
        article_id,
        header.title,
        clean_body(body_lines, header.title or ""),
        published=header.published or published,
        url=url,
        category=header.category,
        author=author,
    )
