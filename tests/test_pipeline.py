"""`Pipeline` mechanics on conftest's fake encoder (real corpus loader, index, BM25, answerer and
abstention model over seeds/): `trace()` and its intermediates, `ask()` as the trace's answer, the
passages read (`QA_TOP_K`, `k`), declining, follow-ups, refused questions, and the index being built
only by `prepare()`. What the answers say is tested on the real encoder in test_ask.py; the few
tests here that need it are marked `slow`."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading

import pytest
from answer_checks import assert_well_formed
from conftest import FAKE_ENCODER_NAME, SEEDS, FakeEncoder, fake_settings_for
from retrieval_fixtures import CountingEncoder

import qa
from qa.api import Pipeline, Trace
from qa.errors import EncoderError, IndexMissing, QAError
from qa.evaluation.testset import load_testset
from qa.lexical import LexicalIndex
from qa.messages import DECLINE
from qa.question import AnswerType, QuestionAnalysis
from qa.reader import Decision
from qa.settings import REPO_ROOT

NGHE_AN_QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"
SAVANNAKHET_QUESTION = "Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?"
TRAP_QUESTION = "Ai làm Trưởng đoàn công tác tỉnh Kon Tum sang chào xã giao lãnh đạo tỉnh Sa-la-van?"
SEED_QA = load_testset(REPO_ROOT / "testsets" / "seed_qa.jsonl")


# --- trace and ask -------------------------------------------------------------------------------


def test_trace_exposes_every_intermediate(fake_pipeline):
    trace = fake_pipeline.trace("  Cần Thơ ký Bản ghi nhớ với\ttỉnh Savannakhet năm nào? ")

    assert isinstance(trace, Trace)
    assert trace.question == SAVANNAKHET_QUESTION  # cleaned
    assert trace.query == SAVANNAKHET_QUESTION  # not a follow-up: searched as asked
    assert isinstance(trace.analysis, QuestionAnalysis)
    assert trace.analysis.kind is AnswerType.YEAR and not trace.analysis.is_list and not trace.analysis.english
    assert len(trace.passages) == fake_pipeline.settings.retrieval.top_k == 5
    assert [p.score for p in trace.passages] == sorted((p.score for p in trace.passages), reverse=True)

    decision = trace.decision
    assert isinstance(decision, Decision) and decision.scored
    assert [s.score for s in decision.scored] == sorted((s.score for s in decision.scored), reverse=True)
    read = {p.chunk_id for p in trace.passages}
    assert all(s.passage.chunk_id in read for s in decision.scored)
    assert all(s.text in fake_pipeline.index.article(s.passage.article_id).body for s in decision.scored)
    assert decision.composed.sentences and decision.evidence is not None
    assert 0.0 <= decision.probability <= 1.0 and trace.probability == decision.probability
    assert decision.abstained == trace.answer.abstained
    assert decision.abstained == (decision.reason != "")

    answer = trace.answer
    assert answer.passages == trace.passages and answer.query == trace.query
    assert answer.question == trace.question
    if not answer.abstained:  # every quoted sentence is one the answerer scored and chose
        chosen = {s.quote for s in decision.composed.sentences}
        assert all(quote in chosen for c in answer.citations for quote in c.quote.split(" … "))


def test_ask_is_the_answer_of_the_trace(fake_pipeline):
    for question in (NGHE_AN_QUESTION, SAVANNAKHET_QUESTION, TRAP_QUESTION):
        assert fake_pipeline.ask(question) == fake_pipeline.trace(question).answer
    history = [(SAVANNAKHET_QUESTION, fake_pipeline.ask(SAVANNAKHET_QUESTION).text)]
    follow_up = "Còn với Champasak thì sao?"
    assert fake_pipeline.ask(follow_up, history=history) == fake_pipeline.trace(follow_up, history).answer
    assert fake_pipeline.ask(NGHE_AN_QUESTION, k=2) == fake_pipeline.trace(NGHE_AN_QUESTION, k=2).answer


def test_trace_reads_the_passages_it_is_given_instead_of_retrieving(fake_pipeline):
    retrieved = fake_pipeline.retrieve(SAVANNAKHET_QUESTION, k=5)
    given = retrieved[2:4]

    trace = fake_pipeline.trace(SAVANNAKHET_QUESTION, passages=given)

    assert trace.passages == given and trace.answer.passages == given
    assert {s.passage.chunk_id for s in trace.decision.scored} <= {p.chunk_id for p in given}
    assert {c.article_id for c in trace.answer.citations} <= {p.article_id for p in given}


def test_nothing_to_read_is_a_decline(fake_pipeline):
    trace = fake_pipeline.trace(SAVANNAKHET_QUESTION, passages=[])

    assert trace.decision.abstained and trace.decision.scored == [] and trace.probability == 0.0
    assert trace.decision.reason == "no passage retrieved"
    answer = trace.answer
    assert answer.abstained and answer.text == DECLINE
    assert answer.citations == [] and answer.short_answer is None


def test_abstain_threshold_setting_decides_whether_to_answer(fake_settings, fake_encoder):
    probability = Pipeline(fake_settings, encoder=fake_encoder).trace(TRAP_QUESTION).probability
    assert 0.0 < probability < 1.0  # the fake encoder's evidence for this question is not clear-cut

    eager = Pipeline(fake_settings.override(abstain_threshold=0.0), encoder=fake_encoder).trace(TRAP_QUESTION)
    assert not eager.answer.abstained and eager.answer.citations
    assert eager.probability == probability  # the threshold changes the verdict, not the evidence

    wary = Pipeline(fake_settings.override(abstain_threshold=1.0), encoder=fake_encoder).trace(TRAP_QUESTION)
    assert wary.decision.abstained and wary.answer.text == DECLINE and wary.answer.citations == []
    assert wary.decision.reason.startswith(f"P(answerable)={probability:.2f} < 1.00")
    assert wary.passages == eager.passages


@pytest.mark.parametrize("record", SEED_QA, ids=lambda r: r.id)
def test_every_seed_answer_is_well_formed(fake_pipeline, record):
    history: list[tuple[str, str]] = []
    for earlier in record.history:
        history.append((earlier, fake_pipeline.ask(earlier, history=history).text))

    answer = fake_pipeline.ask(record.question, history=history)

    assert_well_formed(answer, fake_pipeline)


# --- follow-ups ----------------------------------------------------------------------------------


def test_follow_up_is_rewritten_with_the_previous_question(fake_pipeline):
    history = [(SAVANNAKHET_QUESTION, fake_pipeline.ask(SAVANNAKHET_QUESTION).text)]

    trace = fake_pipeline.trace("Còn với Champasak thì sao?", history)

    assert trace.question == "Còn với Champasak thì sao?"
    assert trace.query == "Cần Thơ ký Bản ghi nhớ với tỉnh Champasak năm nào?"
    assert trace.answer.query == trace.query and trace.analysis.text == trace.query
    assert trace.passages == fake_pipeline.retrieve(trace.query)  # what was searched is the rewrite


def test_follow_up_without_a_name_is_read_with_the_previous_question(fake_pipeline):
    history = [(NGHE_AN_QUESTION, fake_pipeline.ask(NGHE_AN_QUESTION).text)]

    trace = fake_pipeline.trace("Vào ngày nào?", history)

    assert trace.query.startswith("Vào ngày nào?") and "Vientiane" in trace.query
    assert trace.analysis.kind is AnswerType.DAY  # a date is asked for, not the earlier period


def test_standalone_question_ignores_the_conversation(fake_pipeline):
    history = [(SAVANNAKHET_QUESTION, "Năm 2009.")]

    assert fake_pipeline.trace(NGHE_AN_QUESTION, history).query == NGHE_AN_QUESTION
    assert fake_pipeline.trace("Còn với Champasak thì sao?").query == "Còn với Champasak thì sao?"


# --- how many passages are read ------------------------------------------------------------------


def test_pipeline_reads_top_k_passages_unless_told_otherwise(fake_settings, fake_encoder):
    for top_k in (3, 7):
        pipeline = Pipeline(fake_settings.override(top_k=top_k), encoder=fake_encoder)
        assert len(pipeline.ask(NGHE_AN_QUESTION).passages) == top_k
        assert len(pipeline.retrieve(NGHE_AN_QUESTION)) == top_k
        assert len(pipeline.trace(NGHE_AN_QUESTION).passages) == top_k
        assert len(pipeline.ask(NGHE_AN_QUESTION, k=2).passages) == 2
        assert len(pipeline.retrieve(NGHE_AN_QUESTION, k=4)) == 4


@pytest.mark.parametrize("top_k", [3, 7])
def test_module_level_functions_honour_qa_top_k(qa_environment, fake_index_dir, top_k):
    """Regression: `qa.ask()` and `qa.retrieve()` used to pass k=5 whatever QA_TOP_K said."""
    qa_environment.setenv("QA_INDEX_DIR", str(fake_index_dir))
    qa_environment.setenv("QA_TOP_K", str(top_k))

    assert len(qa.retrieve(NGHE_AN_QUESTION)) == top_k
    assert len(qa.ask(NGHE_AN_QUESTION).passages) == top_k
    assert len(qa.ask(NGHE_AN_QUESTION, k=2).passages) == 2  # an explicit k still wins
    assert len(qa.retrieve(NGHE_AN_QUESTION, k=4)) == 4


def test_module_level_functions_prepare_the_index_on_first_use(qa_environment, tmp_path):
    qa_environment.setenv("QA_INDEX_DIR", str(tmp_path / "index"))

    answer = qa.ask(SAVANNAKHET_QUESTION)

    assert answer.passages and (tmp_path / "index").is_dir()
    assert Pipeline(fake_settings_for(tmp_path / "index"), encoder=FakeEncoder()).index.articles  # built, and current


def test_two_builds_at_once_take_turns_and_leave_one_good_index(tmp_path, monkeypatch, caplog):
    """Regression: two `qa build --force` at once could each delete the other's folder, leaving
    CURRENT pointing at nothing while both reported success."""
    settings = fake_settings_for(tmp_path)
    first_inside, release = threading.Event(), threading.Event()
    real_build = LexicalIndex.build
    calls = []

    def held_build(*args, **kwargs):  # the first build stops half-way until released
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            first_inside.set()
            release.wait(30)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(LexicalIndex, "build", held_build)
    caplog.set_level(logging.WARNING)
    builds = [
        threading.Thread(target=Pipeline(settings, encoder=FakeEncoder()).prepare, kwargs={"force": True}, name=n)
        for n in ("first", "second")
    ]
    builds[0].start()
    assert first_inside.wait(30)
    builds[1].start()
    for _ in range(300):  # until the second build says it waits (it must not start writing)
        if any("waiting for it to finish" in r.getMessage() for r in caplog.records):
            break
        threading.Event().wait(0.05)
    assert calls == ["first"]
    release.set()
    for build in builds:
        build.join(60)

    assert calls == ["first", "second"]  # forced: the second rebuilt, after the first
    (home,) = [p for p in tmp_path.iterdir() if p.name != "cache"]
    (live,) = home.glob("build-*")
    assert (home / "CURRENT").read_text().strip() == live.name
    assert Pipeline(settings, encoder=FakeEncoder()).ask(SAVANNAKHET_QUESTION).passages


@pytest.mark.slow
def test_module_level_functions_honour_qa_top_k_on_the_real_encoder(seed_index_dir):
    """The same regression with nothing stood in: a new process, the real encoder and seed index."""
    script = (
        "from qa import ask, retrieve\n"
        f"question = {NGHE_AN_QUESTION!r}\n"
        "print(len(retrieve(question)), len(ask(question).passages))\n"
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith("QA_")}
    env.update(QA_INDEX_DIR=str(seed_index_dir), QA_CORPUS_DIR=str(SEEDS), QA_TOP_K="3")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "3"]


# --- the index is built by prepare() only ---------------------------------------------------------


def test_pipeline_without_an_index_says_so_and_builds_nothing(tmp_path, fake_encoder):
    index_dir = tmp_path / "fresh"
    counting = CountingEncoder(fake_encoder)
    pipeline = Pipeline(fake_settings_for(index_dir), encoder=counting)

    for call in (
        lambda: pipeline.ask(NGHE_AN_QUESTION),
        lambda: pipeline.trace(NGHE_AN_QUESTION),
        lambda: pipeline.retrieve(NGHE_AN_QUESTION),
        lambda: pipeline.article("002_e60b61f85d68355c"),
        lambda: pipeline.index,
    ):
        with pytest.raises(IndexMissing, match="qa build") as missing:
            call()
        assert isinstance(missing.value, QAError) and missing.value.vi
    assert not index_dir.exists() and counting.passages == []

    pipeline.prepare()  # the one place an index is built

    assert counting.passages and pipeline.ask(NGHE_AN_QUESTION).passages


def test_prepare_loads_an_up_to_date_index_and_rebuilds_when_forced(tmp_path, fake_encoder):
    counting = CountingEncoder(fake_encoder)
    settings = fake_settings_for(tmp_path)
    built = Pipeline(settings, encoder=counting).prepare()
    assert built.report["embedded"] > 0 and built.manifest["encoder"] == FAKE_ENCODER_NAME
    embedded = len(counting.passages)

    loaded = Pipeline(settings, encoder=counting).prepare()
    assert loaded.folder == built.folder and loaded.report == {} and len(counting.passages) == embedded

    forced = Pipeline(settings, encoder=counting).prepare(force=True)
    assert forced.folder != built.folder and forced.report["embedded"] == 0  # from the embedding cache
    assert Pipeline(settings, encoder=counting).index.folder == forced.folder


def test_prepare_refuses_an_encoder_other_than_the_settings_name(tmp_path):
    with pytest.raises(ValueError, match="does not match"):
        Pipeline(fake_settings_for(tmp_path), encoder=FakeEncoder(name="another-encoder")).prepare()
    assert not any(tmp_path.rglob("CURRENT"))


@pytest.mark.slow  # tries sentence-transformers, which imports torch
def test_missing_encoder_is_an_encoder_error(tmp_path):
    pipeline = Pipeline(fake_settings_for(tmp_path, embed_model=str(tmp_path / "no-such-model")))

    with pytest.raises(EncoderError, match="not installed or cached"):
        pipeline.prepare()


# --- what users type -----------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   \n\t"], ids=["empty", "white-space"])
def test_empty_question_is_refused_with_a_clear_message(fake_pipeline, question):
    with pytest.raises(ValueError, match="empty") as refused:
        fake_pipeline.ask(question)
    assert refused.value.vi  # the sentence the chat shows, in Vietnamese


def test_overlong_question_is_refused_naming_the_limit(fake_settings, fake_encoder):
    pipeline = Pipeline(fake_settings.override(max_question_chars=100), encoder=fake_encoder)

    with pytest.raises(ValueError, match="limit is 100"):
        pipeline.ask("x" * 101)
    assert pipeline.ask("Cần Thơ " * 12 + "?").passages  # 97 characters: asked


@pytest.mark.parametrize("question", ["?", "...", "-", "😀", " _ "])
def test_a_question_with_no_word_is_refused_with_a_clear_message(fake_pipeline, question):
    """Regression: these reached BM25 as an empty token list and raised IndexError."""
    with pytest.raises(ValueError, match="no word") as refused:
        fake_pipeline.ask(question)
    assert refused.value.vi


@pytest.mark.parametrize("k", [0, -1, True, 2.5, "5"])
def test_k_must_be_a_positive_whole_number(fake_pipeline, k):
    """Regression: 0 gave 5 passages, -1 gave 23, True was read as 1, '5' and 2.5 raised TypeError."""
    with pytest.raises(ValueError, match="positive whole number"):
        fake_pipeline.ask(NGHE_AN_QUESTION, k=k)
    with pytest.raises(ValueError, match="positive whole number"):
        fake_pipeline.retrieve(NGHE_AN_QUESTION, k=k)


def test_history_is_held_to_the_question_limits(fake_settings, fake_encoder):
    """Regression: a 10,000-character earlier question bypassed the limit (one ask() took 22 s)."""
    pipeline = Pipeline(fake_settings.override(max_question_chars=100), encoder=fake_encoder)
    with pytest.raises(ValueError, match="limit is 100"):
        pipeline.ask("Còn với Champasak thì sao?", history=[("x" * 10_000, "…")])
    # only the last max_history_turns count: an overlong turn beyond them is not even read
    short = Pipeline(fake_settings.override(max_question_chars=100, max_history_turns=1), encoder=fake_encoder)
    assert short.ask("Còn với Champasak thì sao?", history=[("x" * 10_000, "…"), (SAVANNAKHET_QUESTION, "…")])


@pytest.mark.parametrize("history", [[(1, 2)], [None], {"q": "a"}, "Cần Thơ?", [("a", "b", "c")]])
def test_malformed_history_is_a_clear_error(fake_pipeline, history):
    """Regression: these raised TypeError or KeyError from deep inside."""
    with pytest.raises(ValueError, match="history") as refused:
        fake_pipeline.ask(NGHE_AN_QUESTION, history=history)
    assert refused.value.vi


def test_a_lone_surrogate_is_dropped_like_a_control_character(fake_pipeline):
    """Regression: a lone surrogate (invalid UTF-8 in argv, or an API caller) raised UnicodeEncodeError."""
    noisy = fake_pipeline.ask("Nghệ An \udcff ký thỏa thuận với Vientiane cho giai đoạn nào?")
    assert noisy.text == fake_pipeline.ask(NGHE_AN_QUESTION).text
    noisy.query.encode("utf-8")  # what reaches the encoder (the real one encodes it as UTF-8)


def test_control_characters_are_ignored(fake_pipeline):
    noisy = fake_pipeline.ask("Nghệ An\x00 ký\x07 thỏa thuận với Vientiane cho giai đoạn nào?")

    assert noisy.text == fake_pipeline.ask(NGHE_AN_QUESTION).text
    assert not re.search(r"[\x00-\x1f]", noisy.query)


def test_answers_carry_the_model_s_confidence_and_say_when_it_is_not_sure(fake_settings, fake_encoder):
    """Issue 14, item 3: `Answer.confidence` is the answering model's P(answerable); `sure` when it
    reaches QA_ANSWER_SURE; otherwise `doubt` names the evidence that weighed most against it."""
    from qa.reader import Evidence

    question = "Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?"
    trace = Pipeline(fake_settings, encoder=fake_encoder).trace(question)
    assert trace.answer.confidence == pytest.approx(trace.probability, abs=1e-4)
    never = Pipeline(fake_settings.override(answer_sure=1.0), encoder=fake_encoder).ask(question)
    assert not never.sure and never.doubt in Evidence.names()
    always = Pipeline(fake_settings.override(answer_sure=0.0), encoder=fake_encoder).ask(question)
    assert always.sure == (not always.abstained) and (always.doubt is None) == always.sure
    assert always.to_dict()["confidence"] == always.confidence
