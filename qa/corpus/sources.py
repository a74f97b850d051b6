"""`sources.json`: what is known about each file from outside the page.

A saved page often lacks its own address (and sometimes its date); whoever collected the pages
records them here, keyed by file name:
`{"001_….txt": {"url": "https://…" or null, "published": "2022-05-26T17:02:00+07:00"}}`.
Keys that do not map to an object (such as `_about`) are notes and are ignored.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qa.corpus.dates import parse_iso
from qa.corpus.problems import LoadProblem, ProblemKind

SOURCES_FILE = "sources.json"


@dataclass(frozen=True)
class SourceRecord:
    url: str | None = None
    published: datetime | None = None


def read_sources(folder: Path) -> tuple[dict[str, SourceRecord], list[LoadProblem]]:
    """Records by file name, and the problems met. A broken file or entry is reported and skipped:
    the articles still load, only without the URL or date it would have given."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = f"not valid UTF-8 JSON ({exc}); URLs and dates from it are not used"
        return {}, [LoadProblem(path, reason, ProblemKind.BAD_SOURCES)]
    if not isinstance(data, dict):
        return {}, [LoadProblem(path, "expected a JSON object keyed by file name", ProblemKind.BAD_SOURCES)]
    records: dict[str, SourceRecord] = {}
    problems: list[LoadProblem] = []
    for name, entry in data.items():
        if not isinstance(entry, dict):
            continue
        url = entry.get("url") if isinstance(entry.get("url"), str) else None
        published = None
        if entry.get("published"):
            try:
                published = parse_iso(str(entry["published"]))
            except ValueError:
                reason = f"{name}: 'published' is not an ISO 8601 date"
                problems.append(LoadProblem(path, reason, ProblemKind.BAD_DATE))
        records[name] = SourceRecord(url=url, published=published)
    return records, problems
