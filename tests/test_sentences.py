"""Only passages are embedded at build; the sentences answering scores are embedded when a question
first reads their passage, in one encoder call, and kept in a bounded table (`qa.sentences`).
Made-up articles, conftest's fake encoder."""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEncoder, fake_settings_for
from made_up import inspection_corpus

from qa.api import Pipeline
from qa.index import CURRENT, FORMAT, MANIFEST
from qa.sentences import SentenceVectors

QUESTION = "Đoàn kiểm tra số 3 đến xã An Khê vào ngày nào?"


class CallCounting(FakeEncoder):
    """The fake encoder, counting its calls to `encode_passages`."""

    def __init__(self) -> None:
        super().__init__()
        self.passage_calls = 0

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passage_calls += 1
        return super().encode_passages(texts)


@pytest.fixture
def corpus(tmp_path) -> Path:
    return inspection_corpus(tmp_path / "corpus", 6, 20)


def live_build(index_dir: Path) -> Path:
    (home,) = [p for p in index_dir.iterdir() if (p / CURRENT).is_file()]
    return home / (home / CURRENT).read_text().strip()


def test_a_build_embeds_passages_only_and_stores_no_sentence_vectors(tmp_path, corpus):
    encoder = CallCounting()
    index = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=encoder).prepare()
    assert sorted(encoder.passages) == sorted(chunk.text for chunk in index.chunks)
    assert index.manifest["counts"]["sentences"] > 2 * len(index.chunks)  # they are split, not embedded
    files = {p.name for p in live_build(tmp_path / "index").iterdir()}
    assert {"dense.faiss", "sentence_spans.npy", "sentence_offsets.npy"} <= files
    assert not any("vector" in name for name in files)


def test_sentence_vectors_are_embedded_once_in_one_call_and_kept(tmp_path, corpus):
    settings = fake_settings_for(tmp_path / "index", corpus)
    Pipeline(settings, encoder=FakeEncoder()).prepare()
    encoder = CallCounting()
    pipeline = Pipeline(settings, encoder=encoder)
    pipeline.prepare()  # loaded as it is: nothing embedded
    assert encoder.passage_calls == 0

    first = pipeline.trace(QUESTION)
    assert encoder.passage_calls == 1  # every sentence of the passages read, in one call
    sentences = {
        (p.chunk_id, text) for p in first.passages for text, _, _ in pipeline.index.sentences(p.chunk_id)
    }
    assert sorted(encoder.passages) == sorted({text for _, text in sentences})  # each text once
    assert len(pipeline.sentence_vectors) == len(first.passages)
    # The vectors are the encoder's own for those texts, as a build used to store them.
    for scored in first.decision.scored:
        table = pipeline.sentences_of([scored.passage])(scored.passage.chunk_id)
        (sentence,) = [s for s in table if s.start == scored.start]
        np.testing.assert_allclose(sentence.vector, FakeEncoder().encode_passages([sentence.text])[0], atol=1e-6)
        assert scored.dense == pytest.approx(float(sentence.vector @ pipeline.encode_query(QUESTION)), abs=1e-6)

    encoder.passage_calls = 0
    again = pipeline.trace(QUESTION)
    assert encoder.passage_calls == 0  # warm: the same passages cost no encoding
    assert again.answer == first.answer


def test_the_table_is_bounded_least_recently_used_first(tmp_path, corpus):
    settings = fake_settings_for(tmp_path / "index", corpus)
    index = Pipeline(settings, encoder=FakeEncoder()).prepare()
    a, b, c = (chunk.id for chunk in index.chunks[:3])
    encoder = CallCounting()
    table = SentenceVectors(size=2)
    table.read(index, [a, b], encoder)
    table.read(index, [a], encoder)  # a is now the most recently read
    assert encoder.passage_calls == 1
    table.read(index, [c], encoder)  # b goes
    assert len(table) == 2
    table.read(index, [a, c], encoder)
    assert encoder.passage_calls == 2
    table.read(index, [b], encoder)
    assert encoder.passage_calls == 3

    none_kept = SentenceVectors(size=0)
    none_kept.read(index, [a], encoder)
    none_kept.read(index, [a], encoder)
    assert encoder.passage_calls == 5 and len(none_kept) == 0

    pipeline = Pipeline(settings.override(sentence_cache=2), encoder=encoder)
    pipeline.ask(QUESTION)
    assert len(pipeline.sentence_vectors) == 2


def test_a_rebuilt_index_does_not_get_the_old_builds_vectors(tmp_path, corpus):
    encoder = CallCounting()
    pipeline = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=encoder)
    pipeline.prepare()
    pipeline.ask(QUESTION)
    calls = encoder.passage_calls
    pipeline.prepare(force=True)  # a new build (its passages from the embedding cache): same chunk ids
    assert encoder.passage_calls == calls
    pipeline.ask(QUESTION)
    assert encoder.passage_calls == calls + 1


def test_threads_reading_at_once_get_the_right_vectors(tmp_path, corpus):
    index = Pipeline(fake_settings_for(tmp_path / "index", corpus), encoder=FakeEncoder()).prepare()
    chunk_ids = [chunk.id for chunk in index.chunks]
    expected = {
        chunk_id: FakeEncoder().encode_passages([text for text, _, _ in index.sentences(chunk_id)])
        for chunk_id in chunk_ids
    }
    table = SentenceVectors(size=3)
    failures: list[BaseException] = []

    def read(offset: int) -> None:
        try:
            for n in range(60):
                wanted = [chunk_ids[(offset + n + j) % len(chunk_ids)] for j in range(2)]
                for chunk_id, sentences in table.read(index, wanted, FakeEncoder()).items():
                    np.testing.assert_allclose(np.stack([s.vector for s in sentences]), expected[chunk_id], atol=1e-6)
                assert len(table) <= 3
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_an_index_of_the_previous_format_is_rebuilt_saying_why(tmp_path, corpus, caplog):
    settings = fake_settings_for(tmp_path / "index", corpus)
    Pipeline(settings, encoder=FakeEncoder()).prepare()
    old = live_build(tmp_path / "index")
    manifest = json.loads((old / MANIFEST).read_text(encoding="utf-8"))
    manifest["format"] = 6  # the layout that stored every sentence's vector
    (old / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="qa.index"):
        rebuilt = Pipeline(settings, encoder=FakeEncoder()).prepare()
    assert rebuilt.folder != old and rebuilt.manifest["format"] == FORMAT
    (line,) = [r.getMessage() for r in caplog.records if "building index" in r.getMessage()]
    assert line.endswith(f"the index format changed (6 → {FORMAT})")
