"""The QA test-set format (JSON Lines) and its loader.

One object per line:

    {"id": "f01", "question": "…", "answers": ["2009"], "article": "004_…", "kind": "factoid"}
    {"id": "h01", "question": "Còn với Champasak thì sao?", "answers": ["2011"], "article": "004_…",
     "kind": "follow-up", "history": ["Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?"]}

`answers` lists acceptable answer strings (empty: the articles do not answer, the system must decline);
`article` names the article(s) holding the answer, `|`-separated, or null; `history` (optional) lists
earlier questions of the same conversation, asked first. The loader checks every line and reports all
problems at once with file:line, because a test set is written by hand and one typo should not cost a
full evaluation run to discover.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import QAError

REQUIRED_FIELDS = ("id", "question", "answers", "article", "kind")
OPTIONAL_FIELDS = ("history",)


class InvalidTestset(QAError):
    """The test set cannot be used as written; the message lists every bad line."""

    exit_code = 2


@dataclass(frozen=True)
class QARecord:
    """One test question with its gold answers and gold article(s)."""

    id: str
    question: str
    answers: tuple[str, ...]
    articles: tuple[str, ...]
    kind: str
    history: tuple[str, ...] = ()
    # Not in the file format: answers whose sentences are left out of what is read, for the copies
    # `qa eval --fact-missing` makes (qa.evaluation.fact_missing).
    leave_out: tuple[str, ...] = ()

    @property
    def should_abstain(self) -> bool:
        """No acceptable answer means the articles do not answer it: declining is the right answer."""
        return not self.answers

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answers": list(self.answers),
            "article": "|".join(self.articles) or None,
            "kind": self.kind,
        }
        if self.history:
            data["history"] = list(self.history)
        return data


def parse_record(data: Any) -> QARecord:
    """A `QARecord` from one decoded line; `ValueError` says what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    missing = [name for name in REQUIRED_FIELDS if name not in data]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    for name in ("id", "question", "kind"):
        if not isinstance(data[name], str) or not data[name].strip():
            raise ValueError(f"{name!r} must be a non-empty string")
    answers = _string_list(data, "answers")
    history = _string_list(data, "history") if "history" in data else []
    article = data["article"]
    if article is not None and (not isinstance(article, str) or not article.strip()):
        raise ValueError("'article' must be an article id, ids joined by '|', or null")
    articles = tuple(a.strip() for a in article.split("|")) if article else ()
    if any(not a for a in articles):
        raise ValueError(f"'article' has an empty id between '|': {article!r}")
    if answers and not articles:
        raise ValueError("an answerable question (non-empty 'answers') needs its gold 'article'")
    if not answers and articles:
        raise ValueError("a question without answers must have 'article': null (nothing holds the answer)")
    return QARecord(
        id=data["id"].strip(),
        question=data["question"].strip(),
        answers=tuple(answers),
        articles=articles,
        kind=data["kind"].strip(),
        history=tuple(history),
    )


def _string_list(data: dict[str, Any], name: str) -> list[str]:
    value = data[name]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{name!r} must be a list of non-empty strings")
    return [v.strip() for v in value]


def load_testset(path: Path) -> list[QARecord]:
    """All records of a JSON Lines test set (blank lines skipped); `InvalidTestset` lists every bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidTestset(f"cannot read test set {path}: {exc}") from None
    records: list[QARecord] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = parse_record(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        except ValueError as exc:
            problems.append(f"{path}:{number}: {exc}")
            continue
        if record.id in seen:
            problems.append(f"{path}:{number}: duplicate id {record.id!r} (first on line {seen[record.id]})")
            continue
        seen[record.id] = number
        records.append(record)
    if problems:
        raise InvalidTestset("invalid test set:\n  " + "\n  ".join(problems))
    if not records:
        raise InvalidTestset(f"test set {path} has no questions: write one JSON object per line")
    return records
