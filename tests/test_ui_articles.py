"""The Articles tab's handlers (ui/articles.py) without a browser, on conftest's fake encoder over a
copy of the seed pages: the list is newest first and searchable without accents; an upload reports
what was kept and why a file was refused, and only the new passages are embedded while the old index
keeps answering; a removed article leaves the list and the answers. Made-up articles only."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from conftest import SEEDS, FakeEncoder, fake_settings_for

from qa import messages
from qa.api import Pipeline
from ui.articles import Archive, newest_first

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
    rows = archive.rows()
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
    found = archive.rows(plain)
    assert article.id in [row[-1] for row in found]
    assert all(plain.lower().replace("đ", "d") in strip_diacritics(r[0]).lower().replace("đ", "d") for r in found)
    assert archive.rows("không có tiêu đề nào như thế 12345") == []
    rows, line = archive.table("")
    assert line == messages.ARTICLES_COUNT.format(shown=len(rows), total=len(rows))


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
    assert "lo-gom-thanh-vi" not in [row[-1] for row in archive.rows()]
    assert not (archive.pipeline.settings.corpus.dir / "lo-gom-thanh-vi.txt").exists()
    answer = archive.pipeline.ask(QUESTION)
    assert "lo-gom-thanh-vi" not in {c.article_id for c in answer.citations}
    assert last(archive.remove("no-such-id")) == f"<div>{messages.ARTICLES_REMOVE_NONE}</div>"


def test_questions_are_answered_from_the_old_index_during_an_update(tmp_path):
    """A slow build holds the pipeline's lock; a question asked meanwhile is answered at once."""
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
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=encoder)
    pipeline.prepare()
    (corpus / "lo-gom-thanh-vi.txt").write_text(PAGE, encoding="utf-8")
    encoder.gate = True
    updates = Archive(pipeline)._updated(["x"])
    next(updates)
    assert started.wait(30)
    answered = pipeline.ask("Bình Phước và Champasak hợp tác trong những lĩnh vực nào?")  # old index
    assert answered.text and "lo-gom-thanh-vi" not in {a.id for a in pipeline.articles}
    release.set()
    last(updates)
    assert "lo-gom-thanh-vi" in {a.id for a in pipeline.articles}


def test_uploads_are_off_by_default():
    assert fake_settings_for(Path("/tmp/unused")).serving.uploads is False
