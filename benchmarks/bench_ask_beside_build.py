"""Warm `ask()` while a build embeds beside it (issue 13): does a question stay quick when the
machine's cores are busy embedding a new archive?

The seed corpus's pipeline is loaded and warmed in this process, and its questions timed as
bench_ask.py times them (every round with the query cache emptied, median over rounds of each
round's p50/p95, CPU time beside wall time): first alone, then while a `qa build --force` of a
made-up archive (`bench_cold_start.make_corpus`) runs in another process with the configured real
encoder and an empty embedding cache, so that it embeds for the whole measurement (`QA_ENCODER_THREADS`
as configured: one thread per core by default). The build is stopped once the rounds are done.
Both measurements name the load average, since other jobs may share the machine.

    .venv/bin/python benchmarks/bench_ask_beside_build.py [--rounds 5] [--articles 400] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from bench_ask import machine, warm_rounds  # noqa: E402
from bench_cold_start import make_corpus  # noqa: E402

from qa.api import Pipeline  # noqa: E402
from qa.evaluation.testset import load_testset  # noqa: E402
from qa.settings import REPO_ROOT, Settings  # noqa: E402

EMBEDDING = "embedding"  # what `qa build`'s progress bar says once the build embeds


def start_build(work: Path, articles: int) -> subprocess.Popen[str]:
    """A `qa build --force` of `articles` made-up pages into an empty index folder, returned once it
    has started embedding (its progress bar on stderr says so)."""
    corpus = make_corpus(work / "corpus", articles)
    command = [sys.executable, "-m", "qa", "build", "--force", "--corpus", str(corpus),
               "--index-dir", str(work / "index")]
    build = subprocess.Popen(command, cwd=REPO_ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             text=True, bufsize=1)
    assert build.stderr is not None
    seen = ""
    while EMBEDDING not in seen:
        chunk = build.stderr.read(64)
        if not chunk:
            sys.exit(f"the build ended before it embedded (exit {build.wait()}):\n{seen[-2000:]}")
        seen = (seen + chunk)[-4000:]
    return build


def measure(settings: Settings, rounds: int, articles: int) -> dict[str, object]:
    questions = [record.question for record in load_testset(REPO_ROOT / "testsets" / "seed_qa.jsonl")]
    pipeline = Pipeline(settings)
    pipeline.prepare()
    for question in questions:  # warm-up: encoder, answerer, the sentences of the passages read
        pipeline.ask(question)
    alone = warm_rounds(pipeline, pipeline.ask, questions, rounds)
    alone["load"] = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-beside-") as work:
        build = start_build(Path(work), articles)
        try:
            time.sleep(2.0)  # let the build's threads reach full speed
            beside = warm_rounds(pipeline, pipeline.ask, questions, rounds)
            beside["load"] = os.getloadavg()[0]
            still_building = build.poll() is None
        finally:
            build.terminate()
            build.wait(timeout=60)
    return {
        "encoder": settings.index.embed_model, "encoder_threads": settings.index.encoder_threads,
        "query_threads": settings.index.query_threads, "questions": len(questions), "rounds": rounds,
        "alone": alone, "beside_build": beside, "build_ran_throughout": still_building, "machine": machine(),
    }


def table(figures: dict[str, object]) -> str:
    lines = [f"{figures['questions']} seed questions, {figures['encoder']} (query threads "
             f"{figures['query_threads']}, build threads {figures['encoder_threads'] or 'one per core'}), "
             f"median of {figures['rounds']} rounds; build ran throughout: {figures['build_ran_throughout']}"]
    for name in ("alone", "beside_build"):
        f = figures[name]
        assert isinstance(f, dict)
        lines.append(f"  {name:<13} p50 {f['p50']} ms  p95 {f['p95']} ms  CPU p50 {f['cpu_p50']} ms  "
                     f"(load {f['load']:.1f})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the seed questions, each way")
    parser.add_argument("--articles", type=int, default=400, help="made-up pages the build beside embeds")
    parser.add_argument("--index-dir", type=Path, help="the seed index's folder (default: the settings')")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    figures = measure(Settings.load(index_dir=args.index_dir), args.rounds, args.articles)
    print(table(figures))
    if args.json_path:
        args.json_path.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
