"""A build killed midway resumes without embedding again what it had embedded (issue 13, item 4).

A child process runs `qa build` (through `qa.cli.main`, as the command does) with conftest's fake
encoder made slow on purpose: each call waits a little, and one call part-way through the corpus
never returns, after writing how many texts had been embedded into a marker file. The parent waits
for that file, kills the child (SIGKILL: nothing of the child's runs; SIGTERM: `qa` stops cleanly),
then builds again in-process with a fresh fake encoder, which records every text it embeds. The
build's first stage (BM25 over every passage) was switched in before embedding began, so the killed
build leaves an index that answers by words meanwhile."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import FAKE_ENCODER_NAME, FakeEncoder, fake_settings_for
from made_up import inspection_corpus

from embeddings.base import slug
from embeddings.cache import CHECKPOINT, EmbeddingCache
from qa.api import Pipeline
from qa.cli import EXIT_TERMINATED, main

TESTS = Path(__file__).parent
CHECKPOINT_TEXTS = 40
STALL_AT_CALL = 6  # the encoder call that never returns (batches of 16 texts)
PASSAGES = 120
QUESTION = "Đoàn kiểm tra số 7 đến huyện nào?"

CHILD = """
import os, sys, time
sys.path.insert(0, {tests!r})
from pathlib import Path
import embeddings
from conftest import FakeEncoder

class StallingEncoder(FakeEncoder):
    calls = 0

    def encode_passages(self, texts):
        self.calls += 1
        if self.calls == {stall}:
            marker = Path({marker!r})
            marker.with_suffix(".tmp").write_text(str(len(self.passages)))
            os.replace(marker.with_suffix(".tmp"), marker)
            time.sleep(600)
        time.sleep(0.02)
        return super().encode_passages(texts)

embeddings.load_encoder = lambda name=None, **options: StallingEncoder()
from qa.cli import main
sys.exit(main(["build", "--corpus", {corpus!r}, "--index-dir", {index!r}, "--model", {model!r}]))
"""


@pytest.fixture
def corpus(tmp_path) -> Path:
    # 120 one-passage articles: only passages are embedded, and the build must outlast STALL_AT_CALL calls.
    return inspection_corpus(tmp_path / "corpus", PASSAGES, 8)


def build_until_stalled(corpus: Path, index: Path, marker: Path) -> tuple[subprocess.Popen[str], int]:
    """Start `qa build` in a child; return it once its encoder has stalled, with the texts it embedded."""
    script = CHILD.format(tests=str(TESTS), stall=STALL_AT_CALL, marker=str(marker), corpus=str(corpus),
                          index=str(index), model=FAKE_ENCODER_NAME)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env["QA_CHECKPOINT_TEXTS"] = str(CHECKPOINT_TEXTS)
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            out, err = child.communicate()
            pytest.fail(f"the build never stalled (exit {child.returncode}):\n{out}\n{err}")
        time.sleep(0.05)
    return child, int(marker.read_text())


def cache_folder(index: Path) -> Path:
    return index / "cache" / slug(FAKE_ENCODER_NAME)


def texts_in_cache(index: Path) -> int:
    return len(EmbeddingCache(index / "cache", FakeEncoder()))


def searchable_by_words(index: Path, corpus: Path) -> None:
    """The killed build's stage 1 is in service: every passage searchable by BM25, none embedded yet."""
    builds = list(index.glob("*/build-*"))
    assert len(builds) == 1
    stage1 = Pipeline(fake_settings_for(index, corpus), encoder=FakeEncoder())
    assert stage1.index.folder == builds[0]
    assert stage1.index.dense_pending == PASSAGES and len(stage1.index.store) == 0
    assert stage1.retrieve(QUESTION)[0].article_id == "doan-7"


def resume(index: Path, corpus: Path, held: int) -> None:
    """Build again: only what the cache does not hold is embedded, and the index is whole and answers."""
    encoder = FakeEncoder()
    pipeline = Pipeline(fake_settings_for(index, corpus), encoder=encoder)
    built = pipeline.prepare()
    total = texts_in_cache(index)  # every text of the corpus, now
    assert built.report["embedded"] == len(encoder.passages) == total - held
    assert f"embedded {total - held} new texts" in built.summary()
    assert list(cache_folder(index).glob("*" + CHECKPOINT)) == []  # merged into one shard
    # The vectors the killed build saved are the ones a clean build computes.
    texts = [chunk.text for chunk in built.chunks]
    saved = EmbeddingCache(index / "cache", FakeEncoder())
    np.testing.assert_allclose(saved.encode_passages(texts), FakeEncoder().encode_passages(texts), atol=1e-6)
    assert saved.misses == 0
    reloaded = Pipeline(fake_settings_for(index, corpus), encoder=FakeEncoder())
    assert reloaded.index.folder == built.folder  # CURRENT names it, and its checksums hold
    assert reloaded.index.dense_pending == 0 and len(reloaded.index.store) == PASSAGES
    assert reloaded.retrieve(QUESTION)[0].article_id == "doan-7"
    assert reloaded.ask(QUESTION).text  # (the fake encoder's scores are not calibrated: it may decline)


def test_a_build_killed_by_sigkill_resumes_from_its_checkpoints(tmp_path, corpus):
    """Before: the vectors reached the disk only in a `finally` that SIGKILL skips, so none were kept."""
    index = tmp_path / "index"
    child, embedded = build_until_stalled(corpus, index, tmp_path / "stalled")
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    held = texts_in_cache(index)
    assert CHECKPOINT_TEXTS <= held <= embedded  # whole checkpoints only: the pending tail is lost
    searchable_by_words(index, corpus)
    resume(index, corpus, held)


def test_a_build_stopped_by_sigterm_saves_what_it_embedded_and_cleans_up(tmp_path, corpus):
    """Before: SIGTERM's default action ended Python at once: no `finally`, nothing saved."""
    index = tmp_path / "index"
    child, embedded = build_until_stalled(corpus, index, tmp_path / "stalled")
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == EXIT_TERMINATED, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("stopped (SIGTERM)")
    searchable_by_words(index, corpus)
    assert sorted(p.name for p in index.rglob("*.partial")) == []
    assert list(cache_folder(index).glob("*" + CHECKPOINT)) == []  # merged into one shard when stopping
    held = texts_in_cache(index)
    assert held == embedded  # the pending tail too
    resume(index, corpus, held)


def test_the_sigterm_handler_lasts_only_while_a_command_runs(capsys):
    before = signal.getsignal(signal.SIGTERM)
    assert main(["settings"]) == 0
    assert signal.getsignal(signal.SIGTERM) is before
