#!/usr/bin/env python
"""Re-measure every figure the README quotes, in one command (`make figures`).

Runs the evaluation of each test set (the seed set, the held-out sets over their own corpora, and
the held-out halves of XQuAD-vi dev and SQuAD2-vi unanswerable dev read from ../shared, skipped with a
message when absent), the decline threshold's trade-off curve (benchmarks/threshold_curve.py), the confidence levels
(benchmarks/confidence_levels.py) and
each speed benchmark script, each as a subprocess with the project's Python so a crash in one does not hide the others.
Writes docs/figures.md (all tables, with the machine they were measured on), per-set reports with
charts under docs/figures/, and the compact summary between the `<!-- figures:start -->` /
`<!-- figures:end -->` markers of README.md (nothing else in README.md).

`benchmarks/check_figures.py` runs the same evaluations and renders the same tables, then compares
them with the committed files instead of writing them.

    .venv/bin/python benchmarks/regenerate_figures.py
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa.evaluation.report import markdown_table, table_rows  # noqa: E402

VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
SHARED_LABELS = (
    "XQuAD-vi dev, held-out half (../shared)",
    "SQuAD2-vi unanswerable dev, held-out half (../shared)",
)
# The held-out news sets (docs/evaluation.md): (number, test set, its articles, report name). The
# threshold curve and the confidence table read the same list.
HELD_OUT_SETS = tuple(
    (n, REPO / "testsets" / testset, REPO / "testsets" / "corpora" / f"held_out_{n}", report)
    for n, testset, report in (
        (1, "unseen_qa.jsonl", "unseen_qa"),
        (2, "held_out_2_qa.jsonl", "held_out_2"),
        (3, "held_out_3_qa.jsonl", "held_out_3"),
        (4, "held_out_4_qa.jsonl", "held_out_4"),
        (5, "held_out_5_qa.jsonl", "held_out_5"),
    )
)
# The evaluations run with a fixed hash seed. bm25s orders its vocabulary by iterating a set of
# strings; that once made IDF weights depend on the process (fixed in qa/lexical.py
# `document_frequencies`). The pin stays so that no other set-order tie-break can move a figure
# between `make figures` and benchmarks/check_figures.py.
EVAL_ENV = {"PYTHONHASHSEED": "0"}
SPEED_SCRIPTS = ("bench_retrieve.py", "bench_ask.py", "bench_index_scale.py", "bench_ui.py")
FIGURES_MD = REPO / "docs" / "figures.md"
REPORTS = REPO / "docs" / "figures"
README = REPO / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
SUMMARY_COLUMNS = ("questions", "hit_at_1", "hit_at_5", "mrr_at_10", "containment", "exact_match", "citation_accuracy",
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


@dataclass(frozen=True)
class Evaluation:
    """One test set of the figures: its label in the tables, the name of its report, `qa eval`'s source."""

    label: str
    name: str
    args: tuple[str, ...]


def evaluations() -> list[Evaluation]:
    """The test sets measured, in table order; XQuAD only when ../shared holds it (said so if not).
    Sets with answerable questions also get a "fact removed" row (`qa eval --fact-missing`)."""
    removed = "--fact-missing"
    out = [
        Evaluation("Seed QA set (testsets/seed_qa.jsonl)", "seed_qa",
                   ("--testset", str(REPO / "testsets" / "seed_qa.jsonl"), removed)),
        # Held out: articles and questions the answerer is not calibrated on (docs/evaluation.md).
        *(
            Evaluation(f"Held-out articles {n} (testsets/{testset.name})", report,
                       ("--testset", str(testset), "--corpus", str(corpus), removed))
            for n, testset, corpus, report in HELD_OUT_SETS
        ),
        # Not held out: native news questions for developing the reader (split by article there).
        Evaluation("News development set (testsets/news_dev_qa.jsonl)", "news_dev",
                   ("--testset", str(REPO / "testsets" / "news_dev_qa.jsonl"),
                    "--corpus", str(REPO / "testsets" / "corpora" / "news_dev"), removed)),
    ]
    names = {SHARED_LABELS[0]: "xquad_vi", SHARED_LABELS[1]: "squad2_noans"}
    extra = {SHARED_LABELS[0]: (removed,), SHARED_LABELS[1]: ()}
    out += [
        Evaluation(label, names[label], ("--squad", str(path), *extra[label])) for label, path in held_out_benchmarks()
    ]
    return out


def held_out_benchmarks() -> list[tuple[str, Path]]:
    """The halves of ../shared's benchmarks the reader was not trained on (training/data.py), as
    SQuAD files under .index/ (derived, never committed); none when ../shared is absent (said so)."""
    from training.data import SQUAD2_NOANS, XQUAD, held_out_squad

    if not (XQUAD.exists() and SQUAD2_NOANS.exists()):
        print(f"skipping the ../shared benchmarks: {XQUAD.parent.parent} not found (never copied here)", flush=True)
        return []
    folder = REPO / ".index" / "benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    return [
        (SHARED_LABELS[0], held_out_squad(XQUAD, folder / "xquad-vi-held-out.json")),
        (SHARED_LABELS[1], held_out_squad(SQUAD2_NOANS, folder / "squad2-vi-noans-held-out.json")),
    ]


def run(label: str, command: list[str], env: Mapping[str, str] | None = None) -> bool:
    """Run one measurement, streaming its table; a failure is reported, not fatal to the others."""
    print(f"\n== {label}: {' '.join(command)}", flush=True)
    done = subprocess.run(command, cwd=REPO, env=None if env is None else {**os.environ, **env})
    if done.returncode:
        print(f"!! {label} failed with exit code {done.returncode}", file=sys.stderr)
    return done.returncode == 0


def measure_quality(
    work: Path, reports: Path, env: Mapping[str, str] | None = None
) -> tuple[dict[str, dict[str, Any]], bool]:
    """`qa eval` of every test set: {label: its JSON figures + `name`}, and whether all ran."""
    env = {**EVAL_ENV, **(env or {})}
    ok = True
    figures: dict[str, dict[str, Any]] = {}
    for ev in evaluations():
        out = work / f"{ev.name}.json"
        command = [PYTHON, "-m", "qa", "eval", *ev.args, "--json", str(out), "--report", str(reports / f"{ev.name}.md")]
        ok &= run(ev.label, command, env)
        if out.exists():
            figures[ev.label] = {"name": ev.name, **json.loads(out.read_text(encoding="utf-8"))}
    return figures, ok


def measure_speed(work: Path) -> tuple[dict[str, list[tuple[str, str]]], bool]:
    """Each speed benchmark script's JSON, flattened to (key, value) rows."""
    ok = True
    speed: dict[str, list[tuple[str, str]]] = {}
    for script in SPEED_SCRIPTS:
        path = REPO / "benchmarks" / script
        out = work / f"{path.stem}.json"
        ok &= run(script, [PYTHON, str(path), "--json", str(out)])
        if out.exists():
            speed[script] = flatten(json.loads(out.read_text(encoding="utf-8")))
    return speed, ok


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    commit = git.stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "python": platform.python_version(),
        "commit": commit or "unknown",
    }


def host_line(host: Mapping[str, str]) -> str:
    return f"{host['date']} · {host['nproc']} CPU(s), {host['cpu']} · Python {host['python']} · commit {host['commit']}"


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Benchmark JSON of any shape as (dotted key, value) rows: each script chooses its own fields."""
    if isinstance(value, dict):
        return [row for key, item in value.items() for row in flatten(item, f"{prefix}{key}.")]
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return [row for i, item in enumerate(value) for row in flatten(item, f"{prefix}{i}.")]
    if isinstance(value, float):
        text = f"{value:.4g}"
    else:
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return [(prefix.rstrip("."), text)]


def figures_markdown(eval_figures: Mapping[str, Mapping[str, Any]], speed: Mapping[str, list[tuple[str, str]]],
                     host: Mapping[str, str]) -> str:
    """docs/figures.md: one per-kind table per test set, then the speed tables."""
    lines = ["# Figures", "", "Generated by `make figures` (benchmarks/regenerate_figures.py); do not edit by hand.",
             "", f"Measured {host_line(host)}.", "", "How each figure is computed: [evaluation.md](evaluation.md).", ""]
    for label, data in eval_figures.items():
        meta = data["meta"]
        lines += [f"## {label}", "",
                  f"Model `{meta['embed_model']}`, top-k {meta['top_k']}, answers: {meta['llm']}, "
                  f"{meta['questions']} questions in {meta['elapsed_s']} s. "
                  f"Report with every failure: [figures/{data['name']}.md](figures/{data['name']}.md).", "",
                  markdown_table(table_rows(data["per_kind"])), "", f"![per kind](figures/{data['name']}.png)", ""]
    for script, rows in speed.items():
        lines += [f"## Speed: {script}", "", markdown_table([["measure", "value"], *map(list, rows)]), ""]
    return "\n".join(lines)


def summary_markdown(eval_figures: Mapping[str, Mapping[str, Any]], speed: Mapping[str, list[tuple[str, str]]],
                     host: Mapping[str, str]) -> str:
    """The README's figures block (without its markers): one row per test set, then the speed figures."""
    summary_rows = table_rows({label: data["overall"] for label, data in eval_figures.items()}, SUMMARY_COLUMNS,
                              label="test set")
    no_figures = "_No evaluation figures: see the log of `make figures`._"
    summary = [markdown_table(summary_rows) if eval_figures else no_figures]
    speed_rows = [[label, dict(speed[script])[key]] for script, key, label in SPEED_SUMMARY
                  if script in speed and key in dict(speed[script])]
    if speed_rows:
        summary += ["", markdown_table([["speed (seed corpus, default encoder)", "value"], *speed_rows])]
    summary += ["", f"Measured {host_line(host)}. All tables, per kind and speed: [docs/figures.md](docs/figures.md)."]
    return "\n".join(summary)


_BLOCK = re.compile(re.escape(START) + r"(.*?)" + re.escape(END), re.DOTALL)


def readme_block(text: str) -> str | None:
    """What stands between the README's figures markers, or None when they are missing."""
    found = _BLOCK.search(text)
    return found.group(1) if found else None


def replace_readme_block(summary: str) -> None:
    if not README.exists():
        print(f"warning: {README} not found; README summary not written", file=sys.stderr)
        return
    text = README.read_text(encoding="utf-8")
    if readme_block(text) is None:
        print(f"warning: {README} has no {START} … {END} block; README left untouched", file=sys.stderr)
        return
    README.write_text(_BLOCK.sub(lambda _: f"{START}\n{summary}\n{END}", text, count=1), encoding="utf-8")
    print(f"updated the figures block of {README}")


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    REPORTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="figures-"))
    eval_figures, ok = measure_quality(work, REPORTS)
    ok &= run("decline threshold trade-off", [PYTHON, str(REPO / "benchmarks" / "threshold_curve.py")], EVAL_ENV)
    ok &= run("confidence levels", [PYTHON, str(REPO / "benchmarks" / "confidence_levels.py")], EVAL_ENV)
    speed, speed_ok = measure_speed(work)
    ok &= speed_ok
    host = machine()
    FIGURES_MD.write_text(figures_markdown(eval_figures, speed, host), encoding="utf-8")
    print(f"\nwrote {FIGURES_MD}")
    replace_readme_block(summary_markdown(eval_figures, speed, host))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
