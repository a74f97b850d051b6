"""Follow-up questions: "Còn Cần Thơ thì sao?" means the previous question, asked about Cần Thơ.

A short question that leans on the conversation (opens with `còn`, ends with `thì sao`, `thế nào`,
`vậy`, or has almost no words of its own) is rewritten into a standalone one before retrieval:
- if it names something, that name replaces the matching name of the previous question — the one
  after the same preposition (`với Đông Phú` replaces `với Tây Sơn Lâm`), else the first one;
- otherwise it is read together with the previous question, minus that one's question words
  ("Vào ngày nào?" after "… cho giai đoạn nào?" asks for a date, not a period).
A question that stands on its own is left alone, whatever the history.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from qa import vocabulary
from qa.lexicon import content_terms, named_entities
from qa.question import without_cue
from qa.text import fold

_LEANING = re.compile(
    rf"^({'|'.join(vocabulary.FOLLOW_UP_OPENERS)})\b|\b({'|'.join(vocabulary.FOLLOW_UP_CLOSERS)})\s*\??$"
)
_PREPOSITIONS = vocabulary.PREPOSITIONS


def is_follow_up(question: str) -> bool:
    folded = fold(question).strip(" ?.!")
    return bool(_LEANING.search(folded)) or len(content_terms(question)) <= 1


def resolve(question: str, history: Sequence[tuple[str, str]] | None) -> str:
    """The standalone question to search for."""
    if not history or not is_follow_up(question):
        return question
    previous = history[-1][0]
    new_names = named_entities(question)
    old_names = named_entities(previous)
    if new_names and old_names:
        target = _matching_name(question, new_names[0], previous, old_names)
        return previous.replace(target, new_names[0], 1)
    return f"{question} {without_cue(previous)}"


def _matching_name(question: str, new_name: str, previous: str, old_names: list[str]) -> str:
    before_new = _word_before(question, new_name)
    if before_new in _PREPOSITIONS:
        for name in old_names:
            if _word_before(previous, name) == before_new:
                return name
    return old_names[0]


# Nouns that stand between a preposition and a name (`với tỉnh Sơn Lâm`), one syllable each.
_PLACE_WORDS = {
    *(w for unit in vocabulary.ADMINISTRATIVE_UNITS for w in unit.split()),
    *(abbreviation.lower() for abbreviation in vocabulary.ADMINISTRATIVE_ABBREVIATIONS),
    "province", "city",
}


def _word_before(text: str, name: str) -> str:
    """The word governing `name`, skipping place nouns (`với tỉnh Sơn Lâm` → `với`)."""
    head = [w.lower() for w in text[: text.find(name)].split()]
    while head and head[-1] in _PLACE_WORDS:
        head.pop()
    return head[-1] if head else ""
