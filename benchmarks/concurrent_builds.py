"""Two `qa build --force` at once, round after round: does every round leave one valid index?

Issue 12 asks for 20 rounds of two concurrent forced builds of one corpus with a `qa ask` in between:
20 valid indexes, 0 tracebacks. Builds of a corpus take turns under a file lock
(`<index dir>/<corpus>/.build.lock`, see `qa.index.ensure_index`); this runs the real command line in
real processes against it. Each round:

1. starts two `qa build --force` processes at the same moment and waits for both: exit codes, wall
   times, "Traceback" anywhere in their output, and whether one logged that it waited for the other's
   lock (the proof that the two builds really overlapped);
2. runs `qa ask` with a made-up question: it must exit 0, print an answer and not rebuild;
3. checks the index through the public API: `Pipeline.index` loads the build that `CURRENT` names
   (every file checked against the manifest's checksums), `prepare()` finds it up to date (no
   rebuild), `trace()` answers from it; and on disk exactly one `build-*` folder is left, the current
   one, which is the folder one of the two builds reported, and no `CURRENT.*.partial` file.

The corpus is a temporary folder of copies of the seed pages under distinct names (`--copies` copies
of each, default 100: 500 articles, about 2,400 passages); the index folder is temporary too. The
seeds' own embedding cache (`<index dir>/cache` of the default settings) is copied in first when it
exists, and one unforced build fills the rest, so forced rebuilds embed nothing: what is measured is
the lock and the folder switching, not the encoder. Why 100 copies: on the 2-core machine this was
written on, a forced build of the 5 seeds alone holds the lock for a fraction of a second, too short
for the second process to be sure to arrive while the first is writing; with 500 articles a forced
build takes about 7 s (about 5 s of it under the lock, measured alone), so the second always
finds the lock taken and waits (the "waited" column; it did in all 20 rounds of each run so far). 20
rounds take 7 to 10 minutes there, depending on what else the machine runs.

    .venv/bin/python benchmarks/concurrent_builds.py [--rounds 20] [--copies 100] [--json out.json]

Prints a markdown table per round and a summary; exits 1 if any round failed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qa.api import Pipeline  # noqa: E402
from qa.index import CURRENT, folder_key  # noqa: E402
from qa.settings import Settings  # noqa: E402

QUESTION = "Ai đã phát biểu tại buổi lễ khai mạc hội nghị?"  # made up, not from any article
WAITED = "waiting for it to finish"  # what a build logs when it finds the other's lock taken
REBUILT = "building index"  # what any command logs when it (re)builds
TIMEOUT_S = 900  # per process: far above a build of the default size, so only a hang trips it


@dataclass
class Run:
    """One finished process."""

    exit_code: int
    wall_s: float
    traceback: bool
    waited: bool
    rebuilt: bool
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)


@dataclass
class Round:
    number: int
    builds: list[Run]
    pair_wall_s: float
    ask: Run
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def machine() -> dict[str, object]:
    """Enough to tell whether two sets of figures came from comparable machines."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    model = names[0] if names else platform.processor() or "unknown"
    git = ["git", "--no-optional-locks", "-C", str(REPO)]  # read-only: never touches .git/index
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "commit": (commit or "unknown") + (" (with uncommitted changes)" if changed else ""),
    }


def make_corpus(folder: Path, copies: int) -> int:
    """`copies` copies of each seed page, named apart (the file name is the article id)."""
    folder.mkdir(parents=True)
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    for i in range(copies):
        for page in seeds:
            shutil.copyfile(page, folder / f"copy{i:03d}_{page.name}")
    return copies * len(seeds)


def start(command: Sequence[str], env: Mapping[str, str]) -> tuple[subprocess.Popen[str], float]:
    process = subprocess.Popen(
        command, cwd=REPO, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return process, time.perf_counter()


def finish(process: subprocess.Popen[str], started: float) -> Run:
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        stderr += f"\n[benchmark] killed after {TIMEOUT_S} s"
    output = stdout + stderr
    return Run(
        exit_code=process.returncode,
        wall_s=time.perf_counter() - started,
        traceback="Traceback" in output,
        waited=WAITED in stderr,
        rebuilt=REBUILT in stderr,
        stdout=stdout,
        stderr=stderr,
    )


def tail(text: str, lines: int = 6) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


def built_folder(run: Run) -> str | None:
    """The build folder a `qa build` reported (its summary's `index  <path>` line)."""
    lines = [line.split()[-1] for line in run.stdout.splitlines() if line.startswith("index ")]
    return Path(lines[-1]).name if lines else None


def check_index(settings: Settings, pipeline_kwargs: dict, builds: Sequence[Run]) -> list[str]:
    """What is wrong with the index folder after a round; empty when it is valid."""
    problems = []
    home = settings.index.dir / folder_key(settings.corpus.dir)
    try:
        pipeline = Pipeline(settings, **pipeline_kwargs)
        loaded = pipeline.index  # the build CURRENT names, every file checked against the manifest
        prepared = pipeline.prepare()  # must find it current, not build another
        if prepared.folder != loaded.folder:
            problems.append(f"index was stale: prepare() built {prepared.folder.name} over {loaded.folder.name}")
        if not pipeline.trace(QUESTION).answer.text.strip():
            problems.append("trace() gave an empty answer")
        pipeline_kwargs.setdefault("encoder", pipeline.encoder)  # load the encoder once, not every round
    except Exception as exc:  # any failure to load or answer is what this round is here to find
        return [f"index not valid: {type(exc).__name__}: {exc}"]
    current = (home / CURRENT).read_text(encoding="utf-8").strip()
    folders = sorted(p.name for p in home.glob("build-*"))
    if folders != [current]:
        problems.append(f"build folders left {folders}, CURRENT names {current}")
    partial = sorted(p.name for p in home.glob(f"{CURRENT}.*"))
    if partial:
        problems.append(f"partial files left: {partial}")
    reported = [built_folder(run) for run in builds]
    if current not in reported:
        problems.append(f"CURRENT names {current}, which neither build reported ({reported})")
    waiters = [built_folder(run) for run in builds if run.waited]
    if len(waiters) == 1 and current != waiters[0]:  # the build that waited ran last: its folder is live
        problems.append(f"CURRENT names {current}, not {waiters[0]}, built by the process that waited")
    if loaded.manifest["counts"]["articles"] != len(list(settings.corpus.dir.glob("*.txt"))):
        problems.append(f"index holds {loaded.manifest['counts']['articles']} articles, not every page")
    return problems


def run_round(number: int, qa: Sequence[str], env: Mapping[str, str], settings: Settings, kwargs: dict) -> Round:
    started = time.perf_counter()
    processes = [start([*qa, "build", "--force"], env) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each timed when it ends, neither pipe left unread
        builds = list(pool.map(lambda started: finish(*started), processes))
    pair_wall = time.perf_counter() - started
    ask = finish(*start([*qa, "ask", QUESTION], env))

    problems = []
    for name, run in [("build 1", builds[0]), ("build 2", builds[1]), ("ask", ask)]:
        if run.exit_code:
            problems.append(f"{name} exited {run.exit_code}: {tail(run.stderr)}")
        if run.traceback:
            problems.append(f"{name} printed a traceback: {tail(run.stderr, 12)}")
    if not ask.exit_code and not ask.stdout.strip():
        problems.append("ask printed no answer")
    if ask.rebuilt:
        problems.append(f"ask rebuilt the index: {tail(ask.stderr)}")
    problems += check_index(settings, kwargs, builds)
    return Round(number, builds, pair_wall, ask, problems)


def row(r: Round) -> str:
    b1, b2 = r.builds
    waited = "yes" if b1.waited or b2.waited else "no"
    return (
        f"| {r.number} | {b1.exit_code} / {b2.exit_code} | {b1.wall_s:.1f} / {b2.wall_s:.1f} | {r.pair_wall_s:.1f} "
        f"| {waited} | {r.ask.exit_code} ({r.ask.wall_s:.1f} s) | {'valid' if r.ok else '; '.join(r.problems)} |"
    )


def summarise(rounds: Sequence[Round], articles: int, warmup_s: float, total_s: float) -> dict[str, object]:
    runs = [run for r in rounds for run in [*r.builds, r.ask]]
    walls = [run.wall_s for r in rounds for run in r.builds]
    return {
        "rounds": len(rounds),
        "articles": articles,
        "valid_indexes": sum(r.ok for r in rounds),
        "tracebacks": sum(run.traceback for run in runs),
        "nonzero_exits": sum(bool(run.exit_code) for run in runs),
        "rounds_where_a_build_waited": sum(any(b.waited for b in r.builds) for r in rounds),
        "build_wall_median_s": round(statistics.median(walls), 2) if walls else None,
        "build_wall_max_s": round(max(walls), 2) if walls else None,
        "pair_wall_median_s": round(statistics.median(r.pair_wall_s for r in rounds), 2) if rounds else None,
        "ask_wall_median_s": round(statistics.median(r.ask.wall_s for r in rounds), 2) if rounds else None,
        "warmup_build_s": round(warmup_s, 1),
        "total_s": round(total_s, 1),
        "machine": machine(),
        "failures": {r.number: r.problems for r in rounds if not r.ok},
    }


def report(summary: Mapping[str, object]) -> str:
    m = summary["machine"]
    assert isinstance(m, dict)
    rows = [
        ("rounds", summary["rounds"]),
        ("valid indexes", summary["valid_indexes"]),
        ("tracebacks", summary["tracebacks"]),
        ("non-zero exits", summary["nonzero_exits"]),
        ("rounds where one build waited for the other", summary["rounds_where_a_build_waited"]),
        ("build wall time, median / max", f"{summary['build_wall_median_s']} / {summary['build_wall_max_s']} s"),
        ("both builds of a round, median", f"{summary['pair_wall_median_s']} s"),
        ("`qa ask` wall time, median", f"{summary['ask_wall_median_s']} s"),
        ("corpus", f"{summary['articles']} articles (copies of the seed pages)"),
        ("warm-up build / whole run", f"{summary['warmup_build_s']} / {summary['total_s']} s"),
        ("machine", f"{m['cpus']} × {m['cpu_model']}, Python {m['python']}, commit {m['commit']}"),
    ]
    return "\n".join(["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds of two concurrent forced builds")
    parser.add_argument("--copies", type=int, default=100, help="copies of each seed page in the corpus")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and index folders")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the summary as JSON here")
    args = parser.parse_args()

    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="concurrent-builds-"))
    try:
        corpus, index_dir = work / "corpus", work / "index"
        articles = make_corpus(corpus, args.copies)
        # The children see only these two settings, whatever QA_* the caller's shell holds.
        env = {name: value for name, value in os.environ.items() if not name.startswith("QA_")}
        env.update(QA_CORPUS_DIR=str(corpus), QA_INDEX_DIR=str(index_dir))
        settings = Settings.load(env=env)
        seed_cache = Settings.load(env={}).index.dir / "cache"
        if seed_cache.is_dir():
            shutil.copytree(seed_cache, index_dir / "cache")
        qa = [sys.executable, "-m", "qa"]
        warmup = finish(*start([*qa, "build"], env))
        if warmup.exit_code:
            sys.exit(f"the warm-up build failed:\n{warmup.stderr}")
        print(f"{articles} articles in {corpus}; warm-up build {warmup.wall_s:.1f} s", file=sys.stderr)

        print("| round | exits | build wall s | both s | waited | ask | index |")
        print("|---|---|---|---|---|---|---|")
        kwargs: dict = {}
        rounds = []
        for number in range(1, args.rounds + 1):
            rounds.append(run_round(number, qa, env, settings, kwargs))
            print(row(rounds[-1]), flush=True)
        summary = summarise(rounds, articles, warmup.wall_s, time.perf_counter() - began)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(report(summary))
    for r in rounds:
        if not r.ok:
            print(f"round {r.number}: " + "; ".join(r.problems))
    if args.json_path:
        args.json_path.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    sys.exit(0 if all(r.ok for r in rounds) else 1)


if __name__ == "__main__":
    main()
