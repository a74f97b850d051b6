"""The evidence for and against answering: a few numbers about the question, the passages read and
the answer the reader would give, which the answerability model (`qa.reader.model`) weighs.

No single signal separates "answered" from "not in these articles": a high similarity can come from
an article on the same topic that lacks the fact asked for, and a low word overlap from a paraphrase.
Each field is a small named computation; all are in [0, 1] or a cosine (gap).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from qa import vocabulary
from qa.lexicon import FoldedText, TermWeights, named_entities, question_units, terms
from qa.question import AnswerType, QuestionAnalysis, asked_office
from qa.reader.candidates import ScoredSentence
from qa.reader.short_answer import MUST_HAVE_SPAN, NAMED, names_another_year
from qa.text import fold, has_diacritics, shaped_like_vietnamese
from qa.types import Passage


@dataclass(frozen=True)
class Evidence:
    dense: float  # best sentence's similarity to the question (encoder)
    dense_peak: float  # … above the mean of the ten best-scored sentences': an answer stands out
    agreement: float  # best passage's fused score: 1 when the dense and the word ranking agree on it
    coverage: float  # weighted share of the question's words in the best passage (0 if English)
    sentence_coverage: float  # … in the best sentence (0 if English)
    names_missing: float  # share of the question's names (and long numbers) no passage read mentions
    subject_missing: float  # 1 if the question names something and the best sentence and title do not
    no_span: float  # 1 if a date or number is asked and the quoted sentences have none
    no_subject_span: float  # … none in a sentence about the question's subject
    no_name_span: float  # 1 if a person or place is asked and no such sentence names one
    other_year: float  # 1 if the question names a year and the answer's sentence speaks of others
    no_office_holder: float  # 1 if who holds an office is asked (in Vietnamese) and no quoted sentence names its holder
    english: float  # 1 for a question in English (word overlap then means nothing)
    unaccented: float  # 1 for one typed without diacritics (its cosines run lower for the same answer)
    # Not a field of `vector()`: what the learned ranker read of the best sentence (its pooled
    # states), None when it read none; the answerability model weighs it apart.
    reading: np.ndarray | None = field(default=None, compare=False, repr=False)

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in self.names()], dtype=np.float64)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "reading"]


_MONTHS_ENGLISH = frozenset(vocabulary.MONTHS_ENGLISH)


def question_names(analysis: QuestionAnalysis, term_weights: TermWeights) -> list[str]:
    """The question's names; in English, capitalised words unknown to the corpus (`City`,
    `Consul`), not shaped like a Vietnamese syllable (`Park`, `Festival`: `shaped_like_vietnamese`)
    or naming a month (`May`) are English words, not names: they split the name (`Bao Son National
    Park` → `Bao Son`), as the article writes the rest in its own words (`Vườn quốc gia Bảo Sơn`)."""
    names = named_entities(analysis.text)
    if analysis.english:
        names = [part for name in names for part in _vietnamese_parts(name, term_weights)]
    return [n for n in names if n]


def _vietnamese_parts(name: str, term_weights: TermWeights) -> list[str]:
    """The runs of a name's words that the corpus knows and that are shaped like Vietnamese
    syllables, months aside."""
    runs = itertools.groupby(
        name.split(),
        key=lambda w: term_weights.known(fold(w)) and shaped_like_vietnamese(w) and w not in _MONTHS_ENGLISH,
    )
    return [" ".join(run) for kept, run in runs if kept]


def share_missing(names: Sequence[str], text: FoldedText) -> float:
    return sum(not text.mentions(n) for n in names) / len(names) if names else 0.0


def gather_evidence(
    analysis: QuestionAnalysis,
    names: Sequence[str],
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    quoted: Sequence[ScoredSentence],
    holds_answer: Callable[[ScoredSentence, Sequence[str]], bool],
    term_weights: TermWeights,
    answered_from: ScoredSentence | None,
) -> Evidence:
    """`holds_answer(sentence, names)`: the sentence holds a span of the kind asked for that fits
    (with `names`, only in a sentence about them). `answered_from`: the sentence of the short
    answer, None when the reader found none."""
    best = scored[0]
    kind = analysis.kind
    retrieved = FoldedText(" ".join(f"{p.title} {p.text}" for p in passages))
    numbers = re.findall(r"\d{3,}", analysis.text)  # years, amounts: as telling as a name
    subject = FoldedText(f"{best.passage.title} {best.text}")
    answer = answered_from or quoted[0]
    if analysis.english:
        coverage = sentence_coverage = 0.0
    else:
        units, accents = question_units(analysis.text)
        coverage = term_weights.coverage(units, terms(f"{best.passage.title} {best.passage.text}", accents=accents))
        sentence_coverage = best.lexical
    any_span = any(holds_answer(s, ()) for s in quoted) if kind else False
    subject_span = any(holds_answer(s, names) for s in quoted) if kind else False
    return Evidence(
        dense=max(s.dense for s in scored),
        dense_peak=best.dense - float(np.mean([s.dense for s in scored[:10]])),
        agreement=passages[0].score,
        coverage=coverage,
        sentence_coverage=sentence_coverage,
        names_missing=share_missing([*names, *numbers], retrieved),
        subject_missing=float(bool(names) and not any(subject.mentions(n) for n in names)),
        no_span=float(kind in MUST_HAVE_SPAN and not any_span),
        no_subject_span=float(kind in MUST_HAVE_SPAN and not subject_span),
        no_name_span=float(kind in NAMED and not subject_span),
        other_year=float(names_another_year(analysis.text, answer.text, answer.passage.published)),
        no_office_holder=float(
            kind is AnswerType.PERSON
            and not analysis.english
            and answered_from is None
            and asked_office(analysis.text) is not None
        ),
        english=float(analysis.english),
        unaccented=float(not analysis.english and not has_diacritics(analysis.text)),
        reading=best.reading,
    )
