"""Which scored sentences to quote, best first.

A factoid gets the best sentence, and the runner-up when it scores within `second_margin` (the
scorer cannot tell which holds the answer). A list question ("những địa phương nào…") gets the best
sentence of each article within the margin, up to `max_sentences`; when only one article comes
within it, the list is that article's, and its runners-up are quoted instead. Around that:

- a photo caption or credit line is quoted only when no prose sentence scores within
  `caption_margin` of it;
- a best sentence that opens with a pronoun brings the sentence before it, which names who or what;
- a question asking for a date, a number, a name or a place whose quoted sentences hold none gets
  the next-best sentence that does, within `typed_margin` (`typed_runner_up`);
- a question asking for a date whose best sentence opens its story with the day the story reports
  (`Sáng 14/3, …`) gets the story's next-best sentence holding another fitting date first, if it
  scores within `dateline_margin` (`past_the_dateline`);
- once the short answer is found, the sentence holding it is the one that supports it: the others
  are quoted only when they score within `supported_margin` of it or hold another candidate answer
  (`supported`).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from qa import vocabulary
from qa.reader.candidates import ScoredSentence
from qa.spans import opens_with_day

# Sentence openings that refer back to something named earlier.
_ANAPHOR = re.compile(rf"(?:{'|'.join(vocabulary.ANAPHORA)})\b")


def opens_with_pronoun(text: str) -> bool:
    return bool(_ANAPHOR.match(text))


def best_quotable(scored: list[ScoredSentence], caption_margin: float) -> ScoredSentence:
    """The best sentence, unless it is a caption or credit and a prose sentence scores within
    `caption_margin` of it."""
    best = scored[0]
    if not best.is_caption:
        return best
    prose = next((s for s in scored[1:] if not s.is_caption), None)
    if prose is not None and prose.score >= best.score - caption_margin:
        return prose
    return best


def with_antecedent(chosen: list[ScoredSentence], scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """A best sentence that opens with a pronoun answers nothing without the sentence before it,
    which names the person or thing: quote both (the earlier one first)."""
    best = chosen[0]
    if not opens_with_pronoun(best.text):
        return chosen
    before = [s for s in scored if s.passage.article_id == best.passage.article_id and s.start < best.start]
    if not before:
        return chosen
    antecedent = max(before, key=lambda s: s.start)
    rest = [s for s in chosen[1:] if s is not antecedent]
    return [antecedent, best, *rest][: max(len(chosen), 2)]


def choose(
    scored: list[ScoredSentence],
    *,
    is_list: bool,
    caption_margin: float,
    second_margin: float,
    max_sentences: int,
) -> list[ScoredSentence]:
    """The sentences to quote, in the order they are quoted."""
    best = best_quotable(scored, caption_margin)
    close = [s for s in scored if s is not best and not s.is_caption and s.score >= best.score - second_margin]
    if not is_list:
        return with_antecedent([best, *close[:1]], scored)
    chosen = [best]
    for candidate in close:
        if all(c.passage.article_id != candidate.passage.article_id for c in chosen):
            chosen.append(candidate)
    if len(chosen) == 1:  # one article holds the whole list: quote its runners-up instead
        chosen += close[: max_sentences - 1]
    return with_antecedent(chosen[:max_sentences], scored)


def typed_runner_up(
    scored: list[ScoredSentence],
    chosen: list[ScoredSentence],
    holds_answer: Callable[[ScoredSentence], bool],
    typed_margin: float,
) -> list[ScoredSentence]:
    """For a question asking for a kind of answer none of the chosen sentences holds: the next-best
    sentence (among the five best) that holds one, if it scores within `typed_margin` of the best."""
    for candidate in scored[1:5]:
        if candidate.score < scored[0].score - typed_margin:
            break
        if candidate not in chosen and not candidate.is_caption and holds_answer(candidate):
            return [candidate]
    return []


def is_dateline(sentence: ScoredSentence) -> bool:
    """The sentence opens its story with the day the story reports (`Sáng 14/3, tỉnh tổ chức …`)."""
    return sentence.start == 0 and opens_with_day(sentence.text)


def past_the_dateline(
    chosen: list[ScoredSentence],
    scored: list[ScoredSentence],
    holds_answer: Callable[[ScoredSentence], bool],
    margin: float,
) -> list[ScoredSentence]:
    """For a question asking for a date, when the best sentence is its story's dateline: that story's
    next-best sentence (among the five best) holding a fitting date goes first, if it scores within
    `margin` of the best. A story's first sentence shares most words with any question about it; the
    day it reports answers only questions about what it reports, which it leads by more."""
    best = chosen[0]
    if not is_dateline(best):
        return chosen
    for candidate in scored[1:5]:
        if candidate.score < best.score - margin:
            break
        if (
            candidate.passage.article_id == best.passage.article_id
            and not candidate.is_caption
            and holds_answer(candidate)
        ):
            return [candidate, *(c for c in chosen if c is not candidate)]
    return chosen


def supported(
    chosen: list[ScoredSentence],
    supporting: ScoredSentence,
    margin: float,
    rival: Callable[[ScoredSentence], bool] = lambda s: False,
) -> list[ScoredSentence]:
    """The sentence that holds the short answer, with those of the chosen sentences (in their
    order) that score within `margin` of it or hold a `rival` answer: the answer is said first, one
    sentence supports it. A supporting sentence opening with a pronoun keeps the chosen sentence
    before it, which names who."""
    antecedent = None
    if opens_with_pronoun(supporting.text):
        before = [
            s for s in chosen if s.passage.article_id == supporting.passage.article_id and s.start < supporting.start
        ]
        antecedent = max(before, key=lambda s: s.start, default=None)
    return [
        s
        for s in chosen
        if s is supporting or s is antecedent or abs(s.score - supporting.score) <= margin or rival(s)
    ]
