"""What users think of the answers, kept so that `qa eval` can run on what real users asked.

The chat puts 👍/👎 under each answer (`QA_FEEDBACK`, on by default). Each vote is one JSON object
appended as one line to `feedback.jsonl` in the corpus's index folder (`<QA_INDEX_DIR>/<corpus key>/`,
next to the index builds, which a rebuild never touches):

    {"time": "2026-12-01T08:30:00+00:00", "question": "…", "history": [], "answer": "…",
     "short_answer": "…", "abstained": false,
     "citations": [{"article_id": "…", "title": "…", "url": "https://…"}],
     "confidence": null, "vote": "down", "correction": "…", "correction_kind": "answer"}

`history` holds the earlier questions of the conversation (a follow-up is not understood without
them); `confidence` is the answer's P(answerable) when the answer carries one, else null;
`correction_kind` is "answer" (the user wrote the right answer in `correction`) or "not in the
articles" (the user says the articles do not hold it), or null. No personal data: no address, no
session, no browser, no account; only what the user typed and what the system answered.

A 👎 is recorded when clicked; the correction the user may then send is a second line for the same
answer. Lines are appended with one `write` on a descriptor opened with O_APPEND, under an exclusive
`flock`, so the chat's worker threads (and several servers) never interleave or tear lines; a line a
crash left unfinished is closed before the next one is written, so it spoils only itself.

`to_testset` turns the records into test-set records (qa/evaluation/testset.py), `qa feedback
export` writes them (docs/evaluation.md, "Feedback into evaluation"):

- 👎 with a correction → an answerable question whose gold answer is the correction. Its gold
  article is the cited article(s) holding the correction, else every article that holds it (kind
  `feedback-correction`); when no article holds it word for word (a paraphrase, or no index to
  look in), the cited articles, as kind `feedback-unverified`, for a person to review; when the
  answer cited nothing either, the vote is left out.
- 👎 "not in the articles" → an unanswerable question (kind `feedback-not-in-articles`).
- 👍, only with `include_upvoted`: a declined question → unanswerable; an answer with a short answer
  (a year, a name) → answerable with that short answer as gold and the cited articles; any other
  answer is left out (its whole text is no gold answer). Kind `feedback-upvoted`.
- a bare 👎 gives no gold answer and is left out.

The same question (with the same earlier questions) voted on several times gives one test question:
the latest vote that gives one wins.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import FeedbackError, QAError
from qa.evaluation.metrics import normalize_answer
from qa.evaluation.testset import QARecord, load_testset, parse_record

if TYPE_CHECKING:
    from qa.settings import Settings
    from qa.types import Article

log = logging.getLogger(__name__)

FILE_NAME = "feedback.jsonl"
UP, DOWN = "up", "down"
ANSWER, NOT_IN_ARTICLES = "answer", "not in the articles"  # the kinds of correction

KIND_CORRECTION = "feedback-correction"
KIND_UNVERIFIED = "feedback-unverified"
KIND_NOT_IN_ARTICLES = "feedback-not-in-articles"
KIND_UPVOTED = "feedback-upvoted"


def log_path(settings: Settings) -> Path:
    """The corpus's feedback log: `<index dir>/<corpus key>/feedback.jsonl`."""
    from qa.index import folder_key

    return settings.index.dir / folder_key(settings.corpus.dir) / FILE_NAME


@dataclass(frozen=True)
class CitedArticle:
    """An article an answer cited: enough to find it again, not its text."""

    article_id: str
    title: str = ""
    url: str | None = None


@dataclass(frozen=True)
class FeedbackRecord:
    """One vote on one answer."""

    time: datetime  # UTC
    question: str
    answer: str
    vote: str  # UP or DOWN
    history: tuple[str, ...] = ()
    short_answer: str | None = None
    abstained: bool = False
    citations: tuple[CitedArticle, ...] = ()
    confidence: float | None = None
    correction: str | None = None
    correction_kind: str | None = None  # ANSWER, NOT_IN_ARTICLES or None

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time.astimezone(UTC).isoformat(timespec="seconds"),
            "question": self.question,
            "history": list(self.history),
            "answer": self.answer,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "citations": [{"article_id": c.article_id, "title": c.title, "url": c.url} for c in self.citations],
            "confidence": self.confidence,
            "vote": self.vote,
            "correction": self.correction,
            "correction_kind": self.correction_kind,
        }

    @classmethod
    def from_dict(cls, data: Any) -> FeedbackRecord:
        """A record from one decoded line; `ValueError` says what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {type(data).__name__}")
        missing = [name for name in ("time", "question", "answer", "vote") if name not in data]
        if missing:
            raise ValueError(f"missing field(s): {', '.join(missing)}")
        time = _time(data["time"])
        question = _text(data, "question")
        if not question.strip():
            raise ValueError("'question' is empty")
        vote = data["vote"]
        if vote not in (UP, DOWN):
            raise ValueError(f"'vote' must be {UP!r} or {DOWN!r}, got {vote!r}")
        history = data.get("history") or []
        if not isinstance(history, list) or not all(isinstance(q, str) and q.strip() for q in history):
            raise ValueError("'history' must be a list of questions")
        citations = data.get("citations") or []
        if not isinstance(citations, list) or not all(
            isinstance(c, dict) and isinstance(c.get("article_id"), str) and c["article_id"] for c in citations
        ):
            raise ValueError("'citations' must be a list of objects with an 'article_id'")
        confidence = data.get("confidence")
        if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, int | float)):
            raise ValueError(f"'confidence' must be a number or null, got {confidence!r}")
        kind = data.get("correction_kind")
        correction = _optional_text(data, "correction")
        if kind not in (None, ANSWER, NOT_IN_ARTICLES):
            raise ValueError(f"'correction_kind' must be {ANSWER!r}, {NOT_IN_ARTICLES!r} or null, got {kind!r}")
        if kind == ANSWER and not (correction and correction.strip()):
            raise ValueError("a correction of kind 'answer' needs its 'correction' text")
        return cls(
            time=time,
            question=question,
            answer=_text(data, "answer"),
            vote=vote,
            history=tuple(history),
            short_answer=_optional_text(data, "short_answer"),
            abstained=bool(data.get("abstained", False)),
            citations=tuple(
                CitedArticle(c["article_id"], str(c.get("title") or ""), c.get("url") or None) for c in citations
            ),
            confidence=None if confidence is None else float(confidence),
            correction=correction,
            correction_kind=kind,
        )


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"'time' must be an ISO 8601 string, got {value!r}")
    try:
        time = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'time' is not an ISO 8601 time: {value!r}") from None
    return time.replace(tzinfo=UTC) if time.tzinfo is None else time.astimezone(UTC)


def _text(data: dict[str, Any], name: str) -> str:
    if not isinstance(data[name], str):
        raise ValueError(f"{name!r} must be a string")
    return data[name]


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string or null")
    return value or None


def correction_of(text: str | None, not_in_articles: bool, max_chars: int) -> tuple[str | None, str | None]:
    """(correction, its kind) from the form: "not in the articles" wins over any text typed; the text
    has its white space collapsed and is cut to `max_chars`; nothing typed is no correction."""
    if not_in_articles:
        return None, NOT_IN_ARTICLES
    text = " ".join((text or "").split())[:max_chars].strip()
    return (text, ANSWER) if text else (None, None)


class FeedbackLog:
    """The JSON Lines log of votes: appended to by the chat, read by the export."""

    def __init__(self, path: Path, max_bytes: int | None = None) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes

    @classmethod
    def for_settings(cls, settings: Settings) -> FeedbackLog:
        return cls(log_path(settings), settings.serving.feedback_max_bytes)

    def append(self, record: FeedbackRecord) -> None:
        """Add one line; `FeedbackError` when it cannot be written (or the log is full)."""
        line = (json.dumps(record.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise FeedbackError(f"cannot open the feedback log {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed
            size = os.fstat(fd).st_size
            if self.max_bytes is not None and size + len(line) > self.max_bytes:
                raise FeedbackError(
                    f"the feedback log {self.path} is full ({size} bytes, QA_FEEDBACK_MAX_BYTES={self.max_bytes}): "
                    "export it (qa feedback export) and move it away, or raise the limit"
                )
            if size and os.pread(fd, 1, size - 1) != b"\n":  # a line left unfinished by a crash
                line = b"\n" + line
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:
            raise FeedbackError(f"cannot write to the feedback log {self.path}: {exc.strerror or exc}") from None
        finally:
            os.close(fd)

    def read(self) -> tuple[list[FeedbackRecord], list[str]]:
        """Every valid record, in the order written, and a `file:line: what is wrong` per line that
        is not one (those are skipped). `FeedbackError` when the log does not exist or cannot be read."""
        if not self.path.is_file():
            raise FeedbackError(
                f"no feedback log at {self.path}: the chat writes it when users vote (QA_FEEDBACK); "
                "check --corpus/--index-dir, or give the log with --log"
            )
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise FeedbackError(f"cannot read the feedback log {self.path}: {exc.strerror or exc}") from None
        records: list[FeedbackRecord] = []
        problems: list[str] = []
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                records.append(FeedbackRecord.from_dict(json.loads(line.decode("utf-8"))))
            except UnicodeDecodeError:
                problems.append(f"{self.path}:{number}: not UTF-8 text")
            except json.JSONDecodeError as exc:
                problems.append(f"{self.path}:{number}: not valid JSON ({exc.msg}, column {exc.colno})")
            except ValueError as exc:
                problems.append(f"{self.path}:{number}: {exc}")
        return records, problems


# -- the log as a test set ---------------------------------------------------------------------------


class ArticleFinder:
    """Which articles hold an answer, word for word after `normalize_answer` (as `qa eval` matches)."""

    def __init__(self, articles: Sequence[Article] | None) -> None:
        self.articles = articles
        self._texts: dict[str, str] | None = None

    def holding(self, answer: str, preferred: Sequence[str] = ()) -> tuple[str, ...]:
        """The `preferred` articles (those the answer cited) that hold `answer`, else every article
        that does; () when none does or there are no articles to look in."""
        if self.articles is None:
            return ()
        if self._texts is None:
            self._texts = {a.id: f" {normalize_answer(a.title + ' ' + a.body)} " for a in self.articles}
        gold = normalize_answer(answer)
        if not gold:
            return ()
        found = [article_id for article_id, text in self._texts.items() if f" {gold} " in text]
        return tuple(a for a in preferred if a in found) or tuple(found)


@dataclass
class Export:
    """A test set made from the log, and what became of every record."""

    records: list[QARecord]
    counts: Counter[str] = field(default_factory=Counter)  # why records gave no test question
    problems: list[str] = field(default_factory=list)  # malformed lines of the log

    @property
    def kinds(self) -> Counter[str]:
        return Counter(r.kind for r in self.records)


def question_key(question: str, history: Iterable[str]) -> tuple[str, ...]:
    """What makes two votes about the same question: its words and its conversation's, case aside."""
    return tuple(" ".join(q.split()).casefold() for q in (*history, question))


def testset_item(record: FeedbackRecord, finder: ArticleFinder, include_upvoted: bool) -> QARecord | str:
    """The test question a vote gives, or why it gives none."""
    cited = tuple(dict.fromkeys(c.article_id for c in record.citations))
    if record.vote == UP:
        if not include_upvoted:
            return "👍 (add --include-upvoted to export them)"
        if record.abstained:
            return _item(record, [], (), KIND_UPVOTED)
        if record.short_answer and cited:
            holding = tuple(a for a in finder.holding(record.short_answer, cited) if a in cited)
            return _item(record, [record.short_answer], holding or cited, KIND_UPVOTED)
        return "👍 on an answer without a short answer"
    if record.correction_kind == NOT_IN_ARTICLES:
        return _item(record, [], (), KIND_NOT_IN_ARTICLES)
    if record.correction_kind == ANSWER and record.correction:
        holding = finder.holding(record.correction, cited)
        if holding:
            return _item(record, [record.correction], holding, KIND_CORRECTION)
        if cited:
            return _item(record, [record.correction], cited, KIND_UNVERIFIED)
        return "👎 whose correction no article holds, on an answer citing none"
    return "👎 without a correction"


def _item(record: FeedbackRecord, answers: list[str], articles: Sequence[str], kind: str) -> QARecord:
    key = question_key(record.question, record.history)
    data: dict[str, Any] = {
        "id": "fb-" + hashlib.sha256("\n".join(key).encode("utf-8")).hexdigest()[:12],
        "question": record.question,
        "answers": answers,
        "article": "|".join(articles) or None,
        "kind": kind,
    }
    if record.history:
        data["history"] = list(record.history)
    return parse_record(data)  # the loader's own checks, on every item


def to_testset(
    records: Iterable[FeedbackRecord],
    articles: Sequence[Article] | None,
    *,
    include_upvoted: bool = False,
    since: datetime | None = None,
) -> Export:
    """The test questions the votes give (module docstring), one per question, latest vote winning,
    in the order of the winning votes."""
    counts: Counter[str] = Counter()
    finder = ArticleFinder(articles)
    chosen: dict[tuple[str, ...], QARecord] = {}
    for record in sorted(records, key=lambda r: r.time):
        if since is not None and record.time < since:
            counts["before --since"] += 1
            continue
        item = testset_item(record, finder, include_upvoted)
        if isinstance(item, str):
            counts[item] += 1
            continue
        key = question_key(record.question, record.history)
        if key in chosen:
            counts["replaced by a later vote on the same question"] += 1
            del chosen[key]  # so that the order is that of the winning votes
        chosen[key] = item
    return Export(list(chosen.values()), counts)


def write_testset(records: Sequence[QARecord], path: Path) -> None:
    """Write the test set, checked by `load_testset` before it replaces `path`."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        load_testset(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise FeedbackError(f"cannot write the test set {path}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


def corpus_articles(settings: Settings) -> tuple[list[Article] | None, str | None]:
    """The articles of the corpus's current index (to check corrections against), or None and why."""
    from qa.index import folder_key, load_current

    try:
        return list(load_current(settings, folder_key(settings.corpus.dir)).articles), None
    except QAError as exc:
        return None, str(exc)


def export_feedback(
    settings: Settings,
    testset: Path,
    *,
    log_file: Path | None = None,
    include_upvoted: bool = False,
    since: datetime | None = None,
) -> Export:
    """`qa feedback export`: read the log (the corpus's, or `log_file`), write the test set."""
    records, problems = FeedbackLog(log_file or log_path(settings)).read()
    articles, why = corpus_articles(settings)
    if articles is None:
        log.warning("corrections are not checked against the articles (%s): they are exported as %s", why,
                    KIND_UNVERIFIED)
    export = to_testset(records, articles, include_upvoted=include_upvoted, since=since)
    export.problems = problems
    if not export.records:
        raise FeedbackError(
            f"no test question in the feedback log ({len(records)} vote(s), {len(problems)} malformed line(s)): "
            "only a 👎 with a correction or 'not in the articles' gives one (or a 👍, with --include-upvoted)"
        )
    write_testset(export.records, testset)
    return export
