"""The training material: the benchmarks in ../shared, read as corpora with their questions, and the
split by article that every reported figure respects.

- XQuAD-vi dev: answerable questions with gold spans (open over its 120 paragraphs);
- SQuAD2-vi unanswerable dev: adversarial questions none of its paragraphs answers (open over them);
- vi-answerability: native Vietnamese questions, each paired with several short passages; a question
  is asked once, open over all the passages, and answered by the spans of its answerable pairs (a
  question none of its passages answers is unanswerable);
- the project's seed QA set over seeds/ (news, the product's own genre; all of it trains, none of it
  is held out, so the seed set's figures are not held-out figures);
- the news development set over testsets/corpora/news_dev/ (native news: answerable questions and
  near-miss ones the article does not answer, on the same articles).

Half the articles (half the questions, for vi-answerability) of the ../shared benchmarks and of the
news development set are held out by a hash of the title (the article id): the shipped model never
sees them, and the figures in docs/answering.md are measured on them. The held-out sets of testsets/
are never read here.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.evaluation.squad import parse_squad
from qa.evaluation.testset import load_testset
from qa.text import normalize
from qa.types import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "benchmarks"
XQUAD = SHARED / "xquad-vi" / "dev.json"
SQUAD2_NOANS = SHARED / "squad2-vi-noans" / "dev.json"
VI_PAIRS = SHARED / "vi-answerability" / "pairs.json"
NEWS_DEV = REPO / "testsets" / "news_dev_qa.jsonl"
NEWS_DEV_CORPUS = REPO / "testsets" / "corpora" / "news_dev"


def held_out(key: str) -> bool:
    """The split: True for the half of the articles (or questions) kept out of training."""
    return zlib.crc32(key.encode("utf-8")) % 2 == 1


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]  # empty: nothing in the corpus answers it
    split_key: str | None  # the article title (the question for vi-answerability); None: always trains
    gold_titles: tuple[str, ...] = ()  # the documents it was asked on (answerable questions)

    @property
    def held_out(self) -> bool:
        return self.split_key is not None and held_out(self.split_key)


@dataclass(frozen=True)
class Benchmark:
    name: str
    articles: list[Article]  # written out as a corpus, unless `corpus_dir` is given
    questions: list[Question]
    corpus_dir: Path | None = None


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def squad_benchmark(name: str, path: Path) -> Benchmark:
    """A SQuAD-format file read as `qa eval --squad` reads it (one article per paragraph), document
    by document, so that every question keeps its document's title for the split."""
    articles: list[Article] = []
    questions: list[Question] = []
    for document in read_json(path)["data"]:
        part = parse_squad({"data": [document]})
        title = document.get("title") or ""
        articles += part.articles
        questions += [
            Question(r.id, r.question, r.answers, title, (title,) if r.answers else ()) for r in part.records
        ]
    return Benchmark(name, articles, questions)


def pairs_benchmark(path: Path = VI_PAIRS) -> Benchmark:
    """vi-answerability as an open corpus: each distinct passage an article, each question once."""
    passages: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    titles: dict[str, set[str]] = {}
    for document in read_json(path)["data"]:
        for paragraph in document["paragraphs"]:
            context = normalize(paragraph["context"])
            article_id = passages.setdefault(context, f"p{len(passages):05d}")
            for qa in paragraph["qas"]:
                question = normalize(qa["question"]).strip()
                spans = answers.setdefault(question, [])
                if not qa.get("is_impossible"):
                    spans += [normalize(a["text"]).strip() for a in qa.get("answers", []) if a["text"].strip()]
                    titles.setdefault(question, set()).add(article_id)
    # The file groups passages under their question: a title would leak it, so titles are neutral.
    articles = [Article(id=article_id, title=f"Đoạn {article_id}", body=text) for text, article_id in passages.items()]
    questions = [
        Question(
            f"vi-{n:04d}", question, tuple(dict.fromkeys(spans)),
            question,
            tuple(sorted(titles.get(question, ()))),
        )
        for n, (question, spans) in enumerate(answers.items())
    ]
    return Benchmark("vi-answerability", articles, questions)


def seed_benchmark() -> Benchmark:
    """The seed QA set over seeds/, its stand-alone questions (a follow-up needs the answer before
    it); titles are the seed articles' ids, which the article-missing copies remove."""
    records = [r for r in load_testset(REPO / "testsets" / "seed_qa.jsonl") if not r.history]
    questions = [Question(r.id, r.question, r.answers, None, r.articles) for r in records]
    return Benchmark("seed", [], questions, corpus_dir=REPO / "seeds")


def news_dev_benchmark() -> Benchmark:
    """The news development set over testsets/corpora/news_dev/: native news, answerable questions
    and near-miss ones on the same articles. Split by article (the id's part before `/`), so a
    story's near-miss questions stay on its side."""
    records = load_testset(NEWS_DEV)
    questions = [Question(r.id, r.question, r.answers, story_of(r.id), r.articles) for r in records]
    return Benchmark("news-dev", [], questions, corpus_dir=NEWS_DEV_CORPUS)


def story_of(question_id: str) -> str:
    """The news development set's split key: its question ids are `<article id>/<n>`."""
    return question_id.split("/")[0]


def benchmarks() -> list[Benchmark]:
    missing = [p for p in (XQUAD, SQUAD2_NOANS, VI_PAIRS) if not p.exists()]
    if missing:
        raise SystemExit(f"training needs ../shared/benchmarks: missing {', '.join(map(str, missing))}")
    return [
        squad_benchmark("xquad-vi", XQUAD),
        squad_benchmark("squad2-vi-noans", SQUAD2_NOANS),
        pairs_benchmark(),
        seed_benchmark(),
        news_dev_benchmark(),
    ]


def held_out_squad(path: Path, target: Path) -> Path:
    """A copy of a SQuAD-format file with only its held-out articles (for `qa eval --squad`)."""
    data = read_json(path)
    data["data"] = [d for d in data["data"] if held_out(d.get("title") or "")]
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target
