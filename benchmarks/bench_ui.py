"""How the chat holds up under several users at once: the real app, through its real queue.

Starts the Gradio app (real pipeline, index built if needed) on a free port on 127.0.0.1, then
`--clients` gradio_client sessions ask `--per-client` questions each, all at the same time, like
people chatting (each session keeps its own conversation, so later questions carry history). The
run is bounded twice: by the number of questions and by `--time-limit` seconds, after which
unanswered questions are counted as timed out and the script stops.

    .venv/bin/python benchmarks/bench_ui.py [--clients 8] [--per-client 5] [--json out.json]

Prints answers per second (over the whole run) and latency p50/p95 (per question, seconds).
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gradio_client import Client  # noqa: E402

from qa import messages  # noqa: E402
from qa.api import Pipeline  # noqa: E402
from qa.settings import Settings  # noqa: E402
from ui.app import launch  # noqa: E402

DEFAULT_QUESTIONS = REPO / "testsets" / "seed_qa.jsonl"


@dataclass(frozen=True)
class Figures:
    clients: int
    questions: int
    answered: int
    failed: int
    timed_out: int
    wall_s: float
    answers_per_s: float
    latency_p50_s: float
    latency_p95_s: float
    concurrency_limit: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_questions(path: Path) -> list[str]:
    """The test set's questions (JSON Lines, field `question`), or the UI's examples without one."""
    if not path.exists():
        return list(messages.SEED_EXAMPLES)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def replied_with_answer(result: tuple) -> bool:
    """The chat's last message is the reply; an error shows as the generic error notice."""
    _, chat = result
    return bool(chat) and messages.GENERIC_ERROR not in str(chat[-1]["content"])


def run_client(url: str, questions: list[str], deadline: float) -> list[float | str | None]:
    """One user: ask each question in turn. Per question: latency in seconds, "failed", or None
    when the deadline passed first."""
    client = Client(url, verbose=False)
    outcomes: list[float | str | None] = []
    for question in questions:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            outcomes.append(None)
            continue
        start = time.monotonic()
        try:
            result = client.submit(question, api_name="/ask").result(timeout=remaining)
        except TimeoutError:
            outcomes.append(None)
            continue
        outcomes.append(time.monotonic() - start if replied_with_answer(result) else "failed")
    return outcomes


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (NaN when nothing was answered: no latency to report)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def measure(
    url: str, questions: list[str], clients: int, per_client: int, time_limit: float, concurrency_limit: int
) -> Figures:
    """Each client starts at a different place in the question list, so they do not all ask the same
    question at the same moment."""
    plans = [
        [questions[(c * per_client + i) % len(questions)] for i in range(per_client)] for c in range(clients)
    ]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        runs = list(pool.map(lambda plan: run_client(url, plan, start + time_limit), plans))
    wall = time.monotonic() - start
    outcomes = [o for run in runs for o in run]
    latencies = [o for o in outcomes if isinstance(o, float)]
    return Figures(
        clients=clients,
        questions=len(outcomes),
        answered=len(latencies),
        failed=outcomes.count("failed"),
        timed_out=outcomes.count(None),
        wall_s=round(wall, 2),
        answers_per_s=round(len(latencies) / wall, 2),
        latency_p50_s=round(percentile(latencies, 50), 3),
        latency_p95_s=round(percentile(latencies, 95), 3),
        concurrency_limit=concurrency_limit,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="simultaneous chat users")
    parser.add_argument("--per-client", type=int, default=5, help="questions each user asks")
    parser.add_argument("--time-limit", type=float, default=300.0, help="stop after this many seconds")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="JSON Lines test set")
    parser.add_argument("--corpus", type=Path, help="article folder (default: QA_CORPUS_DIR or seeds/)")
    parser.add_argument("--index-dir", type=Path, help="index folder (default: QA_INDEX_DIR or .index/)")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    settings = Settings.load(corpus_dir=args.corpus, index_dir=args.index_dir)
    pipeline = Pipeline(settings)
    pipeline.prepare(progress=True)  # loads (or builds) the index, as `qa serve` does before serving
    app, url, _ = launch(pipeline, "127.0.0.1", free_port())
    try:
        Client(url, verbose=False).predict("Xin chào", api_name="/ask")  # warm-up: encoder loaded
        figures = measure(
            url, load_questions(args.questions), args.clients, args.per_client, args.time_limit,
            settings.serving.concurrency,
        )
    finally:
        app.close()

    print(
        f"{figures.clients} clients, {figures.questions} questions: {figures.answered} answered, "
        f"{figures.failed} failed, {figures.timed_out} timed out in {figures.wall_s} s\n"
        f"answers/s {figures.answers_per_s}   latency p50 {figures.latency_p50_s} s   "
        f"p95 {figures.latency_p95_s} s   (queue concurrency limit {figures.concurrency_limit})"
    )
    if args.json_path:
        args.json_path.write_text(json.dumps(asdict(figures), indent=2) + "\n", encoding="utf-8")
    return 0 if figures.failed == 0 and figures.timed_out == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
