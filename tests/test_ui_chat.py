"""The chat handler (`ui.app.make_responder`) without a server or a browser: conversation passed to
follow-ups, empty messages, refusals and failures shown in Vietnamese. On conftest's fake-encoder
pipeline; importing Gradio is the slowest part (test_ui_browser.py has the real server)."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from qa import messages
from qa.api import Pipeline
from qa.types import Answer, Citation
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


# --- 👍/👎 on an answer (issue 14, item 4) -----------------------------------------------------------


def like(index, liked) -> SimpleNamespace:
    """What Gradio's like event gives the handler (gr.LikeData): the message's index and the vote;
    liked is "" when the user clicks the same thumb again to take the vote back."""
    return SimpleNamespace(index=index, liked=liked, value=None)


def as_the_page_sends_it(chat: list[dict]) -> list[dict]:
    """The chat as Gradio hands it back to a handler: each content a list of text parts."""
    return [{**m, "content": [{"type": "text", "text": m["content"]}]} for m in chat]


@dataclass(frozen=True)
class ScoredAnswer(Answer):
    """An Answer carrying its confidence, as `Answer.confidence` may one day: the log takes it."""

    confidence: float | None = None


@pytest.fixture
def voting(pipeline, tmp_path, monkeypatch):
    """Two questions asked in one conversation (each answered with a made-up answer citing a seed
    article), and the feedback handlers writing to a tmp log."""
    from qa.feedback import FeedbackLog
    from ui.app import Feedback

    article = pipeline.articles[0]
    source = Citation(1, article.id, article.title, article.url, article.published, "Câu trích bịa.")

    def made_up(question, **kwargs):
        pipeline.clean(question)  # refuses what ask() refuses
        return ScoredAnswer(question, "Câu trả lời bịa [1].", "câu bịa", citations=[source], confidence=0.73)

    monkeypatch.setattr(pipeline, "ask", made_up)
    respond = make_responder(pipeline)
    _, chat, turns = run_chat(respond, SEED_QUESTION, [])
    _, chat, turns = run_chat(respond, "Còn Cần Thơ thì sao?", turns, chat=chat)
    feedback = Feedback(pipeline, FeedbackLog(tmp_path / "feedback.jsonl"))
    return feedback, as_the_page_sends_it(chat), turns


def logged(feedback) -> list[dict]:
    path = feedback.log.path
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_thumbs_up_is_recorded_at_once_for_the_answer_it_was_given_on(voting, pipeline):
    feedback, chat, turns = voting
    form, pending, status, _, _ = feedback.vote(chat, turns, like(3, True))
    assert form["visible"] is False and pending is None and status == messages.FEEDBACK_THANKS
    (record,) = logged(feedback)
    assert record["vote"] == "up" and record["correction"] is None
    assert record["question"] == "Còn Cần Thơ thì sao?" and record["answer"] == turns[1].answer_text
    assert record["history"] == [SEED_QUESTION]  # a follow-up is kept with what came before it
    article = pipeline.articles[0]
    assert record["citations"] == [{"article_id": article.id, "title": article.title, "url": article.url}]
    assert (record["short_answer"], record["abstained"], record["confidence"]) == ("câu bịa", False, 0.73)
    assert "session" not in json.dumps(record) and "127.0.0.1" not in json.dumps(record)


def test_thumbs_down_opens_the_form_and_its_correction_is_a_second_record(voting):
    feedback, chat, turns = voting
    form, pending, status, _, _ = feedback.vote(chat, turns, like(1, False))
    assert form["visible"] is True and pending.question == SEED_QUESTION and status == ""
    assert [r["vote"] for r in logged(feedback)] == ["down"]  # the 👎 itself, before any correction

    form, pending, status, box, checkbox = feedback.send("  Giai đoạn   do người dùng sửa ", False, pending)
    assert form["visible"] is False and pending is None and status == messages.FEEDBACK_THANKS_CORRECTION
    assert box["value"] == "" and checkbox is False  # the form is emptied for the next 👎
    first, second = logged(feedback)
    assert second["question"] == SEED_QUESTION and second["history"] == []
    assert second["vote"] == "down" and second["answer"] == turns[0].answer_text
    assert (second["correction"], second["correction_kind"]) == ("Giai đoạn do người dùng sửa", "answer")
    assert first["correction"] is None and second["time"] >= first["time"]


def test_not_in_the_articles_wins_over_the_text_and_the_text_is_capped(voting, fake_settings, fake_encoder, tmp_path):
    from qa.feedback import FeedbackLog
    from ui.app import Feedback

    feedback, chat, turns = voting
    _, pending, *_ = feedback.vote(chat, turns, like(1, False))
    feedback.send("một câu trả lời", True, pending)
    last = logged(feedback)[-1]
    assert (last["correction"], last["correction_kind"]) == (None, "not in the articles")

    capped = Feedback(
        Pipeline(fake_settings.override(feedback_max_chars=20), encoder=fake_encoder),
        FeedbackLog(tmp_path / "capped.jsonl"),
    )
    _, pending, *_ = capped.vote(chat, turns, like(1, False))
    capped.send("x" * 100, False, pending)
    assert logged(capped)[-1]["correction"] == "x" * 20


def test_skipping_the_form_keeps_only_the_thumbs_down(voting):
    feedback, chat, turns = voting
    _, pending, *_ = feedback.vote(chat, turns, like(1, False))
    form, pending, status, _, _ = feedback.send("", False, pending)
    assert form["visible"] is False and pending is None and status == messages.FEEDBACK_THANKS
    assert [(r["vote"], r["correction_kind"]) for r in logged(feedback)] == [("down", None)]


@pytest.mark.parametrize(
    ("index", "why"),
    [(0, "a question, not an answer"), (7, "no such message"), ("1", "not an index"), (True, "not an index")],
)
def test_a_vote_on_anything_but_a_held_answer_records_nothing(voting, index, why):
    feedback, chat, turns = voting
    form, pending, status, _, _ = feedback.vote(chat, turns, like(index, False))
    assert form["visible"] is False and pending is None and status == messages.FEEDBACK_UNAVAILABLE, why
    assert logged(feedback) == []


def test_votes_match_answers_from_the_end_when_the_server_forgot_older_turns(voting):
    """A forgotten session (QA_SERVE_SESSIONS) or a page holding more turns than the server: the
    answer still maps to its own turn, and one the server no longer holds records nothing."""
    feedback, chat, turns = voting
    feedback.vote(chat, turns[1:], like(3, True))
    assert logged(feedback)[-1]["question"] == "Còn Cần Thơ thì sao?"
    _, _, status, _, _ = feedback.vote(chat, turns[1:], like(1, True))
    assert status == messages.FEEDBACK_UNAVAILABLE and len(logged(feedback)) == 1
    # Turns that do not belong to this chat (the question before the answer differs): nothing.
    _, _, status, _, _ = feedback.vote(chat, list(reversed(turns)), like(3, True))
    assert status == messages.FEEDBACK_UNAVAILABLE and len(logged(feedback)) == 1


def test_a_vote_taken_back_or_on_an_error_records_nothing(voting, pipeline):
    feedback, chat, turns = voting
    form, _, status, _, _ = feedback.vote(chat, turns, like(1, ""))
    assert form["visible"] is False and status == "" and logged(feedback) == []
    limit = pipeline.settings.answering.max_question_chars
    _, chat, turns = run_chat(make_responder(pipeline), "x" * (limit + 1), turns, chat=chat)  # refused
    _, _, status, _, _ = feedback.vote(as_the_page_sends_it(chat), turns, like(5, False))
    assert status == messages.FEEDBACK_UNAVAILABLE and logged(feedback) == []


def test_a_log_that_cannot_be_written_is_said_in_vietnamese_not_raised(pipeline, tmp_path, caplog):
    from qa.errors import FeedbackError
    from qa.feedback import FeedbackLog
    from ui.app import Feedback

    (tmp_path / "a file").write_text("", encoding="utf-8")
    feedback = Feedback(pipeline, FeedbackLog(tmp_path / "a file" / "feedback.jsonl"))
    _, chat, turns = run_chat(make_responder(pipeline), SEED_QUESTION, [])
    with caplog.at_level(logging.WARNING, logger="ui.app"):
        form, pending, status, _, _ = feedback.vote(chat, turns, like(1, False))
    assert status == FeedbackError.vi and form["visible"] is False and pending is None
    assert "Feedback not saved" in caplog.text


def test_the_feedback_switch_removes_the_thumbs_and_the_form(fake_settings, fake_encoder):
    from ui.app import build_app

    def chatbot_and_events(settings):
        app = build_app(Pipeline(settings, encoder=fake_encoder))
        chat = next(b for b in app.blocks.values() if type(b).__name__ == "Chatbot")
        triggers = {trigger for fn in app.fns.values() for _, trigger in fn.targets}
        ids = {getattr(b, "elem_id", None) for b in app.blocks.values()}
        return chat, triggers, ids

    chat, triggers, ids = chatbot_and_events(fake_settings)
    assert tuple(chat.feedback_options) == ("Like", "Dislike") and "like" in triggers and "qa-feedback" in ids
    chat, triggers, ids = chatbot_and_events(fake_settings.override(feedback=False))
    assert chat.feedback_options is None and "like" not in triggers and "qa-feedback" not in ids


# --- a long first start (issue 14, item 5) ---------------------------------------------------------


def test_questions_asked_while_the_index_is_built_are_told_to_wait(fake_settings, fake_encoder, monkeypatch):
    from ui.startup import Startup

    pipeline = Pipeline(fake_settings, encoder=fake_encoder)
    monkeypatch.setattr(pipeline, "ask", lambda *a, **k: pytest.fail("ask() called before the index is ready"))
    startup = Startup(pipeline)
    assert startup.status() == messages.STARTING
    startup.tell(30, 120)
    assert startup.status() == messages.STARTING_EMBEDDING.format(done=30, total=120, percent=25)
    _, shown, turns = run_chat(make_responder(pipeline, startup=startup), SEED_QUESTION, [])
    assert messages.NOT_READY.format(percent=25) in shown[-1]["content"] and turns[0].answer_text is None


def test_a_startup_that_prepares_the_index_becomes_ready_and_one_that_fails_says_why(
    fake_settings, fake_encoder, tmp_path
):
    from qa.errors import CorpusError
    from ui.startup import Startup

    seen: list[tuple[int, int]] = []
    fresh = Pipeline(fake_settings.override(index_dir=tmp_path / "index"), encoder=fake_encoder)
    startup = Startup(fresh)
    startup.tell = lambda done, total: (seen.append((done, total)), Startup.tell(startup, done, total))
    startup.prepare()
    assert startup.ready  # once searchable by BM25: the passages are embedded in the background
    assert fresh.wait_embedded(30)
    assert seen and seen[-1][0] == seen[-1][1]  # told up to the last text
    assert startup.status().startswith("Kho gồm") and not startup.busy
    broken = Startup(Pipeline(fake_settings.override(corpus_dir=tmp_path / "missing"), encoder=fake_encoder))
    with pytest.raises(CorpusError):
        broken.prepare()
    assert not broken.ready and broken.status() == CorpusError.vi == broken.not_ready()


def test_the_date_range_is_passed_to_ask_and_a_bad_one_is_explained(pipeline, monkeypatch):
    from datetime import date

    calls, real_ask = [], pipeline.ask

    def recording_ask(question, **kwargs):
        calls.append((kwargs.get("since"), kwargs.get("until")))
        return real_ask(question, **kwargs)

    monkeypatch.setattr(pipeline, "ask", recording_ask)
    respond = make_responder(pipeline)
    *_, (_, shown, turns) = respond(SEED_QUESTION, [], [], None, "01/01/2020", " 31/12/2025 ")
    assert calls == [(date(2020, 1, 1), date(2025, 12, 31))] and turns[0].answer_text
    respond_all = list(respond(SEED_QUESTION, [], [], None, "", ""))
    assert respond_all
    assert calls[-1] == (None, None)
    for since, until, said in [("32/01/2020", "", "không hợp lệ"), ("01/01/2025", "01/01/2024", "phải trước")]:
        *_, (_, shown, turns) = respond(SEED_QUESTION, [], [], None, since, until)
        assert said in shown[-1]["content"] and turns == [] and len(calls) == 2
