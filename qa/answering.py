"""Turning chosen sentences (or a model's reply) into an `Answer` whose `[n]` markers and citations
agree: every marker has its citation, every citation is used, numbered in order of first use.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from qa import messages, vocabulary
from qa.dates import format_day
from qa.question import AnswerType
from qa.reader import Extract, ScoredSentence
from qa.reader.short_answer import lead_sentence
from qa.types import Answer, Citation, Passage

_MARKER = re.compile(r"\[(\d+)\]")


def abstention(question: str, passages: Sequence[Passage]) -> Answer:
    return Answer(question=question, text=messages.DECLINE, abstained=True, passages=list(passages))


def from_extract(
    question: str, extract: Extract, passages: Sequence[Passage], *, time_asked: bool = False
) -> Answer:
    """Short answer first, then each chosen sentence with the number of its article. When the date
    matters (`time_asked`: the question names a time; or the quoted articles are of different
    years), each sentence from a dated article opens with that article's day."""
    if extract.abstained:
        return abstention(question, passages)
    years = {s.passage.published.year for s in extract.sentences if s.passage.published is not None}
    dated = time_asked or len(years) > 1
    numbers: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    lines = []
    for i, sentence in enumerate(extract.sentences):
        article_id = sentence.passage.article_id
        n = numbers.setdefault(article_id, len(numbers) + 1)
        quotes.setdefault(article_id, []).append(extract.quote(sentence))  # the citation: the whole sentence
        excerpt = extract.excerpt(i)  # the answer: the part of it that answers
        if dated and sentence.passage.published is not None:
            excerpt = according_to(sentence.passage.published, excerpt)
        lines.append(_cite(excerpt, n))
    head = _lead(extract.short_answer, extract.kind)
    text = " ".join(([head] if head else []) + lines)
    by_article = {s.passage.article_id: s.passage for s in extract.sentences}
    citations = [
        _citation(n, by_article[article_id], " … ".join(quotes[article_id]))
        for article_id, n in numbers.items()
    ]
    return Answer(
        question=question,
        text=text,
        short_answer=extract.short_answer,
        citations=citations,
        passages=list(passages),
    )


_LOWERCASE_OPENERS = frozenset(vocabulary.LOWERCASE_OPENERS)


def according_to(published: datetime, sentence: str) -> str:
    """`Sáng 12/5, …` from an article of 12/05/2025 → `Theo bài ngày 12/05/2025, sáng 12/5, …`
    (a first word that may be a name keeps its capital)."""
    first = sentence.split(" ", 1)[0]
    if first.lower().strip(",") in _LOWERCASE_OPENERS and first[:1].isupper():
        sentence = sentence[:1].lower() + sentence[1:]
    return messages.ACCORDING_TO_ARTICLE_OF.format(date=format_day(published), sentence=sentence)


def from_generated(
    question: str,
    reply: str,
    passages: Sequence[Passage],
    best_sentence: dict[int, ScoredSentence | None],
) -> Answer:
    """A model's reply citing passages `[1]..[len(passages)]`: markers to passages that were not
    given are dropped, the rest renumbered 1, 2, … in order of first use; each citation quotes the
    best-scoring sentence of its passage."""
    renumber: dict[int, int] = {}

    def replace(match: re.Match[str]) -> str:
        given = int(match.group(1))
        if not 1 <= given <= len(passages):
            return ""
        return f"[{renumber.setdefault(given, len(renumber) + 1)}]"

    text = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub(replace, reply)).strip()
    text = re.sub(r"[ \t]{2,}", " ", text)
    if not renumber or messages.DECLINE.rstrip(".") in text:
        return abstention(question, passages)
    citations = []
    for given, n in renumber.items():
        passage = passages[given - 1]
        sentence = best_sentence.get(given)
        citations.append(_citation(n, passage, sentence.quote if sentence else passage.text[:300]))
    return Answer(question=question, text=text, citations=citations, passages=list(passages))


def _citation(n: int, passage: Passage, quote: str) -> Citation:
    return Citation(
        n=n,
        article_id=passage.article_id,
        title=passage.title,
        url=passage.url,
        published=passage.published,
        quote=quote,
    )


def _cite(sentence: str, n: int) -> str:
    """`… 2025–2028.` → `… 2025–2028 [1].`: the marker sits inside the sentence it supports."""
    match = re.search(r"[.!?…]+[\"”’»)]*$", sentence)
    if match and not sentence.endswith(")"):
        return f"{sentence[: match.start()]} [{n}]{sentence[match.start():]}"
    return f"{sentence} [{n}]."


def _lead(short_answer: str | None, kind: AnswerType | None) -> str:
    """The short answer as a sentence of its own: `Giai đoạn 2025–2028.`, `Năm 2009.`, `Ông X.`"""
    return lead_sentence(short_answer, kind) if short_answer else ""
