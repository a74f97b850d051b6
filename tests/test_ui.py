"""The chat's renderer, on hand-made Answer/Article records: escaping, link safety, abstentions,
citation numbering. No browser and no index (see test_ui_browser.py for the real thing)."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from qa import messages
from qa.types import Answer, Article, Citation, Passage
from ui import render

VN = timezone(timedelta(hours=7))
PUBLISHED = datetime(2025, 3, 12, 9, 30, tzinfo=VN)
URL = "https://www.thoidai.com.vn/bai-bao-1.html"
XSS = "<img src=x onerror=alert(1)>"


def citation(n: int, url: str | None = URL, quote: str = "Câu trích dẫn.", article_id: str = "002"):
    return Citation(n, article_id, title=f"Bài số {n}", url=url, published=PUBLISHED, quote=quote)


def passage(text: str, article_id: str = "002") -> Passage:
    return Passage("c1", article_id, "Bài số 1", URL, PUBLISHED, text, 1.0)


def answer(text: str, citations: list[Citation], passages: list[Passage] = ()) -> Answer:
    return Answer(question="Câu hỏi?", text=text, citations=citations, passages=list(passages))


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


# --- escaping -----------------------------------------------------------------------------------


def test_question_is_escaped_and_kept_on_one_html_block():
    html = render.question_html(f"{XSS}\n\n**đậm** [x](javascript:alert(1))")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "\n" not in html  # a blank line would end the HTML block and let markdown in
    assert html.count("<br>") == 2


@pytest.mark.parametrize("breaks", ["\r\r", "\r\n\r\n", "\x0b\x0b", "\x0c\x0c", "\u2028\u2028", "\x85\x85"])
def test_no_line_break_of_any_kind_lets_markdown_in(breaks):
    """Issue 12, item 12: a reply (from the language model, say) holding carriage returns or other
    line separators and then markdown: every separator must become <br>, none may reach the chat,
    where a markdown parser could end the HTML block there and render an image or a link."""
    evil = f"Câu trả lời [1].{breaks}![p](http://127.0.0.1:9/pixel.png){breaks}[Trang](https://evil.example/)"
    html = render.answer_html(answer(evil, [citation(1)], [passage(f"Đoạn{breaks}![p](http://x/p.png)")]))
    assert not any(len(line) for line in html.splitlines()[1:])  # one line: no separator inside
    assert html.count("<br>") == 6  # two separators in each of the two breaks, two in the passage
    assert "<img" not in html and "evil.example" not in "".join(hrefs(html))


def test_answer_text_title_quote_and_passage_are_escaped():
    evil = citation(1, quote=XSS)
    html = render.answer_html(answer(f"Trả lời {XSS} [1]", [evil], [passage(f"Trước {XSS} sau")]))
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 2  # answer text + passage
    assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in html


def test_attribute_values_cannot_break_out():
    html = render.answer_html(answer("A [1]", [citation(1, url='https://x.vn/"onmouseover="alert(1)')]))
    assert 'href="https://x.vn/&quot;onmouseover=&quot;alert(1)"' in html


def test_article_page_escapes_title_and_body():
    article = Article("a1", title=f"Tiêu đề {XSS}", body="Đoạn một.\n\n<script>alert(1)</script>")
    page = render.article_page(article)
    assert "<script>alert" not in page and "<img src" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<p>") >= 2  # paragraphs kept


def test_unknown_article_page_says_so():
    assert messages.ARTICLE_NOT_FOUND in render.article_page(None)


# --- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "//evil.example/x",
        "ftp://x.vn/a",
        "",
        None,
    ],
)
def test_non_http_urls_are_never_links(url):
    assert render.safe_url(url) is None
    html = render.answer_html(answer("Có [1]", [citation(1, url=url, article_id="001")]))
    assert {h.split("?")[0] for h in hrefs(html)} == {"article/001"}  # falls back to the in-app view
    assert messages.IN_APP_HINT in html


@pytest.mark.parametrize("url", ["http://x.vn/a", "https://x.vn/a?b=1#c", "HTTPS://X.VN/"])
def test_http_urls_are_links(url):
    assert render.safe_url(url) == url


def test_every_link_opens_in_a_new_tab_without_opener():
    html = render.answer_html(answer("A [1] B [2]", [citation(1), citation(2, url=None, article_id="001")]))
    anchors = re.findall(r"<a [^>]*>", html)
    assert len(anchors) == 5  # two markers, the confidence line's marker, two source titles
    assert all('target="_blank"' in a and 'rel="noopener noreferrer"' in a for a in anchors)


def test_in_app_link_quotes_the_article_id():
    assert render.article_path("a b/../c") == "article/a%20b%2F..%2Fc"


def test_in_app_link_carries_the_quote_and_the_page_marks_it_where_it_stands():
    """Issue 14, item 3: the cited quote is highlighted in the in-app view, which scrolls to it."""
    cited = citation(1, url=None, article_id="001", quote="Hai tỉnh ký thỏa thuận & hợp tác.")
    (href,) = set(hrefs(render.answer_html(answer("Có [1]", [cited]))))
    assert href.startswith("article/001?trich=Hai%20t") and href.endswith("#trich-dan")
    body = (
        "Mở đầu.\n\nSau đó, hai tỉnh ký thỏa thuận. Hai tỉnh ký thỏa thuận & hợp tác. Hết.\n\n"
        "Hai tỉnh ký thỏa thuận & hợp tác."
    )
    page = render.article_page(Article("001", "Tiêu đề", body), "Hai tỉnh ký thỏa thuận & hợp tác.")
    assert page.count("<mark") == 2 and page.count('id="trich-dan"') == 1
    assert '<mark id="trich-dan">Hai tỉnh ký thỏa thuận &amp; hợp tác.</mark>' in page
    assert "<mark" not in render.article_page(Article("001", "Tiêu đề", body), "Câu không có trong bài.")


# --- citations and abstentions ------------------------------------------------------------------


def test_markers_link_to_their_own_citation_and_sources_are_numbered_in_order():
    cits = [citation(2, url="https://x.vn/two"), citation(1, url="https://x.vn/one")]
    html = render.answer_html(answer("Một [1], hai [2], không có [7].", cits))
    text_part, sources = html.split('<div class="qa-sources">')
    text_part = text_part.split('<div class="qa-confidence')[0]
    assert hrefs(text_part) == ["https://x.vn/one", "https://x.vn/two"]
    assert "[7]" in text_part  # a marker without a citation stays text
    assert re.findall(r'<li value="(\d+)">\[(\d+)\]', sources) == [("1", "1"), ("2", "2")]
    assert hrefs(sources) == ["https://x.vn/one", "https://x.vn/two"]
    assert "Bài số 1" in sources and "12/03/2025" in sources


def test_short_answer_is_bold_in_the_lead_only():
    lead = answer("Năm 2019. Hai tỉnh ký năm 2019 [1].", [citation(1)])
    html = render.answer_html(replace(lead, short_answer="2019"))
    assert html.count("<strong>2019</strong>") == 1
    assert html.index("<strong>2019</strong>") < html.index("qa-marker")
    late = render.answer_html(replace(answer("Hai tỉnh ký [1] năm 2019.", [citation(1)]), short_answer="2019"))
    assert "<strong>2019" not in late  # not in the lead: left as it is


def test_a_sure_answer_says_so_and_an_unsure_one_looks_different_and_says_why():
    sure = render.answer_html(replace(answer("Năm 2019 [1].", [citation(1)]), confidence=0.7, sure=True))
    assert 'class="qa-answer"' in sure and "qa-sure" in sure
    assert messages.CONFIDENCE_SURE.format(n=1).split("[")[0] in sure
    unsure = render.answer_html(
        replace(answer("Năm 2019 [1].", [citation(1)]), confidence=0.5, sure=False, doubt="names_missing")
    )
    assert "qa-answer-unsure" in unsure and "qa-unsure" in unsure
    assert messages.CONFIDENCE_REASONS["names_missing"] in unsure
    odd = render.answer_html(replace(answer("Năm 2019 [1].", [citation(1)]), doubt="something new"))
    assert messages.CONFIDENCE_REASON_DEFAULT in odd


def test_every_kind_of_doubt_has_plain_words():
    from qa.reader import Evidence

    assert set(messages.CONFIDENCE_REASONS) == set(Evidence.names())


def test_abstention_shows_its_text_without_sources():
    declined = "Xin lỗi, tôi không tìm thấy thông tin này trong các bài báo."
    html = render.answer_html(Answer(question="?", text=declined, abstained=True))
    assert "không tìm thấy" in html
    assert "<a " not in html and messages.SOURCES_HEADING not in html and "<details" not in html


def test_passages_are_collapsed_and_quotes_highlighted():
    quote = "Hai bên ký thỏa thuận giai đoạn 2025-2028."
    cited = answer("Giai đoạn 2025-2028 [1].", [citation(1, quote=quote)], [passage(f"Mở đầu. {quote} Kết.")])
    html = render.answer_html(cited)
    assert '<details class="qa-passages">' in html and "<details open" not in html
    assert messages.PASSAGES_SUMMARY.format(count=1) in html
    assert f"<mark>{quote}</mark>" in html


def test_quote_joining_distant_sentences_highlights_each():
    html = render.highlighted_html("Một. Hai. Ba.", ["Một. … Ba."])
    assert html == "<mark>Một.</mark> Hai. <mark>Ba.</mark>"


def test_overlapping_quotes_give_one_mark():
    assert render.highlighted_html("abcdef", ["abcd", "cdef"]) == "<mark>abcdef</mark>"
    assert render.highlighted_html("ab", []) == "ab"


# --- dates and corpus line ----------------------------------------------------------------------


def test_dates_are_day_first():
    assert render.format_date(PUBLISHED) == "12/03/2025"
    assert render.format_date(None) == messages.UNKNOWN_DATE


def test_corpus_summary_gives_count_and_date_range():
    articles = [
        Article("a", "A", "x", published=PUBLISHED),
        Article("b", "B", "x", published=datetime(2022, 5, 26, tzinfo=VN)),
        Article("c", "C", "x"),
    ]
    line = render.corpus_summary(articles)
    assert "**3**" in line and "26/05/2022" in line and "12/03/2025" in line
    assert render.corpus_summary([Article("c", "C", "x")]) == messages.CORPUS_WITHOUT_DATES.format(count=1)


def test_corpus_summary_counts_what_was_skipped():
    """Issue 12, item 3: the chat says how many files or records of the folder were not read."""
    line = render.corpus_summary([Article("c", "C", "x")], skipped=2)
    assert line.endswith(messages.CORPUS_SKIPPED.format(count=2))
    assert messages.CORPUS_SKIPPED.format(count=0) not in render.corpus_summary([Article("c", "C", "x")])


# --- answers from the pipeline (conftest's fake encoder) ----------------------------------------


def test_pipeline_answer_renders_with_its_sources_and_passages(fake_pipeline):
    answer = fake_pipeline.ask("Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?")
    assert not answer.abstained and answer.citations

    html = render.answer_html(answer)

    text_part, sources = html.split('<div class="qa-sources">')
    expected = [render.safe_url(c.url) or render.article_path(c.article_id, c.quote) for c in answer.citations]
    assert hrefs(sources) == expected
    assert set(hrefs(text_part)) == set(expected)  # every marker links to its source
    assert messages.PASSAGES_SUMMARY.format(count=len(answer.passages)) in html
    assert html.count('<div class="qa-passage">') == len(answer.passages)
    assert "<mark>" in html  # the quoted sentences, highlighted where they were read


def test_pipeline_decline_renders_without_sources(fake_pipeline):
    declined = fake_pipeline.trace("Dân số của thủ đô Vientiane là bao nhiêu người?", passages=[]).answer
    html = render.answer_html(declined)
    assert messages.DECLINE in html
    assert "<a " not in html and messages.SOURCES_HEADING not in html and "<details" not in html
