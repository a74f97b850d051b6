"""The chat UI for real: the real pipeline over seeds/ (the session's seed index), the real Gradio
server on a free port, and headless Chromium driving the page as a user would. The chat handler
without a server is tested in test_ui_chat.py.

Chromium comes from Debian (`apt-get install chromium`); Playwright's own browser download is not
used. Without it these tests are skipped, except under CI, where a skipped browser test would hide
a broken UI, so they fail instead.
"""
from __future__ import annotations

import json
import os
import shutil
import socket

import httpx
import pytest

from qa import messages
from qa.api import Pipeline

pytestmark = pytest.mark.slow

SEED_QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"
SEED_URL = (
    "https://www.thoidai.com.vn/"
    "tinh-nghe-an-va-thu-do-vientiane-lao-ky-ket-thoa-thuan-hop-tac-giai-doan-2025-2028-213424.html"
)
UNANSWERABLE = "Dân số của thủ đô Vientiane năm 2024 là bao nhiêu?"
XSS_QUESTION = "<img src=x onerror=alert(1)><img src=y onerror=window.pwned=1>"
ARTICLE_WITHOUT_URL = "001_7b0da2fc71653c30"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ANSWER_TIMEOUT_MS = 60_000


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for the browser tests in CI: apt-get install chromium")
        pytest.skip("headless Chromium not found: apt-get install chromium (or `make browser`)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pipeline(seed_pipeline) -> Pipeline:
    assert seed_pipeline.articles  # the index is built and loaded before any timing-sensitive test
    return seed_pipeline


@pytest.fixture(scope="session")
def server_url(pipeline):
    from ui.app import launch  # Gradio takes seconds to import: only when these tests run

    app, url, _ = launch(pipeline, "127.0.0.1", free_port())
    yield url
    app.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url):
    """A fresh chat page that records every dialog (alert/confirm) a script might open."""
    page = browser.new_page(viewport={"width": 1100, "height": 1300})
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server_url, wait_until="load")
    page.wait_for_selector("textarea")
    yield page
    page.close()


def bot_messages(page):
    return page.locator('#qa-chat [data-testid="bot"]')


def wait_for_reply(page, count: int):
    """The `count`-th assistant message once its progress placeholder has been replaced."""
    page.wait_for_function(
        """([count, pending]) => {
            const bots = document.querySelectorAll('#qa-chat [data-testid="bot"]');
            return bots.length === count && !bots[count - 1].innerText.includes(pending);
        }""",
        arg=[count, messages.PENDING],
        timeout=ANSWER_TIMEOUT_MS,
    )
    return bot_messages(page).nth(count - 1)


def type_question(page, question: str) -> None:
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")


# --- in the browser -------------------------------------------------------------------------------


def test_example_question_answered_with_source_link(page, tmp_path):
    page.get_by_role("button", name=SEED_QUESTION).click()
    reply = wait_for_reply(page, 1)
    assert "2025" in reply.inner_text() and "2028" in reply.inner_text()
    source = reply.locator(f'.qa-sources a[href="{SEED_URL}"]')
    assert source.count() == 1
    assert source.get_attribute("target") == "_blank"
    assert "noopener" in source.get_attribute("rel")
    assert reply.locator("details.qa-passages mark").count() >= 1  # the quoted sentence, highlighted
    page.screenshot(path=tmp_path / "answer.png", full_page=True)


def test_unanswerable_question_is_declined_without_sources(page):
    type_question(page, UNANSWERABLE)
    reply = wait_for_reply(page, 1)
    assert "không tìm thấy" in reply.inner_text()
    assert reply.locator("a").count() == 0
    assert page.input_value("#qa-question textarea") == ""  # the input clears after sending


def test_html_in_a_question_is_shown_as_text_and_never_runs(page):
    type_question(page, XSS_QUESTION)
    wait_for_reply(page, 1)
    question_bubble = page.locator('#qa-chat [data-testid="user"]').first
    assert question_bubble.inner_text().strip() == XSS_QUESTION
    assert page.locator("#qa-chat img[src='x'], #qa-chat img[src='y']").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.dialogs == []


def test_clear_button_empties_the_conversation(page):
    type_question(page, SEED_QUESTION)
    wait_for_reply(page, 1)
    page.get_by_role("button", name=messages.CLEAR_BUTTON).click()
    page.wait_for_function("() => document.querySelectorAll('#qa-chat [data-testid=\"bot\"]').length === 0")
    type_question(page, UNANSWERABLE)
    wait_for_reply(page, 1)  # numbering restarts: the old turns are gone from the state too


def test_in_app_article_view_in_the_browser(page, server_url, pipeline):
    article = pipeline.article(ARTICLE_WITHOUT_URL)
    page.goto(f"{server_url}article/{ARTICLE_WITHOUT_URL}", wait_until="load")
    assert page.locator("h1").inner_text() == article.title
    assert article.published.strftime("%d/%m/%Y") in page.inner_text("body")
    assert article.body.split("\n\n")[0][:60] in page.inner_text("body")
    assert page.dialogs == []


# --- the server, without a browser ----------------------------------------------------------------


def test_article_view_escapes_and_forbids_scripts(server_url):
    response = httpx.get(f"{server_url}article/{ARTICLE_WITHOUT_URL}")
    assert response.status_code == 200
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none'
    missing = httpx.get(f"{server_url}article/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert missing.status_code == 404
    assert messages.ARTICLE_NOT_FOUND in missing.text and "<script>" not in missing.text


# --- hardening (issue 12) -------------------------------------------------------------------------

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")


@pytest.fixture
def pixel_server():
    """A server on 127.0.0.1 that counts the requests it gets: a picture smuggled into a reply would
    be fetched from it."""
    import http.server
    import threading

    hits: list[str] = []

    class Pixel(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pixel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_markdown_in_a_reply_is_shown_as_text_never_rendered(page, pipeline, pixel_server, monkeypatch):
    """Item 12: a reply (a language model's, say) with carriage returns and then markdown made
    Chromium fetch a picture and show links that were never in the articles."""
    from qa.types import Answer, Citation

    pixel, hits = pixel_server
    evil = f"Trả lời [1].\r\r![p]({pixel}/pixel.png)\r\r[Trang chính thức](https://evil.example/phish)"
    source = Citation(1, ARTICLE_WITHOUT_URL, "Bài", None, None, "Câu.")
    monkeypatch.setattr(pipeline, "ask", lambda q, **kw: Answer(question=q, text=evil, citations=[source]))
    type_question(page, "Câu hỏi bất kỳ?")
    reply = wait_for_reply(page, 1)
    page.wait_for_timeout(500)  # time for a picture to be fetched, were it rendered
    assert "![p](" in reply.inner_text() and "[Trang chính thức](https://evil.example/phish)" in reply.inner_text()
    assert reply.locator("img").count() == 0
    assert reply.locator('a[href*="evil.example"]').count() == 0
    assert hits == []


def test_the_chat_works_under_its_content_security_policy(browser, server_url):
    """Item 13: the policy set on every page must not break Gradio's own scripts and styles: the
    page loads and answers, and Chromium reports no violation of it."""
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(server_url, wait_until="load")
    page.wait_for_selector("textarea")
    type_question(page, SEED_QUESTION)
    assert "2025" in wait_for_reply(page, 1).inner_text()
    page.close()
    assert not [text for text in console if "Content Security Policy" in text]


@pytest.mark.parametrize("path", ["", "article/" + ARTICLE_WITHOUT_URL, "gradio_api/info", "config", "missing"])
def test_every_page_sends_the_security_headers(server_url, path):
    """Item 13: the main page sent none of them (the article page had its policy only)."""
    response = httpx.get(f"{server_url}{path}")
    assert all(name in response.headers for name in SECURITY_HEADERS), response.headers
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]


def test_article_page_keeps_its_own_stricter_policy(server_url):
    response = httpx.get(f"{server_url}article/{ARTICLE_WITHOUT_URL}")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers.get_list("content-security-policy") == [response.headers["content-security-policy"]]


@pytest.mark.parametrize(
    "path", ["gradio_api/upload", "gradio_api/upload/", "gradio_api/%75pload", "gradio_api/process_recording"]
)
def test_the_upload_routes_are_closed(server_url, path):
    """Item 14: `curl -F files=@big.bin …/gradio_api/upload` stored the file under /tmp/gradio,
    though the chat has no file input."""
    response = httpx.post(f"{server_url}{path}", files={"files": ("x.bin", b"\0" * 4096)})
    assert response.status_code == 403
    assert "x.bin" not in response.text and "/tmp" not in response.text


# --- confidence (issue 14, item 3) ------------------------------------------------------------------


def test_a_sure_answer_is_marked_sure_with_its_short_answer_in_bold(page):
    page.get_by_role("button", name=SEED_QUESTION).click()
    reply = wait_for_reply(page, 1)
    assert reply.locator(".qa-sure").count() == 1 and reply.locator(".qa-answer-unsure").count() == 0
    assert "2025" in reply.locator(".qa-answer-text strong").first.inner_text()


def test_a_low_confidence_answer_looks_different_and_says_why(page, pipeline, monkeypatch):
    """The same answer, with "sure" out of reach: marked, with a reason and the source to check."""
    monkeypatch.setattr(pipeline, "settings", pipeline.settings.override(answer_sure=1.0))
    page.get_by_role("button", name=SEED_QUESTION).click()
    reply = wait_for_reply(page, 1)
    assert reply.locator(".qa-answer-unsure").count() == 1
    line = reply.locator(".qa-unsure")
    assert line.inner_text().startswith("Không chắc:")
    assert line.locator("a.qa-marker").count() == 1  # the source to check, a click away
    if os.environ.get("QA_SCREENSHOTS"):  # docs/low_confidence.png is taken this way
        page.screenshot(path=os.environ["QA_SCREENSHOTS"] + "/low_confidence.png", full_page=False)


# --- feedback into evaluation (issue 14, item 4) ---------------------------------------------------


def test_a_thumbs_down_with_a_correction_is_exported_as_a_test_set_line(page, pipeline, qa_environment, tmp_path):
    """Ask in the page, click 👎 under the answer, type the right answer, send: the log holds the
    vote and the correction, and `qa feedback export` turns them into a test-set line that the
    evaluation loads."""
    from qa.cli import main
    from qa.evaluation.testset import load_testset
    from qa.feedback import KIND_CORRECTION, FeedbackLog

    log = FeedbackLog.for_settings(pipeline.settings)
    before = log.path.read_bytes() if log.path.exists() else b""
    correction = "2025"  # what the user says the answer is: a year the cited article holds

    type_question(page, SEED_QUESTION)
    reply = wait_for_reply(page, 1)
    form = page.locator("#qa-feedback").first  # Gradio gives a group's id to two nested elements
    assert not form.is_visible()
    reply.hover()
    page.locator('#qa-chat button[aria-label="Dislike"]').first.click()
    form.wait_for(state="visible")
    page.fill("#qa-correction textarea", correction)
    page.screenshot(path=tmp_path / "feedback.png", full_page=True)
    page.locator("#qa-feedback-send").click()
    page.get_by_text(messages.FEEDBACK_THANKS_CORRECTION).wait_for()
    assert not form.is_visible()

    new_lines = log.path.read_bytes()[len(before) :]
    ours = FeedbackLog(tmp_path / "feedback.jsonl")
    ours.path.write_bytes(new_lines)
    records, problems = ours.read()
    assert problems == []
    assert [(r.question, r.vote, r.correction) for r in records] == [
        (SEED_QUESTION, "down", None),
        (SEED_QUESTION, "down", correction),
    ]
    cited = {c.article_id for c in records[-1].citations}
    assert cited and records[-1].citations[0].url == SEED_URL

    testset = tmp_path / "from_users.jsonl"
    settings = pipeline.settings
    argv = ["feedback", "export", "--testset", str(testset), "--log", str(ours.path)]
    assert main([*argv, "--corpus", str(settings.corpus.dir), "--index-dir", str(settings.index.dir)]) == 0
    (line,) = [json.loads(text) for text in testset.read_text(encoding="utf-8").splitlines()]
    assert line["question"] == SEED_QUESTION and line["answers"] == [correction]
    assert line["kind"] == KIND_CORRECTION and set(line["article"].split("|")) <= cited
    (record,) = load_testset(testset)  # what `qa eval --testset` reads
    assert record.answers == (correction,) and not record.should_abstain


def test_in_app_view_highlights_the_cited_quote_and_scrolls_to_it(browser, server_url, pipeline):
    """Issue 14, item 3: a citation of an article without a URL opens the in-app view at the quoted
    sentence, highlighted. The quote is a sentence near the end of the article, read at run time."""
    from qa.text import split_sentences
    from ui.render import article_path

    article = pipeline.article(ARTICLE_WITHOUT_URL)
    quoted = split_sentences(article.body)[-2][2]
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.goto(server_url + article_path(ARTICLE_WITHOUT_URL, quoted), wait_until="load")
    mark = page.locator("mark#trich-dan")
    assert mark.inner_text() == quoted
    box = mark.bounding_box()
    assert page.evaluate("window.scrollY") > 0 and 0 <= box["y"] < 700  # scrolled to it
    page.close()


@pytest.mark.parametrize("background", [False, True], ids=["waiting-for-vectors", "background-embedding"])
def test_a_long_first_start_shows_its_progress_in_the_page(browser, tmp_path, background):
    """Issue 14, item 5: the page is served while the index is built and says how far it is, then
    shows the corpus. A fake encoder held until the page has been seen mid-build stands in for a long
    build (a timed one raced a loaded machine). With QA_BACKGROUND_EMBEDDING (issue 13, item 4) the
    page answers once the articles are searchable by their words, and its corpus line says how far
    the embedding is until it is done."""
    import threading

    from conftest import SEEDS, FakeEncoder, fake_settings_for

    from ui.app import launch
    from ui.startup import Startup

    release = threading.Event()
    answering: set[int] = set()  # the threads that encoded a question: they embed sentences unheld

    class HeldEncoder(FakeEncoder):
        def encode_queries(self, texts):
            answering.add(threading.get_ident())
            return super().encode_queries(texts)

        def encode_passages(self, texts):
            if threading.get_ident() not in answering:
                release.wait(120)  # the build lasts until the page has been seen mid-build, however slow
            return super().encode_passages(texts)

    settings = fake_settings_for(tmp_path / "index", SEEDS, background_embedding=background)
    pipeline = Pipeline(settings, encoder=HeldEncoder())
    startup = Startup(pipeline)
    app, url, _ = launch(pipeline, "127.0.0.1", free_port(), startup=startup)
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        building = threading.Thread(target=startup.prepare)
        building.start()
        if background:
            pending = page.locator("#qa-corpus").get_by_text(messages.EMBEDDING_PENDING.split("{")[0])
            pending.wait_for(timeout=30_000)
            type_question(page, SEED_QUESTION)
            assert "Vui lòng hỏi lại sau" not in wait_for_reply(page, 1).inner_text()  # answered meanwhile
            release.set()
            assert pipeline.wait_embedded(120)
            pending.wait_for(state="detached", timeout=30_000)  # the line updates itself once done
        else:
            page.get_by_text("Đang xây dựng chỉ mục tìm kiếm").wait_for(timeout=30_000)
            type_question(page, SEED_QUESTION)
            assert "Vui lòng hỏi lại sau" in wait_for_reply(page, 1).inner_text()
            release.set()
        building.join(120)
        page.locator("#qa-corpus").get_by_text("Kho gồm").wait_for(timeout=30_000)  # the line updates itself
    finally:
        release.set()
        page.close()
        app.close()


# --- the date-range boxes (issue 14, item 2) ---------------------------------------------------------

# A made-up boat race in three years: one topic, each year's article with its own figure, no URL (the
# citation links to the in-app view), the year only in `published`.
RACES = {
    "dua-thuyen-2022": ("2022-09-03T07:00:00+07:00", 12),
    "dua-thuyen-2023": ("2023-09-02T07:00:00+07:00", 18),
    "dua-thuyen-2024": ("2024-09-07T07:00:00+07:00", 25),
}
RACE_QUESTION = "Giải đua thuyền trên sông Mây có bao nhiêu thuyền tham gia?"


def test_the_date_range_boxes_answer_from_that_range_and_refuse_a_bad_date(browser, tmp_path):
    """"Từ ngày" / "Đến ngày" over a small dated corpus (conftest's fake encoder): the answer comes
    from, and cites, the article of that range; an impossible date gets the Vietnamese message."""
    from conftest import FakeEncoder, fake_settings_for

    from ui.app import launch

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {"id": article_id, "published": day, "title": f"Giải đua thuyền sông Mây có {boats} thuyền",
         "body": f"Giải đua thuyền trên sông Mây năm nay có {boats} thuyền tham gia. Hàng nghìn người xem hai bên bờ."}
        for article_id, (day, boats) in RACES.items()
    ]
    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in records]
    (corpus / "dua-thuyen.jsonl").write_text("".join(lines), encoding="utf-8")
    # Never declining: the fake encoder's vectors are too crude for the answerability model.
    settings = fake_settings_for(tmp_path / "index", corpus, abstain_threshold=0.0)
    pipeline = Pipeline(settings, encoder=FakeEncoder())
    pipeline.prepare()
    app, url, _ = launch(pipeline, "127.0.0.1", free_port())
    page = browser.new_page(viewport={"width": 1100, "height": 1300})
    try:
        page.goto(url, wait_until="load")
        # Without a range, the answer quotes the 2023 and 2024 articles; the range asks for 2022.
        page.fill("#qa-since textarea, #qa-since input", "01/01/2022")
        page.fill("#qa-until textarea, #qa-until input", "31/12/2022")
        type_question(page, RACE_QUESTION)
        reply = wait_for_reply(page, 1)
        assert "12 thuyền" in reply.inner_text()
        assert "18 thuyền" not in reply.inner_text() and "25 thuyền" not in reply.inner_text()
        assert reply.locator('.qa-sources a[href^="article/dua-thuyen-2022"]').count() == 1
        assert reply.locator('a[href^="article/dua-thuyen-2023"], a[href^="article/dua-thuyen-2024"]').count() == 0

        page.fill("#qa-since textarea, #qa-since input", "31/02/2022")  # no such day
        type_question(page, RACE_QUESTION)
        refused = wait_for_reply(page, 2)
        assert messages.DATE_INVALID.format(value="31/02/2022") in refused.inner_text()
        assert refused.locator("a").count() == 0
        assert page.input_value("#qa-question textarea") == RACE_QUESTION  # kept, to ask again
    finally:
        page.close()
        app.close()


# --- the Articles tab (issue 14, item 1) ------------------------------------------------------------

# Two made-up pages (no real events) in the seeds' .txt format: title, then the body.
PAGE_A = (
    "Làng gốm Thanh Vĩ mở lò nung bằng điện mặt trời\n"
    "Làng gốm Thanh Vĩ vừa khánh thành lò nung gốm đầu tiên chạy bằng điện mặt trời.\n"
    "Theo hợp tác xã Thanh Vĩ, lò nung mới tiết kiệm 70 phần trăm chi phí củi.\n"
)
PAGE_B = (
    "Đảo Cồn Mây đón chuyến phà điện đầu tiên\n"
    "Chuyến phà chạy điện đầu tiên đã cập bến đảo Cồn Mây sau hai giờ vượt sông Lam Giang.\n"
    "Phà điện Cồn Mây chở được 120 hành khách và 20 xe máy mỗi chuyến.\n"
)
QUESTION_A = "Lò nung của làng gốm Thanh Vĩ chạy bằng gì?"


def test_without_the_setting_there_is_no_upload_control(page):
    page.get_by_role("tab", name=messages.TAB_ARTICLES).click()
    page.locator("#qa-articles").get_by_text(messages.IN_APP_HINT).first.wait_for()
    assert page.locator("#qa-articles-files").count() == 0
    assert page.get_by_role("button", name=messages.ARTICLES_ADD_BUTTON).count() == 0


def corpus_line_says(page, count: int) -> None:
    """Wait until the chat tab's corpus line gives this number of articles."""
    page.wait_for_function(
        """(wanted) => (document.querySelector('#qa-corpus')?.innerText || '').includes(wanted)""",
        arg=messages.CORPUS_WITHOUT_DATES.format(count=count).replace("**", "").rstrip("."),
        timeout=ANSWER_TIMEOUT_MS,
    )


def chooser_options(page) -> list[str]:
    """The labels the article chooser offers (opened, read, closed)."""
    page.locator("#qa-articles-chosen input").click()
    options = page.locator("[data-testid=dropdown-option]")
    options.first.wait_for()
    labels = [option.get_attribute("aria-label") or "" for option in options.all()]
    page.keyboard.press("Escape")
    return labels


def test_upload_two_pages_ask_about_one_then_remove_it(browser, tmp_path, monkeypatch):
    """Uploads on (QA_UPLOADS), a copy of the seed pages and conftest's fake encoder (the session's
    seed index is left alone): two pages uploaded at once are answered from without a restart, and
    Gradio's temporary copies of them are gone; the corpus line and the article chooser follow each
    change at once, without a reload, and another page open meanwhile catches up when one of its
    tabs is opened; the page removed is no longer cited."""
    from conftest import SEEDS, FakeEncoder, fake_settings_for

    from ui.app import launch

    gradio_temp = tmp_path / "gradio"  # Gradio's upload folder for this server (read at launch)
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(gradio_temp))

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus, uploads=True), encoder=FakeEncoder())
    pipeline.prepare()
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "lo-gom-thanh-vi.txt").write_text(PAGE_A, encoding="utf-8")
    (uploads / "pha-dien-con-may.txt").write_text(PAGE_B, encoding="utf-8")
    before = len(pipeline.articles)
    app, url, _ = launch(pipeline, "127.0.0.1", free_port())
    page = browser.new_page(viewport={"width": 1100, "height": 1300})
    other = browser.new_page(viewport={"width": 1100, "height": 1300})  # another user's page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(url, wait_until="load")
        other.goto(url, wait_until="load")
        corpus_line_says(page, before)
        corpus_line_says(other, before)
        page.get_by_role("tab", name=messages.TAB_ARTICLES).click()
        files = page.locator("#qa-articles-files")
        files.locator("input[type=file]").set_input_files(
            [uploads / "lo-gom-thanh-vi.txt", uploads / "pha-dien-con-may.txt"]
        )
        files.get_by_text("pha-dien-con-may").wait_for()  # the name and the suffix are shown apart
        page.get_by_role("button", name=messages.ARTICLES_ADD_BUTTON).click()
        status = page.locator("#qa-articles-status")
        status.get_by_text(messages.ARTICLES_UPDATED.split("{")[0]).wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert "Làng gốm Thanh Vĩ" in status.inner_text() and "Đảo Cồn Mây" in status.inner_text()
        table = page.locator("#qa-articles")
        table.get_by_text("Đảo Cồn Mây đón chuyến phà điện đầu tiên").wait_for()
        corpus_line_says(page, before + 2)
        assert "Đảo Cồn Mây đón chuyến phà điện đầu tiên (pha-dien-con-may)" in chooser_options(page)
        # The copies and their folders are gone. (Gradio's upload route itself leaves one empty
        # tmpXXXX file per upload in the folder, which nothing can tell from one being written.)
        left = list(gradio_temp.rglob("*"))
        assert gradio_temp.is_dir() and not [p for p in left if p.is_dir() or p.stat().st_size]
        other.get_by_role("tab", name=messages.TAB_ARTICLES).click()
        other.locator("#qa-articles").get_by_text("Đảo Cồn Mây đón chuyến phà điện đầu tiên").wait_for()
        corpus_line_says(other, before + 2)
        if os.environ.get("QA_SCREENSHOTS"):  # docs/articles_tab.png is taken this way
            page.screenshot(path=os.environ["QA_SCREENSHOTS"] + "/articles_tab.png", full_page=False)

        page.get_by_role("tab", name=messages.TAB_CHAT).click()
        type_question(page, QUESTION_A)
        reply = wait_for_reply(page, 1)
        assert reply.locator('.qa-sources a[href^="article/lo-gom-thanh-vi"]').count() == 1

        page.get_by_role("tab", name=messages.TAB_ARTICLES).click()
        page.fill("#qa-articles-search textarea, #qa-articles-search input", "lang gom thanh vi")
        table.get_by_text("Đảo Cồn Mây").first.wait_for(state="detached")  # filtered: one row left
        # The table re-renders as it filters (a loaded machine shows the rows in between): wait for
        # its first row to be the article searched for.
        first_cell = table.get_by_test_id("cell-0-0").filter(has_text="Làng gốm Thanh Vĩ")
        first_cell.wait_for()
        first_cell.click()
        page.locator("#qa-articles-open a").get_by_text("Làng gốm Thanh Vĩ").wait_for()
        page.get_by_role("button", name=messages.ARTICLES_REMOVE_BUTTON, exact=True).click()
        page.get_by_role("button", name=messages.ARTICLES_REMOVE_YES).click()
        status.get_by_text(messages.ARTICLES_REMOVED.split("{")[0]).wait_for()
        status.get_by_text(messages.ARTICLES_UPDATED.split("{")[0]).wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert not (corpus / "lo-gom-thanh-vi.txt").exists()
        corpus_line_says(page, before + 1)
        other.get_by_role("tab", name=messages.TAB_CHAT).click()
        corpus_line_says(other, before + 1)
        assert page.input_value("#qa-articles-chosen input") == ""  # the removed article is no longer chosen
        page.fill("#qa-articles-search textarea, #qa-articles-search input", "")
        table.get_by_text("Đảo Cồn Mây").first.wait_for()
        offered = chooser_options(page)
        assert "Đảo Cồn Mây đón chuyến phà điện đầu tiên (pha-dien-con-may)" in offered
        assert not [label for label in offered if "lo-gom-thanh-vi" in label]

        page.get_by_role("tab", name=messages.TAB_CHAT).click()
        type_question(page, QUESTION_A)
        reply = wait_for_reply(page, 2)
        assert reply.locator('a[href^="article/lo-gom-thanh-vi"]').count() == 0
        assert not [text for text in console if "Content Security Policy" in text]
    finally:
        other.close()
        page.close()
        app.close()


def test_with_uploads_on_the_upload_route_is_open_and_capped(tmp_path):
    """QA_UPLOADS=yes opens Gradio's upload route for the Articles tab, capped by QA_MAX_FILE_BYTES."""
    from conftest import SEEDS, FakeEncoder, fake_settings_for

    from ui.app import launch

    settings = fake_settings_for(tmp_path / "index", SEEDS, uploads=True, max_file_bytes=2000)
    pipeline = Pipeline(settings, encoder=FakeEncoder())
    pipeline.prepare()
    app, url, _ = launch(pipeline, "127.0.0.1", free_port())
    try:
        small = httpx.post(f"{url}gradio_api/upload", files={"files": ("a.txt", "Tiêu đề\nNội dung.\n".encode())})
        assert small.status_code == 200
        big = httpx.post(f"{url}gradio_api/upload", files={"files": ("b.txt", b"x" * 5000)})
        assert big.status_code >= 400 and "b.txt" not in big.text
    finally:
        app.close()
