"""What every `Answer` promises whatever was decided, shared by the answering tests on the real
pipeline (test_ask.py) and on the fake-encoder one (test_pipeline.py)."""
from __future__ import annotations

import re

from qa.types import Answer

QUOTE_JOIN = " … "  # several sentences quoted from one article are joined by this


def quoted_sentences(quote: str) -> list[str]:
    return quote.split(QUOTE_JOIN)


def without_credits(text: str) -> str:
    """Text minus bracketed credits ("(Ảnh: …)"), which quotes leave out."""
    return re.sub(r"\s*[(\[][^()\[\]:]{1,20}:[^)\]]*[)\]]", "", text)


def assert_well_formed(answer: Answer, pipeline) -> None:
    """Markers and citations agree and are numbered 1..N, an abstention cites nothing, and every
    quote is really in its article (photo and source credits may be left out)."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1)), answer.text
    assert markers == set(numbers), answer.text
    assert answer.abstained == (not answer.citations)
    if answer.abstained:
        assert answer.short_answer is None
    assert answer.passages
    for citation in answer.citations:
        article = pipeline.article(citation.article_id)
        assert (citation.url, citation.published) == (article.url, article.published)
        for sentence in quoted_sentences(citation.quote):
            assert sentence in article.body or without_credits(sentence) in without_credits(article.body)
