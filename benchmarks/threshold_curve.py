"""The decline threshold's trade-off, measured: for every threshold, the share of answerable
questions whose answer is given and holds the gold answer, and the share of unanswerable questions
declined, on the sets the reader was not trained on, and of their answerable questions asked with the
fact removed (`qa eval --fact-missing`).

Each question is asked once, as `qa eval` asks it (the threshold only changes the verdict, not the
answer it would give); the curve is then read off the probabilities (`qa.evaluation.summary.
threshold_curve`, the table `qa eval` prints). Writes docs/figures/threshold_curve.md and .png.

    .venv/bin/python benchmarks/threshold_curve.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import regenerate_figures as figures  # noqa: E402

from qa.api import Pipeline  # noqa: E402
from qa.evaluation.fact_missing import fact_missing_copies  # noqa: E402
from qa.evaluation.runner import run_testset  # noqa: E402
from qa.evaluation.squad import load_squad, write_corpus  # noqa: E402
from qa.evaluation.summary import threshold_curve  # noqa: E402
from qa.evaluation.testset import QARecord, load_testset  # noqa: E402
from qa.reader.model import AnswerabilityModel  # noqa: E402
from qa.settings import Settings  # noqa: E402

OUT = REPO / "docs" / "figures" / "threshold_curve"
GRID = np.round(np.arange(0.0, 1.0001, 0.05), 2)


def sets(settings: Settings) -> list[tuple[str, Path, list[QARecord]]]:
    """(label, corpus folder, records) of every set measured."""
    out = [(f"held-out {n}", corpus, load_testset(testset)) for n, testset, corpus, _ in figures.HELD_OUT_SETS]
    for label, path in figures.held_out_benchmarks():
        benchmark = load_squad(path)
        out.append((label, write_corpus(benchmark.articles, settings.index.dir), benchmark.records))
    return out


def main() -> int:
    settings = Settings.load()
    shipped = AnswerabilityModel.load().threshold
    curves: dict[str, dict[str, np.ndarray]] = {}
    for label, corpus, asked in sets(settings):
        records = asked + fact_missing_copies(asked)  # each answerable question also with its fact removed
        pipeline = Pipeline(settings.override(corpus_dir=corpus))
        pipeline.prepare(progress=True)
        curve = threshold_curve(run_testset(pipeline, records, settings.retrieval.top_k), GRID.tolist())
        curves[label] = {name: np.array(values, dtype=float) for name, values in curve.items() if name != "threshold"}
        print(f"{label}: {len(records)} questions", flush=True)

    header = ["threshold", *(f"{label}: {name}" for label, c in curves.items() for name in c)]
    lines = [
        "# The decline threshold's trade-off",
        "",
        f"Shipped threshold: **{shipped:.2f}** (qa/reader/abstention.json; QA_ABSTAIN_THRESHOLD moves it). "
        "Sets the reader was not trained on. Written by benchmarks/threshold_curve.py.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for i, t in enumerate(GRID):
        cells = [f"{t:.2f}"] + [f"{c[name][i]:.3f}" for c in curves.values() for name in c]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "![trade-off](threshold_curve.png)", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10.5, 4.5))
    for label, curve in curves.items():
        for name, values in curve.items():
            ax.plot(GRID, values, linestyle="-" if "declined" in name else "--", marker=".", label=f"{label}: {name}")
    ax.axvline(shipped, color="grey", linewidth=1)
    ax.set_xlabel("threshold on P(answerable)")
    ax.set_ylabel("share of questions")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(OUT.with_suffix(".png"), dpi=110)
    print(f"wrote {OUT.with_suffix('.md').relative_to(REPO)} and .png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
