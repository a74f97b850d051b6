"""The machine failing under a build (issue 12, item 4): a disk that fills up, a file size limit, an
index folder on a read-only mount. Each runs in a child process, where the fault is real: a file
size limit (`RLIMIT_FSIZE`, writes past it fail with EFBIG as a full disk fails with ENOSPC) or a
read-only bind mount in a private mount namespace (`unshare -rm`). The child builds with conftest's
fake encoder; this process checks what is left on disk."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import SEEDS, FakeEncoder, fake_settings_for

from qa.api import Pipeline
from qa.errors import IndexWriteError

TESTS = Path(__file__).parent
QUESTION = "Hai tỉnh ký thỏa thuận hợp tác giai đoạn nào?"  # made up; any question will do

CHILD = """
import resource, signal, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEncoder, fake_settings_for
from pathlib import Path
from qa.api import Pipeline
from qa.errors import QAError

pipeline = Pipeline(fake_settings_for(Path({index!r}), Path({corpus!r})), encoder=FakeEncoder())
if {fsize}:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, ({fsize}, {fsize}))
try:
    pipeline.prepare(force={force})
except QAError as exc:
    print(type(exc).__name__, exc, sep="\\n")
    sys.exit(exc.exit_code)
print(pipeline.ask({question!r}).text[:40])
"""


def run_child(index: Path, corpus: Path, *, fsize: int = 0, force: bool = False, read_only: bool = False):
    script = CHILD.format(
        tests=str(TESTS), index=str(index), corpus=str(corpus), fsize=fsize, force=force, question=QUESTION
    )
    command = [sys.executable, "-c", textwrap.dedent(script)]
    if read_only:
        command = ["unshare", "-rm", "sh", "-c", f'mount --bind -o ro "{index}" "{index}" && exec "$@"', "-", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def built(tmp_path, fake_encoder) -> tuple[Path, Path, str]:
    """A small corpus (two seed articles) and its index; returns (index dir, corpus, current build)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, corpus / seed.name)
    index = tmp_path / "index"
    build = Pipeline(fake_settings_for(index, corpus), encoder=fake_encoder).prepare().folder
    return index, corpus, build.name


def leftovers(index: Path) -> list[str]:
    return sorted(p.name for p in index.rglob("*") if p.name.endswith(".partial"))


def test_disk_full_during_a_rebuild_is_one_line_and_leaves_the_old_index_in_service(built):
    """Before: a traceback, and a half-written build folder left beside the current one."""
    index, corpus, current = built
    child = run_child(index, corpus, fsize=8_000, force=True)  # below most of the build's files
    assert child.returncode == IndexWriteError.exit_code, child.stderr
    name, message = child.stdout.splitlines()[:2]
    assert name == "IndexWriteError" and "File too large" in message and "previous index is kept" in message
    assert "Traceback" not in child.stderr
    builds = [p.name for p in (index).glob("*/build-*")]
    assert builds == [current]  # no partial build folder left
    assert leftovers(index) == []  # nor a half-written cache shard or pointer
    pipeline = Pipeline(fake_settings_for(index, corpus), encoder=FakeEncoder())
    assert pipeline.prepare().folder.name == current  # the old index is still current and whole
    assert pipeline.ask(QUESTION).text


def read_only_mounts_work() -> bool:
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True) if shutil.which("unshare") else None
    return probe is not None and probe.returncode == 0


@pytest.mark.skipif(
    not read_only_mounts_work(), reason="needs `unshare -rm` (user and mount namespaces) for a read-only mount"
)
def test_index_on_a_read_only_mount_answers_when_current_and_says_so_when_stale(built):
    index, corpus, current = built
    child = run_child(index, corpus, read_only=True)
    assert child.returncode == 0, child.stdout + child.stderr  # up to date: read, never written
    assert child.stdout.strip()
    (corpus / "new.jsonl").write_text(
        '{"id": "n1", "title": "Bài mới", "body": "Hai tỉnh ký thỏa thuận mới."}\n', encoding="utf-8"
    )
    child = run_child(index, corpus, read_only=True)
    assert child.returncode == IndexWriteError.exit_code, child.stderr
    name, message = child.stdout.splitlines()[:2]
    assert name == "IndexWriteError" and "Read-only file system" in message and "the corpus changed" in message
    assert "Traceback" not in child.stderr
    assert [p.name for p in index.glob("*/build-*")] == [current]


def test_readers_never_fail_while_builds_switch_the_index_under_them(built, fake_encoder):
    """Readers take no lock: a process loading the index named by CURRENT just before another
    process switched in a new build (and removed the old one) failed with IndexCorrupt 'missing'.
    Here builds are switched in again and again while fresh pipelines load the index, both ways a
    process starts (`Pipeline.index` reads CURRENT; `prepare()` checks it is up to date first)."""
    import threading

    index, corpus, _ = built
    settings = fake_settings_for(index, corpus)
    done, errors, loads = threading.Event(), [], [0]

    def builder():
        try:
            for _ in range(12):
                Pipeline(settings, encoder=fake_encoder).prepare(force=True)
        except Exception as exc:  # a build that fails beside the readers fails the test too
            errors.append(f"builder: {type(exc).__name__}: {exc}")
        finally:
            done.set()

    def reader(prepare: bool):
        while not done.is_set():
            try:
                pipeline = Pipeline(settings, encoder=fake_encoder)
                assert (pipeline.prepare() if prepare else pipeline.index).articles
                loads[0] += 1
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=builder), *(threading.Thread(target=reader, args=(p,)) for p in (False, True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and loads[0] > 0
