"""The reader: from the retrieved passages to the sentences to quote, the short answer, and whether
to answer at all. No language model, so nothing is made up.

    passages ─ scoring (every sentence, once) ─ choose what to quote ─ short answer
             ─ evidence about that answer ─ answerability model: P(answerable) ─ Decision

One module per job: `scoring`, `choose`, `short_answer`, `evidence`, `model`; the question is
analysed once (`QuestionAnalysis`, `Asked`, its names) and passed down. The Vietnamese knowledge the
checks use is data in `qa/vocabulary.py`; the answerability weights are learned (`make train`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.lexicon import TermWeights, content_terms
from qa.question import AnswerType, QuestionAnalysis
from qa.reader.candidates import ScoredSentence, asks_about_credits
from qa.reader.choose import choose, typed_runner_up
from qa.reader.evidence import Evidence, gather_evidence, question_names
from qa.reader.model import AnswerabilityModel
from qa.reader.scoring import SentenceScorer, SentencesOf
from qa.reader.short_answer import Asked
from qa.text import fold
from qa.types import Passage

__all__ = ["AnswerabilityModel", "Decision", "Evidence", "Extract", "Reader", "ScoredSentence", "SentenceScorer"]


@dataclass(frozen=True)
class Extract:
    """What the reader would answer: the sentences to quote (in order), the short answer, or why it
    declined."""

    sentences: list[ScoredSentence]
    short_answer: str | None
    abstained: bool
    reason: str
    kind: AnswerType | None = None  # what the question asks for, which shapes the answer's lead
    credits: bool = False  # the question asks about a photo or a source: quote credits as they stand

    def quote(self, sentence: ScoredSentence) -> str:
        return sentence.text if self.credits else sentence.quote


@dataclass(frozen=True)
class Decision:
    """Everything the reader worked out for one question: the sentences scored (best first), the
    answer it would give, the evidence about it, P(answerable) and the verdict."""

    scored: list[ScoredSentence]
    composed: Extract  # the answer it would give, before deciding whether to give it
    evidence: Evidence | None  # None when nothing was read
    probability: float
    abstained: bool
    reason: str

    @property
    def extract(self) -> Extract:
        """What is answered: the composed answer, or an empty one that declines."""
        return Extract([], None, True, self.reason) if self.abstained else self.composed


class Reader:
    def __init__(
        self,
        scorer: SentenceScorer,
        model: AnswerabilityModel | None = None,
        *,
        threshold: float | None = None,
        caption_margin: float = 0.15,
        second_margin: float = 0.14,
        typed_margin: float = 0.2,
        max_sentences: int = 3,
    ) -> None:
        self.scorer = scorer
        self.model = model or AnswerabilityModel.load()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.caption_margin = caption_margin
        self.second_margin = second_margin
        self.typed_margin = typed_margin
        self.max_sentences = max_sentences

    @property
    def term_weights(self) -> TermWeights:
        return self.scorer.term_weights

    def decide(
        self,
        analysis: QuestionAnalysis,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
    ) -> Decision:
        scored = self.scorer.score(analysis.text, query_vector, passages, sentences_of)
        if not scored:
            reason = "no passage retrieved"
            return Decision([], Extract([], None, True, reason), None, 0.0, True, reason)
        composed, evidence = self.compose(analysis, scored, passages)
        probability = self.model.probability(evidence)
        if probability >= self.threshold:
            return Decision(scored, composed, evidence, probability, False, "")
        return Decision(scored, composed, evidence, probability, True, self.model.reason(evidence, self.threshold))

    def compose(
        self, analysis: QuestionAnalysis, scored: list[ScoredSentence], passages: Sequence[Passage]
    ) -> tuple[Extract, Evidence]:
        """The answer the reader would give (sentences, short answer) and the evidence about it,
        before deciding whether to give it."""
        names = question_names(analysis, self.term_weights)
        asked = Asked.of(analysis.text, analysis.kind) if analysis.kind else None

        def holds_answer(sentence: ScoredSentence, about: Sequence[str] = ()) -> bool:
            return bool(asked and asked.spans_in(sentence, about))

        chosen = choose(
            scored,
            is_list=analysis.is_list,
            caption_margin=self.caption_margin,
            second_margin=self.second_margin,
            max_sentences=self.max_sentences,
        )
        short = None
        if asked and not analysis.is_list:  # a list gathers several sentences; no one span answers it
            if not any(holds_answer(s) for s in chosen):
                chosen = chosen + typed_runner_up(scored, chosen, holds_answer, self.typed_margin)
            short = asked.short_answer(chosen, names, {fold(t) for t in content_terms(analysis.text)})
        evidence = gather_evidence(analysis, names, scored, passages, chosen, holds_answer, self.term_weights)
        credits = asks_about_credits(analysis.text)
        return Extract(chosen, short, False, "", analysis.kind, credits), evidence
