"""Searchable before it is embedded (issue 13, item 4): a build's first stage (chunks, BM25, the
vectors the embedding cache holds) is switched in at once, and its second embeds the passages the
cache lacks and switches in the complete build — in the foreground (`qa build`, `qa ask`, `qa eval`)
or in a background thread (the chat), with progress on the corpus line.

Conftest's fake encoder, gated where a test needs to see the in-between state: the background step's
thread (`qa-embedding`) waits at the gate, while questions (which embed their passages' sentences on
their own thread) pass. Made-up articles only."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import FAKE_ENCODER_NAME, FakeEncoder, fake_settings_for
from made_up import inspection_corpus

from embeddings.store import VectorStore
from qa import messages
from qa.api import Pipeline
from qa.cli import main
from ui.startup import Startup

NEW_ID = "xuong-say-xoai"
NEW_PAGE = (  # a scraped page in the .txt format: title, then the body (made up)
    "Hợp tác xã Hòa Lợi mở xưởng sấy xoài bằng năng lượng gió\n"
    "Hợp tác xã Hòa Lợi vừa khánh thành xưởng sấy xoài chạy bằng năng lượng gió.\n"
    "Mỗi mẻ sấy của xưởng Hòa Lợi cho ra 400 ki-lô-gam xoài sấy dẻo.\n"
)
NEW_QUESTION = "Xưởng sấy xoài của hợp tác xã Hòa Lợi chạy bằng năng lượng gì?"
OTHER_ID = "cau-treo-ban-lang"
OTHER_PAGE = (
    "Bản Lằng có cầu treo mới bắc qua suối Nậm Pồ\n"
    "Người dân bản Lằng đã đi lại trên cây cầu treo dài 80 mét bắc qua suối Nậm Pồ.\n"
)


class GatedEncoder(FakeEncoder):
    """The fake encoder; while `gate` is closed, the background embedding thread waits at it."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = threading.Event()
        self.fail: Exception | None = None

    def encode_passages(self, texts):
        if threading.current_thread().name == "qa-embedding":
            self.waiting.set()
            assert self.gate.wait(30)
            if self.fail is not None:
                raise self.fail
        return super().encode_passages(texts)


@pytest.fixture
def corpus(tmp_path) -> Path:
    return inspection_corpus(tmp_path / "corpus", 30, 4)


@pytest.fixture
def pipeline(tmp_path, corpus) -> Pipeline:
    """A complete index of the made-up corpus, then a new page in its folder, not indexed yet."""
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=GatedEncoder())
    pipeline.prepare()
    (corpus / f"{NEW_ID}.txt").write_text(NEW_PAGE, encoding="utf-8")
    return pipeline


def new_rows(pipeline: Pipeline, article_id: str = NEW_ID) -> list[int]:
    index = pipeline.index
    return [row for row, chunk in enumerate(index.chunks) if chunk.article_id == article_id]


def dense_rows(pipeline: Pipeline, question: str) -> list[int]:
    """Every row dense search returns for the question, best first."""
    index = pipeline.index
    _, rows = index.store.dense.search(pipeline.encode_query(question)[None, :], len(index.chunks))
    return rows[0].tolist()


def test_new_articles_are_answered_by_bm25_before_their_vectors_and_join_dense_search_after(pipeline):
    """Before: prepare() returned only once every new passage was embedded."""
    encoder = pipeline.encoder
    encoder.gate.clear()
    stage1 = pipeline.prepare(background=True)
    assert encoder.waiting.wait(30)  # the background step is embedding (held at the gate)

    rows = new_rows(pipeline)
    assert stage1.dense_pending == len(rows) == 1 and stage1.manifest["dense_pending"] == 1
    assert len(stage1.store) == len(stage1.chunks) - 1
    assert pipeline.index.folder == stage1.folder
    assert not set(rows) & set(dense_rows(pipeline, NEW_QUESTION))  # not in dense search yet
    embedding = pipeline.embedding
    assert embedding is not None and embedding.pending == 1 and not embedding.failed
    passages = pipeline.retrieve(NEW_QUESTION)
    # By its words, its BM25 share standing for both rankings': with BM25's alone (half the fused
    # score) an old passage that shares a few words and is dense search's first came first.
    assert passages[0].article_id == NEW_ID and passages[0].score == 1.0
    answer = pipeline.ask(NEW_QUESTION)
    assert NEW_ID in {c.article_id for c in answer.citations}
    read = pipeline.trace(NEW_QUESTION).passages

    encoder.gate.set()
    assert pipeline.wait_embedded(30) and pipeline.embedding is None
    complete = pipeline.index
    assert complete.folder != stage1.folder and complete.dense_pending == 0
    assert len(complete.store) == len(complete.chunks) and complete.manifest["dense_pending"] == 0
    assert dense_rows(pipeline, NEW_QUESTION)[0] == new_rows(pipeline)[0]  # dense search finds it now
    assert pipeline.retrieve(NEW_QUESTION)[0].article_id == NEW_ID
    embedded = len(encoder.passages)
    pipeline.sentences_of(read)  # the passages read before the switch: their sentences are in memory
    assert len(encoder.passages) == embedded and complete.passages_of == str(stage1.folder)
    # The complete build is what the next process loads, with nothing left to embed.
    reloaded = Pipeline(pipeline.settings, encoder=FakeEncoder())
    assert reloaded.prepare().folder == complete.folder and reloaded.encoder.passages == []


def test_the_chat_corpus_line_shows_the_pending_passages_until_they_are_embedded(pipeline):
    startup = Startup.ready_for(pipeline)
    assert not startup.busy and messages.EMBEDDING_PENDING.split("{")[0] not in startup.status()
    pipeline.encoder.gate.clear()
    pipeline.prepare(background=True)
    assert pipeline.encoder.waiting.wait(30)
    assert startup.busy  # the page's timer keeps refreshing the line
    assert messages.EMBEDDING_PENDING.format(pending=1, percent=0) in startup.status()
    pipeline.encoder.gate.set()
    assert pipeline.wait_embedded(30)
    assert not startup.busy and "vector" not in startup.status()


def test_a_failed_background_step_leaves_bm25_answering_logs_one_line_and_is_retried(pipeline, caplog):
    encoder = pipeline.encoder
    encoder.fail = RuntimeError("the encoder ran out of memory")
    with caplog.at_level(logging.ERROR, logger="qa.api"):
        pipeline.prepare(background=True)
        pipeline.wait_embedded(30)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "\n" not in errors[0].getMessage() and errors[0].exc_info is None
    assert "ran out of memory" in errors[0].getMessage()
    embedding = pipeline.embedding
    assert embedding is not None and embedding.failed
    assert messages.EMBEDDING_FAILED.format(pending=1) in Startup.ready_for(pipeline).status()
    assert NEW_ID in {c.article_id for c in pipeline.ask(NEW_QUESTION).citations}  # BM25 still finds it
    encoder.fail = None
    pipeline.prepare(background=True)  # the next prepare tries again
    assert pipeline.wait_embedded(30) and pipeline.index.dense_pending == 0


def test_a_stage_2_stopped_midway_resumes_from_the_embeddings_it_saved(tmp_path):
    """An exception in the encoder (as SIGTERM raises in `qa`; SIGKILL: tests/test_build_resume.py)
    after some checkpoints: the lexical build stays in service, and the next prepare embeds the rest."""
    corpus = inspection_corpus(tmp_path / "corpus", 60, 4)
    settings = fake_settings_for(tmp_path / "index", corpus, checkpoint_texts=16)

    class Stopping(FakeEncoder):
        def encode_passages(self, texts):
            if len(self.passages) >= 32:
                raise KeyboardInterrupt
            return super().encode_passages(texts)

    with pytest.raises(KeyboardInterrupt):
        Pipeline(settings, encoder=Stopping()).prepare()
    stage1 = Pipeline(settings, encoder=FakeEncoder())
    assert stage1.index.dense_pending == 60 and stage1.retrieve("Đoàn kiểm tra số 7 đến đâu?")[0].article_id == "doan-7"
    resumed = FakeEncoder()
    complete = Pipeline(settings, encoder=resumed).prepare()
    assert complete.dense_pending == 0 and len(resumed.passages) == 60 - 32
    assert complete.report["embedded"] == 28 and complete.report["cache_hits"] == 32


def test_a_newer_stage_1_switched_in_while_embedding_is_completed_too(pipeline, corpus):
    """Another process adds an article while this one embeds: its stage 1 is not held up by the
    embedding, and the embedding step completes the newer build (the first waiting for it)."""
    encoder = pipeline.encoder
    encoder.gate.clear()
    pipeline.prepare(background=True)
    assert encoder.waiting.wait(30)
    (corpus / f"{OTHER_ID}.txt").write_text(OTHER_PAGE, encoding="utf-8")
    other = Pipeline(pipeline.settings, encoder=FakeEncoder())
    newer = other.prepare(background=True)  # stage 1 while the first process still embeds
    assert {NEW_ID, OTHER_ID} <= {a.id for a in newer.articles} and newer.dense_pending == 2
    encoder.gate.set()
    assert pipeline.wait_embedded(30) and other.wait_embedded(30)
    for done in (pipeline, other):
        assert done.index.dense_pending == 0 and {NEW_ID, OTHER_ID} <= {a.id for a in done.articles}
        assert len(done.index.store) == len(done.index.chunks)
    assert len(list(pipeline.index.folder.parent.glob("build-*"))) == 1


def test_qa_build_reports_both_stages(qa_environment, tmp_path, corpus, capsys):
    flags = ["--index-dir", str(tmp_path / "index"), "--corpus", str(corpus), "--model", FAKE_ENCODER_NAME]
    assert main(["build", *flags]) == 0
    out = capsys.readouterr().out
    assert "stage 1   words:" in out and "30 passages searchable, 30 of them waiting for vectors" in out
    assert "stage 2   vectors:" in out and "embedded 30 new texts" in out
    (corpus / f"{NEW_ID}.txt").write_text(NEW_PAGE, encoding="utf-8")
    assert main(["build", *flags]) == 0
    out = capsys.readouterr().out
    assert "31 passages searchable, 1 of them waiting for vectors" in out and "embedded 1 new texts" in out


def test_a_store_over_some_rows_answers_with_their_ids_and_an_empty_one_with_nothing():
    vectors = np.eye(4, dtype=np.float32)
    store = VectorStore.build(vectors[[0, 2]], ids=np.array([5, 9]))
    scores, rows = store.search(vectors[2], 2)
    assert rows[0].tolist() == [9, 5] and len(store) == 2 and store.kind == "flat"
    hnsw = VectorStore.build(vectors[[0, 2]], exact_limit=1, ids=np.array([5, 9]), ef_search=17)
    assert hnsw.kind == "hnsw" and hnsw.search(vectors[0], 1)[1].tolist() == [[5]]
    empty = VectorStore.build(np.empty((0, 4), dtype=np.float32), ids=np.array([], dtype=np.int64))
    scores, rows = empty.search(vectors[0], 5)
    assert scores.shape == rows.shape == (1, 0)


def test_a_question_does_not_wait_for_another_process_embedding(pipeline):
    """`qa ask` beside a server embedding new articles answers at once, the new article by its words
    (`prepare(wait=False)`); a build (the default) waits for the other to finish. Before: both waited."""
    import fcntl

    from qa.index import DENSE_LOCK, folder_key

    settings = pipeline.settings
    home = settings.index.dir / folder_key(settings.corpus.dir)
    with open(home / DENSE_LOCK, "a+b") as held:  # another process embedding
        fcntl.flock(held, fcntl.LOCK_EX)
        asking = Pipeline(settings, encoder=FakeEncoder())
        index = asking.prepare(wait=False)
        assert index.dense_pending == len(new_rows(asking)) == 1
        assert NEW_ID in {c.article_id for c in asking.ask(NEW_QUESTION).citations}

        building = threading.Thread(target=Pipeline(settings, encoder=FakeEncoder()).prepare, daemon=True)
        building.start()
        building.join(1.0)
        assert building.is_alive()  # waiting for the lock
        fcntl.flock(held, fcntl.LOCK_UN)
    building.join(30)
    assert not building.is_alive() and Pipeline(settings, encoder=FakeEncoder()).prepare().dense_pending == 0
