"""The chat handler (`ui.app.make_responder`) without a server or a browser: conversation passed to
follow-ups, empty messages, refusals and failures shown in Vietnamese. On conftest's fake-encoder
pipeline; importing Gradio is the slowest part (test_ui_browser.py has the real server)."""
from __future__ import annotations

import logging

import pytest

from qa import messages
from qa.api import Pipeline
from ui.app import make_responder

SEED_QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"


@pytest.fixture
def pipeline(fake_pipeline) -> Pipeline:
    return fake_pipeline


def run_chat(respond, question: str, turns: list) -> tuple:
    """Drive the chat handler to its last output (input box, chat messages, conversation)."""
    *_, last = respond(question, turns)
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
    (outputs,) = list(make_responder(pipeline)("   \n", []))
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
