"""Turn the pipeline's records (Answer, Article) into the HTML the chat and the article page show.

Everything here is pure string building, so the safety rules can be unit-tested without a browser:
- every piece of text that came from a user or an article goes through `text_html` (escaped; never
  interpreted as HTML or markdown);
- a link is only ever made from an http(s) URL (`safe_url`); anything else falls back to the
  in-app article view;
- chat messages are single-line HTML blocks, so Gradio's markdown pass leaves their content alone
  (markdown is not interpreted inside an HTML block) and its sanitizer only sees our own tags.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from qa import messages
from qa.types import Answer, Article, Citation, Passage

if TYPE_CHECKING:
    from qa.api import Embedding

ARTICLE_ROUTE = "article"  # in-app article view: <app root>/article/<id>[?trich=<quote>#trich-dan]
QUOTE_PARAM = "trich"  # the quoted sentence the in-app view highlights
QUOTE_ANCHOR = "trich-dan"  # …and scrolls to
MAX_QUOTE_IN_LINK = 500  # characters of the quote carried in the link
_MARKER = re.compile(r"\[(\d+)\]")
_SAFE_SCHEMES = ("http", "https")
QUOTE_GAP = "…"  # how a citation's quote marks the gap between sentences it joins


def text_html(text: str) -> str:
    """Escape text for HTML (quotes included, since some of it lands in attributes) and turn every
    line break into <br>: \\n, \\r\\n and also a lone \\r, form feed, U+2028… (whatever
    `str.splitlines` splits on), since a markdown parser may end the HTML block at any of them and
    read what follows as markdown. The result holds no line break at all."""
    return "<br>".join(html.escape(text, quote=True).splitlines())


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) URL, else None: a `javascript:` or `data:` URL from a
    scraped page must never become a clickable link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return url.strip()


def article_path(article_id: str, quoted: str | None = None) -> str:
    """Relative link to the in-app view, so it also works under a proxy prefix or a share link; with
    `quoted`, the view highlights that quote and scrolls to it."""
    path = f"{ARTICLE_ROUTE}/{quote(article_id, safe='')}"
    if not quoted:
        return path
    return f"{path}?{QUOTE_PARAM}={quote(quoted[:MAX_QUOTE_IN_LINK], safe='')}#{QUOTE_ANCHOR}"


def format_date(published: datetime | None) -> str:
    """Vietnamese readers write day first: dd/mm/yyyy."""
    return published.strftime("%d/%m/%Y") if published else messages.UNKNOWN_DATE


def link(href: str, label_html: str, css_class: str | None = None) -> str:
    """A link that opens in a new tab without giving that tab a handle on this page."""
    cls = f' class="{css_class}"' if css_class else ""
    return (
        f'<a href="{html.escape(href, quote=True)}"{cls} target="_blank" '
        f'rel="noopener noreferrer">{label_html}</a>'
    )


def citation_href(citation: Citation) -> str:
    """The article's own URL, else the in-app view at the quoted sentence."""
    return safe_url(citation.url) or article_path(citation.article_id, citation.quote)


def question_html(question: str) -> str:
    """The user's message, shown exactly as typed."""
    return f'<div class="qa-question">{text_html(question)}</div>'


def notice_html(message: str) -> str:
    """A one-line message from the app itself (progress, error) rather than from the articles."""
    return f'<div class="qa-notice">{text_html(message)}</div>'


def answer_html(answer: Answer) -> str:
    """The full chat message for an answer: text with clickable [n] markers, the numbered sources,
    and a collapsed panel with the passages read. An abstention shows its text alone."""
    if answer.abstained:
        return f'<div class="qa-answer qa-abstained">{text_html(answer.text)}</div>'
    text = marked_text_html(answer.text, answer.citations, bold=answer.short_answer)
    parts = [f'<div class="qa-answer-text">{text}</div>']
    if answer.citations:
        parts.append(confidence_html(answer))
        parts.append(sources_html(answer.citations))
    if answer.passages:
        parts.append(passages_html(answer.passages, [c.quote for c in answer.citations]))
    look = "qa-answer" if answer.sure or not answer.citations else "qa-answer qa-answer-unsure"
    return f'<div class="{look}">{"".join(parts)}</div>'


def confidence_html(answer: Answer) -> str:
    """One line under the answer: how sure it is, and for an unsure one what weighed most against
    it, in plain Vietnamese, pointing at the first source to check."""
    n = min(c.n for c in answer.citations)
    if answer.sure:
        line, look = messages.CONFIDENCE_SURE.format(n=n), "qa-confidence qa-sure"
    else:
        reason = messages.CONFIDENCE_REASONS.get(answer.doubt or "", messages.CONFIDENCE_REASON_DEFAULT)
        line, look = messages.CONFIDENCE_UNSURE.format(reason=reason, n=n), "qa-confidence qa-unsure"
    return f'<div class="{look}">{marked_text_html(line, answer.citations)}</div>'


def marked_text_html(text: str, citations: Sequence[Citation], bold: str | None = None) -> str:
    """Escape the answer text and turn each [n] that has a citation into a link to its source;
    a marker without a citation stays plain text. `bold` (the short answer) is set in bold where it
    first appears, when that is before the first citation marker: the answer's lead."""
    first_marker = _MARKER.search(text)
    at = text.find(bold) if bold else -1
    if bold and at >= 0 and (first_marker is None or at + len(bold) <= first_marker.start()):
        head, rest = text[:at], text[at + len(bold) :]
        return f"{text_html(head)}<strong>{text_html(bold)}</strong>{marked_text_html(rest, citations)}"
    by_number = {c.n: c for c in citations}
    pieces, last = [], 0
    for match in _MARKER.finditer(text):
        citation = by_number.get(int(match.group(1)))
        if citation is None:
            continue
        pieces.append(text_html(text[last : match.start()]))
        pieces.append(link(citation_href(citation), f"[{citation.n}]", "qa-marker"))
        last = match.end()
    pieces.append(text_html(text[last:]))
    return "".join(pieces)


def sources_html(citations: Sequence[Citation]) -> str:
    """Numbered source list: [n] title (linked) · date, in citation order."""
    items = "".join(source_item_html(c) for c in sorted(citations, key=lambda c: c.n))
    return (
        f'<div class="qa-sources"><strong>{text_html(messages.SOURCES_HEADING)}:</strong>'
        f'<ol class="qa-source-list">{items}</ol></div>'
    )


def source_item_html(citation: Citation) -> str:
    url = safe_url(citation.url)
    title = link(citation_href(citation), text_html(citation.title or citation.article_id))
    hint = "" if url else f" <em>({text_html(messages.IN_APP_HINT)})</em>"
    return (
        f'<li value="{citation.n}">[{citation.n}] {title}{hint} · '
        f"{text_html(format_date(citation.published))}</li>"
    )


def passages_html(passages: Sequence[Passage], quotes: Sequence[str]) -> str:
    """Collapsed by default: the passages are evidence for the curious, not part of the answer."""
    items = "".join(
        f'<div class="qa-passage"><div class="qa-passage-head">{text_html(p.title)} · '
        f"{text_html(format_date(p.published))}</div>"
        f"<div>{highlighted_html(p.text, quotes)}</div></div>"
        for p in passages
    )
    summary = text_html(messages.PASSAGES_SUMMARY.format(count=len(passages)))
    return f'<details class="qa-passages"><summary>{summary}</summary>{items}</details>'


def highlighted_html(text: str, quotes: Iterable[str], first_id: str | None = None) -> str:
    """Escaped `text` with every occurrence of a quoted sentence wrapped in <mark>, so the reader
    sees which sentence each citation rests on (the first <mark> gets `first_id`, to scroll to). A
    quote joining sentences that are not adjacent puts "…" between them; each sentence is looked
    for on its own."""
    sentences = {part.strip() for q in quotes for part in q.split(QUOTE_GAP) if part.strip()}
    spans = merge_spans(
        (m.start(), m.end()) for sentence in sentences for m in re.finditer(re.escape(sentence), text)
    )
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text_html(text[last:start]))
        anchor = f' id="{first_id}"' if first_id and start == spans[0][0] else ""
        pieces.append(f"<mark{anchor}>{text_html(text[start:end])}</mark>")
        last = end
    pieces.append(text_html(text[last:]))
    return "".join(pieces)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans: two quotes may overlap, and <mark> tags must not interleave."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def corpus_summary(articles: Sequence[Article], skipped: int = 0) -> str:
    """One markdown line on what the chat can answer from: how many articles, from when to when,
    and how many files or records of the folder could not be read."""
    dates = [a.published for a in articles if a.published]
    if not dates:
        line = messages.CORPUS_WITHOUT_DATES.format(count=len(articles))
    else:
        line = messages.CORPUS_WITH_DATES.format(
            count=len(articles), first=format_date(min(dates)), last=format_date(max(dates))
        )
    return f"{line} {messages.CORPUS_SKIPPED.format(count=skipped)}" if skipped else line


def embedding_note(embedding: Embedding) -> str:
    """What the corpus line adds while new passages are embedded: how far, or that it failed."""
    if embedding.failed:
        return messages.EMBEDDING_FAILED.format(pending=embedding.pending)
    return messages.EMBEDDING_PENDING.format(pending=embedding.pending, percent=embedding.percent)


_ARTICLE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.6;color:#1f2937}.meta{color:#6b7280}.note{background:#f3f4f6;padding:.5rem .75rem}"
    "mark{background:#fde68a;color:inherit}"
)


def article_page(article: Article | None, quoted: str | None = None) -> str:
    """A standalone page for one cleaned article (used when its original URL is unknown); with
    `quoted` (a citation's quote), its sentences are highlighted and the first gets the anchor a
    citation link scrolls to."""
    if article is None:
        return page(messages.ARTICLE_NOT_FOUND, f"<p>{text_html(messages.ARTICLE_NOT_FOUND)}</p>")
    meta = [messages.ARTICLE_PUBLISHED.format(date=format_date(article.published))]
    if article.category:
        meta.append(messages.ARTICLE_CATEGORY.format(category=article.category))
    if article.author:
        meta.append(messages.ARTICLE_AUTHOR.format(author=article.author))
    url = safe_url(article.url)
    if url:
        source = f"<p>{link(url, text_html(url))}</p>"
    else:
        source = f'<p class="note">{text_html(messages.ARTICLE_NO_URL_NOTE)}</p>'
    quotes = [quoted] if quoted else []
    paragraphs, anchored = [], False
    for paragraph in (p for p in article.body.split("\n\n") if p.strip()):
        shown = highlighted_html(paragraph, quotes, None if anchored else QUOTE_ANCHOR)
        anchored = anchored or f'id="{QUOTE_ANCHOR}"' in shown
        paragraphs.append(f"<p>{shown}</p>")
    body = (
        f"<h1>{text_html(article.title)}</h1>"
        f'<p class="meta">{" · ".join(text_html(m) for m in meta)}</p>{source}{"".join(paragraphs)}'
    )
    return page(article.title, body)


def page(title: str, body_html: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text_html(title)} · {text_html(messages.TITLE)}</title>"
        f"<style>{_ARTICLE_STYLE}</style></head><body>{body_html}</body></html>"
    )
