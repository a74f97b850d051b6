"""Scoring every sentence of the retrieved passages against the question.

Each sentence comes with its vector (`passage: …`, embedded when its passage was first read:
`qa.sentences`), so scoring costs a dot product plus word overlap:

    score = cosine(question, sentence) + lexical_weight · lexical
            + context_weight · (lexical once read after the sentence before − lexical)
            + prior_weight / (passage rank + 1)
            + typed_weight · (it holds a fitting date or number, when the question asks for one)

`lexical` is the IDF-weighted share of the question's content syllables and adjacent pairs that the
sentence holds. The words a sentence shares with the question once read after the sentence before
it count too, less: an answer often leaves its subject to that sentence. A question that asks for
a date or a number is answered by a sentence that holds one: on news, where the
lead sentence shares most words with any question about its story, that is what tells the
sentence with the fact from the one that introduces it. The weights are settings;
docs/answering.md has what each was worth, and what a learned ranker over the same signals gave.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.lexicon import TermWeights, question_units, terms
from qa.reader.candidates import ScoredSentence, is_a_question
from qa.types import Passage

SentencesOf = Callable[[str], Sequence]  # chunk_id -> sentences with .text, .start, .vector (qa.sentences.Sentence)


@dataclass(frozen=True)
class SentenceScorer:
    term_weights: TermWeights
    lexical_weight: float = 0.3
    context_weight: float = 0.1
    prior_weight: float = 0.15
    typed_weight: float = 0.05

    def score(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
        fits: Callable[[str], bool] | None = None,
    ) -> list[ScoredSentence]:
        """Every sentence of the passages, best first, but those that ask (`is_a_question`: the next
        one reads them as what came before); a sentence shared by overlapping passages is scored
        once, under the better-ranked passage. `fits(sentence)`: it holds a span of the kind the
        question asks for that fits (None: the question asks for no kind)."""
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
                if key in seen or is_a_question(sentence.text):
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
                    + (self.typed_weight if fits is not None and fits(sentence.text) else 0.0)
                )
                scored.append(
                    ScoredSentence(rank, passage, sentence.text, sentence.start, score, dense, lexical, previous)
                )
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored
