"""The public entry points, `ask()` and `retrieve()`, and the `Pipeline` behind them: the one place
where the stages meet.

    question ─ clean ─ resolve follow-up ─ encode ─ retrieve (dense + BM25, fused)
             ─ score sentences, compose, decide ─ [optional: language model over the same passages]
             ─ Answer with [n] citations

A `Pipeline` binds one `Settings` to its index, encoder and answerers, loaded on first use under a
lock (the chat UI calls it from several threads). It never builds an index as a side effect of a
question: `prepare()` does that (the CLI, the UI and the module-level functions call it first), and a
pipeline asked before any index exists says so (`IndexMissing`). An index is built in two stages
(`qa.index`): new articles are searchable by their words first, and join dense search once their
passages are embedded — by `prepare()` itself, or in a background thread (`prepare(background=True)`,
the chat), whose progress `embedding` reports. `trace()` returns every
intermediate of one question; `ask()` is that trace turned into an `Answer`, and calibration,
evaluation and the UI read the same trace instead of repeating its steps.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa import messages
from qa.errors import EncoderError, InvalidQuestion, SettingsError
from qa.sentences import SentenceVectors, leave_out
from qa.settings import Settings
from qa.types import Answer, Article, Passage

if TYPE_CHECKING:  # heavy modules load on first use, so that `import qa` stays fast
    from embeddings import Encoder
    from qa.corpus import LoadProblem
    from qa.generative import ChatCompletionsClient
    from qa.index import Index, Progress
    from qa.question import QuestionAnalysis
    from qa.reader import Decision, Reader, SentenceRanker
    from qa.reader.scoring import SentencesOf
    from qa.retrieval import Retriever

log = logging.getLogger(__name__)

History = Sequence[tuple[str, str]]  # (earlier question, the answer text given to it), oldest first

QUERY_CACHE_SIZE = 1024  # distinct questions whose vectors are kept (a few hundred KiB)


@dataclass(frozen=True)
class Trace:
    """One question through the pipeline, every intermediate kept."""

    question: str  # as cleaned
    query: str  # what was searched: the question, or a follow-up rewritten with the conversation
    analysis: QuestionAnalysis  # what the question asks for
    passages: list[Passage]  # what was read, best first
    decision: Decision  # scored sentences, the composed answer, evidence, P(answerable), verdict
    answer: Answer  # what the user gets (the language model's when one answered)

    @property
    def probability(self) -> float:
        return self.decision.probability


@dataclass(frozen=True)
class Embedding:
    """The loaded index while some of its passages have no vector (searched by their words only):
    how many, and how far the step embedding them is."""

    pending: int  # passages not in dense search yet
    done: int  # texts embedded so far by the step running (0 before it starts)
    total: int  # texts it embeds (0 until it has counted them)
    failed: bool  # the step stopped on an error (logged); the next `prepare()` tries again

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def make_reader(settings: Settings, index: Index) -> Reader:
    """The answering stage over an index, as the settings say (the shipped answerability model and
    sentence ranker)."""
    from qa.lexicon import TermWeights
    from qa.reader import Reader, SentenceScorer

    a = settings.answering
    ranker = _ranker(settings.index.models_dir, settings.index.query_threads) if a.ranker_weight else None
    scorer = SentenceScorer(
        TermWeights(*index.document_frequencies()),
        lexical_weight=a.lexical_weight,
        context_weight=a.context_weight,
        prior_weight=a.prior_weight,
        typed_weight=a.typed_weight,
    )
    return Reader(
        scorer,
        threshold=a.abstain_threshold,
        caption_margin=a.caption_margin,
        second_margin=a.second_margin,
        typed_margin=a.typed_margin,
        dateline_margin=a.dateline_margin,
        max_sentences=a.max_sentences,
        supported_margin=a.supported_margin,
        excerpt_chars=a.excerpt_chars,
        excerpt_from=a.excerpt_from,
        hedge_below=a.hedge_below,
        ranker=ranker,
        ranker_weight=a.ranker_weight,
        ranker_candidates=a.ranker_candidates,
        ranker_candidates_english=a.ranker_candidates_english,
        figure_required=a.figure_required,
        negation_checked=a.negation_checked,
        counts_checked=a.counts_checked,
        alternatives_checked=a.alternatives_checked,
        offices_checked=a.offices_checked,
    )


@lru_cache(maxsize=2)
def _ranker(models_dir: Path, threads: int) -> SentenceRanker:
    """The shipped sentence ranker, loaded once per process (its graph is cached in `models_dir`)."""
    from qa.reader.ranker import SentenceRanker

    return SentenceRanker(models_dir=models_dir, threads=threads)


@dataclass(frozen=True)
class _Loaded:
    """What answering needs once the index is loaded; replaced whole by `prepare()`."""

    index: Index
    retriever: Retriever
    reader: Reader
    skipped: tuple[LoadProblem, ...] = ()  # files and records of the corpus that could not be read


class Pipeline:
    def __init__(self, settings: Settings | None = None, *, encoder: Encoder | None = None) -> None:
        self.settings = settings or Settings.load()
        self._encoder = encoder
        self._loaded: _Loaded | None = None
        self._lock = threading.RLock()
        self._encoder_lock = threading.Lock()  # not `_lock`: the encoder loads beside a prepare() holding it
        self._embedder: threading.Thread | None = None  # the background stage 2, while it runs
        self._embedded = (0, 0)  # its progress: (texts embedded, texts to embed)
        self._embedding_failed = False
        self.encode_query = lru_cache(maxsize=QUERY_CACHE_SIZE)(self._encode_query)
        """The question's unit vector, (dim,) float32, read-only; cached, so a question is encoded once."""
        self.sentence_vectors = SentenceVectors(self.settings.index.sentence_cache)
        """The sentences of the passages read, embedded when first read and kept (`sentences_of`)."""

    # -- set-up -----------------------------------------------------------------------------------

    def prepare(
        self, *, force: bool = False, progress: Progress = False, background: bool = False, wait: bool = True
    ) -> Index:
        """Answer from the corpus's index: loaded as it is when the corpus files are those it was
        last loaded from (hashed, not read again: `qa.index.load_unchanged`), else the corpus is
        loaded and the index built if missing or stale, or `force`d. Passages without a vector yet
        (new to the embedding cache, or left by a stage 2 that was stopped) are then embedded and the
        complete index loaded (`progress` reports that step); with `background`, that step runs in
        a thread and the index returned, already answering, searches those passages by BM25 only
        until it is done (`embedding`). `wait=False`: when another process is embedding this
        corpus's new passages (a server), answer from the index as it is rather than wait for it."""
        from qa.corpus import LoadProblem, files_fingerprint, load_corpus
        from qa.index import both_stages, complete_dense, ensure_index, folder_key, load_unchanged

        with self._lock:
            folder, limit = self.settings.corpus.dir, self.settings.corpus.max_article_chars
            key = folder_key(folder)
            # The encoder loads (onnxruntime, the graph: ~0.5 s) on the other core while the files are
            # hashed and the index read; a missing model still fails here, not at the first question.
            encoder_loading = threading.Thread(target=self._load_encoder_quietly, name="qa-encoder-load", daemon=True)
            encoder_loading.start()
            files = files_fingerprint(folder, limit)
            unchanged = None if force else load_unchanged(self.settings, key, files)
            encoder_loading.join()
            self.encoder  # noqa: B018  raises the loading error, if there was one
            if unchanged is not None:
                index, recorded = unchanged
                problems = tuple(LoadProblem.from_dict(record, folder) for record in recorded)
                self._log_problems(problems)
                log.info("index %s is current: the corpus files are those it was loaded from", index.folder.name)
            else:
                corpus = load_corpus(folder, limit)
                problems = tuple(corpus.problems)
                self._log_problems(problems)
                # Files changed while being read: record nothing, so that the next prepare() reads them.
                still = files_fingerprint(folder, limit) == files
                index = ensure_index(
                    self.settings,
                    corpus.articles,
                    corpus=key,
                    fingerprint=corpus.fingerprint(),
                    encoder=self.encoder,
                    force=force,
                    files_fingerprint=files if still else None,
                    problems=[problem.to_dict(folder) for problem in problems],
                )
            self._loaded = self._load(index, problems)
            if index.dense_pending and background:
                self._embed_in_background(progress)
            elif index.dense_pending:
                complete = complete_dense(self.settings, key, self.encoder, progress, loaded=index, wait=wait)
                complete.report = both_stages(index.report, complete.report)
                index = complete
                self._loaded = self._load(index, problems)
            return index

    def _embed_in_background(self, progress: Progress) -> None:
        """Start stage 2 in a thread, unless it runs already (it completes the build loaded last)."""
        if self._embedder is not None:
            return
        self._embedded, self._embedding_failed = (0, 0), False
        self._embedder = threading.Thread(
            target=self._embed_pending, args=(progress,), name="qa-embedding", daemon=True
        )
        self._embedder.start()

    def _embed_pending(self, progress: Progress) -> None:
        """Stage 2 until the loaded index is complete: questions are answered meanwhile from the
        index loaded by `prepare()`, then from the complete one. An error is logged in one line; the
        index keeps answering (BM25 for the passages without vectors) and the next `prepare()` tries
        again, resuming from the embeddings saved."""
        from qa.index import complete_dense, folder_key

        def tell(done: int, total: int) -> None:
            self._embedded = (done, total)
            if callable(progress):
                progress(done, total)

        while True:
            with self._lock:
                loaded = self._loaded
                if loaded is None or not loaded.index.dense_pending:
                    self._embedder = None
                    return
            try:
                key = folder_key(self.settings.corpus.dir)
                index = complete_dense(self.settings, key, self.encoder, tell, loaded=loaded.index)
            except Exception as exc:
                log.error("embedding the passages of the new articles failed (they are searched by BM25 only "
                          "until the next prepare): %s: %s", type(exc).__name__, exc)
                with self._lock:
                    self._embedder, self._embedding_failed = None, True
                return
            with self._lock:
                if self._loaded is loaded:  # else prepare() loaded a newer build meanwhile: complete that one
                    self._loaded = self._load(index, loaded.skipped)

    @property
    def embedding(self) -> Embedding | None:
        """How far the loaded index is from dense search over every passage; None when it is there."""
        loaded = self._loaded
        if loaded is None or not loaded.index.dense_pending:
            return None
        done, total = self._embedded
        return Embedding(loaded.index.dense_pending, done, total, self._embedding_failed)

    def wait_embedded(self, timeout: float | None = None) -> bool:
        """Wait for the background embedding, if one runs; True when the loaded index is complete."""
        embedder = self._embedder
        if embedder is not None:
            embedder.join(timeout)
        return self.embedding is None

    @staticmethod
    def _log_problems(problems: Sequence[LoadProblem]) -> None:
        for problem in problems:
            log.warning("skipped %s: %s", problem.path, problem.reason)

    @property
    def encoder(self) -> Encoder:
        encoder = self._encoder
        if encoder is not None:  # no lock: a question must not wait for a build holding it
            return encoder
        with self._encoder_lock:
            if self._encoder is None:
                from embeddings import EncoderUnavailable, load_encoder

                try:
                    index = self.settings.index
                    self._encoder = load_encoder(
                        index.embed_model,
                        threads=index.encoder_threads,
                        query_threads=index.query_threads,
                        models_dir=index.models_dir,
                    )
                except EncoderUnavailable as exc:
                    raise EncoderError(str(exc)) from None
            return self._encoder

    def _load_encoder_quietly(self) -> None:
        """Load the encoder; an error is left for the caller's next `encoder`, which raises it."""
        with contextlib.suppress(EncoderError):
            self.encoder  # noqa: B018

    @property
    def index(self) -> Index:
        return self._state().index

    @property
    def reader(self) -> Reader:
        """The answering stage as loaded (training calls its scorer and `compose`)."""
        return self._state().reader

    def _state(self) -> _Loaded:
        loaded = self._loaded
        if loaded is None:
            with self._lock:
                if self._loaded is None:
                    from qa.index import folder_key, load_current

                    self._loaded = self._load(load_current(self.settings, folder_key(self.settings.corpus.dir)))
                loaded = self._loaded
        return loaded

    def _load(self, index: Index, skipped: tuple[LoadProblem, ...] = ()) -> _Loaded:
        from qa.retrieval import Retriever

        reader = make_reader(self.settings, index)
        return _Loaded(index, Retriever(index, self.settings.retrieval), reader, skipped)

    def _generator(self) -> ChatCompletionsClient | None:
        if not self.settings.llm.enabled:
            return None
        from qa.generative import ChatCompletionsClient

        return ChatCompletionsClient.from_settings(self.settings.llm)

    # -- records ----------------------------------------------------------------------------------

    @property
    def articles(self) -> Sequence[Article]:
        """Every article of the corpus, as indexed (for corpus summaries and in-app article views);
        each read from disk when accessed (`qa.textstore`)."""
        return self.index.articles

    @property
    def headers(self) -> list[Article]:
        """Every article of the corpus without its body (`body` empty): titles, dates, URLs, read
        without touching the bodies on disk (listings and summaries of a large archive)."""
        return self.index.texts.headers()

    def article(self, article_id: str) -> Article | None:
        return self.index.article(article_id)

    @property
    def skipped(self) -> tuple[LoadProblem, ...]:
        """What the last `prepare()` could not read in the corpus folder (file or record, and why), as
        recorded with the index when the files had not changed since; empty when the index was
        loaded without `prepare()`."""
        return self._state().skipped

    # -- questions --------------------------------------------------------------------------------

    def _encode_query(self, question: str) -> np.ndarray:
        vector = self.encoder.encode_queries([question])[0]
        vector.setflags(write=False)
        return vector

    def sentences_of(self, passages: Sequence[Passage], index: Index | None = None) -> SentencesOf:
        """chunk id → that passage's sentences with their vectors, for these passages (of `index`,
        default the loaded one): those not read before are embedded now, in one encoder call."""
        index = index or self.index
        table = self.sentence_vectors.read(index, [p.chunk_id for p in passages], self.encoder)
        return table.__getitem__

    def clean(self, question: str) -> str:
        from qa.question import clean_question

        return clean_question(question, self.settings.answering.max_question_chars)

    def clean_history(self, history: History | None) -> tuple[tuple[str, str], ...]:
        """The last `max_history_turns` (earlier question, answer text) pairs, each question cleaned
        and held to the same limits as a question, each answer cut to that many characters."""
        if history is None:
            return ()
        if isinstance(history, str | bytes | dict) or not isinstance(history, Sequence):
            raise InvalidQuestion(
                f"history must be a list of (question, answer) pairs, got {type(history).__name__}",
                messages.HISTORY_INVALID,
            )
        limits = self.settings.answering
        turns = list(history)[-limits.max_history_turns :] if limits.max_history_turns else []
        cleaned = []
        for turn in turns:
            if not (isinstance(turn, Sequence) and not isinstance(turn, str) and len(turn) == 2
                    and all(isinstance(part, str) for part in turn)):
                raise InvalidQuestion(
                    f"each history turn must be a (question, answer) pair of strings, got {turn!r:.60}",
                    messages.HISTORY_INVALID,
                )
            earlier, answer = turn
            cleaned.append((self.clean(earlier), answer[: limits.max_question_chars]))
        return tuple(cleaned)

    def passages_to_read(self, k: int | None) -> int:
        """`k`, or the top_k setting when None; anything but a positive whole number is refused."""
        if k is None:
            return self.settings.retrieval.top_k
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise SettingsError(f"k must be a positive whole number of passages, got {k!r}")
        return k

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        today: date | None = None,
    ) -> list[Passage]:
        """The k (default: the top_k setting) passages most relevant to the question, best first.
        `since`/`until` (dates or datetimes, days included) keep only articles published then;
        a time named in the question ("năm 2023", "mới nhất") only moves its articles up."""
        from qa.dates import asked_time, explicit_range

        k = self.passages_to_read(k)
        within = explicit_range(since, until)
        query = self.clean(question)
        state = self._state()
        prefer = asked_time(query, today)
        return state.retriever.retrieve(query, self.encode_query(query), k, within=within, prefer=prefer)

    def trace(
        self,
        question: str,
        history: History | None = None,
        *,
        k: int | None = None,
        passages: Sequence[Passage] | None = None,
        since: date | None = None,
        until: date | None = None,
        today: date | None = None,
        omit: Callable[[str], bool] | None = None,
    ) -> Trace:
        """Answer the question, keeping every intermediate. `passages`, when given, are read instead
        of retrieving (calibration reads the passages left once the gold article is removed).
        `since`/`until` filter the articles by publication day (undated ones are then left out);
        a time the question names is preferred, never filtered; `today` anchors "hôm qua", "năm
        ngoái" (default: today in Vietnam time). `omit`, when given, picks sentences (by their text)
        to leave out of what is read (`qa eval --fact-missing`: those holding the answer)."""
        from qa import answering
        from qa.dates import explicit_range
        from qa.followup import resolve
        from qa.question import QuestionAnalysis

        k = self.passages_to_read(k)
        within = explicit_range(since, until)
        question = self.clean(question)
        history = self.clean_history(history)
        query = resolve(question, history)
        analysis = QuestionAnalysis.of(query, today)
        state = self._state()
        vector = self.encode_query(query)
        retrieved = passages is None
        if passages is None:
            passages = state.retriever.retrieve(query, vector, k, within=within, prefer=analysis.time)
        passages = list(passages)
        sentences = self.sentences_of(passages, state.index)
        if omit is not None:
            passages, sentences = leave_out(passages, sentences, omit)
        decision = None
        if retrieved:
            share = self.settings.retrieval.date_relevant
            decision = state.reader.decide_in_time(analysis, vector, passages, sentences, share)
        if decision is None:
            decision = state.reader.decide(analysis, vector, passages, sentences)
        time_asked = analysis.time is not None  # the date matters: answers state it (answering.dated)
        answer = self._generate(question, passages, history, decision, time_asked)
        if answer is None:
            if decision.abstained:
                log.info("declined %r: %s", query, decision.reason)
            answer = answering.from_extract(question, decision.extract, passages, time_asked=time_asked)
        answer = replace(answer, query=query, **self._confidence(decision))
        return Trace(question, query, analysis, passages, decision, answer)

    def _confidence(self, decision: Decision) -> dict[str, Any]:
        """The answer's confidence fields: P(answerable), whether it reaches QA_ANSWER_SURE, and
        otherwise the evidence that weighed most against it."""
        if decision.evidence is None:
            return {"confidence": None, "sure": False, "doubt": None}
        sure = not decision.abstained and decision.probability >= self.settings.answering.sure
        doubt = None if sure else self._state().reader.model.weakest(decision.evidence)
        return {"confidence": round(decision.probability, 4), "sure": sure, "doubt": doubt}

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        history: History | None = None,
        since: date | None = None,
        until: date | None = None,
        today: date | None = None,
    ) -> Answer:
        """Answer `question` in Vietnamese from the articles, with [n] citations, or decline;
        `since`/`until` as in `trace`."""
        return self.trace(question, history, k=k, since=since, until=until, today=today).answer

    def _generate(
        self, question: str, passages: list[Passage], history: History, decision: Decision, time_asked: bool
    ) -> Answer | None:
        """The language model's answer, or None (logged) so that the extractive one is given."""
        generator = self._generator()
        if generator is None or not passages:
            return None
        from qa import answering
        from qa.generative import GenerationFailed, build_messages

        try:
            reply = generator.complete(build_messages(question, passages, history))
        except GenerationFailed as exc:
            log.warning("language model failed, answering extractively instead: %s", exc)
            return None
        best = {
            i: next((s for s in decision.scored if s.passage.chunk_id == p.chunk_id), None)
            for i, p in enumerate(passages, 1)
        }
        return answering.from_generated(question, reply, passages, best, time_asked=time_asked)


_pipelines: dict[Settings, Pipeline] = {}
_lock = threading.Lock()


def default_pipeline(settings: Settings | None = None) -> Pipeline:
    """One prepared pipeline per settings, shared by the module-level functions: the first call
    builds the index if it is missing or stale, later calls reuse it."""
    settings = settings or Settings.load()
    with _lock:
        if settings not in _pipelines:
            pipeline = Pipeline(settings)
            pipeline.prepare()
            _pipelines[settings] = pipeline
        return _pipelines[settings]


def retrieve(
    question: str, k: int | None = None, *, since: date | None = None, until: date | None = None
) -> list[Passage]:
    """The k passages most relevant to `question` (default: QA_TOP_K), best first, each citable;
    `since`/`until` keep only articles published in those days (undated ones are then left out)."""
    return default_pipeline().retrieve(question, k, since=since, until=until)


def ask(
    question: str,
    *,
    k: int | None = None,
    history: History | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Answer:
    """Answer `question` in Vietnamese from the articles, with [n] citations, or decline.

    `k` passages are read (default: QA_TOP_K). `history` holds the earlier (question, answer text)
    pairs of the conversation, oldest first, so that a follow-up such as "Còn Cần Thơ thì sao?" is
    understood. `since`/`until` (dates or datetimes) keep only articles published in those days,
    both included; articles without a date are then left out, and kept whenever no range is given.
    A time named in the question ("năm 2023", "mới nhất") moves its articles up, never filters."""
    return default_pipeline().ask(question, k=k, history=history, since=since, until=until)
