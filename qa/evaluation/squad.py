"""A SQuAD-format file as an open-domain benchmark: every paragraph becomes an article of a corpus and
every question is asked against the whole corpus, through the product's own pipeline.

The corpus is written as one `.jsonl` file into a folder named by a hash of its content, under the
index folder, so a re-run finds the same folder (and the index and embedding cache built for it)
instead of re-encoding every paragraph. The source file is only read, never copied elsewhere.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.evaluation.testset import InvalidTestset, QARecord
from qa.text import fold
from qa.types import Article

SQUAD_KIND = "squad"


@dataclass(frozen=True)
class SquadBenchmark:
    articles: list[Article]
    records: list[QARecord]


def slugify(title: str) -> str:
    """`Đại học Harvard` → `dai-hoc-harvard`: ids that are safe in paths and URLs."""
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-") or "untitled"


def page_title(title: str) -> str:
    """A SQuAD document's title is its Wikipedia page name, words joined by underscores
    (`Đại_học_Harvard`); an article's title is read as words (`Đại học Harvard`), as a question
    names it."""
    return " ".join(title.replace("_", " ").split())


def parse_squad(data: Any) -> SquadBenchmark:
    """Articles `<title-slug>-<paragraph index>` titled with their document's title (`page_title`),
    and one record per question whose gold article is its paragraph (no answers: a should-decline
    question)."""
    try:
        documents = data["data"]
        articles: list[Article] = []
        records: list[QARecord] = []
        for document in documents:
            slug = slugify(document.get("title") or "")
            for p_index, paragraph in enumerate(document["paragraphs"]):
                title = page_title(document.get("title") or "") or slug
                article = Article(id=f"{slug}-{p_index}", title=title, body=paragraph["context"])
                articles.append(article)
                for q_index, qa in enumerate(paragraph["qas"]):
                    texts = (a["text"].strip() for a in qa.get("answers", []))
                    answers = tuple(dict.fromkeys(t for t in texts if t))
                    records.append(
                        QARecord(
                            id=str(qa.get("id") or f"{article.id}-q{q_index}"),
                            question=qa["question"],
                            answers=answers,
                            articles=(article.id,) if answers else (),
                            kind=SQUAD_KIND,
                        )
                    )
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvalidTestset(f"not a SQuAD-format file: missing or malformed {exc}") from None
    duplicates = len(articles) - len({a.id for a in articles})
    if duplicates:
        raise InvalidTestset(f"{duplicates} paragraph id(s) collide: two documents have titles with the same slug")
    if not records:
        raise InvalidTestset("the SQuAD file has no questions")
    return SquadBenchmark(articles=articles, records=records)


def load_squad(path: Path) -> SquadBenchmark:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidTestset(f"cannot read SQuAD file {path}: {exc}") from None
    return parse_squad(data)


def write_corpus(articles: list[Article], index_dir: Path) -> Path:
    """Folder `index_dir/corpora/squad-<content hash>/` holding `articles.jsonl`; written once,
    atomically, so an interrupted run never leaves a half corpus that a later run would trust."""
    payload = "".join(json.dumps(a.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for a in articles)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
    folder = Path(index_dir) / "corpora" / f"squad-{digest}"
    target = folder / "articles.jsonl"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".articles.jsonl.{os.getpid()}.tmp"
        partial.write_text(payload, encoding="utf-8")
        os.replace(partial, target)
    return folder
