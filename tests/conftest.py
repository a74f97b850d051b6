"""Fixtures shared by the answering tests (test_ask.py, test_generative.py): the real pipeline over
the repo's seeds/, on the seed index that retrieval_fixtures builds once per session, so answering
and retrieval tests pay for one index build between them."""
from __future__ import annotations

import pytest

from qa.api import Pipeline
from qa.settings import Settings

pytest_plugins = ["retrieval_fixtures"]


@pytest.fixture(scope="session")
def seed_settings(seed_index_dir) -> Settings:
    """Settings for the seed index, deaf to the shell's QA_* variables: a developer's QA_LLM_BASE_URL
    must not turn the extractive tests into tests of their language model."""
    return Settings.load(env={}, index_dir=seed_index_dir)  # the default corpus: seeds/


@pytest.fixture(scope="session")
def seed_pipeline(seed_settings) -> Pipeline:
    return Pipeline(seed_settings)
