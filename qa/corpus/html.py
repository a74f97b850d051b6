"""News articles saved as HTML pages.

trafilatura finds the article among the navigation, sidebars and footer; its date is a day only, so
the page's own `article:published_time` (a full timestamp) is preferred, and its URL comes from
`<link rel=canonical>` or `og:url`, which name the article rather than wherever the file was saved.
The extracted text still goes through the same boilerplate rules as a scraped page, because teasers
and "Tin liên quan" lists often sit inside the article's own container. trafilatura drops figure
captions by design; the lead paragraph it would also drop is put back (see `_sapo`).
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from lxml import etree
from lxml import html as lxml_html

from qa.corpus.article import build_article
from qa.corpus.boilerplate import clean_body, is_same_text, is_title_echo, split_tail
from qa.corpus.dates import parse_iso
from qa.corpus.problems import ProblemKind, UnreadableArticle
from qa.text import normalize
from qa.types import Article

if TYPE_CHECKING:
    from trafilatura.settings import Document

_URL_XPATHS = ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
# Vietnamese newsrooms call the lead paragraph the "sapo", and so do their templates' CSS classes.
_SAPO_XPATH = "//*[contains(@class, 'sapo')]"
_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
)


def _first(tree: lxml_html.HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    for xpath in xpaths:
        for value in tree.xpath(xpath):
            if str(value).strip():
                return str(value).strip()
    return None


def _with_sapo(tree: lxml_html.HtmlElement, lines: list[str]) -> list[str]:
    """The lines with the page's lead paragraph first. Templates put the sapo outside the body
    container that trafilatura picks, so it is often missing, and it is the article's summary."""
    for element in tree.xpath(_SAPO_XPATH):
        sapo = " ".join(element.text_content().split())
        if sapo:
            already_there = any(is_same_text(sapo, line) for line in lines)
            return lines if already_there else [normalize(sapo), "", *lines]
    return lines


def _parse_date(value: str | None) -> datetime | None:
    """A page's date, or None when it is missing or malformed: a bad meta tag should cost the
    article its date, not the article."""
    try:
        return parse_iso(value) if value else None
    except ValueError:
        return None


def parse_html(
    html: str, article_id: str, url: str | None = None, published: datetime | None = None
) -> Article:
    """The article in an HTML page; `url` and `published` are used only when the page has none."""
    import trafilatura  # heavy (lxml, justext, date parsing): load only when HTML is met

    try:
        tree = lxml_html.fromstring(html)
    except (etree.LxmlError, ValueError) as exc:  # ValueError: an empty document
        raise UnreadableArticle(f"not parsable as HTML ({exc})", ProblemKind.NOT_HTML) from exc
    # A dict comes back only with `as_dict=True`; trafilatura's annotation does not tell the two apart.
    document = cast("Document | None", trafilatura.bare_extraction(html, with_metadata=True))
    if document is None or not document.text:
        raise UnreadableArticle("no article text found in the HTML page", ProblemKind.EMPTY)
    title = normalize(document.title or "")
    lines = [line.strip() for line in normalize(document.text).splitlines()]
    if lines and is_title_echo(lines[0], title):
        lines = lines[1:]  # trafilatura repeats the headline as the first line of the text
    body_lines, byline = split_tail(_with_sapo(tree, lines))
    return build_article(
        article_id,
        title,
        clean_body(body_lines, title),
        published=_parse_date(_first(tree, _PUBLISHED_XPATHS)) or _parse_date(document.date) or published,
        url=_first(tree, _URL_XPATHS) or url,
        category=document.categories[0] if document.categories else None,
        author=document.author or byline,
    )
