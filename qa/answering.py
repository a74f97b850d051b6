"""Turning chosen sentences (or a model's reply) into an `Answer` whose `[n]` markers and citations
agree: every marker has its citation, every citation is used, numbered in order of first use.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from qa import messages, vocabulary
from qa.dates import format_day
from qa.reader import Extract, ScoredSentence
from qa.text import split_sentences
from qa.types import Answer, Citation, Passage

_MARKER = re.compile(r"\[(\d+)\]")


def abstention(question: str, passages: Sequence[Passage]) -> Answer:
    return Answer(question=question, text=messages.DECLINE, abstained=True, passages=list(passages))


def from_extract(
    question: str, extract: Extract, passages: Sequence[Passage], *, time_asked: bool = False
) -> Answer:
    """Short answer first, then each chosen sentence with the number of its article, dated as
    `dated` says (`time_asked`: the question names a time)."""
    if extract.abstained:
        return abstention(question, passages)
    numbers: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    lines = []
    excerpts = dated([(extract.excerpt(i), s.passage) for i, s in enumerate(extract.sentences)], time_asked)
    for sentence, excerpt in zip(extract.sentences, excerpts, strict=True):  # the answer: the part that answers
        article_id = sentence.passage.article_id
        n = numbers.setdefault(article_id, len(numbers) + 1)
        quotes.setdefault(article_id, []).append(extract.quote(sentence))  # the citation: the whole sentence
        lines.append(_cite(excerpt, n))
    text = " ".join(([extract.lead] if extract.lead else []) + lines)
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


def dated(pieces: Sequence[tuple[str, Passage | None]], time_asked: bool) -> list[str]:
    """The sentences of an answer, each given with the passage it quotes or cites (None: none), as
    the answer states them. When the date matters — the question names a time (`time_asked`), or
    the articles quoted are of different years — each sentence from a dated article opens with that
    article's day (`according_to`). The one rule for extractive and generated answers."""
    years = {p.published.year for _, p in pieces if p is not None and p.published is not None}
    if not (time_asked or len(years) > 1):
        return [sentence for sentence, _ in pieces]
    return [
        according_to(p.published, sentence) if p is not None and p.published is not None else sentence
        for sentence, p in pieces
    ]


_LOWERCASE_OPENERS = frozenset(vocabulary.LOWERCASE_OPENERS)


def according_to(published: datetime, sentence: str) -> str:
    """`Sáng 12/5, …` from an article of 12/05/2025 → `Theo bài ngày 12/05/2025, sáng 12/5, …`
    (a first word that may be a name keeps its capital; a sentence already so dated is left as is)."""
    opening = messages.ACCORDING_TO_ARTICLE_OF.split("{", 1)[0]
    if sentence.startswith(opening):  # a model's reply may date the sentence itself
        return sentence
    first = sentence.split(" ", 1)[0]
    if first.lower().strip(",") in _LOWERCASE_OPENERS and first[:1].isupper():
        sentence = sentence[:1].lower() + sentence[1:]
    return messages.ACCORDING_TO_ARTICLE_OF.format(date=format_day(published), sentence=sentence)


def from_generated(
    question: str,
    reply: str,
    passages: Sequence[Passage],
    best_sentence: dict[int, ScoredSentence | None],
    *,
    time_asked: bool = False,
) -> Answer:
    """A model's reply citing passages `[1]..[len(passages)]`: markers to passages that were not
    given are dropped, the rest renumbered 1, 2, … in order of first use; each citation quotes the
    best-scoring sentence of its passage. Its sentences are dated as `dated` says, each by the
    passage its first marker cites (`time_asked`: the question names a time)."""
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
    text = _dated_reply(text, {n: passages[given - 1] for given, n in renumber.items()}, time_asked)
    return Answer(question=question, text=text, citations=citations, passages=list(passages))


def _dated_reply(text: str, cited: dict[int, Passage], time_asked: bool) -> str:
    """The reply with its sentences dated (`dated`), each by the passage of its first `[n]`; all
    else in it (line breaks, lists) as the model wrote it."""
    spans = split_sentences(text)
    pieces = []
    for _, _, sentence in spans:
        marker = _MARKER.search(sentence)
        pieces.append((sentence, cited.get(int(marker.group(1))) if marker else None))
    for (start, end, _), sentence in reversed(list(zip(spans, dated(pieces, time_asked), strict=True))):
        text = text[:start] + sentence + text[end:]
    return text


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


