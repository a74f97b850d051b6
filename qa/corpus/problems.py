"""How a file that cannot become an article is reported without stopping the others.

One bad page in a crawl of thousands must not keep the rest out of the index, so parsers raise
`UnreadableArticle` and the loader turns it into a `LoadProblem` that names the file and the fix.
Each problem has a `kind` (`ProblemKind`): its English `reason` is for logs and the command line,
and the kind is what the chat says in Vietnamese (`messages.CORPUS_PROBLEMS`, one phrase per kind).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from qa import messages


class ProblemKind(StrEnum):
    """Every kind of problem the corpus layer reports: a file or record the loader skips, and a file
    `qa add` refuses (qa/manage.py)."""

    # a file or record the loader cannot read
    BINARY = "binary"
    NOT_UTF8 = "not_utf8"
    UNREADABLE = "unreadable"
    EMPTY = "empty"  # no title or no text left after cleaning
    NOT_HTML = "not_html"
    INVALID_JSON = "invalid_json"
    NOT_AN_OBJECT = "not_an_object"
    MISSING_FIELDS = "missing_fields"
    BAD_FIELD = "bad_field"
    BAD_URL = "bad_url"
    BAD_DATE = "bad_date"
    TOO_LONG = "too_long"
    DUPLICATE_ID = "duplicate_id"
    # the folder's symbolic links and sources.json
    LINK_LOOP = "link_loop"
    BROKEN_LINK = "broken_link"
    LINK_OUTSIDE = "link_outside"
    BAD_SOURCES = "bad_sources"
    # a file `qa add` refuses as a whole
    HIDDEN_FILE = "hidden_file"
    UNSUPPORTED_TYPE = "unsupported_type"
    NO_SUCH_FILE = "no_such_file"
    NOT_A_FILE = "not_a_file"
    GIVEN_TWICE = "given_twice"
    OWN_FILE = "own_file"
    NAME_TAKEN = "name_taken"
    TOO_BIG = "too_big"
    NO_ARTICLE = "no_article"


class UnreadableArticle(ValueError):
    """A file (or a JSON Lines record) that holds no usable article; the message says why."""

    def __init__(self, message: str, kind: ProblemKind) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class LoadProblem:
    """A file skipped by `load_corpus` (or refused by `qa add`); `reason` is English and starts with
    `line N:` for a JSON Lines record, whose number is also `line`."""

    path: Path
    reason: str
    kind: ProblemKind
    line: int | None = None

    @property
    def vi(self) -> str:
        """The problem in Vietnamese, for the chat."""
        phrase = messages.CORPUS_PROBLEMS[self.kind]
        return messages.CORPUS_PROBLEM_AT_LINE.format(line=self.line, reason=phrase) if self.line else phrase

    def to_dict(self, folder: Path) -> dict[str, str | int | None]:
        """JSON-ready, the path relative to the corpus folder (an index keeps its corpus's problems)."""
        folder = Path(folder)
        path = self.path.relative_to(folder) if self.path.is_relative_to(folder) else self.path
        return {"path": path.as_posix(), "reason": self.reason, "kind": self.kind.value, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict, folder: Path) -> LoadProblem:
        """The problem `to_dict` wrote. The records an index keeps were written by this very code:
        the files fingerprint they are kept under covers the loader's source (`files_fingerprint`)."""
        line = data.get("line")
        return cls(Path(folder) / data["path"], data["reason"], ProblemKind(data["kind"]), line)
