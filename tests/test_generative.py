"""The optional language-model path of `ask()`, against a stand-in for a remote model: a small HTTP
server on 127.0.0.1 that speaks the OpenAI chat-completions protocol and records what it was sent.
Everything else (index, retrieval, the extractive fallback) is the real pipeline over seeds/, with
the fake encoder of conftest.py (what is tested here does not depend on the vectors), so these tests
see exactly the request a real endpoint would get and the answer a user would, in a second."""
from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import fake_settings_for

from qa.api import Pipeline
from qa.generative import ChatCompletionsClient
from qa.messages import DECLINE as ABSTAIN_TEXT

API_KEY = "sk-secret-123"
QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"
MAX_DELAY_S = 2.0  # a slow reply never holds a test longer than this


@dataclass(frozen=True)
class Reply:
    """What the stand-in answers: a chat completion holding `content`, or `body` as is (for
    malformed replies), with `status`, after `delay` seconds."""

    content: str = ""
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0
    announced: int | None = None  # a Content-Length other than the body's (a reply cut short)
    drip: float = 0.0  # seconds between bytes (a server that holds the connection open)

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        message = {"role": "assistant", "content": self.content}
        return json.dumps({"choices": [{"index": 0, "message": message}]}).encode()


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: dict


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ChatHandler)
        self.reply = Reply()
        self.requests: list[Request] = []
        self.closing = threading.Event()  # cuts a delayed reply short when the test ends
        self.sent_in_full = threading.Event()  # a dripped reply was sent to its last byte

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/v1"


class ChatHandler(BaseHTTPRequestHandler):
    server: ChatServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(Request(self.path, dict(self.headers), body))
        reply = self.server.reply
        if self.server.closing.wait(min(reply.delay, MAX_DELAY_S)):
            return
        payload = reply.payload()
        with contextlib.suppress(ConnectionError):  # the client may have given up waiting
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(reply.announced or len(payload)))
            self.end_headers()
            if not reply.drip:
                self.wfile.write(payload)
                return
            for byte in payload:
                if self.server.closing.wait(reply.drip):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            self.server.sent_in_full.set()

    def log_message(self, format: str, *args) -> None:  # keep the test output to the tests
        pass


@pytest.fixture
def llm():
    server = ChatServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.closing.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def llm_settings(fake_settings, llm):
    return fake_settings.override(llm_base_url=llm.base_url, llm_model="test-model", llm_api_key=API_KEY)


@pytest.fixture
def make_pipeline(fake_encoder):
    """A new pipeline for the settings, on the session's (fake-encoder) seed index."""
    return lambda settings: Pipeline(settings, encoder=fake_encoder)


def closed_port_url() -> str:
    """The URL of a port nothing listens on: bound, noted, released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# --- the model answers ---------------------------------------------------------------------------


def test_answer_is_the_models_reply(llm, llm_settings, make_pipeline):
    llm.reply = Reply("Giai đoạn 2025–2028 [1]. Hai bên ký thỏa thuận ngày 12/5 [2].")

    answer = make_pipeline(llm_settings).ask(QUESTION)

    assert answer.text == llm.reply.content and not answer.abstained
    assert [c.n for c in answer.citations] == [1, 2]


def test_request_carries_the_key_the_model_the_numbered_passages_and_the_question(llm, llm_settings, make_pipeline):
    llm.reply = Reply("Giai đoạn 2025–2028 [1].")

    answer = make_pipeline(llm_settings).ask(QUESTION)

    [request] = llm.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == "test-model"
    asked = request.body["messages"][-1]
    assert asked["role"] == "user" and QUESTION in asked["content"]
    for n, passage in enumerate(answer.passages, 1):
        assert f"[{n}] {passage.title}" in asked["content"] and passage.text in asked["content"]


def test_citations_follow_the_reply_renumbered_in_order_of_first_use(llm, llm_settings, make_pipeline, fake_pipeline):
    llm.reply = Reply("Giai đoạn 2025–2028 [3]. Lễ ký diễn ra sáng 12/5 [1][3].")

    answer = make_pipeline(llm_settings).ask(QUESTION)

    assert answer.text == "Giai đoạn 2025–2028 [1]. Lễ ký diễn ra sáng 12/5 [2][1]."
    given = answer.passages
    assert [(c.n, c.article_id) for c in answer.citations] == [(1, given[2].article_id), (2, given[0].article_id)]
    for citation in answer.citations:
        assert citation.quote in fake_pipeline.article(citation.article_id).body


def test_marker_of_a_passage_that_was_not_given_is_dropped(llm, llm_settings, make_pipeline):
    llm.reply = Reply("Giai đoạn 2025–2028 [1]. Kinh phí là 5 tỷ đồng [9].")

    answer = make_pipeline(llm_settings).ask(QUESTION)

    assert len(answer.passages) == 5
    assert answer.text == "Giai đoạn 2025–2028 [1]. Kinh phí là 5 tỷ đồng."
    assert [c.n for c in answer.citations] == [1]


def test_apology_reply_is_an_abstention(llm, llm_settings, make_pipeline):
    llm.reply = Reply(ABSTAIN_TEXT)

    answer = make_pipeline(llm_settings).ask(QUESTION)

    assert answer.abstained and answer.citations == [] and answer.short_answer is None


# --- the model fails: the user still gets the extractive answer ----------------------------------


def assert_falls_back(settings, fake_pipeline, caplog) -> None:
    """The answer is the one given without a model, the failure is logged as a warning, and the API
    key shows nowhere: not in a log record, nor in the settings' or client's repr."""
    caplog.set_level(logging.DEBUG)
    pipeline = Pipeline(settings, encoder=fake_pipeline.encoder)

    answer = pipeline.ask(QUESTION)

    assert answer.text == fake_pipeline.ask(QUESTION).text
    assert any(r.levelno == logging.WARNING and "language model" in r.getMessage() for r in caplog.records)
    assert all(API_KEY not in r.getMessage() for r in caplog.records)
    assert API_KEY not in repr(settings) and API_KEY not in repr(ChatCompletionsClient.from_settings(settings.llm))


FAILURES = {
    "http-500": Reply(status=500, body=b'{"error": {"message": "overloaded"}}'),
    "malformed-json": Reply(body=b'{"choices": [{"message": '),
    "no-choices": Reply(body=b'{"choices": []}'),
    "slower-than-the-timeout": Reply("Giai đoạn 2025–2028 [1].", delay=MAX_DELAY_S),
    "cut-short": Reply(body=b'{"choices": [', announced=1000),
    "a-byte-at-a-time": Reply("Giai đoạn 2025–2028 [1].", drip=0.1),
}


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_failed_reply_falls_back_to_the_extractive_answer(llm, llm_settings, fake_pipeline, caplog, failure):
    llm.reply = failure

    assert_falls_back(llm_settings.override(llm_timeout=0.5), fake_pipeline, caplog)


def test_unreachable_endpoint_falls_back_to_the_extractive_answer(llm_settings, fake_pipeline, caplog):
    assert_falls_back(llm_settings.override(llm_base_url=closed_port_url()), fake_pipeline, caplog)


def test_the_timeout_is_a_deadline_for_the_whole_reply(llm, llm_settings, fake_pipeline, caplog):
    llm.reply = Reply("Giai đoạn 2025–2028 [1]." * 20, drip=0.05)  # ~30 s to send in full
    assert_falls_back(llm_settings.override(llm_timeout=0.5), fake_pipeline, caplog)
    assert not llm.sent_in_full.is_set()  # the client gave up on the deadline, not at the end


def test_credentials_in_the_endpoint_url_are_never_logged(llm, llm_settings, fake_pipeline, caplog):
    with_password = llm.base_url.replace("http://", "http://editor:hunter2@")
    llm.reply = FAILURES["http-500"]
    assert_falls_back(llm_settings.override(llm_base_url=with_password), fake_pipeline, caplog)
    assert all("hunter2" not in r.getMessage() for r in caplog.records)
    assert any("***@127.0.0.1" in r.getMessage() for r in caplog.records)


# --- the date beside the fact, as in extractive answers (answering.dated) --------------------------

# A made-up festival in three years: the same topic, each year's article with its own figures.
KITES = [
    ("dieu_phu_sa_2022", "2022-04-10T08:00:00+07:00", "Hội thi thả diều làng Phù Sa thu hút 150 đội",
     "Hội thi thả diều làng Phù Sa năm nay có 150 đội tham gia. Giải nhất thuộc về đội xóm Bãi."),
    ("dieu_phu_sa_2023", "2023-04-16T08:00:00+07:00", "Hội thi thả diều làng Phù Sa có 240 đội",
     "Hội thi thả diều làng Phù Sa năm nay có 240 đội tham gia. Giải nhất thuộc về đội xóm Đình."),
    ("dieu_phu_sa_2024", "2024-04-14T08:00:00+07:00", "Hội thi thả diều làng Phù Sa đón 380 đội",
     "Hội thi thả diều làng Phù Sa năm nay có 380 đội tham gia. Giải nhất thuộc về đội xóm Chợ."),
]
KITE_QUESTION = "Hội thi thả diều làng Phù Sa có bao nhiêu đội tham gia?"


@pytest.fixture
def kites(tmp_path, llm, fake_encoder):
    """A pipeline over the three made-up kite articles, answering through the stand-in model."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [{"id": i, "published": day, "title": title, "body": body} for i, day, title, body in KITES]
    (corpus / "dieu.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    settings = fake_settings_for(tmp_path / "index", corpus, llm_base_url=llm.base_url, llm_model="test-model")
    pipeline = Pipeline(settings, encoder=fake_encoder)
    pipeline.prepare()
    return pipeline


def day_of(passage) -> str:
    return passage.published.strftime("%d/%m/%Y")


def test_a_generated_answer_states_the_date_when_the_question_names_a_time(llm, kites):
    llm.reply = Reply("Hội thi có 240 đội tham gia [1].\nĐội xóm Đình đoạt giải nhất.")

    answer = kites.ask("Hội thi thả diều làng Phù Sa năm 2023 có bao nhiêu đội tham gia?")

    first = answer.passages[0]
    dated = f"Theo bài ngày {day_of(first)}, Hội thi có 240 đội tham gia [1]."
    assert answer.text == f"{dated}\nĐội xóm Đình đoạt giải nhất."  # a sentence citing nothing: no date
    assert [c.article_id for c in answer.citations] == [first.article_id]


def test_a_generated_answer_quoting_articles_of_different_years_dates_each_sentence(llm, kites):
    llm.reply = Reply("Hội thi có 150 đội [1]. Sau đó là 380 đội [2][1]. Theo bài ngày 01/01/2020, đã có 10 đội [3].")

    answer = kites.ask(KITE_QUESTION)  # names no time

    one, two, three = answer.passages[:3]
    assert len({one.published.year, two.published.year, three.published.year}) == 3
    assert answer.text == (
        f"Theo bài ngày {day_of(one)}, Hội thi có 150 đội [1]. "
        f"Theo bài ngày {day_of(two)}, sau đó là 380 đội [2][1]. "  # an opening word lower-cased
        "Theo bài ngày 01/01/2020, đã có 10 đội [3]."  # a sentence the model dated itself stays as it is
    )


def test_a_generated_answer_from_one_article_of_a_question_naming_no_time_is_left_undated(llm, kites):
    llm.reply = Reply("Hội thi có 150 đội tham gia [1]. Giải nhất thuộc về đội xóm Bãi [1].")

    answer = kites.ask(KITE_QUESTION)

    assert answer.text == llm.reply.content
