"""The sentences a reader may quote: every sentence of the retrieved passages, once each, scored
against the question (`qa.reader.scoring`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from qa import vocabulary
from qa.types import Passage

# A bracketed credit inside a sentence: "(Ảnh: …)", "(Nguồn: …)", "[Video: …]".
_CREDIT = re.compile(
    r"\s*[(\[]\s*(?:" + "|".join(re.escape(w) for w in vocabulary.CREDIT_WORDS) + r")\s*:[^)\]]*[)\]]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScoredSentence:
    """One candidate sentence and how well it matches the question."""

    passage_rank: int  # 0 for the best passage
    passage: Passage
    text: str
    start: int  # offset in its article
    score: float  # what sentences are ranked by (qa.reader.scoring)
    dense: float  # cosine with the question
    lexical: float  # IDF-weighted share of the question's words it holds
    previous: str = ""  # the sentence before it in the passage, which often names its subject
    # the learned ranker's pooled states of (question, sentence), for a sentence it read (qa/reader/ranker.py)
    reading: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def quote(self) -> str:
        """The sentence as quoted: bracketed photo and source credits left out."""
        return without_credits(self.text)

    @property
    def is_caption(self) -> bool:
        """A photo caption or credit line: mostly a credit, or a credit closing a short line."""
        credits = sum(len(m.group(0)) for m in _CREDIT.finditer(self.text))
        return credits > 0 and (credits >= 0.3 * len(self.text) or len(self.text) < 160)


def is_a_question(text: str) -> bool:
    """The sentence asks (`Vì sao giá lúa giảm?`, a heading or an interviewer's question): it
    answers nothing itself, however many of the question's words it repeats."""
    return text.rstrip(" \"”’')]»").endswith("?")


def without_credits(text: str) -> str:
    """The text with its bracketed photo and source credits left out (itself if that is all)."""
    return _CREDIT.sub("", text).strip() or text


# `ảnh hưởng` ("influence") is no photo.
_CREDIT_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in vocabulary.CREDIT_WORDS) + r")\b(?!\s+hưởng)", re.IGNORECASE
)


def asks_about_credits(question: str) -> bool:
    """"Ảnh … của tác giả nào?": the credit is the answer, not noise around it."""
    return bool(_CREDIT_WORDS.search(question))
