#!/usr/bin/env python
"""Check that the committed quality figures are what the code measures today.

Runs the evaluations `make figures` runs (benchmarks/regenerate_figures.py: the seed set, both
held-out sets over their own corpora, XQuAD-vi dev from ../shared when present), renders the tables
from that one run exactly as `make figures` would, and compares them, cell by cell, with the
committed ones: the README's figures block, docs/figures.md's per-kind tables and the per-set reports
docs/figures/<set>.md. Nothing in the repository is written.

Compared, with these tolerances:
- `n` (questions): exactly;
- rates (hit@k, MRR@10, contains, EM, F1, cites gold, abst. P / R, answered, correct): within
  RATE_TOLERANCE = 0.002, i.e. the printed value (3 decimals) may differ in its last digit, and on
  XQuAD-vi (612 questions, 1/612 = 0.0016) by one question, to allow for floating-point differences
  between CPUs; on the other sets one question is ≥ 0.013 (1/77), so every changed answer is caught;
- median answer length (chars): within CHARS_TOLERANCE = 1 % of the committed value (one answer
  moving the median to its neighbour), at least 1 char.
Latency and speed figures are not compared: they measure the machine, not the code.

Exit status: 0 all match; 1 a figure moved (each is named: test set, table, row, column, committed →
measured) or a row is missing; 2 an evaluation failed to run. When ../shared is absent the XQuAD rows
are skipped, with a message.

    .venv/bin/python benchmarks/check_figures.py [--index-dir DIR] [--work DIR] [--no-run]

`--index-dir` sets QA_INDEX_DIR for the evaluations (default: the environment's, else .index/); a
fresh folder measures a cold start, as on a clean clone (every index built, every text embedded).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import regenerate_figures as figures

RATE_TOLERANCE = 0.002
CHARS_TOLERANCE = 0.01
COUNT_COLUMNS = {"n"}
RATE_COLUMNS = {"hit@1", "hit@3", "hit@5", "MRR@10", "contains", "EM", "F1", "cites gold", "abst. P", "abst. R",
                "answered", "correct"}
CHARS_COLUMNS = {"median chars"}
NOT_COMPARED = {"p50 ms", "p95 ms"}  # latency: noise of the machine
NOT_AVAILABLE = "n/a"

Table = list[list[str]]  # header row, then rows; first cell of each row is its key


@dataclass(frozen=True)
class Moved:
    test_set: str
    where: str  # which committed table
    row: str
    column: str
    committed: str
    measured: str

    def __str__(self) -> str:
        row = "all" if self.row == self.test_set else self.row  # the README's row is the set's overall one
        return (f"{self.test_set} [{self.where}] {row} · {self.column}: "
                f"committed {self.committed} → measured {self.measured}")


def markdown_tables(text: str) -> dict[str | None, list[Table]]:
    """Every markdown table of the text, under the `## ` heading it follows (None before any)."""
    out: dict[str | None, list[Table]] = {}
    heading: str | None = None
    current: Table | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("## "):
            heading = stripped[3:].strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if all(set(c) <= set("-: ") and c for c in cells):
                continue  # the |---| separator
            if current is None:
                current = []
                out.setdefault(heading, []).append(current)
            current.append(cells)
        else:
            current = None
    return out


def first_table(text: str, heading: str | None = None) -> Table | None:
    tables = markdown_tables(text).get(heading)
    return tables[0] if tables else None


def within(column: str, committed: str, measured: str) -> bool:
    """Whether a measured cell matches the committed one under the column's tolerance."""
    if committed == measured:
        return True
    if NOT_AVAILABLE in (committed, measured):
        return False
    try:
        have, got = float(committed), float(measured)
    except ValueError:
        return False
    if column in RATE_COLUMNS:
        return abs(have - got) <= RATE_TOLERANCE + 1e-9
    if column in CHARS_COLUMNS:
        return abs(have - got) <= max(1.0, CHARS_TOLERANCE * abs(have))
    return False  # counts, and any column not listed: exactly


def compare(test_set: str, where: str, committed: Table | None, measured: Table | None,
            rows: set[str] | None = None) -> list[Moved | str]:
    """Every compared cell of `committed` that `measured` does not match (only `rows`, if given)."""
    if committed is None:
        return [f"{test_set} [{where}]: no table in the committed file"]
    if measured is None:
        return [f"{test_set} [{where}]: nothing measured"]
    problems: list[Moved | str] = []
    have_header, got_header = committed[0], measured[0]
    got_rows = {row[0]: dict(zip(got_header, row, strict=False)) for row in measured[1:]}
    have_keys = {row[0] for row in committed[1:]}
    for row in committed[1:]:
        key = row[0]
        if rows is not None and key not in rows:
            continue
        if key not in got_rows:
            problems.append(f"{test_set} [{where}] row {key!r}: committed, not measured")
            continue
        for column, value in zip(have_header[1:], row[1:], strict=False):
            if column in NOT_COMPARED:
                continue
            measured_value = got_rows[key].get(column)
            if measured_value is None:
                problems.append(f"{test_set} [{where}] column {column!r}: committed, not measured")
            elif not within(column, value, measured_value):
                problems.append(Moved(test_set, where, key, column, value, measured_value))
    for key in got_rows:
        if (rows is None or key in rows) and key not in have_keys:
            problems.append(f"{test_set} [{where}] row {key!r}: measured, not in the committed table")
    return problems


def check(eval_figures: dict[str, dict[str, Any]], expected: list[figures.Evaluation]) -> list[Moved | str]:
    """Compare the tables rendered from `eval_figures` with the committed README block, docs/figures.md
    and docs/figures/<set>.md."""
    host = figures.machine()
    problems: list[Moved | str] = []
    readme = figures.readme_block(figures.README.read_text(encoding="utf-8"))
    committed_summary = first_table(readme) if readme is not None else None
    measured_summary = first_table(figures.summary_markdown(eval_figures, {}, host))
    committed_md = figures.FIGURES_MD.read_text(encoding="utf-8")
    measured_md = figures.figures_markdown(eval_figures, {}, host)
    labels = {ev.label for ev in expected}
    skipped = not set(figures.SHARED_LABELS) <= labels
    for ev in expected:
        problems += compare(ev.label, "README", committed_summary, measured_summary, rows={ev.label})
        problems += compare(ev.label, "docs/figures.md", first_table(committed_md, ev.label),
                            first_table(measured_md, ev.label))
        report = figures.REPORTS / f"{ev.name}.md"
        measured_report = eval_figures.get(ev.label, {}).get("report")
        problems += compare(ev.label, f"docs/figures/{ev.name}.md",
                            first_table(report.read_text(encoding="utf-8")) if report.exists() else None,
                            first_table(measured_report) if measured_report else None)
    # A committed test set that is no longer measured (renamed, dropped) is a moved figure too.
    committed_sets = {row[0] for row in (committed_summary or [[]])[1:]}
    for label in sorted(committed_sets - labels):
        if skipped and label in figures.SHARED_LABELS:
            continue
        problems.append(f"{label} [README]: committed, no longer measured")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index-dir", type=Path, help="QA_INDEX_DIR for the evaluations (a new folder: cold start)")
    parser.add_argument("--work", type=Path, help="where the evaluations' JSON and reports go (default: a temp folder)")
    parser.add_argument("--no-run", action="store_true", help="compare the JSON already in --work, without running")
    args = parser.parse_args(argv)
    if args.no_run and not args.work:
        parser.error("--no-run needs --work")

    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="check-figures-"))
    work.mkdir(parents=True, exist_ok=True)
    expected = figures.evaluations()
    if args.no_run:
        eval_figures, ok = {}, True
        for ev in expected:
            path = work / f"{ev.name}.json"
            if path.exists():
                eval_figures[ev.label] = {"name": ev.name, **json.loads(path.read_text(encoding="utf-8"))}
    else:
        env = {"QA_INDEX_DIR": str(args.index_dir)} if args.index_dir else None
        eval_figures, ok = figures.measure_quality(work, work, env)
    for ev in expected:
        report = work / f"{ev.name}.md"
        if ev.label in eval_figures and report.exists():
            eval_figures[ev.label]["report"] = report.read_text(encoding="utf-8")
    problems = check(eval_figures, expected)
    elapsed = time.perf_counter() - started

    print(f"\nfigures check: {len(expected)} test set(s) measured in {elapsed / 60:.1f} min "
          f"(rates ±{RATE_TOLERANCE}, median chars ±{CHARS_TOLERANCE:.0%}, n exact; latency not compared)")
    if not set(figures.SHARED_LABELS) <= {ev.label for ev in expected}:
        print("note: the ../shared benchmarks were not checked: ../shared not found")
    if not ok:
        print("FAILED: an evaluation did not run (see above)", file=sys.stderr)
        return 2
    if problems:
        print(f"MOVED: {len(problems)} figure(s) differ from the committed ones "
              "(a changed figure is either a bug or a change to re-measure with `make figures`):")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print("OK: every quality figure matches the committed README block, docs/figures.md and docs/figures/*.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
