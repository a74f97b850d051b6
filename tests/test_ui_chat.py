"""The chat handler (`ui.app.make_responder`) without a server or a browser: conversation passed to
follow-ups, empty messages, refusals and failures shown in Vietnamese. On conftest's fake-encoder
pipeline; importing Gradio is the slowest part (test_ui_browser.py has the real server)."""
from __future__ import annotations

import logging
import threading
from types import SimpleNamespace

import pytest

from qa import messages
from qa.api import Pipeline
from ui.app import make_responder

SEED_QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"


@pytest.fixture
def pipeline(fake_pipeline) -> Pipeline:
    return fake_pipeline


def run_chat(respond, question: str, turns: list, request=None, chat=None) -> tuple:
    """Drive the chat handler to its last output (input box, chat messages, conversation). The chat
    shown is rebuilt from nothing unless given, as the handler only appends to what the page sends."""
    *_, last = respond(question, chat or [], turns, request)
    return last


def test_follow_up_passes_the_conversation_to_ask(pipeline, monkeypatch):
    calls, real_ask = [], pipeline.ask

    def recording_ask(question, **kwargs):
        calls.append(list(kwargs["history"]))
        return real_ask(question, **kwargs)

    monkeypatch.setattr(pipeline, "ask", recording_ask)
    respond = make_responder(pipeline)
    _, _, turns = run_chat(respond, SEED_QUESTION, [])
    run_chat(respond, "Thỏa thuận đó do cơ quan nào ký?", turns)
    assert calls[0] == []
    assert calls[1] == [(SEED_QUESTION, turns[0].answer_text)]


def test_empty_message_does_nothing(pipeline, monkeypatch):
    monkeypatch.setattr(pipeline, "ask", lambda *a, **k: pytest.fail("ask() called for an empty message"))
    (outputs,) = list(make_responder(pipeline)("   \n", [], []))
    assert all(o == {"__type__": "update"} for o in outputs)  # gr.skip(): every output left as is


def test_refused_question_shows_the_vietnamese_reason(pipeline):
    limit = pipeline.settings.answering.max_question_chars
    _, shown, turns = run_chat(make_responder(pipeline), "x" * (limit + 1), [])
    assert "Câu hỏi quá dài" in shown[-1]["content"]
    assert turns[0].answer_text is None  # not context for a follow-up


def test_unexpected_error_is_logged_not_shown(pipeline, monkeypatch, caplog):
    def broken_ask(question, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(pipeline, "ask", broken_ask)
    with caplog.at_level(logging.ERROR, logger="ui.app"):
        _, shown, _ = run_chat(make_responder(pipeline), SEED_QUESTION, [])
    assert messages.GENERIC_ERROR in shown[-1]["content"]
    assert "index exploded" not in shown[-1]["content"] and "Traceback" not in shown[-1]["content"]
    assert "index exploded" in caplog.text and caplog.records[-1].exc_info


def test_missing_index_is_explained_in_vietnamese(fake_settings, fake_encoder, tmp_path):
    from qa.errors import IndexMissing

    unbuilt = Pipeline(fake_settings.override(index_dir=tmp_path / "none"), encoder=fake_encoder)
    _, shown, turns = run_chat(make_responder(unbuilt), SEED_QUESTION, [])
    assert IndexMissing.vi in shown[-1]["content"]
    assert turns[0].answer_text is None


# --- each client's share (issue 12, item 15) -------------------------------------------------------


def session(name: str) -> SimpleNamespace:
    """What the handler reads of Gradio's request: the session of one browser tab or API client."""
    return SimpleNamespace(session_hash=name, client=None)


def test_a_client_asking_again_before_its_answer_is_told_to_wait_and_others_are_answered(pipeline, monkeypatch):
    """A client flooding the server gets "one at a time" at once for each question beyond its share,
    without ask() being called for it; another client is answered meanwhile."""
    entered, release, asked = threading.Event(), threading.Event(), []
    real_ask = pipeline.ask

    def slow_ask(question, **kwargs):
        asked.append(question)
        if question.startswith("chậm"):
            entered.set()
            release.wait(10)
        return real_ask(SEED_QUESTION, **kwargs)

    monkeypatch.setattr(pipeline, "ask", slow_ask)
    respond = make_responder(pipeline)
    first = threading.Thread(target=lambda: list(respond("chậm 1", [], [], session("flood"))))
    first.start()
    try:
        assert entered.wait(10)
        _, shown, turns = run_chat(respond, "chậm 2", [], session("flood"))
        assert messages.ONE_AT_A_TIME in shown[-1]["content"] and turns[-1].answer_text is None
        _, shown, _ = run_chat(respond, "câu hỏi khác", [], session("other"))
        assert "qa-answer" in shown[-1]["content"]
    finally:
        release.set()
        first.join(10)
    assert asked == ["chậm 1", "câu hỏi khác"]
    _, shown, _ = run_chat(respond, "chậm 3", [], session("flood"))  # its slot is free again
    assert asked[-1] == "chậm 3"


def test_the_conversation_keeps_only_its_last_turns(fake_settings, fake_encoder):
    pipeline = Pipeline(fake_settings.override(serve_max_turns=3), encoder=fake_encoder)
    respond, turns, shown = make_responder(pipeline), [], []
    for n in range(5):
        _, shown, turns = run_chat(respond, f"{SEED_QUESTION} ({n})", turns, chat=shown)
    assert [t.question for t in turns] == [f"{SEED_QUESTION} ({n})" for n in (2, 3, 4)]
    assert len(shown) == 6  # a question and its answer per turn kept: what is sent to the page is bounded
    assert f"({2})" in shown[0]["content"] and f"({4})" in shown[-2]["content"]
    assert all(len(t.question) + len(t.answer_text or "") < 2000 for t in turns)  # no rendered HTML held


def test_the_page_counts_the_files_the_corpus_could_not_read(fake_encoder, tmp_path):
    """Issue 12, item 3: skipped files were only in the terminal's log; the chat's corpus line now
    says how many (the log keeps each path and reason)."""
    from conftest import SEEDS, fake_settings_for

    from ui.app import build_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "bad.jsonl").write_text('{"id": "u1", "title": "T", "body": "B", "url": 123}\n', encoding="utf-8")
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=fake_encoder)
    pipeline.prepare()
    assert len(pipeline.skipped) == 2
    app = build_app(pipeline)
    shown = [b.value for b in app.blocks.values() if type(b).__name__ == "Markdown"]
    assert any(messages.CORPUS_SKIPPED.format(count=2) in text for text in shown)
