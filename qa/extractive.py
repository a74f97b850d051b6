"""The default answerer: pick the sentences of the retrieved passages that answer the question, put
the short answer first, cite them — or decline. No language model, so nothing is made up.

Sentences are scored by the encoder's similarity to the question (their vectors are computed at
index time), plus the IDF-weighted share of the question's words they contain (and, less, the share
once read after the sentence before), plus a prior for the passage's retrieval rank. The best
sentence alone holds the answer for ~0.74 of XQuAD's questions and the best two for ~0.87; a second
sentence is therefore added when it scores within `second_margin` of the first, which keeps answers
short when the first is a clear winner (docs/answering.md has the figures).

Whether to answer at all is the abstention model's call (`qa.abstention`), on the evidence gathered
here about the answer `compose` would give.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from qa import vocabulary
from qa.abstention import AbstentionModel, Evidence
from qa.lexicon import FoldedText, TermWeights, content_terms, named_entities, question_units, terms
from qa.question import (
    OFFICE_TITLE,
    AnswerType,
    asked_office,
    asks_for_money,
    counted_noun,
    expected_answer_type,
    looks_english,
    place_noun,
)
from qa.spans import Span, answer_spans, is_amount_of_money, looks_like_year
from qa.text import fold
from qa.types import Passage


@dataclass(frozen=True)
class ScoredSentence:
    passage_rank: int
    passage: Passage
    text: str
    start: int
    score: float
    dense: float
    lexical: float
    previous: str = ""  # the sentence before it in the passage, which often names its subject


@dataclass(frozen=True)
class Decision:
    """Everything the extractive answerer worked out for one question: the sentences scored, the
    answer it would give, the evidence for and against giving it, and its verdict."""

    scored: list[ScoredSentence]
    composed: Extract  # the answer it would give, before deciding whether to give it
    evidence: Evidence | None  # None when nothing was retrieved
    probability: float  # P(answerable) from the abstention model
    abstained: bool
    reason: str

    @property
    def extract(self) -> Extract:
        """What is answered: the composed answer, or an empty one that declines."""
        return Extract([], None, True, self.reason) if self.abstained else self.composed


@dataclass(frozen=True)
class Extract:
    """What the extractive answerer decided: the sentences to quote (best first), the short answer,
    or why it declined."""

    sentences: list[ScoredSentence]
    short_answer: str | None
    abstained: bool
    reason: str
    kind: AnswerType | None = None  # what the question asks for, which shapes the answer's lead


# Questions asking for a date or a number: best sentences without one do not answer them.
_MUST_HAVE_SPAN = {AnswerType.PERIOD, AnswerType.YEAR, AnswerType.DAY, AnswerType.DATE, AnswerType.NUMBER}
# Questions asking for a person or a place: a weaker signal, kept apart, as answers to "ai" and
# "ở đâu" are as often organisations and phrases as the names the span finders know.
_NAMED = {AnswerType.PERSON, AnswerType.PLACE}

SentencesOf = Callable[[str], Sequence]  # chunk_id -> sentences with .text, .start, .vector


class ExtractiveAnswerer:
    def __init__(
        self,
        term_weights: TermWeights,
        abstention: AbstentionModel | None = None,
        *,
        lexical_weight: float = 0.3,
        context_weight: float = 0.1,
        prior_weight: float = 0.15,
        second_margin: float = 0.14,
        typed_margin: float = 0.2,
        max_sentences: int = 3,
    ) -> None:
        self.term_weights = term_weights
        self.abstention = abstention or AbstentionModel.load()
        self.lexical_weight = lexical_weight
        self.context_weight = context_weight
        self.prior_weight = prior_weight
        self.second_margin = second_margin
        self.typed_margin = typed_margin
        self.max_sentences = max_sentences

    # -- scoring ----------------------------------------------------------------------------------

    def score(
        self, question: str, query_vector: np.ndarray, passages: Sequence[Passage], sentences_of: SentencesOf
    ) -> list[ScoredSentence]:
        """Every sentence of the passages, best first; a sentence shared by overlapping passages is
        scored once, under the better-ranked passage.

        The words a sentence shares with the question count, and so, less, do those it shares once
        read after the sentence before it: an answer often leaves its subject to that sentence
        ("Trường đã giành được giải thưởng … năm 2000" after one naming Đại học Newcastle). On
        XQuAD dev this lifted containment from 0.856 to 0.874 (docs/answering.md)."""
        units, accents = question_units(question)
        seen: set[tuple[str, int]] = set()
        scored = []
        for rank, passage in enumerate(passages):
            before = ""
            before_terms: list[str] = []
            for sentence in sentences_of(passage.chunk_id):
                key = (passage.article_id, sentence.start)
                text_terms = terms(sentence.text, accents=accents)
                previous, previous_terms = before, before_terms
                before, before_terms = sentence.text, text_terms
                if key in seen:
                    continue
                seen.add(key)
                dense = float(np.dot(query_vector, sentence.vector))
                lexical = self.term_weights.coverage(units, text_terms)
                in_context = self.term_weights.coverage(units, previous_terms + text_terms)
                score = (
                    dense
                    + self.lexical_weight * lexical
                    + self.context_weight * (in_context - lexical)
                    + self.prior_weight / (rank + 1)
                )
                scored.append(
                    ScoredSentence(rank, passage, sentence.text, sentence.start, score, dense, lexical, previous)
                )
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored

    # -- deciding ---------------------------------------------------------------------------------

    def decide(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
        *,
        multi: bool = False,
    ) -> Decision:
        """Score, compose the answer, gather the evidence, and let the abstention model decide."""
        scored = self.score(question, query_vector, passages, sentences_of)
        if not scored:
            reason = "no passage retrieved"
            return Decision([], Extract([], None, True, reason), None, 0.0, True, reason)
        answer = self.compose(question, scored, multi=multi)
        evidence = self.evidence(question, scored, passages, answer)
        probability = self.abstention.probability(evidence)
        abstain, reason = self.abstention.decide(evidence)
        return Decision(scored, answer, evidence, probability, abstain, reason)

    def compose(self, question: str, scored: list[ScoredSentence], *, multi: bool = False) -> Extract:
        """The sentences to quote and the short answer, without deciding whether to decline (the
        calibration of the abstention model needs the answer it would otherwise give)."""
        chosen = self._choose(scored, multi=multi)
        kind = expected_answer_type(question)
        # A list answer gathers several sentences; no single span answers it.
        if not kind or multi:
            return Extract(chosen, None, False, "", kind)
        if not self._answer_candidates(question, kind, chosen, about_subject=False):
            chosen = chosen + self._typed_runner_up(question, kind, scored, chosen)
        return Extract(chosen, self._short_answer(question, kind, chosen), False, "", kind)

    def _typed_runner_up(
        self, question: str, kind: AnswerType, scored: list[ScoredSentence], chosen: list[ScoredSentence]
    ) -> list[ScoredSentence]:
        """A "năm nào" question whose quoted sentences hold no year: the next-best sentence that
        holds one, if it scores within `typed_margin` of the best (at most one more sentence)."""
        for candidate in scored[1:5]:
            if candidate.score < scored[0].score - self.typed_margin:
                break
            if candidate not in chosen and self._answer_candidates(
                question, kind, [candidate], about_subject=False
            ):
                return [candidate]
        return []

    def evidence(
        self, question: str, scored: Sequence[ScoredSentence], passages: Sequence[Passage], answer: Extract
    ) -> Evidence:
        """How well the best sentences and passages match the question, and whether the answer
        `compose` made of them holds what the question asks for (see `qa.abstention`)."""
        english = looks_english(question)
        best = scored[0]
        retrieved = FoldedText(" ".join(f"{p.title} {p.text}" for p in passages))
        names = self._names(question, english)
        numbers = re.findall(r"\d{3,}", question)  # years, amounts: as telling as a name
        subject = FoldedText(f"{best.passage.title} {best.text}")
        kind = answer.kind
        quoted = answer.sentences
        if english:
            coverage = sentence_coverage = 0.0
        else:
            units, accents = question_units(question)
            passage_terms = terms(f"{best.passage.title} {best.passage.text}", accents=accents)
            coverage = self.term_weights.coverage(units, passage_terms)
            sentence_coverage = best.lexical
        return Evidence(
            dense=max(s.dense for s in scored),
            dense_peak=best.dense - float(np.mean([s.dense for s in scored[:10]])),
            agreement=passages[0].score,
            coverage=coverage,
            sentence_coverage=sentence_coverage,
            names_missing=_share_missing(names + numbers, retrieved),
            subject_missing=float(bool(names) and not any(subject.mentions(n) for n in names)),
            no_span=float(
                kind in _MUST_HAVE_SPAN
                and not self._answer_candidates(question, kind, quoted, about_subject=False)
            ),
            no_subject_span=float(
                kind in _MUST_HAVE_SPAN and not self._answer_candidates(question, kind, quoted)
            ),
            no_name_span=float(
                kind in _NAMED and not self._answer_candidates(question, kind, quoted)
            ),
            english=float(english),
        )

    def _names(self, question: str, english: bool) -> list[str]:
        """The question's names; in English, capitalised words unknown to the corpus (`City`,
        `Consul`) are English words, not names, and are left out."""
        names = named_entities(question)
        if english:
            names = [" ".join(w for w in n.split() if self.term_weights.known(fold(w))) for n in names]
        return [n for n in names if n]

    def _choose(self, scored: list[ScoredSentence], *, multi: bool) -> list[ScoredSentence]:
        """The best sentence, then runners-up within the margin. For a list question, the best
        sentence of each article within the margin (a list across provinces); when only one article
        comes within it, the list is that article's, and its runners-up are quoted instead."""
        best = scored[0]
        close = [s for s in scored[1:] if s.score >= best.score - self.second_margin]
        if not multi:
            return self._with_antecedent([best, *close[:1]], scored)
        chosen = [best]
        for candidate in close:
            if all(c.passage.article_id != candidate.passage.article_id for c in chosen):
                chosen.append(candidate)
        if len(chosen) == 1:
            chosen += close[: self.max_sentences - 1]
        return self._with_antecedent(chosen[: self.max_sentences], scored)

    @staticmethod
    def _with_antecedent(chosen: list[ScoredSentence], scored: list[ScoredSentence]) -> list[ScoredSentence]:
        """A best sentence that opens with a pronoun ("Anh ấy cũng là thủ quân lớn tuổi nhất…")
        answers nothing without the sentence before it, which names the person: quote both."""
        best = chosen[0]
        if not _ANAPHOR.match(best.text):
            return chosen
        before = [
            s for s in scored
            if s.passage.article_id == best.passage.article_id and s.start < best.start
        ]
        if not before:
            return chosen
        antecedent = max(before, key=lambda s: s.start)
        rest = [s for s in chosen[1:] if s is not antecedent]
        return [antecedent, best, *rest][: max(len(chosen), 2)]

    def _short_answer(
        self, question: str, kind: AnswerType, chosen: list[ScoredSentence]
    ) -> str | None:
        """The candidate span nearest to the question's words, from the best sentence that has one."""
        query_terms = {fold(t) for t in content_terms(question)}
        candidates = self._answer_candidates(question, kind, chosen)
        if not candidates:
            return None
        sentence = candidates[0][0]
        spans = [span for s, span in candidates if s is sentence]
        return min(spans, key=lambda span: _distance(sentence.text, span, query_terms)).text

    def _answer_candidates(
        self,
        question: str,
        kind: AnswerType,
        sentences: Sequence[ScoredSentence],
        *,
        about_subject: bool = True,
    ) -> list[tuple[ScoredSentence, Span]]:
        """Spans of the expected kind that can answer the question (`_Asked.fits`), not already in
        it. With `about_subject`, only in a sentence that names everything the question names,
        itself, in the sentence before it or in its title: "Đồng Tháp và Champasak ký … giai đoạn
        nào?" is not answered by a sentence about Bình Phước and Champasak."""
        names = self._names(question, looks_english(question)) if about_subject else []
        asked = _Asked.of(question, kind)
        candidates = []
        for sentence in sentences:
            context = FoldedText(f"{sentence.passage.title} {sentence.previous} {sentence.text}")
            if not all(context.mentions(n) for n in names):
                continue
            for span in answer_spans(sentence.text, kind, exclude=question, after=asked.place):
                if asked.fits(sentence.text, span):
                    candidates.append((sentence, span))
        return candidates


@dataclass(frozen=True)
class _Asked:
    """What a question asks for beyond its kind, which a candidate span must fit."""

    kind: AnswerType
    counted: str | None  # `bao nhiêu suất học bổng` → `suat`: the number must count it
    money: bool  # a price or a budget: an amount with its currency
    place: str | None  # `tại khách sạn nào` → `khach san`: the name follows those words
    office: str | None  # `Ai là Giám đốc …` → `giam doc`: its holder, not a deputy

    @classmethod
    def of(cls, question: str, kind: AnswerType) -> _Asked:
        number = kind is AnswerType.NUMBER
        return cls(
            kind,
            counted=counted_noun(question) if number else None,
            money=number and asks_for_money(question),
            place=place_noun(question) if kind is AnswerType.PLACE else None,
            office=asked_office(question) if kind is AnswerType.PERSON else None,
        )

    def fits(self, sentence: str, span: Span) -> bool:
        """A number counts the noun asked about, or else is written in digits and is no bare year
        (`hai` alone is mostly `hai bên`, "both sides"; `2022` alone is a year); a price has a
        currency; the holder of an office is titled with it, not as its deputy or another office."""
        if self.money and not is_amount_of_money(sentence, span):
            return False
        if self.office and _other_office(sentence, span, self.office):
            return False
        if self.kind is AnswerType.NUMBER:
            counts = _counts(sentence, span, self.counted) if self.counted else False
            if self.counted and not counts:
                return False
            if not counts and (looks_like_year(span.text) or not any(c.isdigit() for c in span.text)):
                return False
        return True


# Sentence openings that refer back to something named earlier.
_ANAPHOR = re.compile(rf"(?:{'|'.join(vocabulary.ANAPHORA)})\b")


def _share_missing(names: Sequence[str], text: FoldedText) -> float:
    return sum(not text.mentions(n) for n in names) / len(names) if names else 0.0


def _counts(sentence: str, span: Span, noun: str) -> bool:
    """The span is followed closely (`7 hoạt động`, `5 triệu đô la tiền mặt`) or preceded (`hạng 3`,
    `giải Grammy sáu lần`) by the counted noun, or its symbol (`mét` is `m`; `phần trăm`, `%`)."""
    if noun == "phan" and span.text.endswith("%"):
        return True
    nouns = {noun, _UNIT_SYMBOLS.get(noun)}
    # A count in words stands right by its noun (`năm hoàng tử`); digits may carry a unit first.
    reach = 4 if any(c.isdigit() for c in span.text) else 2
    after = re.findall(r"\w+", fold(sentence[span.end:]))[:reach]
    before = re.findall(r"\w+", fold(sentence[: span.start]))[-2:]
    return bool(nouns & {*after, *before, *fold(span.text).split()})


_UNIT_SYMBOLS = {fold(word): symbol for word, symbol in vocabulary.UNIT_SYMBOLS.items()}


def _other_office(sentence: str, span: Span, office: str) -> bool:
    """The span's own title — the office named nearest before it (`Phó Giám đốc Sở Du lịch Khánh
    Hòa Nguyễn Thị Lê Thanh`), or else just after it (`ông X, Giám đốc Sở Y tế`) — is a deputy's
    or another office: such a person does not answer "Ai là Giám đốc …?". A name with no title
    near it may still answer."""
    before = " ".join(re.findall(r"\w+", fold(sentence[: span.start]))[-10:])
    after = " ".join(re.findall(r"\w+", fold(sentence[span.end :]))[:4])
    titles = list(OFFICE_TITLE.finditer(before)) or list(OFFICE_TITLE.finditer(after))[:1]
    if not titles:
        return False
    nearest = titles[-1]
    return nearest.group(1) is not None or nearest.group(2) != office


def _distance(sentence: str, span: Span, query_terms: set[str]) -> int:
    """Characters between the span and the nearest question word in the sentence (ties: earlier)."""
    hits = [m.start() for m in re.finditer(r"\w+", sentence) if fold(m.group(0)) in query_terms]
    if not hits:
        return span.start
    return min(abs(h - span.start) for h in hits)
