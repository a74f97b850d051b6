"""The chat server over time and under a flood: memory that plateaus, and a fair share for everyone.

Starts `qa serve` as a child process on a free port (the real app, real pipeline, the index built if
needed), so that its resident memory (RSS, from /proc: Linux) is the server's alone, then runs three
phases with gradio_client sessions, the way the chat's own page talks to the server:

1. baseline — `--users` ordinary users for `--phase` seconds, each asking the seed test set's
   questions one after another (a new session every `--per-session` questions, as people come and go);
2. flood — the same users, plus one client that sends `--flood` distinct 1,000-character questions
   at once, again and again as soon as its previous batch is done;
3. soak — the ordinary users again, for `--soak` seconds, RSS sampled every `--sample` seconds.

    .venv/bin/python benchmarks/soak_ui.py [--users 8] [--phase 60] [--soak 600] [--json out.json]

Passes (exit 0) when no ordinary user's question fails, their p95 latency under the flood is at most
twice the baseline's, and RSS over the last half of the soak grows by at most 5 % (its largest
sample against the sample at the half-way mark). Issue 12's figures: docs/ui.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gradio_client import Client  # noqa: E402

from qa import messages  # noqa: E402

QUESTIONS = REPO / "testsets" / "seed_qa.jsonl"
# A made-up filler sentence: the flooder's questions are this, numbered, up to 1,000 characters.
FLOOD_WORDS = "Xin cho biết thêm chi tiết về các chương trình hợp tác giữa các địa phương trong những năm gần đây "


@dataclass
class UserRecord:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "QA_PORT": str(port), "QA_HOST": "127.0.0.1"}
    log = log_path.open("w")
    server = subprocess.Popen([sys.executable, "-m", "qa", "serve"], cwd=REPO, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 900  # a first start may build the index
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"qa serve exited with {server.returncode}; see {log_path}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(1)
    server.kill()
    raise SystemExit(f"qa serve did not answer within 900 s; see {log_path}")


def reply_of(result: tuple) -> str:
    _, chat = result
    return str(chat[-1]["content"]) if chat else ""


def ordinary_user(url: str, questions: list[str], offset: int, until: float, per_session: int) -> UserRecord:
    """Ask questions in turn until `until`; a new session every `per_session` questions."""
    record, n, client = UserRecord(), 0, Client(url, verbose=False)
    while time.monotonic() < until:
        if n and n % per_session == 0:
            client = Client(url, verbose=False)
        question = f"{questions[(offset + n) % len(questions)]} ({n})"  # distinct: no cache hides work
        n += 1
        start = time.monotonic()
        try:
            reply = reply_of(client.submit(question, api_name="/ask").result(timeout=120))
        except Exception as exc:  # a refused or lost question is a failure to report, not a crash
            record.failures.append(f"{type(exc).__name__}: {exc}"[:200])
            continue
        if messages.GENERIC_ERROR in reply or messages.ONE_AT_A_TIME in reply or "qa-answer" not in reply:
            record.failures.append(reply[:200])
        else:
            record.latencies.append(time.monotonic() - start)
    return record


def flooder(url: str, size: int, until: float, stats: dict[str, int]) -> None:
    """One client sending `size` distinct 1,000-character questions at once, batch after batch."""
    client, batch = Client(url, verbose=False), 0
    while time.monotonic() < until:
        jobs = []
        for i in range(size):
            prefix = f"Câu {batch}-{i}: "
            text = (prefix + FLOOD_WORDS * 12)[:1000]
            try:
                jobs.append(client.submit(text, api_name="/ask"))
            except Exception:
                stats["refused"] += 1
        for job in jobs:
            try:
                reply = reply_of(job.result(timeout=300))
                stats["told to wait" if messages.ONE_AT_A_TIME in reply else "answered"] += 1
            except Exception:
                stats["refused"] += 1
        batch += 1


def run_users(url: str, questions: list[str], users: int, seconds: float, per_session: int) -> list[UserRecord]:
    until = time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=users) as pool:
        offsets = [u * 7 for u in range(users)]
        return list(pool.map(lambda o: ordinary_user(url, questions, o, until, per_session), offsets))


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    return f"{os.cpu_count()} CPU(s), {model or platform.machine()}, Python {platform.python_version()}"


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Figures:
    users: int
    baseline_questions: int
    baseline_p95_s: float
    flood_questions: int
    flood_p95_s: float
    flood_ratio: float
    flooder: dict[str, int]
    soak_s: float
    soak_questions: int
    soak_p95_s: float
    rss_start_mib: float
    rss_half_mib: float
    rss_end_mib: float
    rss_last_half_max_mib: float
    rss_growth_last_half: float
    failures: int
    machine: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8, help="ordinary users at once")
    parser.add_argument("--phase", type=float, default=60.0, help="seconds of the baseline and of the flood")
    parser.add_argument("--soak", type=float, default=600.0, help="seconds of the soak")
    parser.add_argument("--flood", type=int, default=100, help="questions the flooding client sends at once")
    parser.add_argument("--per-session", type=int, default=10, help="questions before a user opens a new session")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the figures (and RSS samples) here")
    args = parser.parse_args(argv)

    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = start_server(port, Path(os.environ.get("TMPDIR", "/tmp")) / f"soak_ui_server_{port}.log")
    try:
        Client(url, verbose=False).predict("Xin chào", api_name="/ask")  # warm-up
        baseline = run_users(url, questions, args.users, args.phase, args.per_session)

        stats = {"answered": 0, "told to wait": 0, "refused": 0}
        flood_until = time.monotonic() + args.phase
        flood_thread = threading.Thread(target=flooder, args=(url, args.flood, flood_until, stats))
        flood_thread.start()
        flooded = run_users(url, questions, args.users, args.phase, args.per_session)
        flood_thread.join()

        samples: list[tuple[float, float]] = []
        stop = threading.Event()

        def sample() -> None:
            start = time.monotonic()
            while not stop.is_set():
                samples.append((round(time.monotonic() - start, 1), round(rss_mib(server.pid), 1)))
                stop.wait(args.sample)

        sampler = threading.Thread(target=sample)
        sampler.start()
        soak = run_users(url, questions, args.users, args.soak, args.per_session)
        stop.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(30)

    def latencies(records: list[UserRecord]) -> list[float]:
        return [x for r in records for x in r.latencies]

    half = [rss for t, rss in samples if t >= args.soak / 2]
    base_p95, flood_p95 = p95(latencies(baseline)), p95(latencies(flooded))
    figures = Figures(
        users=args.users,
        baseline_questions=len(latencies(baseline)),
        baseline_p95_s=round(base_p95, 3),
        flood_questions=len(latencies(flooded)),
        flood_p95_s=round(flood_p95, 3),
        flood_ratio=round(flood_p95 / base_p95, 2),
        flooder=stats,
        soak_s=args.soak,
        soak_questions=len(latencies(soak)),
        soak_p95_s=round(p95(latencies(soak)), 3),
        rss_start_mib=samples[0][1],
        rss_half_mib=half[0],
        rss_end_mib=samples[-1][1],
        rss_last_half_max_mib=max(half),
        rss_growth_last_half=round(max(half) / half[0] - 1, 4),
        failures=sum(len(r.failures) for r in baseline + flooded + soak),
        machine=machine(),
    )
    for records in (baseline, flooded, soak):
        for failure in {f for r in records for f in r.failures}:
            print("failure:", failure)
    print(
        f"{figures.users} users · baseline p95 {figures.baseline_p95_s} s ({figures.baseline_questions} answers) · "
        f"under a flood of {args.flood} p95 {figures.flood_p95_s} s ({figures.flood_questions}), "
        f"×{figures.flood_ratio}; flooder {stats}\n"
        f"soak {args.soak:.0f} s, {figures.soak_questions} answers, p95 {figures.soak_p95_s} s · RSS MiB "
        f"start {figures.rss_start_mib}, half-way {figures.rss_half_mib}, end {figures.rss_end_mib}, "
        f"last-half max {figures.rss_last_half_max_mib} (growth {figures.rss_growth_last_half:+.1%}) · "
        f"failures {figures.failures} · {figures.machine}"
    )
    if args.json_path:
        args.json_path.write_text(json.dumps({**asdict(figures), "rss_samples": samples}, indent=1) + "\n")
    passed = figures.failures == 0 and figures.flood_ratio <= 2 and figures.rss_growth_last_half <= 0.05
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
