#!/usr/bin/env python
"""Re-measure every figure the README quotes, in one command (`make figures`).

Runs the seed-set evaluation, the XQuAD-vi evaluation (read from ../shared, skipped with a message when
absent) and each speed benchmark script that exists, each as a subprocess with the project's Python so a
crash in one does not hide the others. Writes docs/figures.md (all tables, with the machine they were
measured on), per-set reports with charts under docs/figures/, and the compact summary between the
`<!-- figures:start -->` / `<!-- figures:end -->` markers of README.md (nothing else in README.md).
"""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa.evaluation.report import markdown_table, table_rows  # noqa: E402

VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
SEED_SET = REPO / "testsets" / "seed_qa.jsonl"
XQUAD = REPO.parent / "shared" / "benchmarks" / "xquad-vi" / "dev.json"
# Held out: articles and questions the answerer is not calibrated on (docs/evaluation.md).
HELD_OUT = {
    "Held-out articles 1 (testsets/unseen_qa.jsonl)": (
        "unseen_qa", REPO / "testsets" / "unseen_qa.jsonl", REPO / "tests" / "data" / "corpus" / "mixed"
    ),
    "Held-out articles 2 (testsets/held_out_2_qa.jsonl)": (
        "held_out_2", REPO / "testsets" / "held_out_2_qa.jsonl", REPO / "testsets" / "corpora" / "held_out_2"
    ),
}
SPEED_SCRIPTS = ("bench_retrieve.py", "bench_ask.py", "bench_index_scale.py", "bench_ui.py")
FIGURES_MD = REPO / "docs" / "figures.md"
REPORTS = REPO / "docs" / "figures"
README = REPO / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
SUMMARY_COLUMNS = ("questions", "hit_at_1", "hit_at_5", "mrr_at_10", "containment", "citation_accuracy",
                   "abstention_precision", "abstention_recall", "answered_rate", "median_answer_chars",
                   "latency_p50_ms", "latency_p95_ms")
# The speed figures the README quotes: (script, key in its JSON, label).
SPEED_SUMMARY = (
    ("bench_ask.py", "ask_p50_ms", "warm ask() p50, ms"),
    ("bench_ask.py", "ask_p95_ms", "warm ask() p95, ms"),
    ("bench_retrieve.py", "p50_ms", "warm retrieve() p50, ms"),
    ("bench_ask.py", "cli_cold_median_s", "cold `qa ask` from a new process, median s"),
    ("bench_ui.py", "answers_per_s", "chat UI, 8 concurrent clients, answers/s"),
)


def run(label: str, command: list[str]) -> bool:
    """Run one measurement, streaming its table; a failure is reported, not fatal to the others."""
    print(f"\n== {label}: {' '.join(command)}", flush=True)
    done = subprocess.run(command, cwd=REPO)
    if done.returncode:
        print(f"!! {label} failed with exit code {done.returncode}", file=sys.stderr)
    return done.returncode == 0


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "python": platform.python_version(),
        "commit": commit or "unknown",
    }


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Benchmark JSON of any shape as (dotted key, value) rows: each script chooses its own fields."""
    if isinstance(value, dict):
        return [row for key, item in value.items() for row in flatten(item, f"{prefix}{key}.")]
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return [row for i, item in enumerate(value) for row in flatten(item, f"{prefix}{i}.")]
    text = f"{value:.4g}" if isinstance(value, float) else json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return [(prefix.rstrip("."), text)]


def replace_readme_block(summary: str) -> None:
    if not README.exists():
        print(f"warning: {README} not found; README summary not written", file=sys.stderr)
        return
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        print(f"warning: {README} has no {START} … {END} block; README left untouched", file=sys.stderr)
        return
    README.write_text(pattern.sub(lambda _: f"{START}\n{summary}\n{END}", text, count=1), encoding="utf-8")
    print(f"updated the figures block of {README}")


def main() -> int:
    REPORTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="figures-"))
    evals = {"Seed QA set (testsets/seed_qa.jsonl)": ("seed_qa", ["--testset", str(SEED_SET)])}
    for label, (name, testset, corpus) in HELD_OUT.items():
        evals[label] = (name, ["--testset", str(testset), "--corpus", str(corpus)])
    if XQUAD.exists():
        evals["XQuAD-vi dev (../shared, 120 paragraphs)"] = ("xquad_vi", ["--squad", str(XQUAD)])
    else:
        print(f"skipping XQuAD: {XQUAD} not found (it lives in ../shared, never in this repo)")
    ok = True
    eval_figures: dict[str, dict[str, Any]] = {}
    for label, (name, source) in evals.items():
        out = work / f"{name}.json"
        ok &= run(label, [PYTHON, "-m", "qa", "eval", *source, "--json", str(out), "--report", str(REPORTS / f"{name}.md")])
        if out.exists():
            eval_figures[label] = {"name": name, **json.loads(out.read_text(encoding="utf-8"))}
    speed: dict[str, list[tuple[str, str]]] = {}
    for script in SPEED_SCRIPTS:
        path = REPO / "benchmarks" / script
        if not path.exists():
            continue
        out = work / f"{path.stem}.json"
        ok &= run(script, [PYTHON, str(path), "--json", str(out)])
        if out.exists():
            speed[script] = flatten(json.loads(out.read_text(encoding="utf-8")))

    host = machine()
    host_line = f"{host['date']} · {host['nproc']} CPU(s), {host['cpu']} · Python {host['python']} · commit {host['commit']}"
    summary_rows = table_rows({label: data["overall"] for label, data in eval_figures.items()}, SUMMARY_COLUMNS, label="test set")
    lines = ["# Figures", "", "Generated by `make figures` (benchmarks/regenerate_figures.py); do not edit by hand.",
             "", f"Measured {host_line}.", "", "How each figure is computed: [evaluation.md](evaluation.md).", ""]
    for label, data in eval_figures.items():
        meta = data["meta"]
        lines += [f"## {label}", "",
                  f"Model `{meta['embed_model']}`, top-k {meta['top_k']}, answers: {meta['llm']}, "
                  f"{meta['questions']} questions in {meta['elapsed_s']} s. "
                  f"Report with every failure: [figures/{data['name']}.md](figures/{data['name']}.md).", "",
                  markdown_table(table_rows(data["per_kind"])), "", f"![per kind](figures/{data['name']}.png)", ""]
    for script, rows in speed.items():
        lines += [f"## Speed: {script}", "", markdown_table([["measure", "value"], *map(list, rows)]), ""]
    FIGURES_MD.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwrote {FIGURES_MD}")

    summary = [markdown_table(summary_rows) if eval_figures else "_No evaluation figures: see the log of `make figures`._"]
    speed_rows = [[label, dict(speed[script])[key]] for script, key, label in SPEED_SUMMARY
                  if script in speed and key in dict(speed[script])]
    if speed_rows:
        summary += ["", markdown_table([["speed (seed corpus, default encoder)", "value"], *speed_rows])]
    summary += ["", f"Measured {host_line}. All tables, per kind and speed: [docs/figures.md](docs/figures.md)."]
    replace_readme_block("\n".join(summary))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
