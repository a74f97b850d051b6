"""The Gradio chat: a thin client of `qa.api.Pipeline` (no retrieval or answering logic here).

`serve()` is what `qa serve` runs; `launch()` starts the same app without blocking, for tests and
the benchmark; `build_app()` only builds the Blocks.
"""
from __future__ import annotations

import os

# Must be set before gradio is imported: it reads the variable at import time.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import logging
import socket
from dataclasses import dataclass

import gradio as gr
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.middleware import Middleware

from qa import messages
from qa.api import History, Pipeline
from qa.errors import QAError, SettingsError
from qa.settings import Settings
from ui.guard import ClientLimiter, SecurityHeaders
from ui.render import (
    ARTICLE_ROUTE,
    answer_html,
    article_page,
    corpus_summary,
    notice_html,
    question_html,
)

log = logging.getLogger(__name__)

# The article page is our own escaped HTML; the policy makes sure nothing on it could ever run.
ARTICLE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
}

CSS = """
.qa-notice { font-style: italic; opacity: .8; }
.qa-confidence { margin-top: .4em; font-size: .9em; }
.qa-sure { color: #166534; }
.qa-unsure { color: #92400e; font-weight: 600; }
.qa-answer-unsure { border-left: 4px solid #f59e0b; padding-left: .6em; }
.qa-sources { margin-top: .6em; font-size: .92em; }
.qa-source-list { margin: .2em 0 0 0; padding-left: 0; list-style: none; }
.qa-passages { margin-top: .5em; font-size: .88em; }
.qa-passage { margin: .5em 0; padding-left: .6em; border-left: 3px solid #d1d5db; }
.qa-passage-head { font-weight: 600; }
.qa-passages mark { background: #fde68a; color: inherit; }
"""


@dataclass(frozen=True)
class Turn:
    """One exchange, as much of it as a follow-up question needs. What the chat shows lives in the
    page (the chat is an input of each question), so the server holds a few hundred characters per
    turn, not the rendered answer with its passages."""

    question: str
    answer_text: str | None  # None when no answer was given (an error): not context for follow-ups


def history(turns: list[Turn]) -> History:
    return [(t.question, t.answer_text) for t in turns if t.answer_text is not None]


def exchange(question: str, reply_html: str) -> list[dict]:
    """The two chat messages of one turn."""
    return [
        {"role": "user", "content": question_html(question)},
        {"role": "assistant", "content": reply_html},
    ]


def answer_turn(pipeline: Pipeline, question: str, turns: list[Turn]) -> tuple[str, Turn]:
    """Ask the pipeline: the reply to show and the turn to remember. A failure becomes a short
    Vietnamese message in the chat and an English log line (with the traceback when the failure is
    unexpected), never a stack trace for the user."""
    try:
        answer = pipeline.ask(question, history=history(turns))
    except QAError as exc:
        log.warning("Question refused (%s): %s", type(exc).__name__, exc)
        return notice_html(exc.vi), Turn(question, None)
    except Exception:
        log.exception("ask() failed for question %r", question)
        return notice_html(messages.GENERIC_ERROR), Turn(question, None)
    return answer_html(answer), Turn(question, answer.text)


def client_key(request: gr.Request | None) -> str:
    """Who is asking, for the per-client share: Gradio's session (one per browser tab or API
    client), else the peer address."""
    if request is None:
        return "-"
    return request.session_hash or (request.client.host if request.client else "-")


def make_responder(pipeline: Pipeline, limiter: ClientLimiter | None = None):
    """The chat handler: (question, chat shown, conversation) → yields (input box, chat, conversation).
    A generator, so the question and the placeholder appear at once and the answer replaces the
    placeholder when ready.

    A conversation keeps its last `serving.max_turns` turns (what the page shows and what the server
    holds for the session), and a client already having `serving.per_client` questions answered is
    told at once to wait, instead of queueing more work ahead of other users."""
    serving = pipeline.settings.serving
    limiter = limiter or ClientLimiter(serving.per_client)

    def respond(question: str, chat: list[dict] | None, turns: list[Turn], request: gr.Request | None = None):
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip()
            return
        earlier = list(chat or [])[-2 * (serving.max_turns - 1) :] if serving.max_turns > 1 else []
        with limiter.slot(client_key(request)) as granted:
            if not granted:
                log.info("Question refused: the client already has %d being answered", limiter.per_client)
                reply, turn = notice_html(messages.ONE_AT_A_TIME), Turn(question, None)
            else:
                yield "", [*earlier, *exchange(question, notice_html(messages.PENDING))], turns
                reply, turn = answer_turn(pipeline, question, turns)
        yield "", [*earlier, *exchange(question, reply)], [*turns, turn][-serving.max_turns :]

    return respond


def example_questions(settings: Settings) -> tuple[str, ...]:
    """The seed examples only make sense over the seed corpus; any other corpus gets none."""
    is_seed_corpus = settings.corpus.dir.resolve() == Settings().corpus.dir.resolve()
    return messages.SEED_EXAMPLES if is_seed_corpus else ()


def example_row(examples: tuple[str, ...]) -> list[gr.Button]:
    """One button per example question; clicking it asks the question (the button's label)."""
    if not examples:
        return []
    gr.Markdown(messages.EXAMPLES_LABEL)
    with gr.Row():
        return [gr.Button(q, size="sm", elem_classes="qa-example") for q in examples]


def build_app(pipeline: Pipeline) -> gr.Blocks:
    """The chat page, with its queue configured. Reads `pipeline.articles` (for the corpus line),
    which loads the index now rather than on the first user's question."""
    respond = make_responder(pipeline)
    with gr.Blocks(title=messages.TITLE) as app:
        gr.Markdown(
            f"# {messages.TITLE}\n{messages.SUBTITLE}\n\n{corpus_summary(pipeline.articles, len(pipeline.skipped))}"
        )
        chat = gr.Chatbot(
            label=messages.CHAT_LABEL,
            height=600,
            sanitize_html=True,
            render_markdown=True,
            latex_delimiters=[],
            allow_tags=False,
            feedback_options=None,
            buttons=[],
            elem_id="qa-chat",
        )
        turns = gr.State([])
        with gr.Row(equal_height=True):
            question = gr.Textbox(
                label=messages.INPUT_LABEL,
                placeholder=messages.INPUT_PLACEHOLDER,
                lines=1,
                max_lines=4,
                autofocus=True,
                scale=6,
                elem_id="qa-question",
            )
            send = gr.Button(messages.SEND_BUTTON, variant="primary", scale=1, min_width=100)
            clear = gr.Button(messages.CLEAR_BUTTON, size="md", scale=1, min_width=200)
        example_buttons = example_row(example_questions(pipeline.settings))

        # The placeholder message is the progress indicator; no overlay should hide the chat.
        answering = {"fn": respond, "outputs": [question, chat, turns], "show_progress": "minimal"}
        gr.on([question.submit, send.click], inputs=[question, chat, turns], api_name="ask", **answering)
        for button in example_buttons:
            button.click(inputs=[button, chat, turns], api_visibility="private", **answering)
        clear.click(lambda: ([], []), None, [chat, turns], api_name="clear", queue=False)
        # The chat's own trash icon empties the chat; the conversation must follow.
        chat.clear(lambda: [], None, turns, api_visibility="private", queue=False)
    # ask() is read-only over the loaded index, so answers run in parallel worker threads, as many as
    # the serving settings allow; further users wait in the queue (and see their place in it) up to
    # its size, beyond which Gradio tells them the server is busy.
    serving = pipeline.settings.serving
    return app.queue(default_concurrency_limit=serving.concurrency, max_size=serving.queue_size)


def article_routes(pipeline: Pipeline) -> list[APIRoute]:
    """`/article/<id>`: the cleaned article, for citations whose original URL is unknown. Given to
    FastAPI before Gradio adds its own routes, so it is matched first; `:path` because ids may hold
    a slash (a SQuAD paragraph is `<title>/<n>`)."""

    def show_article(article_id: str) -> HTMLResponse:
        article = pipeline.article(article_id)
        return HTMLResponse(
            article_page(article), status_code=200 if article else 404, headers=ARTICLE_HEADERS
        )

    return [APIRoute(f"/{ARTICLE_ROUTE}/{{article_id:path}}", show_article, methods=["GET"])]


def launch(
    pipeline: Pipeline, host: str, port: int, share: bool = False
) -> tuple[gr.Blocks, str, str | None]:
    """Start the app without blocking; returns (app, local URL, public share URL or None)."""
    app = build_app(pipeline)
    _, local_url, share_url = app.launch(
        server_name=host,
        server_port=port,
        share=share,
        prevent_thread_lock=True,
        quiet=True,
        css=CSS,
        state_session_capacity=pipeline.settings.serving.sessions,
        app_kwargs={"routes": article_routes(pipeline), "middleware": [Middleware(SecurityHeaders)]},
    )
    return app, local_url, share_url


def check_port_free(host: str, port: int) -> None:
    """Fail in one line, before minutes of indexing, when the address cannot be served."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SettingsError(
                f"QA_HOST/QA_PORT {host}:{port} cannot be served ({exc.strerror or exc}): "
                "stop what uses it or choose another port"
            ) from None


def serve(settings: Settings, share: bool = False) -> None:
    """`qa serve`: load (or build) the index, start the chat and block until Ctrl+C."""
    check_port_free(settings.serving.host, settings.serving.port)
    print(messages.PREPARING_BANNER, flush=True)
    pipeline = Pipeline(settings)
    pipeline.prepare(progress=True)
    app, local_url, share_url = launch(pipeline, settings.serving.host, settings.serving.port, share)
    print(messages.STARTUP_BANNER.format(url=local_url), flush=True)
    if share_url:
        print(messages.SHARE_BANNER.format(url=share_url), flush=True)
    app.block_thread()
