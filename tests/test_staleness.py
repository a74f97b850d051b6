"""Whether the index is current, decided without re-reading the corpus when its files are unchanged
(issue 13): `qa.corpus.files_fingerprint` hashes the files `load_corpus` would read, each build
records the fingerprint its articles were loaded from (`loaded.json`), and `Pipeline.prepare()`
loads the index without loading the corpus when they match, restoring the problems met then. Any
change of bytes, files, `sources.json`, limit or loader code reads the corpus again; the articles
then decide whether to rebuild. On conftest's fake encoder, over a small made-up corpus."""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import FakeEncoder, fake_settings_for

import qa.corpus
from qa.api import Pipeline
from qa.corpus import files_fingerprint, load_corpus
from qa.corpus import loader as corpus_loader
from qa.errors import CorpusError
from qa.index import LOADED, _build_lock, folder_key

PAGE = """Trang chủ Đời sống
07:30 | 14/02/2024 GMT+7
Phường Tân Hòa mở lớp học bơi miễn phí cho trẻ em
Sáng 14/2, phường Tân Hòa khai giảng lớp học bơi miễn phí đầu tiên của năm cho 40 em nhỏ.
Lớp học kéo dài hai tuần, do các huấn luyện viên tình nguyện của câu lạc bộ bơi lội phụ trách.
"""
ARTICLES = [
    {"id": "cho-phien-01", "title": "Chợ phiên nông sản xã Phú Lâm đông khách",
     "body": "Chợ phiên cuối tuần của xã Phú Lâm thu hút hơn 2.000 lượt khách. Bà con bán hết rau sạch trước trưa."},
    {"id": "thu-vien-02", "title": "Thư viện thôn Đông Xá nhận 500 cuốn sách",
     "body": "Một nhóm sinh viên đã tặng thư viện thôn Đông Xá 500 cuốn sách thiếu nhi. " * 30},  # ~2,300 chars
]
LONG_ID = "thu-vien-02"


def make_corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "hoc_boi.txt").write_text(PAGE, encoding="utf-8")
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES] + ['{"id": "thieu-tieu-de"}']
    (folder / "tin.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "sai_ma.txt").write_bytes("Bản tin lưu sai bảng mã".encode()[:-2] + b"\xe0\xe1")
    sources = {"hoc_boi.txt": {"url": "https://tin-tuc.example/hoc-boi", "published": None}}
    (folder / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus(tmp_path / "tin-tuc")


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """The folders `qa.corpus.load_corpus` was called on (what `prepare()` calls to read the corpus)."""
    calls: list[Path] = []
    real = qa.corpus.load_corpus

    def counting(folder, *args, **kwargs):
        calls.append(Path(folder))
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(qa.corpus, "load_corpus", counting)
    return calls


def prepare(tmp_path, corpus, **overrides):
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus, **overrides), encoder=FakeEncoder())
    return pipeline, pipeline.prepare()


def problems(pipeline) -> list[tuple[str, str]]:
    return sorted((p.path.name, p.reason.split(" (")[0]) for p in pipeline.skipped)


# --- the up-to-date path --------------------------------------------------------------------------


def test_an_unchanged_corpus_is_not_read_again_and_its_problems_are_kept(tmp_path, corpus, loads, caplog):
    first, built = prepare(tmp_path, corpus)
    assert len(loads) == 1 and built.report
    skipped = [(p.path, p.reason) for p in first.skipped]
    assert {p.name for p, _ in skipped} == {"sai_ma.txt", "tin.jsonl"}  # not UTF-8; a record without a title

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="qa.api"):
        again, loaded = prepare(tmp_path, corpus)

    assert len(loads) == 1  # the index was loaded without reading the corpus
    assert loaded.folder == built.folder and loaded.report == {}
    assert [(p.path, p.reason) for p in again.skipped] == skipped  # as `qa serve` counts them
    shown = [r.getMessage() for r in caplog.records if r.name == "qa.api"]
    assert shown == [f"skipped {p}: {r}" for p, r in skipped]  # as `qa build` shows them
    assert again.ask("Phường Tân Hòa mở lớp học gì cho trẻ em?").passages


def test_file_times_alone_do_not_read_the_corpus_again(tmp_path, corpus, loads):
    _, built = prepare(tmp_path, corpus)
    for path in corpus.iterdir():
        os.utime(path, ns=(10**18, 10**18), follow_symlinks=False)  # a checkout or a copy: new times, same bytes

    _, loaded = prepare(tmp_path, corpus)

    assert len(loads) == 1 and loaded.folder == built.folder


def test_forced_build_reads_the_corpus(tmp_path, corpus, loads):
    _, built = prepare(tmp_path, corpus)
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=FakeEncoder())
    forced = pipeline.prepare(force=True)
    assert len(loads) == 2 and forced.folder != built.folder and len(pipeline.skipped) == 2


# --- what reads it again, and rebuilds when the articles changed -----------------------------------


def _edit_article_text(corpus: Path, settings: dict) -> None:
    page = corpus / "hoc_boi.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("40 em", "45 em"), encoding="utf-8")


def _add_a_file(corpus: Path, settings: dict) -> None:
    record = {"id": "cau-moi-03", "title": "Xã Bình An khánh thành cầu mới", "body": "Cây cầu dài 60 mét nối hai thôn."}
    (corpus / "them.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def _remove_a_file(corpus: Path, settings: dict) -> None:
    (corpus / "hoc_boi.txt").unlink()


def _edit_sources(corpus: Path, settings: dict) -> None:
    sources = {"hoc_boi.txt": {"url": "https://tin-tuc.example/hoc-boi-moi", "published": None}}
    (corpus / "sources.json").write_text(json.dumps(sources), encoding="utf-8")


def _lower_the_article_limit(corpus: Path, settings: dict) -> None:
    settings["max_article_chars"] = 1000  # below the length of LONG_ID: it is skipped now


def _fix_a_bad_file(corpus: Path, settings: dict) -> None:
    (corpus / "sai_ma.txt").write_text("Xã Bình An\nCầu mới\nCây cầu dài 60 mét nối hai thôn.\n", encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [_edit_article_text, _add_a_file, _remove_a_file, _edit_sources, _lower_the_article_limit, _fix_a_bad_file],
)
def test_a_change_to_what_is_loaded_reads_the_corpus_and_rebuilds(tmp_path, corpus, loads, caplog, change):
    settings: dict = {}
    _, built = prepare(tmp_path, corpus)
    change(corpus, settings)

    with caplog.at_level(logging.WARNING, logger="qa.index"):
        pipeline, rebuilt = prepare(tmp_path, corpus, **settings)

    assert len(loads) == 2 and rebuilt.folder != built.folder and "the corpus changed" in caplog.text
    fresh = load_corpus(corpus, pipeline.settings.corpus.max_article_chars)
    assert [a.to_dict() for a in rebuilt.articles] == [a.to_dict() for a in fresh.articles]
    assert problems(pipeline) == sorted((p.path.name, p.reason.split(" (")[0]) for p in fresh.problems)
    _, again = prepare(tmp_path, corpus, **settings)  # and the change is recorded: not read a third time
    assert len(loads) == 2 and again.folder == rebuilt.folder


def test_the_article_limit_drops_an_article_from_the_index(tmp_path, corpus, loads):
    """Regression: the index was kept when QA_MAX_ARTICLE_CHARS changed (files unchanged), so an
    article over the new limit was still answered from."""
    prepare(tmp_path, corpus)
    pipeline, index = prepare(tmp_path, corpus, max_article_chars=1000)
    assert LONG_ID not in {a.id for a in index.articles}
    assert any(LONG_ID in p.reason and "QA_MAX_ARTICLE_CHARS" in p.reason for p in pipeline.skipped)


def _white_space(corpus: Path, settings: dict) -> None:
    page = corpus / "hoc_boi.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("\n", "  \n\n"), encoding="utf-8")


def _raise_the_article_limit(corpus: Path, settings: dict) -> None:
    settings["max_article_chars"] = 200_000  # every article is far below either limit


def _add_a_broken_link(corpus: Path, settings: dict) -> None:
    (corpus / "da_xoa.txt").symlink_to(corpus / "khong_con.txt")


@pytest.mark.parametrize("change", [_white_space, _raise_the_article_limit, _add_a_broken_link])
def test_a_change_that_leaves_the_articles_reads_the_corpus_but_keeps_the_index(tmp_path, corpus, loads, change):
    settings: dict = {}
    _, built = prepare(tmp_path, corpus)
    change(corpus, settings)

    pipeline, loaded = prepare(tmp_path, corpus, **settings)

    assert len(loads) == 2 and loaded.folder == built.folder and loaded.report == {}  # read, not rebuilt
    fresh = load_corpus(corpus, pipeline.settings.corpus.max_article_chars)
    assert problems(pipeline) == sorted((p.path.name, p.reason.split(" (")[0]) for p in fresh.problems)
    again, reloaded = prepare(tmp_path, corpus, **settings)  # the new files are recorded with the build
    assert len(loads) == 2 and reloaded.folder == built.folder
    assert [(p.path, p.reason) for p in again.skipped] == [(p.path, p.reason) for p in pipeline.skipped]


def test_a_change_to_the_loader_code_reads_the_corpus_again(tmp_path, corpus, loads, monkeypatch):
    _, built = prepare(tmp_path, corpus)
    monkeypatch.setattr(corpus_loader, "_loader_code", lambda: b"a cleaning rule was edited")
    _, loaded = prepare(tmp_path, corpus)
    assert len(loads) == 2 and loaded.folder == built.folder  # read again; same articles, same index


@pytest.mark.parametrize("damage", ["missing", "not json", "not a record"])
def test_a_missing_or_damaged_record_only_reads_the_corpus_again(tmp_path, corpus, loads, damage):
    _, built = prepare(tmp_path, corpus)
    record = built.folder / LOADED
    if damage == "missing":
        record.unlink()
    else:
        record.write_text("{ nope" if damage == "not json" else '{"files_fingerprint": 1}', encoding="utf-8")

    pipeline, loaded = prepare(tmp_path, corpus)

    assert len(loads) == 2 and loaded.folder == built.folder and len(pipeline.skipped) == 2
    prepare(tmp_path, corpus)
    assert len(loads) == 2  # recorded again


def test_the_record_waits_for_a_build_under_way(tmp_path, corpus, loads):
    """The record of a current build is rewritten only under the build lock, never waiting for it:
    while another build holds it, the corpus is read and the index answered from, nothing written."""
    settings = fake_settings_for(tmp_path / "index", corpus)
    _, built = prepare(tmp_path, corpus)
    _white_space(corpus, {})
    before = (built.folder / LOADED).read_text(encoding="utf-8")
    home = settings.index.dir / folder_key(corpus)
    held, done = threading.Event(), threading.Event()

    def hold_the_lock():
        with _build_lock(home, "test"):
            held.set()
            done.wait(30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert held.wait(30)
        loaded = Pipeline(settings, encoder=FakeEncoder()).prepare()
        assert loaded.folder == built.folder and (built.folder / LOADED).read_text(encoding="utf-8") == before
    finally:
        done.set()
        holder.join(30)
    prepare(tmp_path, corpus)
    prepare(tmp_path, corpus)
    assert len(loads) == 3  # read while the lock was held, read and recorded after, then not read


# --- files_fingerprint ----------------------------------------------------------------------------


def test_files_fingerprint_is_of_the_bytes_not_the_copy(tmp_path, corpus):
    copy = shutil.copytree(corpus, tmp_path / "elsewhere" / "tin-tuc", symlinks=True)
    os.utime(copy / "tin.jsonl", ns=(1, 1))
    assert files_fingerprint(copy) == files_fingerprint(corpus)
    assert load_corpus(copy).fingerprint() == load_corpus(corpus).fingerprint()  # nor the articles'


def test_files_fingerprint_follows_the_loaders_rules(tmp_path, corpus):
    before = files_fingerprint(corpus)
    (corpus / "ghi_chu.md").write_text("không phải bài báo", encoding="utf-8")  # not an article file
    (corpus / ".an.txt").write_text("tệp ẩn", encoding="utf-8")  # hidden
    (corpus / "thu_muc.txt").mkdir()  # a folder
    assert files_fingerprint(corpus) == before
    assert files_fingerprint(corpus, 1000) != before  # the limit is part of it

    (corpus / "ban_sao.txt").symlink_to(corpus / "hoc_boi.txt")  # a link inside the folder: followed
    linked = files_fingerprint(corpus)
    assert linked != before
    page = corpus / "hoc_boi.txt"
    page.write_text(page.read_text(encoding="utf-8") + "Thêm một câu.\n", encoding="utf-8")
    assert files_fingerprint(corpus) != linked

    outside = tmp_path / "ngoai.txt"
    outside.write_text(PAGE, encoding="utf-8")
    (corpus / "ban_sao.txt").unlink()
    (corpus / "ban_sao.txt").symlink_to(outside)  # a link outside: refused, whatever the target holds
    refused = files_fingerprint(corpus)
    outside.write_text(PAGE + "Thêm.\n", encoding="utf-8")
    assert files_fingerprint(corpus) == refused


def test_files_fingerprint_of_a_missing_folder_is_the_loaders_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        files_fingerprint(tmp_path / "khong-co")


def test_articles_fingerprint_ignores_what_cleaning_removes(tmp_path, corpus):
    before = load_corpus(corpus).fingerprint()
    _white_space(corpus, {})
    assert load_corpus(corpus).fingerprint() == before
    assert load_corpus(corpus, 1000).fingerprint() != before  # an article fewer
    relative = Path(os.path.relpath(corpus))
    assert load_corpus(relative).fingerprint() == before  # the same folder, named another way
