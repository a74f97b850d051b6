"""Evaluation output: the table on stdout, the JSON file with every number, the markdown report.

The table functions take plain mappings (`Figures.to_dict()` values, as stored in the JSON), so
`benchmarks/regenerate_figures.py` renders the same tables from saved JSON files.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.evaluation.runner import QuestionResult
from qa.evaluation.summary import OVERALL, Figures

FigureRows = Mapping[str, Mapping[str, Any]]  # kind -> Figures.to_dict()


def _ratio(value: float) -> str:
    return f"{value:.3f}"


def _ms(value: float) -> str:
    return f"{value:.0f}"


def _count(value: float) -> str:
    return f"{value:.0f}"


# (header, Figures field, formatter): the column order of every table.
COLUMNS: tuple[tuple[str, str, Callable[[float], str]], ...] = (
    ("n", "questions", _count),
    ("hit@1", "hit_at_1", _ratio),
    ("hit@3", "hit_at_3", _ratio),
    ("hit@5", "hit_at_5", _ratio),
    ("MRR@10", "mrr_at_10", _ratio),
    ("contains", "containment", _ratio),
    ("EM", "exact_match", _ratio),
    ("F1", "f1", _ratio),
    ("cites gold", "citation_accuracy", _ratio),
    ("abst. P", "abstention_precision", _ratio),
    ("abst. R", "abstention_recall", _ratio),
    ("answered", "answered_rate", _ratio),
    ("correct", "correct", _ratio),
    ("p50 ms", "latency_p50_ms", _ms),
    ("p95 ms", "latency_p95_ms", _ms),
    ("median chars", "median_answer_chars", _count),
)

# The figures charted per kind: one retrieval, one answer, one overall verdict.
CHART_SERIES = (("hit@5", "hit_at_5"), ("answer contains gold", "containment"), ("correct", "correct"))


def table_rows(by_kind: FigureRows, columns: Sequence[str] | None = None, label: str = "kind") -> list[list[str]]:
    """Header row, then one row per kind (or per `label`); undefined figures read "n/a"."""
    chosen = [c for c in COLUMNS if columns is None or c[1] in columns]
    rows = [[label, *(header for header, _, _ in chosen)]]
    for kind, figures in by_kind.items():
        rows.append([kind, *("n/a" if figures.get(field) is None else fmt(figures[field]) for _, field, fmt in chosen)])
    return rows


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return "\n".join(lines)


def plain(by_kind: Mapping[str, Figures]) -> dict[str, dict[str, Any]]:
    return {kind: figures.to_dict() for kind, figures in by_kind.items()}


def curve_rows(curve: Mapping[str, Sequence[float | None]]) -> list[list[str]]:
    """`summary.threshold_curve` as a table: one row per threshold."""
    columns = list(curve)

    def cell(value: float | None) -> str:
        return "n/a" if value is None else _ratio(value)

    thresholds = curve["threshold"]
    return [columns] + [[f"{t:.2f}", *(cell(curve[c][i]) for c in columns[1:])] for i, t in enumerate(thresholds)]


def write_json(
    path: Path,
    meta: Mapping[str, Any],
    by_kind: Mapping[str, Figures],
    results: Sequence[QuestionResult],
    curve: Mapping[str, Sequence[float | None]] | None = None,
) -> None:
    """All numbers: run metadata, figures overall and per kind, the threshold's trade-off, and every
    question's result."""
    figures = plain(by_kind)
    data = {
        "meta": dict(meta),
        "overall": figures[OVERALL],
        "per_kind": figures,
        "threshold_curve": dict(curve or {}),
        "questions": [r.to_dict() for r in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_chart(path: Path, by_kind: FigureRows) -> None:
    """Grouped bars per kind; a figure undefined for a kind (n/a) is left out rather than drawn as 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(by_kind)
    width = 0.8 / len(CHART_SERIES)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(kinds) + 2), 4.0))
    for i, (label, field) in enumerate(CHART_SERIES):
        values = [float("nan") if by_kind[k].get(field) is None else by_kind[k][field] for k in kinds]
        ax.bar([x + (i - (len(CHART_SERIES) - 1) / 2) * width for x in range(len(kinds))], values, width, label=label)
    ax.set_xticks(range(len(kinds)), [f"{k}\n(n={by_kind[k]['questions']})" for k in kinds], fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("rate")
    ax.legend(fontsize=8, ncol=len(CHART_SERIES), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _failure_lines(result: QuestionResult) -> list[str]:
    record = result.record
    gold = " / ".join(f"`{a}`" for a in record.answers) if record.answers else "*(should decline)*"
    got = ("*(declined)* " if result.abstained else "") + " ".join(result.answer_text.split())
    if len(got) > 300:
        got = got[:300] + "…"
    lines = [f"- **{record.id}** ({record.kind}): {record.question}"]
    if record.history:
        lines.append(f"  - after: {' → '.join(record.history)}")
    if result.searched != record.question:
        lines.append(f"  - searched: {result.searched}")
    lines += [
        f"  - gold: {gold}; gold article: {', '.join(record.articles) or '–'}; gold rank: {result.gold_rank or '–'}",
        f"  - got: {got}",
    ]
    return lines


def write_report(
    path: Path,
    meta: Mapping[str, Any],
    by_kind: Mapping[str, Figures],
    results: Sequence[QuestionResult],
    curve: Mapping[str, Sequence[float | None]] | None = None,
) -> Path:
    """Markdown report with the per-kind chart (`<report stem>.png`, next to it), the threshold's
    trade-off and every failure."""
    chart = path.with_suffix(".png")
    figures = plain(by_kind)
    write_chart(chart, figures)
    failures = [r for r in results if not r.correct]
    lines = [
        f"# Evaluation: {meta.get('source', '')}",
        "",
        *(f"- {key}: `{value}`" for key, value in meta.items()),
        "",
        markdown_table(table_rows(figures)),
        "",
        f"![per-kind figures]({chart.name})",
        "",
        *(
            [
                "## The decline threshold's trade-off",
                "",
                f"Read off each question's P(answerable); this run's threshold: {meta.get('abstain_threshold')} "
                "(QA_ABSTAIN_THRESHOLD moves it).",
                "",
                markdown_table(curve_rows(curve)),
                "",
            ]
            if curve
            else []
        ),
        f"## Failures ({len(failures)} of {len(results)})",
        "",
        "A failure is an answerable question whose answer does not contain a gold answer, or a question "
        "that should have been declined and was answered.",
        "",
        *(line for r in failures for line in _failure_lines(r)),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return chart
