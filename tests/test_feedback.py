"""The feedback log (`qa.feedback.FeedbackLog`) and its export as a test set (`to_testset`,
`qa feedback export`). Questions, answers and articles here are made up; the chat's handlers are
tested in test_ui_chat.py and the whole loop in the browser in test_ui_browser.py."""
from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FAKE_ENCODER_NAME

from qa.cli import main
from qa.errors import FeedbackError
from qa.evaluation.testset import load_testset
from qa.feedback import (
    ANSWER,
    DOWN,
    KIND_CORRECTION,
    KIND_NOT_IN_ARTICLES,
    KIND_UNVERIFIED,
    KIND_UPVOTED,
    NOT_IN_ARTICLES,
    UP,
    CitedArticle,
    FeedbackLog,
    FeedbackRecord,
    correction_of,
    to_testset,
    write_testset,
)
from qa.types import Article

T0 = datetime(2031, 5, 4, 8, 0, tzinfo=UTC)

BRIDGE = Article(
    id="cau_song_xanh",
    title="Khánh thành cầu Sông Xanh",
    body="Cầu Sông Xanh nối hai xã Đông Hòa và Tây Hòa, dài 420 mét.\n\nCầu được khánh thành sáng 12/3/2031.",
    url="https://bao-mau.example/cau-song-xanh.html",
)
FESTIVAL = Article(
    id="le_hoi_hoa_mai",
    title="Lễ hội hoa mai Bến Mây",
    body="Lễ hội hoa mai thị trấn Bến Mây năm nay đón 18.000 lượt khách.\n\nCây cầu gỗ cũ dài 420 mét được sơn lại.",
)
SCHOOL = Article(id="truong_moi", title="Trường mới ở xã Đông Hòa", body="Trường có 12 phòng học, xây trong 9 tháng.")
ARTICLES = [BRIDGE, FESTIVAL, SCHOOL]

Q_LENGTH = "Cầu Sông Xanh dài bao nhiêu mét?"
Q_OPENED = "Cầu Sông Xanh khánh thành ngày nào?"
Q_COST = "Cầu Sông Xanh được xây với kinh phí bao nhiêu?"


def vote(question: str, vote: str = DOWN, minutes: int = 0, **fields) -> FeedbackRecord:
    """A record as the chat writes it: by default a 👎 on an answer citing the bridge article."""
    defaults = {
        "answer": "Cầu dài 300 mét [1].",
        "short_answer": "300 mét",
        "citations": (CitedArticle(BRIDGE.id, BRIDGE.title, BRIDGE.url),),
        "confidence": 0.62,
    }
    return FeedbackRecord(time=T0 + timedelta(minutes=minutes), question=question, vote=vote, **{**defaults, **fields})


def corrected(question: str, text: str, minutes: int = 0, **fields) -> FeedbackRecord:
    return vote(question, minutes=minutes, correction=text, correction_kind=ANSWER, **fields)


# --- the log ----------------------------------------------------------------------------------------


def test_a_record_is_one_json_line_with_the_documented_fields_and_nothing_about_the_user(tmp_path):
    log = FeedbackLog(tmp_path / "home" / "feedback.jsonl")  # the folder is made when missing
    record = corrected(Q_LENGTH, "420 mét", history=("Cầu Sông Xanh ở đâu?",))
    log.append(record)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == {
        "time", "question", "history", "answer", "short_answer", "abstained", "citations", "confidence",
        "vote", "correction", "correction_kind",
    }
    assert data["time"] == "2031-05-04T08:00:00+00:00"
    assert data["citations"] == [{"article_id": BRIDGE.id, "title": BRIDGE.title, "url": BRIDGE.url}]
    assert Q_LENGTH in lines[0]  # Vietnamese kept readable, not \\u-escaped
    records, problems = log.read()
    assert records == [record] and problems == []


def test_the_time_is_written_in_utc(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.append(replace(vote(Q_LENGTH), time=datetime(2031, 5, 4, 15, 0, tzinfo=UTC).astimezone()))
    assert json.loads(log.path.read_text(encoding="utf-8"))["time"].endswith("+00:00")


def test_two_threads_appending_many_records_leave_only_whole_valid_lines(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    long_answer = "Câu trả lời rất dài. " * 400  # ~8 KB lines: a torn or interleaved write would show
    per_thread = 300

    def writer(name: str) -> None:
        for n in range(per_thread):
            log.append(vote(f"{name} hỏi lần {n}?", answer=long_answer))

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("An", "Bình")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records, problems = log.read()
    assert problems == []
    assert len(records) == 2 * per_thread
    expected = {f"{name} hỏi lần {n}?" for name in ("An", "Bình") for n in range(per_thread)}
    assert {r.question for r in records} == expected
    assert log.path.read_bytes().count(b"\n") == 2 * per_thread


def test_a_line_left_unfinished_spoils_only_itself(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.append(vote(Q_LENGTH))
    with open(log.path, "ab") as out:
        out.write(b'{"time": "2031-05-04T08:00:00+00:00", "question": "C\xc3\xa2u h')  # a crash mid-line
    log.append(vote(Q_OPENED))
    records, problems = log.read()
    assert [r.question for r in records] == [Q_LENGTH, Q_OPENED]
    assert len(problems) == 1 and ":2: not valid JSON" in problems[0]


def test_malformed_lines_are_reported_with_their_line_and_skipped(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.append(corrected(Q_LENGTH, "420 mét"))
    good = log.path.read_text(encoding="utf-8").strip()
    bad = [
        "not json at all",
        json.dumps([1, 2]),
        json.dumps({**json.loads(good), "vote": "sideways"}),
        json.dumps({k: v for k, v in json.loads(good).items() if k != "question"}),
        json.dumps({**json.loads(good), "time": "yesterday"}),
        json.dumps({**json.loads(good), "correction": None}),  # kind "answer" without its text
        json.dumps({**json.loads(good), "citations": [{"title": "no id"}]}),
    ]
    with open(log.path, "ab") as out:
        out.write(("\n".join(bad) + "\n\n").encode("utf-8"))
        out.write(b"\xff\xfe not utf-8\n")
    log.append(corrected(Q_OPENED, "12/3/2031"))
    records, problems = log.read()
    assert [r.question for r in records] == [Q_LENGTH, Q_OPENED]
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["2", "3", "4", "5", "6", "7", "8", "10"]
    assert "'vote'" in problems[2] and "question" in problems[3] and "not UTF-8" in problems[-1]


def test_a_full_log_refuses_the_record_and_is_left_as_it_was(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_bytes=1000)
    log.append(vote(Q_LENGTH))
    before = log.path.read_bytes()
    with pytest.raises(FeedbackError, match="QA_FEEDBACK_MAX_BYTES=1000"):
        log.append(vote(Q_OPENED, answer="x" * 1000))
    assert log.path.read_bytes() == before


def test_an_unwritable_log_is_a_feedback_error(tmp_path):
    (tmp_path / "a file").write_text("", encoding="utf-8")
    with pytest.raises(FeedbackError, match="cannot open the feedback log"):
        FeedbackLog(tmp_path / "a file" / "feedback.jsonl").append(vote(Q_LENGTH))
    with pytest.raises(FeedbackError, match="no feedback log at"):
        FeedbackLog(tmp_path / "missing.jsonl").read()


def test_the_correction_from_the_form():
    assert correction_of("  420\n mét ", False, 500) == ("420 mét", ANSWER)
    assert correction_of("420 mét", True, 500) == (None, NOT_IN_ARTICLES)  # the box wins over the text
    assert correction_of("   ", False, 500) == (None, None)
    assert correction_of("x" * 800, False, 500) == ("x" * 500, ANSWER)


# --- the export -------------------------------------------------------------------------------------


def by_question(export) -> dict:
    return {r.question: r for r in export.records}


def test_a_correction_becomes_an_answerable_question_with_the_article_that_holds_it():
    export = to_testset([corrected(Q_LENGTH, "420 mét"), corrected(Q_OPENED, "12/3/2031", citations=())], ARTICLES)
    items = by_question(export)
    # "420 mét" is in two articles; the cited one is the gold article.
    assert items[Q_LENGTH].answers == ("420 mét",) and items[Q_LENGTH].articles == (BRIDGE.id,)
    # The answer cited nothing: every article holding the correction is gold.
    assert items[Q_OPENED].articles == (BRIDGE.id,)
    assert {r.kind for r in export.records} == {KIND_CORRECTION}


def test_a_correction_found_in_an_article_the_answer_did_not_cite():
    cited_school = (CitedArticle(SCHOOL.id, SCHOOL.title),)
    export = to_testset([corrected("Bến Mây đón bao nhiêu khách?", "18.000 lượt", citations=cited_school)], ARTICLES)
    assert export.records[0].articles == (FESTIVAL.id,) and export.records[0].kind == KIND_CORRECTION


def test_a_correction_no_article_holds_is_exported_unverified_with_the_cited_article_or_left_out():
    paraphrase = corrected(Q_LENGTH, "khoảng bốn trăm hai mươi mét")
    nothing_cited = corrected(Q_COST, "1.000 tỷ đồng", minutes=1, citations=(), abstained=True)
    export = to_testset([paraphrase, nothing_cited], ARTICLES)
    assert [(r.question, r.kind, r.articles) for r in export.records] == [(Q_LENGTH, KIND_UNVERIFIED, (BRIDGE.id,))]
    assert export.counts == {"👎 whose correction no article holds, on an answer citing none": 1}
    # Without the articles (no index), nothing can be checked: unverified too.
    assert to_testset([corrected(Q_LENGTH, "420 mét")], None).records[0].kind == KIND_UNVERIFIED


def test_not_in_the_articles_becomes_an_unanswerable_question():
    export = to_testset([vote(Q_COST, correction_kind=NOT_IN_ARTICLES)], ARTICLES)
    (item,) = export.records
    assert item.answers == () and item.articles == () and item.kind == KIND_NOT_IN_ARTICLES
    assert item.should_abstain


def test_a_bare_thumbs_down_and_thumbs_up_give_nothing_unless_asked():
    records = [vote(Q_LENGTH), vote(Q_OPENED, vote=UP)]
    export = to_testset(records, ARTICLES)
    assert export.records == []
    assert export.counts == {"👎 without a correction": 1, "👍 (add --include-upvoted to export them)": 1}


def test_upvoted_answers_with_include_upvoted():
    records = [
        vote(Q_LENGTH, vote=UP, short_answer="420 mét"),
        vote(Q_COST, vote=UP, abstained=True, short_answer=None, citations=(), answer="Không tìm thấy."),
        vote(Q_OPENED, vote=UP, short_answer=None),
    ]
    items = by_question(to_testset(records, ARTICLES, include_upvoted=True))
    assert items[Q_LENGTH].answers == ("420 mét",) and items[Q_LENGTH].articles == (BRIDGE.id,)
    assert items[Q_COST].should_abstain and items[Q_COST].articles == ()
    assert Q_OPENED not in items  # its whole text is no gold answer
    assert {r.kind for r in items.values()} == {KIND_UPVOTED}


def test_the_same_question_gives_one_test_question_the_latest_vote_winning():
    records = [
        corrected(Q_LENGTH, "420 mét", minutes=5),
        corrected("  cầu sông xanh DÀI bao nhiêu mét? ", "12/3/2031", minutes=1),  # older, though later in the log
        vote(Q_LENGTH, minutes=9),  # a bare 👎 later: gives no test question, so it replaces nothing
        vote(Q_OPENED, minutes=2, correction_kind=NOT_IN_ARTICLES),
        corrected(Q_OPENED, "12/3/2031", minutes=7),
    ]
    export = to_testset(records, ARTICLES)
    assert [(r.question, r.answers) for r in export.records] == [(Q_LENGTH, ("420 mét",)), (Q_OPENED, ("12/3/2031",))]
    assert export.counts["replaced by a later vote on the same question"] == 2
    assert len({r.id for r in export.records}) == 2


def test_a_follow_up_keeps_its_conversation_and_is_not_the_same_question_alone():
    follow_up = "Còn cầu gỗ thì dài bao nhiêu?"
    records = [
        corrected(follow_up, "420 mét", history=("Lễ hội hoa mai Bến Mây đón bao nhiêu khách?",), citations=()),
        corrected(follow_up, "420 mét", minutes=1, history=(Q_LENGTH,)),
    ]
    export = to_testset(records, ARTICLES)
    assert [r.history for r in export.records] == [("Lễ hội hoa mai Bến Mây đón bao nhiêu khách?",), (Q_LENGTH,)]
    assert export.records[0].articles == (BRIDGE.id, FESTIVAL.id)  # nothing cited: both articles hold it


def test_since_leaves_out_older_votes():
    records = [corrected(Q_LENGTH, "420 mét"), corrected(Q_OPENED, "12/3/2031", minutes=60)]
    export = to_testset(records, ARTICLES, since=T0 + timedelta(minutes=30))
    assert [r.question for r in export.records] == [Q_OPENED]
    assert export.counts == {"before --since": 1}


def test_the_written_test_set_loads_as_the_evaluation_reads_it(tmp_path):
    records = [corrected(Q_LENGTH, "420 mét"), vote(Q_COST, correction_kind=NOT_IN_ARTICLES)]
    export = to_testset(records, ARTICLES)
    path = tmp_path / "from_users.jsonl"
    write_testset(export.records, path)
    assert load_testset(path) == export.records
    assert [p.name for p in tmp_path.iterdir()] == ["from_users.jsonl"]  # no temporary file left
    with pytest.raises(FeedbackError, match="cannot write the test set"):
        write_testset(export.records, tmp_path / "no" / "such" / "folder.jsonl")


# --- `qa feedback export` ----------------------------------------------------------------------------


@pytest.fixture
def corpus_with_index(tmp_path, fake_encoder):
    """A made-up corpus and its index (fake encoder), so the export can check corrections."""
    from conftest import fake_settings_for

    from qa.api import Pipeline

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(corpus / "articles.jsonl", "w", encoding="utf-8") as out:
        for article in ARTICLES:
            out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
    settings = fake_settings_for(tmp_path / "index", corpus)
    Pipeline(settings, encoder=fake_encoder).prepare()
    return settings


def test_qa_feedback_export_writes_a_test_set_that_qa_eval_runs(qa_environment, corpus_with_index, tmp_path, capsys):
    from qa.feedback import FeedbackLog

    settings = corpus_with_index
    log = FeedbackLog.for_settings(settings)
    assert log.path.parent.parent == settings.index.dir  # <index dir>/<corpus key>/feedback.jsonl
    for record in [corrected(Q_LENGTH, "420 mét"), vote(Q_COST, correction_kind=NOT_IN_ARTICLES), vote(Q_OPENED)]:
        log.append(record)
    with open(log.path, "a", encoding="utf-8") as out:
        out.write("{broken\n")
    out_path = tmp_path / "from_users.jsonl"
    where = ["--corpus", str(settings.corpus.dir), "--index-dir", str(settings.index.dir)]

    assert main(["feedback", "export", "--testset", str(out_path), *where]) == 0

    printed = capsys.readouterr()
    assert f"2 test questions written to {out_path}" in printed.out
    assert f"1 {KIND_CORRECTION}" in printed.out and f"1 {KIND_NOT_IN_ARTICLES}" in printed.out
    assert "1 👎 without a correction" in printed.out
    assert f"{log.path}:4: not valid JSON" in printed.err
    records = load_testset(out_path)
    assert [(r.question, r.answers, r.articles) for r in records] == [
        (Q_LENGTH, ("420 mét",), (BRIDGE.id,)),
        (Q_COST, (), ()),
    ]
    capsys.readouterr()
    assert main(["eval", "--testset", str(out_path), *where, "--embed-model", FAKE_ENCODER_NAME]) == 0
    assert "2 questions" in capsys.readouterr().out


def test_qa_feedback_export_errors_are_one_line(qa_environment, tmp_path, capsys):
    missing = tmp_path / "nowhere.jsonl"
    assert main(["feedback", "export", "--testset", str(tmp_path / "out.jsonl"), "--log", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: no feedback log at {missing}") and err.count("\n") == 1

    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.append(vote(Q_COST, correction_kind=NOT_IN_ARTICLES))
    unwritable = tmp_path / "no-such-folder" / "out.jsonl"
    assert main(["feedback", "export", "--testset", str(unwritable), "--log", str(log.path),
                 "--index-dir", str(tmp_path / "no-index")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write the test set {unwritable}") and err.count("\n") == 1

    only_bare = FeedbackLog(tmp_path / "bare.jsonl")
    only_bare.append(vote(Q_LENGTH))
    assert main(["feedback", "export", "--testset", str(tmp_path / "o.jsonl"), "--log", str(only_bare.path)]) == 1
    assert capsys.readouterr().err.startswith("error: no test question in the feedback log (1 vote(s)")


def test_since_must_be_a_date(qa_environment, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["feedback", "export", "--testset", str(tmp_path / "o.jsonl"), "--since", "last week"])
    assert exited.value.code == 2
    assert "not an ISO 8601 date or time" in capsys.readouterr().err


def test_the_feedback_setting_is_a_switch(tmp_path):
    from qa.errors import SettingsError
    from qa.settings import Settings

    assert Settings.load(env={}).serving.feedback is True
    for off in ("0", "false", "OFF", "no"):
        assert Settings.load(env={"QA_FEEDBACK": off}).serving.feedback is False
    assert Settings.load(env={}, feedback="off").serving.feedback is False
    with pytest.raises(SettingsError, match="QA_FEEDBACK='maybe' is not a valid bool"):
        Settings.load(env={"QA_FEEDBACK": "maybe"})
    with pytest.raises(SettingsError):
        Settings.load(env={}, port=True)  # a bool is still no number


def test_feedback_log_path_is_in_the_corpus_index_folder(tmp_path):
    from qa.feedback import log_path
    from qa.index import folder_key
    from qa.settings import Settings

    settings = Settings.load(env={}, index_dir=tmp_path / "idx", corpus_dir=tmp_path / "news")
    assert log_path(settings) == tmp_path / "idx" / folder_key(tmp_path / "news") / "feedback.jsonl"
    assert isinstance(log_path(settings), Path)
