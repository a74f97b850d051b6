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
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import Query
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.middleware import Middleware

from qa import messages
from qa.api import History, Pipeline
from qa.dates import parse_day
from qa.errors import FeedbackError, QAError, SettingsError
from qa.feedback import DOWN, UP, CitedArticle, FeedbackLog, FeedbackRecord, correction_of
from qa.settings import Settings
from ui.articles import Archive, lines_html
from ui.guard import ClientLimiter, SecurityHeaders
from ui.render import (
    ARTICLE_ROUTE,
    MAX_QUOTE_IN_LINK,
    QUOTE_PARAM,
    answer_html,
    article_page,
    notice_html,
    page,
    question_html,
    text_html,
)
from ui.startup import Startup

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
    """One exchange, as much of it as a follow-up question and a vote on the answer need. What the
    chat shows lives in the page (the chat is an input of each question), so the server holds a few
    hundred characters per turn, not the rendered answer with its passages: the cited articles are
    kept as ids (a vote looks their titles and URLs up)."""

    question: str
    answer_text: str | None  # None when no answer was given (an error): not context for follow-ups
    short_answer: str | None = None
    abstained: bool = False
    cited: tuple[str, ...] = ()  # ids of the articles cited, in citation order
    confidence: float | None = None  # the answer's P(answerable), when the Answer carries one


def history(turns: list[Turn]) -> History:
    return [(t.question, t.answer_text) for t in turns if t.answer_text is not None]


def exchange(question: str, reply_html: str) -> list[dict]:
    """The two chat messages of one turn."""
    return [
        {"role": "user", "content": question_html(question)},
        {"role": "assistant", "content": reply_html},
    ]


def date_range(since: str | None, until: str | None) -> tuple[date | None, date | None] | str:
    """The chat's "Từ ngày" / "Đến ngày" boxes (dd/mm/yyyy, both optional) as days, or the
    Vietnamese message saying what is wrong with them."""
    days = []
    for text in (since, until):
        try:
            days.append(parse_day(text or ""))
        except ValueError:
            return messages.DATE_INVALID.format(value=(text or "").strip()[:40])
    first, last = days
    if first is not None and last is not None and first > last:
        return messages.DATE_ORDER
    return first, last


def answer_turn(
    pipeline: Pipeline, question: str, turns: list[Turn], since: date | None = None, until: date | None = None
) -> tuple[str, Turn]:
    """Ask the pipeline: the reply to show and the turn to remember. A failure becomes a short
    Vietnamese message in the chat and an English log line (with the traceback when the failure is
    unexpected), never a stack trace for the user."""
    try:
        answer = pipeline.ask(question, history=history(turns), since=since, until=until)
    except QAError as exc:
        log.warning("Question refused (%s): %s", type(exc).__name__, exc)
        return notice_html(exc.vi), Turn(question, None)
    except Exception:
        log.exception("ask() failed for question %r", question)
        return notice_html(messages.GENERIC_ERROR), Turn(question, None)
    return answer_html(answer), Turn(
        question,
        answer.text,
        answer.short_answer,
        answer.abstained,
        tuple(dict.fromkeys(c.article_id for c in answer.citations)),
        answer.confidence,
    )


def client_key(request: gr.Request | None) -> str:
    """Who is asking, for the per-client share: Gradio's session (one per browser tab or API
    client), else the peer address."""
    if request is None:
        return "-"
    return request.session_hash or (request.client.host if request.client else "-")


def make_responder(pipeline: Pipeline, limiter: ClientLimiter | None = None, startup: Startup | None = None):
    """The chat handler: (question, chat shown, conversation) → yields (input box, chat, conversation).
    A generator, so the question and the placeholder appear at once and the answer replaces the
    placeholder when ready.

    A conversation keeps its last `serving.max_turns` turns (what the page shows and what the server
    holds for the session), and a client already having `serving.per_client` questions answered is
    told at once to wait, instead of queueing more work ahead of other users."""
    serving = pipeline.settings.serving
    limiter = limiter or ClientLimiter(serving.per_client)

    def respond(
        question: str,
        chat: list[dict] | None,
        turns: list[Turn],
        request: gr.Request | None = None,  # Gradio puts the request here and the inputs after it in order
        since: str | None = "",
        until: str | None = "",
    ):
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip()
            return
        earlier = list(chat or [])[-2 * (serving.max_turns - 1) :] if serving.max_turns > 1 else []
        days = date_range(since, until)
        if isinstance(days, str):  # the question is kept in the box, to ask again with a valid range
            yield gr.skip(), [*earlier, *exchange(question, notice_html(days))], turns
            return
        with limiter.slot(client_key(request)) as granted:
            if startup is not None and not startup.ready:  # the index is still being built
                reply, turn = notice_html(startup.not_ready()), Turn(question, None)
            elif not granted:
                log.info("Question refused: the client already has %d being answered", limiter.per_client)
                reply, turn = notice_html(messages.ONE_AT_A_TIME), Turn(question, None)
            else:
                yield "", [*earlier, *exchange(question, notice_html(messages.PENDING))], turns
                reply, turn = answer_turn(pipeline, question, turns, *days)
        yield "", [*earlier, *exchange(question, reply)], [*turns, turn][-serving.max_turns :]

    return respond


# -- 👍/👎 on an answer --------------------------------------------------------------------------------


def _flat(content: object) -> str:
    """A chat message's text as the page sends it back (a string, or a list of text parts),
    white space collapsed."""
    if isinstance(content, list):
        content = "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return " ".join(str(content or "").split())


def voted_turn(chat: list[dict] | None, turns: list[Turn], index: object) -> tuple[Turn, list[Turn]] | None:
    """The turn whose answer is the chat message at `index`, with the turns before it; None when the
    message is not an answer the server still holds. The chat and the turns both gain one entry per
    question and lose their oldest alike, so they are matched from the end (the turns may be fewer:
    a forgotten session), and the question before the message must be the turn's."""
    if isinstance(index, list | tuple) and index:
        index = index[0]
    chat = list(chat or [])
    if isinstance(index, bool) or not isinstance(index, int) or not 0 < index < len(chat):
        return None
    if chat[index].get("role") != "assistant":
        return None
    later = sum(1 for message in chat[index + 1 :] if message.get("role") == "assistant")
    position = len(turns) - 1 - later
    if position < 0:
        return None
    turn = turns[position]
    if turn.answer_text is None or _flat(chat[index - 1].get("content")) != _flat(question_html(turn.question)):
        return None
    return turn, list(turns[:position])


class Feedback:
    """The chat's 👍/👎 handlers: a 👍 is recorded at once; a 👎 is recorded at once and opens a form
    for the right answer (or "not in the articles"), whose answer is a second record. Nothing about
    the user is recorded (qa/feedback.py)."""

    def __init__(self, pipeline: Pipeline, feedback_log: FeedbackLog | None = None) -> None:
        self.pipeline = pipeline
        self.log = feedback_log or FeedbackLog.for_settings(pipeline.settings)

    def record(self, turn: Turn, earlier: list[Turn], vote: str) -> FeedbackRecord:
        keep = self.pipeline.settings.answering.max_history_turns
        asked = [question for question, _ in history(earlier)]
        cited = []
        for article_id in turn.cited:
            article = self.pipeline.article(article_id)
            cited.append(CitedArticle(article_id, article.title, article.url) if article else CitedArticle(article_id))
        return FeedbackRecord(
            time=datetime.now(UTC),
            question=turn.question,
            answer=turn.answer_text or "",
            vote=vote,
            history=tuple(asked[-keep:] if keep else ()),
            short_answer=turn.short_answer,
            abstained=turn.abstained,
            citations=tuple(cited),
            confidence=turn.confidence,
        )

    def save(self, record: FeedbackRecord) -> str | None:
        """None once written, else the Vietnamese sentence saying it could not be (the reason logged)."""
        try:
            self.log.append(record)
        except FeedbackError as exc:
            log.warning("Feedback not saved: %s", exc)
            return exc.vi
        return None

    def vote(self, chat: list[dict] | None, turns: list[Turn], data: gr.LikeData):
        """(form, vote awaiting its correction, status line, correction box, "not in the articles")."""
        closed = (gr.update(visible=False), None)
        reset = (gr.update(value="", interactive=True), False)
        if data.liked is not True and data.liked is not False:  # "": the vote withdrawn
            return *closed, "", *reset
        found = voted_turn(chat, turns, data.index)
        if found is None:
            log.info("Vote on chat message %r ignored: not an answer this session holds", data.index)
            return *closed, messages.FEEDBACK_UNAVAILABLE, *reset
        record = self.record(*found, UP if data.liked else DOWN)
        failed = self.save(record)
        if data.liked or failed:
            return *closed, failed or messages.FEEDBACK_THANKS, *reset
        return gr.update(visible=True), record, "", *reset

    def send(self, correction: str | None, not_in_articles: bool, pending: FeedbackRecord | None):
        """The form sent (or skipped, with nothing in it): (form, pending, status, box, checkbox)."""
        done = (gr.update(visible=False), None)
        reset = (gr.update(value="", interactive=True), False)
        if pending is None:
            return *done, "", *reset
        text, kind = correction_of(correction, not_in_articles, self.pipeline.settings.serving.feedback_max_chars)
        if kind is None:  # the 👎 itself is already recorded
            return *done, messages.FEEDBACK_THANKS, *reset
        failed = self.save(replace(pending, time=datetime.now(UTC), correction=text, correction_kind=kind))
        return *done, failed or messages.FEEDBACK_THANKS_CORRECTION, *reset


def feedback_form(max_chars: int) -> tuple[gr.Group, gr.Textbox, gr.Checkbox, gr.Button, gr.Button]:
    """Hidden until a 👎: the right answer, or "not in the articles", and send / skip."""
    with gr.Group(visible=False, elem_id="qa-feedback") as form:
        gr.Markdown(messages.FEEDBACK_PROMPT)
        correction = gr.Textbox(
            label=messages.FEEDBACK_CORRECTION_LABEL,
            placeholder=messages.FEEDBACK_CORRECTION_PLACEHOLDER,
            lines=1,
            max_lines=3,
            max_length=max_chars,
            elem_id="qa-correction",
        )
        not_in_articles = gr.Checkbox(label=messages.FEEDBACK_NOT_IN_ARTICLES, elem_id="qa-not-in-articles")
        with gr.Row():
            send = gr.Button(messages.FEEDBACK_SUBMIT, variant="primary", elem_id="qa-feedback-send")
            skip = gr.Button(messages.FEEDBACK_SKIP, elem_id="qa-feedback-skip")
    return form, correction, not_in_articles, send, skip


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


def articles_tab(
    archive: Archive, settings: Settings, corpus_line: list[gr.Component],
    corpus_status: Callable[[], tuple[Any, ...]], app: gr.Blocks, tab: gr.Tab,
) -> None:
    """The "Bài báo" tab (ui/articles.py): the list, searchable; a selected row opens in the in-app
    view or is removed after a confirmation; with uploads enabled, files are added. A change updates
    the index in the background (its progress shown here); an event chained after it refreshes the
    list, the chooser and the chat tab's corpus line. A page that did not make the change catches up
    when its tab is opened.

    Its messages are one-line HTML blocks of escaped text in gr.Markdown (markdown is not read inside
    an HTML block): gr.HTML evaluates scripts, which the page's Content-Security-Policy forbids."""
    with gr.Row():
        search = gr.Textbox(
            label=messages.ARTICLES_SEARCH_LABEL, placeholder=messages.ARTICLES_SEARCH_PLACEHOLDER, max_lines=1,
            scale=3, elem_id="qa-articles-search",
        )
        count = gr.Markdown(elem_id="qa-articles-count")
    table = gr.Dataframe(
        headers=list(messages.ARTICLES_HEADERS),
        datatype=["str", "str", "str", "number", "str"],
        interactive=False,
        wrap=True,
        column_widths=["44%", "12%", "26%", "8%", "10%"],
        max_height=420,
        elem_id="qa-articles",
    )
    opened = gr.Markdown(elem_id="qa-articles-open")
    with gr.Row(equal_height=True):
        chosen = gr.Dropdown(
            label=messages.ARTICLES_REMOVE_LABEL, choices=[], value=None, scale=4, elem_id="qa-articles-chosen"
        )
        remove = gr.Button(messages.ARTICLES_REMOVE_BUTTON, variant="stop", scale=1, elem_id="qa-articles-remove")
    with gr.Group(visible=False, elem_id="qa-articles-confirm") as confirm:
        question = gr.Markdown(elem_id="qa-articles-question")
        with gr.Row():
            yes = gr.Button(messages.ARTICLES_REMOVE_YES, variant="stop", elem_id="qa-articles-yes")
            no = gr.Button(messages.ARTICLES_REMOVE_NO, elem_id="qa-articles-no")
    uploads = settings.serving.uploads
    if uploads:
        mb = settings.corpus.max_file_bytes / 1_000_000
        files = gr.File(
            label=messages.ARTICLES_UPLOAD_LABEL.format(mb=f"{mb:g}".replace(".", ",")),
            file_count="multiple",
            file_types=[".txt", ".html", ".htm", ".jsonl"],
            type="filepath",
            elem_id="qa-articles-files",
        )
        add = gr.Button(messages.ARTICLES_ADD_BUTTON, variant="primary", elem_id="qa-articles-add")
    status = gr.Markdown(elem_id="qa-articles-status")

    def listing(query: str | None, current: str | None):
        """The table, count line and chooser for the search; the chosen article stays chosen while
        it is listed."""
        shown = archive.listing(query)
        listed_ids = {article_id for _, article_id in shown.choices}
        value = current if current in listed_ids else None
        return shown.rows, shown.count, gr.update(choices=shown.choices, value=value)

    listed = [table, count, chosen]
    quiet: dict[str, Any] = {"api_visibility": "private", "queue": False}
    app.load(listing, [search, chosen], listed, **quiet)
    search.change(listing, [search, chosen], listed, **quiet)

    def selected(event: gr.SelectData):
        row = event.row_value or []
        article_id = str(row[-1]) if row else None
        return archive.opened(article_id), gr.update(value=article_id)

    table.select(selected, None, [opened, chosen], **quiet)
    chosen.input(lambda article_id: archive.opened(article_id), chosen, opened, **quiet)

    def ask_confirm(article_id: str | None):
        text = archive.confirm_text(article_id)
        if text is None:
            return gr.update(visible=False), "", lines_html([messages.ARTICLES_REMOVE_NONE])
        return gr.update(visible=True), lines_html([text]), ""

    remove.click(ask_confirm, chosen, [confirm, question, status], **quiet)
    no.click(lambda: (gr.update(visible=False), ""), None, [confirm, status], **quiet)

    def refreshed(query: str | None, current: str | None):
        """Once a change is done: the list, the chooser and the corpus line (with its timer)."""
        return (*listing(query, current), *corpus_status())

    # A change's handler yields its status lines while the change and its update run; the event
    # chained after it refreshes the rest of the page at once.
    running: dict[str, Any] = {"api_visibility": "private", "concurrency_limit": 1, "concurrency_id": "qa-articles",
                               "show_progress": "hidden"}
    refresh: dict[str, Any] = {"fn": refreshed, "inputs": [search, chosen],
                               "outputs": [table, count, chosen, *corpus_line], **quiet}
    tab.select(**refresh)  # a change made from another page
    yes.click(lambda: gr.update(visible=False), None, confirm, **quiet).then(
        archive.remove, chosen, status, **running
    ).then(**refresh)
    if uploads:
        add.click(archive.add, files, status, **running).then(lambda: None, None, files, **quiet).then(**refresh)


def build_app(pipeline: Pipeline, startup: Startup | None = None) -> gr.Blocks:
    """The chat page, with its queue configured. Without a `startup` the pipeline is taken as ready
    and `pipeline.articles` is read for the corpus line, which loads the index now rather than on the
    first user's question; with one still preparing, the corpus line says how far it is (refreshed
    every second until ready) and questions are told to wait."""
    startup = startup or Startup.ready_for(pipeline)
    respond = make_responder(pipeline, startup=startup)
    feedback_on = pipeline.settings.serving.feedback
    with gr.Blocks(title=messages.TITLE) as app:
        heading = f"# {messages.TITLE}\n{messages.SUBTITLE}\n\n"
        corpus_line = gr.Markdown(heading + startup.status(), elem_id="qa-corpus")
        # Ticks while the corpus line changes by itself: the index is prepared, or new passages are
        # embedded in the background (a change from the Articles tab, or opening the chat, restarts it).
        timer = gr.Timer(1.0, active=startup.busy)

        def corpus_status() -> tuple[str, gr.Timer]:
            return heading + startup.status(), gr.Timer(active=startup.busy)

        timer.tick(corpus_status, None, [corpus_line, timer], api_visibility="private", queue=False)
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab(messages.TAB_CHAT, id="chat") as chat_tab:
                chat = gr.Chatbot(
                    label=messages.CHAT_LABEL,
                    height=600,
                    sanitize_html=True,
                    render_markdown=True,
                    latex_delimiters=[],
                    allow_tags=False,
                    feedback_options=("Like", "Dislike") if feedback_on else None,
                    buttons=[],
                    elem_id="qa-chat",
                )
                turns = gr.State([])
                if feedback_on:
                    form, correction, not_in_articles, send_feedback, skip_feedback = feedback_form(
                        pipeline.settings.serving.feedback_max_chars
                    )
                    status = gr.Markdown(elem_id="qa-feedback-status")
                    pending = gr.State(None)
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
                with gr.Row():
                    since = gr.Textbox(
                        label=messages.SINCE_LABEL, placeholder=messages.DATE_PLACEHOLDER, value="", max_lines=1,
                        scale=1, elem_id="qa-since",
                    )
                    until = gr.Textbox(
                        label=messages.UNTIL_LABEL, placeholder=messages.DATE_PLACEHOLDER, value="", max_lines=1,
                        scale=1, elem_id="qa-until",
                    )
                example_buttons = example_row(example_questions(pipeline.settings))

            with gr.Tab(messages.TAB_ARTICLES, id="articles") as tab:
                archive = Archive(pipeline, lambda: startup.ready, Path(gr.utils.get_upload_folder()))
                articles_tab(archive, pipeline.settings, [corpus_line, timer], corpus_status, app, tab)
        # The corpus may have changed from another page (the Articles tab): opening the chat says so.
        chat_tab.select(corpus_status, None, [corpus_line, timer], api_visibility="private", queue=False)

        # The placeholder message is the progress indicator; no overlay should hide the chat.
        answering = {"fn": respond, "outputs": [question, chat, turns], "show_progress": "minimal"}
        gr.on([question.submit, send.click], inputs=[question, chat, turns, since, until], api_name="ask", **answering)
        for button in example_buttons:
            button.click(inputs=[button, chat, turns, since, until], api_visibility="private", **answering)
        clear.click(lambda: ([], []), None, [chat, turns], api_name="clear", queue=False)
        # The chat's own trash icon empties the chat; the conversation must follow.
        chat.clear(lambda: [], None, turns, api_visibility="private", queue=False)
        if feedback_on:
            feedback = Feedback(pipeline)
            voted: dict[str, Any] = {
                "outputs": [form, pending, status, correction, not_in_articles],
                "api_visibility": "private",
                "queue": False,  # a vote is a line written: it need not wait behind answers
            }
            chat.like(feedback.vote, [chat, turns], **voted)
            send_feedback.click(feedback.send, [correction, not_in_articles, pending], **voted)
            skip_feedback.click(lambda p: feedback.send(None, False, p), [pending], **voted)
            # A cleared chat leaves no form open about an answer no longer shown.
            for cleared in (clear.click, chat.clear):
                cleared(lambda: (gr.update(visible=False), None, ""), None, [form, pending, status],
                        api_visibility="private", queue=False)
            not_in_articles.input(
                lambda checked: gr.update(interactive=not checked), not_in_articles, correction,
                api_visibility="private", queue=False,
            )
    # ask() is read-only over the loaded index, so answers run in parallel worker threads, as many as
    # the serving settings allow; further users wait in the queue (and see their place in it) up to
    # its size, beyond which Gradio tells them the server is busy.
    serving = pipeline.settings.serving
    return app.queue(default_concurrency_limit=serving.concurrency, max_size=serving.queue_size)


def article_routes(pipeline: Pipeline, startup: Startup) -> list[APIRoute]:
    """`/article/<id>`: the cleaned article, for citations whose original URL is unknown. Given to
    FastAPI before Gradio adds its own routes, so it is matched first; `:path` because ids may hold
    a slash (a SQuAD paragraph is `<title>/<n>`). 503 while the index is being prepared."""

    def show_article(article_id: str, quoted: str | None = Query(None, alias=QUOTE_PARAM)) -> HTMLResponse:
        if not startup.ready:
            return HTMLResponse(page(messages.TITLE, f"<p>{text_html(startup.not_ready())}</p>"),
                                status_code=503, headers=ARTICLE_HEADERS)
        article = pipeline.article(article_id)
        quoted = quoted[:MAX_QUOTE_IN_LINK] if quoted else None
        return HTMLResponse(
            article_page(article, quoted), status_code=200 if article else 404, headers=ARTICLE_HEADERS
        )

    return [APIRoute(f"/{ARTICLE_ROUTE}/{{article_id:path}}", show_article, methods=["GET"])]


def launch(
    pipeline: Pipeline, host: str, port: int, share: bool = False, startup: Startup | None = None
) -> tuple[gr.Blocks, str, str | None]:
    """Start the app without blocking; returns (app, local URL, public share URL or None). With a
    `startup` still preparing, the page is served meanwhile (see `build_app`)."""
    startup = startup or Startup.ready_for(pipeline)
    app = build_app(pipeline, startup)
    uploads = pipeline.settings.serving.uploads  # else the upload routes answer 403 (ui/guard.py)
    _, local_url, share_url = app.launch(
        server_name=host,
        server_port=port,
        share=share,
        prevent_thread_lock=True,
        quiet=True,
        css=CSS,
        state_session_capacity=pipeline.settings.serving.sessions,
        max_file_size=pipeline.settings.corpus.max_file_bytes if uploads else None,
        app_kwargs={
            "routes": article_routes(pipeline, startup),
            "middleware": [Middleware(SecurityHeaders, uploads=uploads)],
        },
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
    """`qa serve`: start the chat, load (or build) the index while the page says how far that is,
    and block until Ctrl+C. A preparation that fails closes the server and raises (one line)."""
    check_port_free(settings.serving.host, settings.serving.port)
    pipeline = Pipeline(settings)
    startup = Startup(pipeline)
    app, local_url, share_url = launch(pipeline, settings.serving.host, settings.serving.port, share, startup)
    print(messages.STARTUP_BANNER.format(url=local_url), flush=True)
    if share_url:
        print(messages.SHARE_BANNER.format(url=share_url), flush=True)
    print(messages.PREPARING_BANNER, flush=True)
    try:
        startup.prepare(terminal=True)
    except BaseException:
        app.close()
        raise
    app.block_thread()
