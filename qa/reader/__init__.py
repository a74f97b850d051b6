"""The reader: from the retrieved passages to the sentences to quote, the short answer, and whether
to answer at all. No language model, so nothing is made up.

    passages ─ scoring (every sentence, once; the best few reranked) ─ choose what to quote ─ short answer
             ─ evidence about that answer ─ answerability model: P(answerable) ─ Decision

One module per job: `scoring`, `ranker`, `choose`, `short_answer`, `evidence`, `model`; the question is
analysed once (`QuestionAnalysis`, `Asked`, its names) and passed down. The Vietnamese knowledge the
checks use is data in `qa/vocabulary.py`; the answerability weights are learned (`make train`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa.lexicon import TermWeights, content_terms
from qa.question import (
    AnswerType,
    QuestionAnalysis,
    asked_alternatives,
    asked_office,
    counts_otherwise,
    negated_words,
    offices_said,
    says_another_rank_of_office,
    says_no,
    says_words,
)
from qa.reader.candidates import ScoredSentence, asks_about_credits
from qa.reader.choose import choose, past_the_dateline, supported, typed_runner_up
from qa.reader.evidence import Evidence, gather_evidence, question_names
from qa.reader.excerpt import clause_weight, quoted_excerpt
from qa.reader.model import AnswerabilityModel
from qa.reader.ranker import SentenceRanker
from qa.reader.scoring import SentenceScorer, SentencesOf
from qa.reader.short_answer import MUST_HAVE_SPAN, Asked, about_another_alternative, distance, lead_sentence
from qa.spans import Span
from qa.text import fold, has_diacritics
from qa.types import Passage

__all__ = [
    "AnswerabilityModel", "Decision", "Evidence", "Extract", "Reader", "ScoredSentence", "SentenceRanker",
    "SentenceScorer",
]


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
    excerpts: tuple[str, ...] = ()  # what the answer shows of each sentence (a long one, in part)
    lead: str = ""  # the short answer as the answer's first sentence (`Năm 2009.`, `12 chiếc thuyền rồng.`)
    # Indices of sentences quoted only because they hold another candidate answer (`rival_to`): a
    # hedge for an answer in doubt, left out of one the model is sure of (`without_hedges`).
    hedges: tuple[int, ...] = ()

    def quote(self, sentence: ScoredSentence) -> str:
        """The sentence as cited: whole, bracketed credits left out unless they are asked about."""
        return sentence.text if self.credits else sentence.quote

    def without_hedges(self) -> Extract:
        """The answer with its sentence of support alone: the other candidates' sentences left out."""
        if not self.hedges:
            return self
        kept = [i for i in range(len(self.sentences)) if i not in self.hedges]
        excerpts = tuple(self.excerpts[i] for i in kept if i < len(self.excerpts))
        return replace(self, sentences=[self.sentences[i] for i in kept], excerpts=excerpts, hedges=())

    def excerpt(self, index: int) -> str:
        """What the answer text shows of the index-th sentence: its excerpt, else its quote."""
        if index < len(self.excerpts):
            return self.excerpts[index]
        return self.quote(self.sentences[index])


@dataclass(frozen=True)
class Decision:
    """Everything the reader worked out for one question: the sentences scored (best first), the
    answer it would give, the evidence about it, P(answerable) and the verdict."""

    scored: list[ScoredSentence]
    composed: Extract  # the answer it would give, before deciding whether to give it
    evidence: Evidence | None  # None when nothing was read
    probability: float  # P(answerable); 0 when a check before the model declines (`Reader.decide`)
    abstained: bool
    reason: str

    @property
    def extract(self) -> Extract:
        """What is answered: the composed answer, or an empty one that declines."""
        return Extract([], None, True, self.reason) if self.abstained else self.composed


def articles_read(passages: Sequence[Passage]) -> dict[str, str]:
    """The text read of each article (its passages among those retrieved, joined), by its id."""
    read: dict[str, list[str]] = {}
    for passage in passages:
        read.setdefault(passage.article_id, []).append(passage.text)
    return {article: " ".join(texts) for article, texts in read.items()}


NO_FIGURE = "a date or number is asked and the answer gives none that fits"


def gives_no_figure(analysis: QuestionAnalysis, composed: Extract) -> bool:
    """A date or a number is asked (not a list) and the answer the reader composed has no short
    answer: the quoted sentences hold none that fits what is asked (`Asked.spans_in`). Such an
    answer is no answer: on native news it is given mostly to questions the articles do not answer
    (docs/answering.md, session 48)."""
    return analysis.kind in MUST_HAVE_SPAN and not analysis.is_list and composed.short_answer is None


NEGATION_AFFIRMED = "the question asks what is not so and the answer says it is"


def says_what_is_denied(analysis: QuestionAnalysis, composed: Extract) -> bool:
    """The question asks what is not so (`negated_words`: `Loại vé nào không được hoàn tiền?`), no
    quoted sentence says no (`says_no`), and one says the very words it denies (`Vé ngày được hoàn
    tiền.`): the answer is to the opposite question (docs/answering.md, session 49)."""
    denied = negated_words(analysis.text)
    if not denied:
        return False
    accented = has_diacritics(analysis.text)
    quoted = [s.text for s in composed.sentences]
    return not any(says_no(t, accented=accented) for t in quoted) and any(
        says_words(t, denied, accented=accented) for t in quoted
    )


OTHER_COUNT = "the question counts a thing by a number the answer does not give it"


def counts_another_number(analysis: QuestionAnalysis, composed: Extract) -> bool:
    """The question counts or numbers a thing (`3 cây cầu`, `tuyến thứ ba`) and the
    sentence the answer rests on does so only by other numbers (`4 cây cầu`), and the sentence
    before it does not say the question's: it is about another (`counts_otherwise`; docs/answering.md,
    session 50). Not for a question in English."""
    if analysis.english or not composed.sentences:
        return False
    rests_on = composed.sentences[0]
    return counts_otherwise(analysis.text, rests_on.text, rests_on.previous)


ANOTHER_ALTERNATIVE = "the question asks one of some alternatives and the answer's sentence says only another"


def says_another_alternative(analysis: QuestionAnalysis, composed: Extract) -> bool:
    """The question asks one of some alternatives (`asked_alternatives`: `nhỏ nhất`, `giải nhì`,
    `giảm`) and the sentence the answer rests on says only others (`lớn nhất`, `giải nhất`, `tăng`):
    it answers about those, whatever kind of answer is asked (docs/answering.md, session 56). Not
    for a question in English."""
    if analysis.english or not composed.sentences:
        return False
    asked = asked_alternatives(analysis.text)
    return bool(asked) and about_another_alternative(composed.sentences[0].text, asked)


ANOTHER_OFFICE = "the question asks for the holder of an office and the answer titles only its deputy, or the reverse"


def titles_another_office(analysis: QuestionAnalysis, composed: Extract) -> bool:
    """The question names an office (`asked_office`: `Giám đốc trại giống là ai?`) and the quoted
    sentences title someone only as its deputy (`Phó Giám đốc trại giống`), or, the deputy asked,
    only with the office itself: they are about another person than the one asked
    (`says_another_rank_of_office`; docs/answering.md, session 57)."""
    office = asked_office(analysis.text)
    if office is None:
        return False
    said = set().union(*(offices_said(s.text) for s in composed.sentences))
    return says_another_rank_of_office(office, said)


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
        dateline_margin: float = 0.2,
        max_sentences: int = 3,
        supported_margin: float | None = 0.0,
        excerpt_chars: int = 220,
        excerpt_from: int = 280,
        hedge_below: float | None = None,
        ranker: SentenceRanker | None = None,
        ranker_weight: float = 0.0,
        ranker_candidates: int = 4,
        ranker_candidates_english: int = 8,
        figure_required: bool = True,
        negation_checked: bool = True,
        counts_checked: bool = True,
        alternatives_checked: bool = True,
        offices_checked: bool = True,
    ) -> None:
        self.scorer = scorer
        self.ranker = ranker if ranker_weight else None
        self.ranker_weight = ranker_weight
        self.ranker_candidates = ranker_candidates
        self.ranker_candidates_english = ranker_candidates_english
        self._model = model
        self._threshold = threshold
        self.caption_margin = caption_margin
        self.second_margin = second_margin
        self.typed_margin = typed_margin
        self.dateline_margin = dateline_margin
        self.max_sentences = max_sentences
        self.supported_margin = supported_margin
        self.excerpt_chars = excerpt_chars
        self.excerpt_from = excerpt_from
        self.hedge_below = hedge_below  # another candidate's sentence is quoted only when P is below this
        self.figure_required = figure_required  # `gives_no_figure` declines, whatever P
        self.negation_checked = negation_checked  # `says_what_is_denied` declines, whatever P
        self.counts_checked = counts_checked  # `counts_another_number` declines, whatever P
        self.alternatives_checked = alternatives_checked  # `says_another_alternative` declines, whatever P
        self.offices_checked = offices_checked  # `titles_another_office` declines, whatever P

    @property
    def model(self) -> AnswerabilityModel:
        """The answerability model; the shipped file is read when first needed (scoring and composing
        need none, which is how `make train` gathers evidence for a file of other fields)."""
        if self._model is None:
            self._model = AnswerabilityModel.load()
        return self._model

    @property
    def threshold(self) -> float:
        return self.model.threshold if self._threshold is None else self._threshold

    @property
    def term_weights(self) -> TermWeights:
        return self.scorer.term_weights

    def score(
        self,
        analysis: QuestionAnalysis,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
    ) -> list[ScoredSentence]:
        """Every sentence of the passages scored against the question, best first (qa.reader.scoring),
        the best few then moved by the learned ranker (`rerank`): more of them for a question in
        English, whose words the hand score cannot match in the articles."""
        # Only dates and numbers: the name finders miss too many names (docs/answering.md) for a
        # sentence holding none to rank lower for it.
        asked = Asked.of(analysis.text, analysis.kind) if analysis.kind in MUST_HAVE_SPAN else None
        fits = asked.holds if asked is not None else None
        return self.rerank(analysis, self.scorer.score(analysis.text, query_vector, passages, sentences_of, fits))

    def rerank(self, analysis: QuestionAnalysis, scored: list[ScoredSentence]) -> list[ScoredSentence]:
        """The `ranker_candidates` best sentences (`ranker_candidates_english` for a question in
        English: the hand score, matching none of its words, ranks the answer lower), each scored
        anew as its hand score plus `ranker_weight` × (the learned ranker's logit − the best of
        theirs) (qa/reader/ranker.py):
        the ranker's choice keeps its score, so it stays above every sentence not read; the others
        as they were; best first again. Each sentence read keeps what the ranker read of it
        (`ScoredSentence.reading`), which the answerability model weighs for the best. Unchanged
        without a ranker."""
        if self.ranker is None or not scored:
            return scored
        candidates = self.ranker_candidates_english if analysis.english else self.ranker_candidates
        top = scored[:candidates]
        logits, states = self.ranker.read(analysis.text, [s.text for s in top])
        logits = logits - logits.max()
        moved = [
            replace(s, score=s.score + self.ranker_weight * float(logit), reading=state)
            for s, logit, state in zip(top, logits, states, strict=True)
        ]
        return sorted(moved + scored[candidates:], key=lambda s: s.score, reverse=True)

    def decide(
        self,
        analysis: QuestionAnalysis,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
    ) -> Decision:
        scored = self.score(analysis, query_vector, passages, sentences_of)
        if not scored:
            reason = "no passage retrieved"
            return Decision([], Extract([], None, True, reason), None, 0.0, True, reason)
        composed, evidence = self.compose(analysis, scored, passages)
        # Checks before the model: each declines whatever P, which is recorded as 0 so that the
        # trade-off curve counts the question declined at every threshold.
        ruled = self.ruled_out(analysis, composed)
        if ruled is not None:
            return Decision(scored, composed, evidence, 0.0, True, ruled)  # declined at any threshold
        probability = self.model.probability(evidence)
        if self.hedge_below is not None and probability >= self.hedge_below:
            composed = composed.without_hedges()
        if probability >= self.threshold:
            return Decision(scored, composed, evidence, probability, False, "")
        return Decision(scored, composed, evidence, probability, True, self.model.reason(evidence, self.threshold))

    def ruled_out(self, analysis: QuestionAnalysis, composed: Extract) -> str | None:
        """Why a check before the model declines the composed answer, whatever P; None when none does."""
        for checked, declines, reason in (
            (self.figure_required, gives_no_figure, NO_FIGURE),
            (self.negation_checked, says_what_is_denied, NEGATION_AFFIRMED),
            (self.counts_checked, counts_another_number, OTHER_COUNT),
            (self.alternatives_checked, says_another_alternative, ANOTHER_ALTERNATIVE),
            (self.offices_checked, titles_another_office, ANOTHER_OFFICE),
        ):
            if checked and declines(analysis, composed):
                return reason
        return None

    def decide_in_time(
        self,
        analysis: QuestionAnalysis,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        sentences_of: SentencesOf,
        relevant_share: float,
    ) -> Decision | None:
        """When the question names a time: the decision read from the relevant passages of that
        time alone (scoring at least `relevant_share` of the best; in the range, or for "mới nhất"
        of the newest day), with the time's words left out of the question, since the articles'
        date answers them. None when there are no such passages or they do not answer: then all the
        passages are read as usual (`decide`)."""
        from qa.dates import published_day

        time = analysis.time
        if time is None or not passages:
            return None
        floor = relevant_share * max(p.score for p in passages)
        dated = [(p, published_day(p.published)) for p in passages if p.score >= floor and p.published is not None]
        if time.bounded:
            chosen = [p for p, _ in dated if time.contains(p.published)]
        else:
            newest = max((day for _, day in dated), default=None)
            chosen = [p for p, day in dated if day == newest]
        if not chosen:
            return None
        decision = self.decide(analysis.without_time(), query_vector, chosen, sentences_of)
        return None if decision.abstained else decision

    def compose(
        self, analysis: QuestionAnalysis, scored: list[ScoredSentence], passages: Sequence[Passage]
    ) -> tuple[Extract, Evidence]:
        """The answer the reader would give (sentences, short answer) and the evidence about it,
        before deciding whether to give it. A count of a generic noun (`bao nhiêu người`) that no
        sentence about the question's subject gives by that noun is read again as a count of
        anything (`58 hành khách`)."""
        asked = Asked.of(analysis.whole, analysis.kind, read=[p.text for p in passages]) if analysis.kind else None
        extract, evidence = self._compose(analysis, asked, scored, passages)
        if evidence.no_subject_span and asked is not None and asked.paraphrasable:
            return self._compose(analysis, asked.as_count_of_things(), scored, passages)
        return extract, evidence

    def _compose(
        self,
        analysis: QuestionAnalysis,
        asked: Asked | None,
        scored: list[ScoredSentence],
        passages: Sequence[Passage],
    ) -> tuple[Extract, Evidence]:
        names = question_names(analysis, self.term_weights)

        def holds_answer(sentence: ScoredSentence, about: Sequence[str] = ()) -> bool:
            return bool(asked and asked.spans_in(sentence, about))

        chosen = choose(
            scored,
            is_list=analysis.is_list,
            caption_margin=self.caption_margin,
            second_margin=self.second_margin,
            max_sentences=self.max_sentences,
        )
        found = shown = support = None
        hedges: tuple[int, ...] = ()
        query_terms = {fold(t) for t in content_terms(analysis.text)}
        if asked and not analysis.is_list:  # a list gathers several sentences; no one span answers it
            first = chosen[0]
            if asked.kind in (AnswerType.DATE, AnswerType.DAY):
                chosen = past_the_dateline(chosen, scored, holds_answer, self.dateline_margin)
            if not any(holds_answer(s) for s in chosen):
                chosen = chosen + typed_runner_up(scored, chosen, holds_answer, self.typed_margin)
            # `found`, in a sentence about the question's names, is what the evidence weighs; the
            # answer shows `shown`, which may be about them only as far as its article, as read, names them.
            # A sentence put before its story's dateline is about what the dateline names: its date
            # answers, not the dateline's (the day the story was filed).
            found = (
                asked.answer_in(chosen[:1], names, query_terms, articles_read(passages))
                if chosen[0] is not first
                else None
            ) or asked.answer_in(chosen, names, query_terms)
            shown = found or asked.answer_in(chosen, names, query_terms, articles_read(passages))
            # The sentence that supports the answer: the short answer's, else the first holding a
            # span of the kind asked for (about whatever it is: the names may be in other words).
            support = shown or asked.answer_in(chosen, (), query_terms)
        # The evidence weighs every sentence considered; the answer quotes the one that supports it.
        evidence = gather_evidence(
            analysis, names, scored, passages, chosen, holds_answer, self.term_weights, found[0] if found else None
        )
        if (
            asked is not None
            and support is not None
            and self.supported_margin is not None
            and (support[0] is chosen[0] or asked.best_has_none(chosen[0]))
        ):
            alone = supported(chosen, support[0], self.supported_margin)
            chosen = supported(chosen, support[0], self.supported_margin, asked.rival_to(support[1].text))
            hedges = tuple(i for i, s in enumerate(chosen) if not any(s is a for a in alone))
        credits = asks_about_credits(analysis.text)
        weight = clause_weight(analysis.text, self.term_weights)
        short = asked.said(shown[0].text, shown[1]) if asked and shown else None
        said = lead_sentence(short, analysis.kind) if short else ""
        lead = len(said)

        def anchor(sentence: ScoredSentence) -> Span | None:
            """The supporting span in its sentence; elsewhere, the span of the kind asked for nearest
            the question's words; None for a list (its answer is many spans), a question of no
            kind, or a sentence holding none."""
            if support is not None and sentence is support[0]:
                return support[1]
            spans = asked.spans_in(sentence) if asked and not analysis.is_list else []
            return min(spans, key=lambda span: distance(sentence.text, span, query_terms)) if spans else None

        def budget(sentence: ScoredSentence) -> int:
            """The short answer's lead counts against its sentence's budget (down to half of it)."""
            if lead and support is not None and sentence is support[0]:
                return max(self.excerpt_chars - lead - 1, self.excerpt_chars // 2)
            return self.excerpt_chars

        excerpts = tuple(
            quoted_excerpt(s, budget(s), weight, anchor(s), credits=credits, longer_than=self.excerpt_from)
            for s in chosen
        )
        return Extract(chosen, short, False, "", analysis.kind, credits, excerpts, said, hedges), evidence
