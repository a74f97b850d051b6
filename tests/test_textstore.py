"""The build's texts on disk (`qa.textstore`): the same records as the articles and passages written,
bodies read only when asked for, and damage reported as `IndexCorrupt` naming the file."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from conftest import fake_settings_for
from made_up import inspection_articles

from qa.api import Pipeline
from qa.chunking import Chunker
from qa.errors import IndexCorrupt
from qa.index import CURRENT, Index
from qa.textstore import BODIES, BODY_OFFSETS, TextStore, write
from qa.types import Article

VIETNAM = timezone(timedelta(hours=7))


def made_up_articles() -> list[Article]:
    """Articles with every field set (one with a date), bodies long enough for several passages."""
    records = inspection_articles(4, 40)
    articles = [Article(id=r["id"], title=r["title"], body=r["body"]) for r in records]
    ending = "\n\nĐoạn cuối có chữ “ngoặc kép” — và gạch."
    articles[0] = Article(
        id=articles[0].id, title=articles[0].title, body=articles[0].body + ending,
        published=datetime(2024, 3, 9, 8, 30, tzinfo=VIETNAM), url="https://tin.example/doan-0",
        category="Xã hội", author="Phóng viên Lê Hà", source_path="/kho/tin.jsonl",
    )
    return articles


@pytest.fixture
def stored(tmp_path):
    articles = made_up_articles()
    chunks = Chunker(300, 50).split_all(articles)
    write(tmp_path, articles, chunks)
    store = TextStore(tmp_path)
    yield articles, chunks, store
    store.close()


def test_the_store_gives_back_the_records_it_was_given(stored):
    articles, chunks, store = stored
    assert len(chunks) > 2 * len(articles)  # several passages per article
    assert list(store.articles) == articles and list(store.chunks) == chunks
    assert store.articles[-1] == articles[-1] and store.chunks[1:3] == chunks[1:3]
    assert dict(store.article_by_id) == {a.id: a for a in articles} and "nowhere" not in store.article_by_id
    assert store.row_of_chunk == {c.id: row for row, c in enumerate(chunks)}
    assert store.published() == [a.published for a in articles]
    assert store.passage_counts() == {a.id: sum(c.article_id == a.id for c in chunks) for a in articles}
    assert all(store.passage_body(row) == store.article_by_id[c.article_id].body for row, c in enumerate(chunks))
    with pytest.raises(IndexError):
        store.chunks[len(chunks)]


def test_no_body_is_read_when_the_store_opens(stored, monkeypatch):
    *_, store = stored
    reads = []
    monkeypatch.setattr(TextStore, "body", lambda self, row: reads.append(row) or "")
    reopened = TextStore(store.folder)
    reopened.published(), reopened.passage_counts(), len(reopened.chunks)
    assert reads == []
    reopened.chunks[0]
    assert reads == [0]
    reopened.close()


def _flip(path, at):
    with open(path, "r+b") as fh:
        fh.seek(at)
        byte = fh.read(1)
        fh.seek(at)
        fh.write(bytes([byte[0] ^ 0x20]))


def test_a_body_damaged_after_loading_is_an_error_naming_the_file(stored):
    articles, _, store = stored
    start, end, _ = (int(v) for v in np.load(store.folder / BODY_OFFSETS)[2])
    _flip(store.folder / BODIES, (start + end) // 2)
    assert store.articles[1] == articles[1]  # the others are intact
    with pytest.raises(IndexCorrupt, match=rf"{BODIES} is altered .*'{articles[2].id}'.*qa build --force"):
        store.article_by_id[articles[2].id]
    with open(store.folder / BODIES, "r+b") as fh:
        fh.truncate(start)
    with pytest.raises(IndexCorrupt, match=rf"{BODIES} is truncated"):
        store.articles[3]


def test_offsets_that_do_not_fit_the_bodies_refuse_to_open(stored):
    *_, store = stored
    (store.folder / BODIES).write_bytes(b"")
    with pytest.raises(ValueError, match="points outside"):
        TextStore(store.folder)


def test_a_damaged_bodies_file_stops_the_load_with_the_fix(tmp_path, fake_encoder):
    """Through the index: the load's checksum catches the body damaged at rest; nothing is answered
    from it."""
    index = Pipeline(fake_settings_for(tmp_path), encoder=fake_encoder).prepare()
    _flip(index.folder / BODIES, 10)
    with pytest.raises(IndexCorrupt, match=rf"{BODIES} is altered \(checksum mismatch\).*qa build --force"):
        Index.load(index.folder)
    home = index.folder.parent
    assert (home / CURRENT).read_text().strip() == index.folder.name


def test_headers_are_the_articles_without_bodies_and_read_none(stored):
    """The Articles tab and the corpus line list a large archive from the headers alone."""
    articles, _, store = stored
    store.close()  # any read of a body would now fail
    headers = store.headers()
    assert [h.body for h in headers] == [""] * len(articles)
    fields = [(a.id, a.title, a.published, a.url) for a in articles]
    assert [(h.id, h.title, h.published, h.url) for h in headers] == fields
