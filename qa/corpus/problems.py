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
