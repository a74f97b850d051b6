"""How a file that cannot become an article is reported without stopping the others.

One bad page in a crawl of thousands must not keep the rest out of the index, so parsers raise
`UnreadableArticle` and the loader turns it into a `LoadProblem` that names the file and the fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class UnreadableArticle(ValueError):
    """A file (or a JSON Lines record) that holds no usable article; the message says why."""


@dataclass(frozen=True)
class LoadProblem:
    """A file skipped by `load_corpus`; `reason` is English and starts with `line N:` for JSON Lines."""

    path: Path
    reason: str

    def to_dict(self, folder: Path) -> dict[str, str]:
        """JSON-ready, the path relative to the corpus folder (an index keeps its corpus's problems)."""
        folder = Path(folder)
        path = self.path.relative_to(folder) if self.path.is_relative_to(folder) else self.path
        return {"path": path.as_posix(), "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, str], folder: Path) -> LoadProblem:
        return cls(Path(folder) / data["path"], data["reason"])
