"""The default answerer: pick the sentences of the retrieved passages that answer the question, put
the short answer first, cite them — or decline. No language model, so nothing is made up.

Sentences are scored by the encoder's similarity to the question (their vectors are computed at
index time) plus the IDF-weighted share of the question's words they contain plus a small prior for
the passage's retrieval rank. Measured on XQuAD dev with the gold paragraph given, the best sentence
alone holds the answer for ~0.73 of the questions and the best two for ~0.86; a second sentence is
therefore added when it scores within `second_margin` of the first, which keeps answers short when
the first is a clear winner (docs/answering.md has the figures).

Declining is decided on evidence, not on a single similarity cut-off:
- a name in the question (a capitalised word not opening it) that no retrieved passage contains —
  the typical "asked about another article" case, e.g. a teaser that cleaning removed;
- too little of the question's weighted vocabulary found in the best passage, unless the question
  is in English (no shared vocabulary by nature) and the dense similarity is high;
- a dense similarity below the floor measured on unanswerable questions.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from qa.question import AnswerType, expected_answer_type, looks_english
from qa.spans import answer_spans
from qa.text import CAPITALISED_WORD, fold, has_diacritics, words
from qa.types import Passage

# Function words and question words (folded): they say nothing about which sentence answers.
STOPWORDS = frozenset(
    fold(w)
    for w in (
        "là của và có được trong các những một cho với đã này đó thì mà ở tại từ đến khi nào gì ai "
        "bao nhiêu đâu sao như thế vì không cũng để theo về do người năm ngày tháng giai đoạn "
        "hãy cho biết còn vậy hay hoặc nhất rằng sẽ đang bị bởi nên lại ra vào lúc mấy "
        "what which who whom when where why how is are was were did does do the a an of in on to for "
        "and or by with from that this"
    ).split()
)

ABSTAIN_TEXT = "Xin lỗi, tôi không tìm thấy thông tin này trong các bài báo."


class TermWeights:
    """Inverse document frequency of syllables over the passages, so that matching `Savannakhet`
    counts for more than matching `hợp tác`. Both the accented and the folded form of each syllable
    are counted, so accented questions match precisely (`dân số` is not `dẫn sớ`) and unaccented
    ones still match. A term absent from the corpus gets the highest weight: a question hinging on
    it cannot be answered from these articles."""

    def __init__(self, document_frequency: Counter[str], documents: int) -> None:
        self._df = document_frequency
        self._n = max(documents, 1)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "TermWeights":
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(set(terms(text, accents=True)) | set(terms(text, accents=False)))
            n += 1
        return cls(df, n)

    def idf(self, term: str) -> float:
        return math.log(1 + self._n / (1 + self._df.get(term, 0)))

    def known(self, term: str) -> bool:
        return term in self._df

    def coverage(self, units: Sequence[tuple[str, ...]], text_terms: Sequence[str]) -> float:
        """IDF-weighted share of the question's units (syllables, and pairs of adjacent content
        syllables such as `dân số`) found in the text (1.0 when the question has none)."""
        present = set(text_terms) | set(zip(text_terms, text_terms[1:]))
        total = found = 0.0
        for unit in units:
            weight = sum(self.idf(t) for t in unit) / len(unit)
            total += weight
            if (unit[0] if len(unit) == 1 else unit) in present:
                found += weight
        return found / total if total else 1.0


def terms(text: str, *, accents: bool) -> list[str]:
    """Lower-cased syllables, accented or folded (`Tỉnh uỷ` → `tỉnh ủy` / `tinh uy`)."""
    syllables = words(text)
    return syllables if accents else [fold(w) for w in syllables]


def question_units(question: str) -> tuple[list[tuple[str, ...]], bool]:
    """The question's content syllables and adjacent content pairs, in the form the question was
    typed in (accented or not), and that form's flag for matching the text the same way."""
    accents = has_diacritics(question)
    tokens = terms(question, accents=accents)
    keep = [fold(t) not in STOPWORDS for t in tokens]
    units: list[tuple[str, ...]] = list(dict.fromkeys((t,) for t, k in zip(tokens, keep) if k))
    units += list(
        dict.fromkeys((a, b) for a, b, ka, kb in zip(tokens, tokens[1:], keep, keep[1:]) if ka and kb)
    )
    return units, accents


def content_terms(question: str) -> list[str]:
    return [unit[0] for unit in question_units(question)[0] if len(unit) == 1]


_NAME = re.compile(rf"{CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})*")


def named_entities(question: str) -> list[str]:
    """Capitalised runs of the question except its first word (capitalised anyway) and question-
    -initial tokens such as `Còn`; `Cần Thơ ký với Savannakhet năm nào?` → [`Cần Thơ`, `Savannakhet`]
    when the run is not at the start, else the run minus its first word if it is a common word."""
    names = []
    for match in _NAME.finditer(question):
        name = match.group(0)
        if match.start() == 0:
            first, _, rest = name.partition(" ")
            if fold(first) in STOPWORDS or fold(first) in {"con", "tinh", "thanh", "ong", "ba"}:
                name = rest
            elif not rest:
                continue  # one capitalised word opening the question: no evidence it is a name
        if name and len(name) > 1:
            names.append(name)
    return names


def _mentions(name: str, text_folded: str) -> bool:
    """Name found in text, tolerating the transliteration variants of Lao names
    (`Boutdakham`/`Butdakham`/`Bouddakham`): compare folded words with a small edit budget."""
    folded = fold(name)
    if folded in text_folded:
        return True
    name_words = folded.split()
    text_words = text_folded.split()
    for i in range(len(text_words) - len(name_words) + 1):
        if all(_close(a, b) for a, b in zip(name_words, text_words[i : i + len(name_words)])):
            return True
    return False


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 2:
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass(frozen=True)
class ScoredSentence:
    passage_rank: int
    passage: Passage
    text: str
    start: int
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class Extract:
    """What the extractive answerer decided: the sentences to quote (best first), the short answer,
    or why it declined."""

    sentences: list[ScoredSentence]
    short_answer: str | None
    abstained: bool
    reason: str


# Questions asking for a date, a number, a name or a place: best sentences without one (about the
# question's subject) do not answer them.
_MUST_HAVE_SPAN = {
    AnswerType.PERIOD, AnswerType.YEAR, AnswerType.DATE, AnswerType.NUMBER, AnswerType.PERSON, AnswerType.PLACE,
}

SentencesOf = Callable[[str], Sequence]  # chunk_id -> sentences with .text, .start, .vector


class ExtractiveAnswerer:
    def __init__(
        self,
        term_weights: TermWeights,
        *,
        lexical_weight: float = 0.3,
        prior_weight: float = 0.1,
        second_margin: float = 0.15,
        max_sentences: int = 3,
        min_coverage: float = 0.4,
        min_dense: float = 0.78,
        english_min_dense: float = 0.80,
    ) -> None:
        self.term_weights = term_weights
        self.lexical_weight = lexical_weight
        self.prior_weight = prior_weight
        self.second_margin = second_margin
        self.max_sentences = max_sentences
        self.min_coverage = min_coverage
        self.min_dense = min_dense
        self.english_min_dense = english_min_dense

    # -- scoring ----------------------------------------------------------------------------------

    def score(
        self, question: str, query_vector: np.ndarray, passages: Sequence[Passage], sentences_of: SentencesOf
    ) -> list[ScoredSentence]:
        """Every sentence of the passages, best first; a sentence shared by overlapping passages is
        scored once, under the better-ranked passage."""
        units, accents = question_units(question)
        seen: set[tuple[str, int]] = set()
        scored = []
        for rank, passage in enumerate(passages):
            for sentence in sentences_of(passage.chunk_id):
                key = (passage.article_id, sentence.start)
                if key in seen:
                    continue
                seen.add(key)
                dense = float(np.dot(query_vector, sentence.vector))
                lexical = self.term_weights.coverage(units, terms(sentence.text, accents=accents))
                score = dense + self.lexical_weight * lexical + self.prior_weight / (rank + 1)
                scored.append(
                    ScoredSentence(rank, passage, sentence.text, sentence.start, score, dense, lexical)
                )
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored

    # -- deciding ---------------------------------------------------------------------------------

    def extract(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
        *,
        multi: bool = False,
    ) -> Extract:
        scored = self.score(question, query_vector, passages, sentences_of)
        if not scored:
            return Extract([], None, True, "no passage retrieved")
        reason = self._decline_reason(question, scored, passages)
        if reason:
            return Extract([], None, True, reason)
        chosen = self._choose(scored, multi=multi)
        kind = expected_answer_type(question)
        # A list answer gathers several sentences; no single span answers it.
        short = self._short_answer(question, kind, chosen) if kind and not multi else None
        return Extract(chosen, short, False, "")

    def _decline_reason(
        self, question: str, scored: list[ScoredSentence], passages: Sequence[Passage]
    ) -> str:
        english = looks_english(question)
        retrieved = fold(" ".join(f"{p.title} {p.text}" for p in passages))
        missing = self._missing_names(question, retrieved, english)
        if missing:
            return f"not found in the retrieved passages: {', '.join(missing)}"
        best = scored[0]
        top_dense = max(s.dense for s in scored)
        if english:
            if top_dense < self.english_min_dense:
                return f"English question, dense similarity {top_dense:.3f} < {self.english_min_dense}"
        else:
            units, accents = question_units(question)
            best_passage = terms(f"{best.passage.title} {best.passage.text}", accents=accents)
            coverage = self.term_weights.coverage(units, best_passage)
            if coverage < self.min_coverage:
                return f"question words covered {coverage:.2f} < {self.min_coverage} in the best passage"
            if top_dense < self.min_dense:
                return f"dense similarity {top_dense:.3f} < {self.min_dense}"
        kind = expected_answer_type(question)
        if kind in _MUST_HAVE_SPAN and not self._answer_candidates(question, kind, scored[:2]):
            return f"no {kind.value} about the question's subject in the best sentences"
        names = [n for n in named_entities(question) if self._in_vocabulary(n)]
        context = fold(f"{best.passage.title} {best.text}")
        if not english and names and not any(_mentions(n, context) for n in names):
            return "the best sentence is about something else: none of " + ", ".join(names)
        return ""

    def _in_vocabulary(self, name: str) -> bool:
        return all(self.term_weights.known(w) for w in fold(name).split())

    def _missing_names(self, question: str, retrieved: str, english: bool) -> list[str]:
        """Names and long numbers of the question that the retrieved passages never mention. In an
        English question, capitalised words unknown to the corpus (`City`, `Consul`) are English,
        not names, and are skipped."""
        missing = []
        for name in named_entities(question):
            if english:
                name = " ".join(w for w in name.split() if self.term_weights.known(fold(w)))
            if name and not _mentions(name, retrieved):
                missing.append(name)
        missing += [n for n in re.findall(r"\d{3,}", question) if n not in retrieved]
        return missing

    def _choose(self, scored: list[ScoredSentence], *, multi: bool) -> list[ScoredSentence]:
        """The best sentence, then runners-up within the margin; for a question spanning several
        articles, the best sentence of each article within the margin."""
        best = scored[0]
        chosen = [best]
        for candidate in scored[1:]:
            if len(chosen) >= (self.max_sentences if multi else 2):
                break
            if candidate.score < best.score - self.second_margin:
                break
            if multi and any(c.passage.article_id == candidate.passage.article_id for c in chosen):
                continue
            chosen.append(candidate)
        return chosen

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
        return min(spans, key=lambda span: _distance(sentence.text, span, query_terms))

    def _answer_candidates(
        self, question: str, kind: AnswerType, sentences: Sequence[ScoredSentence]
    ) -> list[tuple[ScoredSentence, str]]:
        """Spans of the expected kind that can answer the question: not already in it, in a sentence
        (or under a title) that names what the question names, and for `bao nhiêu <noun>` counting
        that noun (`2 suất` for `bao nhiêu suất học bổng`)."""
        names = [n for n in named_entities(question) if self._in_vocabulary(n)]
        counted = counted_noun(question) if kind is AnswerType.NUMBER else None
        candidates = []
        for sentence in sentences:
            context = fold(f"{sentence.passage.title} {sentence.text}")
            if names and not any(_mentions(n, context) for n in names):
                continue
            for span in answer_spans(sentence.text, kind, exclude=question):
                if counted and not _counts(sentence.text, span, counted):
                    continue
                candidates.append((sentence, span))
        return candidates


def counted_noun(question: str) -> str | None:
    """`Có bao nhiêu đoàn …?` → `doan` (folded): the noun a number in the answer must count."""
    match = re.search(r"\b(?:bao nhieu|may)\s+(\w+)", fold(question))
    if not match or match.group(1) in STOPWORDS:
        return None
    return match.group(1)


def _counts(sentence: str, span: str, noun: str) -> bool:
    """The span is followed (within two words, e.g. `7 hoạt động`, `3 đoàn`) by the counted noun."""
    after = fold(sentence[sentence.find(span) + len(span):]).split()[:2]
    return noun in after or noun in fold(span).split()


def _distance(sentence: str, span: str, query_terms: set[str]) -> int:
    """Characters between the span and the nearest question word in the sentence (ties: earlier)."""
    position = sentence.find(span)
    hits = [m.start() for m in re.finditer(r"\w+", sentence) if fold(m.group(0)) in query_terms]
    if not hits:
        return position
    return min(abs(h - position) for h in hits)
