"""The Articles tab's handlers (ui/articles.py) without a browser, on conftest's fake encoder over a
copy of the seed pages: the list is newest first and searchable without accents; an upload reports
what was kept and why a file was refused, and only the new passages are embedded while the old index
keeps answering; a removed article leaves the list and the answers. Made-up articles only."""
from __future__ import annotations

import html
import json
import logging
import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import SEEDS, FakeEncoder, fake_settings_for

from qa import messages
from qa.api import Pipeline
from qa.corpus import LoadProblem, ProblemKind
from ui.articles import LISTED, Archive, newest_first

PAGE = (  # a scraped page in the seeds' .txt format: title, then the body (made up)
    "Làng gốm Thanh Vĩ mở lò nung bằng điện mặt trời\n"
    "Làng gốm Thanh Vĩ vừa khánh thành lò nung gốm đầu tiên chạy bằng điện mặt trời.\n"
    "Theo hợp tác xã Thanh Vĩ, lò nung mới tiết kiệm 70 phần trăm chi phí củi.\n"
)
QUESTION = "Lò nung của làng gốm Thanh Vĩ chạy bằng gì?"


@pytest.fixture
def archive(tmp_path) -> Archive:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus, uploads=True), encoder=FakeEncoder())
    pipeline.prepare()
    return Archive(pipeline)


def last(updates) -> str:
    *_, final = list(updates)
    return final


def test_the_list_is_newest_first_with_dates_sources_and_passages(archive):
    rows = archive.listing().rows
    assert len(rows) == len(archive.pipeline.articles)
    ordered = newest_first(archive.pipeline.articles)
    assert [row[-1] for row in rows] == [a.id for a in ordered]
    dated = [a.published for a in ordered if a.published]
    assert dated == sorted(dated, reverse=True)
    title, day, source, passages, article_id = rows[0]
    article = archive.pipeline.article(article_id)
    assert title == article.title and day == article.published.strftime("%d/%m/%Y")
    assert source in (article.url, messages.IN_APP_HINT) and passages >= 1


def test_search_ignores_accents_and_case(archive):
    article = archive.pipeline.articles[0]
    word = max(article.title.split(), key=len)
    from qa.text import strip_diacritics

    plain = strip_diacritics(word).upper()
    found = archive.listing(plain).rows
    assert article.id in [row[-1] for row in found]
    assert all(plain.lower().replace("đ", "d") in strip_diacritics(r[0]).lower().replace("đ", "d") for r in found)
    assert archive.listing("không có tiêu đề nào như thế 12345").rows == []
    listing = archive.listing("")
    assert listing.count == messages.ARTICLES_COUNT.format(shown=len(listing.rows), total=len(listing.rows))


def test_the_selected_article_opens_in_the_in_app_view_escaped(archive):
    article = archive.pipeline.articles[0]
    opened = archive.opened(article.id)
    assert 'href="article/' in opened and 'target="_blank"' in opened
    assert archive.opened("<script>") == "" and archive.opened(None) == ""


def test_upload_adds_only_new_passages_reports_refusals_and_keeps_answering(archive, tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "lo-gom-thanh-vi.txt").write_text(PAGE, encoding="utf-8")
    (upload / "trong.txt").write_text("", encoding="utf-8")
    (upload / "anh.png").write_bytes(b"\x89PNG")
    pipeline = archive.pipeline
    encoder = pipeline.encoder
    before_ids = {a.id for a in pipeline.articles}
    encoder.passages.clear()

    updates = archive.add([upload / "lo-gom-thanh-vi.txt", upload / "trong.txt", upload / "anh.png"])
    first = next(updates)  # the report is shown before the update ends
    assert "lo-gom-thanh-vi.txt" in first and "Làng gốm Thanh Vĩ" in first
    assert "trong.txt" in first and "anh.png" in first
    final = [first, *updates][-1]
    assert messages.ARTICLES_UPDATED.split("{")[0] in final
    assert {a.id for a in pipeline.articles} == before_ids | {"lo-gom-thanh-vi"}
    assert pipeline.wait_embedded(30)  # the new passages are embedded in the background
    assert encoder.passages and all("Thanh Vĩ" in text for text in encoder.passages)
    answer = pipeline.ask(QUESTION)
    assert "lo-gom-thanh-vi" in {c.article_id for c in answer.citations}


def test_the_update_reports_its_end_and_the_html_is_escaped(archive, tmp_path):
    page = tmp_path / "evil.txt"
    page.write_text("<img src=x onerror=alert(1)> Hội chợ hoa Đào Sơn\n" + PAGE.split("\n", 1)[1], encoding="utf-8")
    final = last(archive.add([page]))
    assert "<img" not in final and "&lt;img" in final
    assert messages.ARTICLES_UPDATED.split("{")[0] in final


def test_remove_takes_the_article_out_of_the_list_and_the_answers(archive, tmp_path):
    page = tmp_path / "lo-gom-thanh-vi.txt"
    page.write_text(PAGE, encoding="utf-8")
    last(archive.add([page]))
    assert archive.confirm_text("lo-gom-thanh-vi").startswith("Xóa bài")
    final = last(archive.remove("lo-gom-thanh-vi"))
    assert "Làng gốm Thanh Vĩ" in final
    assert "lo-gom-thanh-vi" not in [row[-1] for row in archive.listing().rows]
    assert not (archive.pipeline.settings.corpus.dir / "lo-gom-thanh-vi.txt").exists()
    answer = archive.pipeline.ask(QUESTION)
    assert "lo-gom-thanh-vi" not in {c.article_id for c in answer.citations}
    assert last(archive.remove("no-such-id")) == f"<div>{messages.ARTICLES_REMOVE_NONE}</div>"


def test_questions_are_answered_during_an_update(tmp_path):
    """A slow build holds the pipeline's lock; a question asked meanwhile is answered at once, from
    the new articles' first stage (BM25) once it is in (QA_BACKGROUND_EMBEDDING off: the tab's
    handler waits for the vectors; on: tests/test_two_stages.py)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    started, release = threading.Event(), threading.Event()
    asking = threading.current_thread()

    class SlowEncoder(FakeEncoder):
        def encode_passages(self, texts):
            # Only the build waits: the question embeds its passages' sentences on its own thread.
            if self.gate and threading.current_thread() is not asking:
                started.set()
                assert release.wait(30)
            return super().encode_passages(texts)

    encoder = SlowEncoder()
    encoder.gate = False
    settings = fake_settings_for(tmp_path / "index", corpus, background_embedding=False)
    pipeline = Pipeline(settings, encoder=encoder)
    pipeline.prepare()
    (corpus / "lo-gom-thanh-vi.txt").write_text(PAGE, encoding="utf-8")
    encoder.gate = True
    updates = Archive(pipeline)._updated(["x"])
    next(updates)
    assert started.wait(30)
    answered = pipeline.ask("Bình Phước và Champasak hợp tác trong những lĩnh vực nào?")
    assert answered.text and "lo-gom-thanh-vi" in {a.id for a in pipeline.articles}
    assert pipeline.embedding is not None and pipeline.embedding.pending == 1  # its one passage
    release.set()
    assert messages.ARTICLES_UPDATED.split("{")[0] in last(updates)
    assert pipeline.embedding is None and len(pipeline.index.store) == len(pipeline.index.chunks)


def test_uploads_are_off_by_default():
    assert fake_settings_for(Path("/tmp/unused")).serving.uploads is False


# --- refusals in Vietnamese (the English reasons stay in the logs) ------------------------------------


def test_every_kind_of_problem_the_corpus_layer_reports_has_one_vietnamese_phrase():
    assert set(messages.CORPUS_PROBLEMS) == {kind.value for kind in ProblemKind}
    phrases = list(messages.CORPUS_PROBLEMS.values())
    assert all(phrases) and len(set(phrases)) == len(phrases)
    for kind in ProblemKind:
        assert LoadProblem(Path("a.txt"), "English reason", kind).vi == messages.CORPUS_PROBLEMS[kind]
    at_line = LoadProblem(Path("a.jsonl"), "line 3: x", ProblemKind.BAD_URL, 3)
    assert at_line.vi == messages.CORPUS_PROBLEM_AT_LINE.format(line=3, reason=messages.CORPUS_PROBLEMS["bad_url"])


def test_refusals_and_skipped_records_are_shown_in_vietnamese_and_logged_in_english(archive, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="ui.articles")
    upload = tmp_path / "upload"
    upload.mkdir()
    good = {"id": "lo-gom-ghi", "title": "Lò gốm mới", "body": PAGE}
    missing = {"id": "x", "title": "Thiếu nội dung"}
    records = [json.dumps(good, ensure_ascii=False), "{không phải json", json.dumps(missing, ensure_ascii=False)]
    (upload / "ban-ghi.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (upload / "trong.txt").write_text("", encoding="utf-8")
    (upload / "nhi-phan.txt").write_bytes(b"\x00\x01\x02")
    (upload / "anh.png").write_bytes(b"\x89PNG")
    files = [upload / name for name in ("ban-ghi.jsonl", "trong.txt", "nhi-phan.txt", "anh.png")]

    report = last(archive.add(files))

    expected = [
        messages.CORPUS_PROBLEM_AT_LINE.format(line=2, reason=messages.CORPUS_PROBLEMS["invalid_json"]),
        messages.CORPUS_PROBLEM_AT_LINE.format(line=3, reason=messages.CORPUS_PROBLEMS["missing_fields"]),
        messages.ARTICLES_FILE_REFUSED.format(name="trong.txt", reason=messages.CORPUS_PROBLEMS["no_article"]),
        messages.CORPUS_PROBLEMS["empty"],
        messages.ARTICLES_FILE_REFUSED.format(name="nhi-phan.txt", reason=messages.CORPUS_PROBLEMS["no_article"]),
        messages.CORPUS_PROBLEMS["binary"],
        messages.ARTICLES_FILE_REFUSED.format(name="anh.png", reason=messages.CORPUS_PROBLEMS["unsupported_type"]),
    ]
    for line in expected:
        assert html.escape(line) in report
    english_reasons = ("invalid JSON", "missing or empty", "no article could be read", "binary data", "unsupported")
    for english in english_reasons:
        assert english not in report
        assert any(english in record.getMessage() for record in caplog.records)


# --- Gradio's temporary copies of uploads --------------------------------------------------------------


def test_uploaded_copies_are_deleted_once_added_or_refused_and_nothing_else(archive, tmp_path):
    """Gradio keeps each upload as <its upload folder>/<hash>/<name>: the copies and their folders go
    once read, whether added or refused; a file outside that folder is the user's own and stays."""
    uploads = tmp_path / "gradio"
    archive.uploads = uploads
    kept = uploads / "aaa" / "lo-gom-thanh-vi.txt"
    refused = uploads / "bbb" / "trong.txt"
    shared = uploads / "ccc"  # a folder still holding another upload stays
    for path in (kept, refused, shared / "anh.png", shared / "khac.txt"):
        path.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(PAGE, encoding="utf-8")
    refused.write_text("", encoding="utf-8")
    (shared / "anh.png").write_bytes(b"\x89PNG")
    (shared / "khac.txt").write_text(PAGE, encoding="utf-8")
    own = tmp_path / "own.txt"
    own.write_text("", encoding="utf-8")

    final = last(archive.add([kept, refused, shared / "anh.png", own]))

    assert messages.ARTICLES_UPDATED.split("{")[0] in final
    assert "lo-gom-thanh-vi" in {a.id for a in archive.pipeline.articles}
    assert sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*")) == ["ccc", "ccc/khac.txt"]
    assert own.exists()

    only_refused = uploads / "ddd" / "trong.txt"
    only_refused.parent.mkdir()
    only_refused.write_text("", encoding="utf-8")
    assert "trong.txt" in last(archive.add([only_refused]))
    assert not only_refused.parent.exists()


# --- the list follows the search, capped ---------------------------------------------------------------


@pytest.fixture
def big_archive(tmp_path) -> Archive:
    """A made-up archive of more articles than the tab lists: 'Chợ phiên số n' on day n of 2024
    (every tenth also on a market of flowers), plus one undated article."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = []
    for n in range(1, LISTED + 41):
        flowers = " hoa" if n % 10 == 0 else ""
        day = date(2024, 1, 1) + timedelta(days=n)
        records.append({"id": f"cho-{n}", "title": f"Chợ phiên{flowers} số {n}", "published": day.isoformat(),
                        "body": f"Chợ phiên{flowers} số {n} họp từ sáng sớm với {n} gian hàng."})
    records.append({"id": "cho-khong-ngay", "title": "Chợ phiên không rõ ngày", "body": "Một chợ phiên nhỏ."})
    (corpus / "cho.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=FakeEncoder())
    pipeline.prepare()
    return Archive(pipeline)


def test_the_list_and_the_chooser_show_the_newest_matches_capped_and_say_how_many_more(big_archive):
    total = LISTED + 41
    everything = big_archive.listing("")
    ids = [row[-1] for row in everything.rows]
    assert ids == [f"cho-{n}" for n in range(LISTED + 40, 40, -1)]  # newest first, LISTED of them
    assert [article_id for _, article_id in everything.choices] == ids  # the chooser lists the same
    assert everything.count == " ".join([
        messages.ARTICLES_COUNT.format(shown=LISTED, total=total), messages.ARTICLES_MORE.format(more=total - LISTED)
    ])

    found = big_archive.listing("cho phien HOA")  # without accents, any case
    assert [row[-1] for row in found.rows] == [f"cho-{n}" for n in range(LISTED + 40, 0, -10)]
    assert [article_id for _, article_id in found.choices] == [row[-1] for row in found.rows]
    assert found.count == messages.ARTICLES_COUNT.format(shown=len(found.rows), total=total)  # nothing more

    undated = big_archive.listing("không rõ ngày")
    assert undated.choices == [("Chợ phiên không rõ ngày (cho-khong-ngay)", "cho-khong-ngay")]
