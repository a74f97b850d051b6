"""BM25 build cost of `LexicalIndex.build`: CPU seconds and peak memory, on passages of real words.

Passages are the paragraphs of SQuAD-format files (by default XQuAD-vi and SQuAD2-vi in
../shared/benchmarks; no text of them is kept in this repository), their words shuffled and cut into
passages of ~735 characters. With --check, the index is also built the straightforward way (bm25s
from each passage's token strings, `qa.lexical.passage_tokens`) and the two compared on the files'
questions (scores, accented and typed without diacritics) and on `document_frequencies()`.

    .venv/bin/python benchmarks/bench_lexical_build.py [--passages 10000] [--workers 0] [--check] [--memory]
        [--json out.json]

CPU time (of the process and of the worker processes that split texts into syllables, `--workers`,
as `QA_BUILD_WORKERS`: 0 is one per core), which should not depend on what else the machine runs,
and wall time, which does: note the load average printed with it. --memory builds a second time
under tracemalloc (slower) for the peak of Python allocations.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bm25s  # noqa: E402

from qa.lexical import LexicalIndex, passage_tokens, query_tokens  # noqa: E402
from qa.text import fold  # noqa: E402

SHARED = REPO.parent / "shared" / "benchmarks"
DEFAULT_FILES = [SHARED / "xquad-vi" / "dev.json", SHARED / "squad2-vi-noans" / "dev.json"]


def paragraphs_and_questions(files: list[Path]) -> tuple[list[str], list[str]]:
    contexts, questions = [], []
    for path in files:
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                contexts.append(paragraph["context"])
                questions += [qa["question"] for qa in paragraph["qas"]]
    return contexts, questions


def shuffled_passages(contexts: list[str], n: int, chars: int = 735, seed: int = 0) -> list[str]:
    words = " ".join(contexts).split()
    rng = random.Random(seed)
    passages = []
    for i in range(n):
        if i % 50 == 0:
            rng.shuffle(words)
        start = rng.randrange(len(words) - 400)
        taken, length = [], 0
        while length < chars:
            taken.append(words[start + len(taken)])
            length += len(taken[-1]) + 1
        passages.append(" ".join(taken))
    return passages


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def reference_scores(reference: bm25s.BM25, question: str) -> np.ndarray:
    known = [t for t in query_tokens(question) if t in reference.vocab_dict]
    return reference.get_scores(known) if known else np.zeros(reference.scores["num_docs"], dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--files", type=Path, nargs="+", default=DEFAULT_FILES)
    parser.add_argument("--workers", type=int, default=0, help="processes splitting texts (0: one per core)")
    parser.add_argument("--check", action="store_true", help="compare with bm25s on token strings")
    parser.add_argument("--memory", action="store_true", help="peak memory of a second build (tracemalloc)")
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args()
    contexts, questions = paragraphs_and_questions(args.files)
    texts = shuffled_passages(contexts, args.passages)
    row: dict = {"passages": len(texts), "mean_chars": round(sum(map(len, texts)) / len(texts))}

    row["workers"], row["load_average_before"] = args.workers, round(os.getloadavg()[0], 2)
    cpu, wall = cpu_seconds(), time.perf_counter()
    index = LexicalIndex.build(texts, workers=args.workers)
    row["build_cpu_s"] = round(cpu_seconds() - cpu, 2)
    row["build_wall_s"] = round(time.perf_counter() - wall, 2)
    row["syllables"], row["bigrams"] = index.n_syllables, len(index.pairs)
    if args.memory:
        del index
        tracemalloc.start()
        index = LexicalIndex.build(texts, workers=args.workers)
        row["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    if args.check:
        started = time.process_time()
        reference = bm25s.BM25()
        reference.index([passage_tokens(text) for text in texts], show_progress=False)
        row["reference_build_cpu_s"] = round(time.process_time() - started, 2)
        asked = random.Random(1).sample(questions, min(300, len(questions)))
        asked += [fold(q) for q in asked[:100]]
        row["questions"] = len(asked)
        row["max_abs_score_diff"] = max(
            float(np.abs(index.scores(q) - reference_scores(reference, q)).max()) for q in asked
        )
        row["same_vocabulary"] = set(index.tokens()) == set(reference.vocab_dict) - {""}
    for key, value in row.items():
        print(f"{key:<26} {value}")
    if args.json_path:
        args.json_path.write_text(json.dumps(row, indent=1))


if __name__ == "__main__":
    main()
