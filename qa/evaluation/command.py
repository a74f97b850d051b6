"""`qa eval`: pick the questions and the corpus, run them, print and write the figures."""
from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.evaluation import report
from qa.evaluation.fact_missing import KIND, fact_missing_copies
from qa.evaluation.runner import run_testset
from qa.evaluation.squad import load_squad, write_corpus
from qa.evaluation.summary import summarize, summarize_by_kind, threshold_curve
from qa.evaluation.testset import QARecord, load_testset
from qa.settings import Settings

log = logging.getLogger(__name__)


def _questions(settings: Settings, testset: Path | None, squad: Path | None) -> tuple[Settings, list[QARecord], str]:
    """The settings to run with (a SQuAD file brings its own corpus), the records, and a source label."""
    if squad is not None:
        benchmark = load_squad(squad)
        corpus_dir = write_corpus(benchmark.articles, settings.index.dir)
        log.info("SQuAD corpus: %d paragraphs in %s", len(benchmark.articles), corpus_dir)
        return settings.override(corpus_dir=corpus_dir), benchmark.records, str(squad)
    if testset is None:
        raise ValueError("run_eval needs a test set or a SQuAD file")
    return settings, load_testset(testset), str(testset)


def run_eval(
    settings: Settings,
    testset: Path | None = None,
    squad: Path | None = None,
    limit: int | None = None,
    json_path: Path | None = None,
    report_path: Path | None = None,
    fact_missing: bool = False,
) -> int:
    """Run the questions through `Pipeline(settings)`, print the table, write what was asked for.
    `fact_missing`: ask every answerable question again without the sentences holding its answer
    (qa.evaluation.fact_missing) and add a row: how often the product then declines."""
    from qa.api import Pipeline

    settings, records, source = _questions(settings, testset, squad)
    if limit is not None:
        records = records[: max(limit, 0)]
    started = datetime.now(UTC)
    clock = time.perf_counter()
    pipeline = Pipeline(settings)
    pipeline.prepare(progress=True)
    results = run_testset(pipeline, records, settings.retrieval.top_k)
    by_kind = summarize_by_kind(results)
    if fact_missing:
        removed = run_testset(pipeline, fact_missing_copies(records), settings.retrieval.top_k)
        by_kind[KIND] = summarize(removed)  # a row of its own, kept out of "all"
        results += removed
    curve = threshold_curve(results)
    meta: dict[str, Any] = {
        "source": source,
        "corpus_dir": str(settings.corpus.dir),
        "embed_model": settings.index.embed_model,
        "top_k": settings.retrieval.top_k,
        "abstain_threshold": pipeline.reader.threshold,
        "llm": settings.llm.model or "none (extractive)",
        "questions": len(results),
        "started_at": started.isoformat(timespec="seconds"),
        "elapsed_s": round(time.perf_counter() - clock, 1),
    }
    print(f"{source}: {len(results)} questions, corpus {settings.corpus.dir}\n")
    print(report.text_table(report.table_rows(report.plain(by_kind))))
    print(f"\nthe decline threshold's trade-off (now {pipeline.reader.threshold:.2f}; QA_ABSTAIN_THRESHOLD):\n")
    print(report.text_table(report.curve_rows(curve)))
    if json_path is not None:
        report.write_json(json_path, meta, by_kind, results, curve)
        print(f"\nfigures written to {json_path}")
    if report_path is not None:
        chart = report.write_report(report_path, meta, by_kind, results, curve)
        print(f"report written to {report_path} (chart {chart})")
    return 0
