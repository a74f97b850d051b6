"""Loading a folder of articles: every supported file, each through its parser, problems collected.

The loader never stops at a bad file: a crawl of thousands of pages always has a few broken ones, and
the index should hold all the others. It stops only when nothing at all can be loaded, with a message
that tells the operator how to point the program at the right folder.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import qa
from qa import text as _text
from qa import types as _types
from qa.corpus.html import parse_html
from qa.corpus.jsonl import read_jsonl
from qa.corpus.problems import LoadProblem, ProblemKind, UnreadableArticle
from qa.corpus.seed_page import parse_page
from qa.corpus.sources import SOURCES_FILE, SourceRecord, read_sources
from qa.errors import CorpusError
from qa.types import Article

log = logging.getLogger(__name__)

PageParser = Callable[..., Article]
_PAGE_PARSERS: dict[str, PageParser] = {".txt": parse_page, ".html": parse_html, ".htm": parse_html}
_JSONL = ".jsonl"
SUPPORTED_SUFFIXES = (*_PAGE_PARSERS, _JSONL)
_FIX = "set QA_CORPUS_DIR or pass --corpus to a folder of .txt pages, .html pages or .jsonl articles"


@dataclass(frozen=True)
class Corpus:
    """The articles of a folder (sorted by id), the files that could not be used, and the article
    files considered."""

    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    folder: Path | None = None

    def fingerprint(self) -> str:
        """sha256 of the articles as loaded, every field (of `source_path`, the file name only, so
        that naming the same folder another way changes nothing): what an index built from them
        holds. An edit that leaves the cleaned articles as they were (white space, a line the cleaning
        removes) leaves it as it was; a different `max_article_chars` that drops an article does not."""
        digest = hashlib.sha256()
        for article in self.articles:
            record = article.to_dict()
            if article.source_path:
                record["source_path"] = Path(article.source_path).name
            digest.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        return digest.hexdigest()


def _read_text(path: Path) -> str:
    """The file as text; UTF-8 only, because guessing a legacy Vietnamese encoding (TCVN3, VNI)
    wrong would index gibberish silently."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise UnreadableArticle("binary data (NUL bytes), not a text article", ProblemKind.BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableArticle(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8",
            ProblemKind.NOT_UTF8,
        ) from exc


def _load_file(path: Path, source: SourceRecord) -> Iterator[Article | LoadProblem]:
    try:
        text = _read_text(path)
        if path.suffix.lower() == _JSONL:
            yield from read_jsonl(path, text)
        else:
            parse = _PAGE_PARSERS[path.suffix.lower()]
            yield parse(text, path.stem, url=source.url, published=source.published)
    except UnreadableArticle as exc:
        yield LoadProblem(path, str(exc), exc.kind)
    except OSError as exc:
        yield LoadProblem(path, str(exc), ProblemKind.UNREADABLE)


def load_file(
    path: Path, source: SourceRecord | None = None, max_article_chars: int | None = None
) -> Iterator[Article | LoadProblem]:
    """The articles of one file as `load_corpus` reads it (`source`: its `sources.json` record),
    each or a problem; an article over `max_article_chars` is a problem. Ids are not checked
    against other files: that is the folder's business."""
    for item in _load_file(path, source or SourceRecord()):
        if not isinstance(item, LoadProblem) and max_article_chars is not None and len(item.body) > max_article_chars:
            yield LoadProblem(
                path,
                f"article {item.id!r} is {len(item.body):,} characters long, over the limit of "
                f"{max_article_chars:,} (QA_MAX_ARTICLE_CHARS)",
                ProblemKind.TOO_LONG,
            )
        else:
            yield item


def _article_files(folder: Path) -> tuple[list[Path], list[LoadProblem]]:
    """The article files of the folder, and the problems of those that cannot be read as one: a
    broken symbolic link, a loop, or a link to a file outside the folder (never followed: a link to
    /etc/passwd is not an article)."""
    home = folder.resolve()
    files, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except RuntimeError:
                problems.append(LoadProblem(path, "symbolic link loop", ProblemKind.LINK_LOOP))
                continue
            except OSError:
                problems.append(LoadProblem(path, "broken symbolic link", ProblemKind.BROKEN_LINK))
                continue
            if not target.is_relative_to(home):
                reason = f"symbolic link to {target}, outside the corpus folder: not followed"
                problems.append(LoadProblem(path, reason, ProblemKind.LINK_OUTSIDE))
                continue
        if path.is_file():
            files.append(path)
    return files, problems


@functools.cache
def _loader_code() -> bytes:
    """sha256 of the loader's own source (this package and the two modules it uses) and of the
    package version: a changed parser or cleaning rule changes what loading produces, bumped or not."""
    digest = hashlib.sha256(qa.__version__.encode("utf-8") + b"\0")
    for path in [*sorted(Path(__file__).parent.glob("*.py")), Path(_text.__file__), Path(_types.__file__)]:
        digest.update(path.name.encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:  # installed without sources: the version above stands for them
            digest.update(b"?")
        digest.update(b"\0")
    return digest.digest()


def _file_digest(path: Path) -> bytes:
    """`size sha256` of the file's bytes, or why it cannot be read (the loader will report it)."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            return f"{size} {hashlib.file_digest(fh, 'sha256').hexdigest()}".encode()
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()


def files_fingerprint(folder: Path, max_article_chars: int | None = None) -> str:
    """What `load_corpus(folder, max_article_chars)` would read, without parsing or cleaning
    anything: sha256 over the loader's code, the limit, `sources.json` and every article file the
    loader would consider (name, size and sha256 of its bytes, through links inside the folder), and
    the links it would refuse (broken, looping, outside the folder). Equal fingerprints mean that
    loading gives the same articles and problems. File times are not used: a copy or a checkout
    changes them, not the bytes.

    Raises CorpusError when the folder is missing, as `load_corpus` does."""
    folder = _check_folder(Path(folder))
    digest = hashlib.sha256(b"qa-corpus-files 1\0" + _loader_code())
    digest.update(f"max_article_chars={max_article_chars}\0".encode())
    sources = folder / SOURCES_FILE
    if sources.is_file():
        digest.update(SOURCES_FILE.encode("utf-8") + b"\0" + _file_digest(sources) + b"\0")
    files, problems = _article_files(folder)
    for path in files:
        digest.update(b"file\0" + path.name.encode("utf-8", "surrogateescape") + b"\0" + _file_digest(path) + b"\0")
    for problem in problems:
        name = problem.path.name.encode("utf-8", "surrogateescape")
        digest.update(b"refused\0" + name + b"\0" + problem.reason.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _check_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist or is not a folder; {_FIX}")
    return folder


def load_corpus(folder: Path, max_article_chars: int | None = None) -> Corpus:
    """Every article in `folder` (not its subfolders), cleaned, with `sources.json` applied; an
    article longer than `max_article_chars` is a problem, not an article (embedding it would take
    hours).

    Raises CorpusError when the folder is missing or yields no article."""
    folder = _check_folder(Path(folder))
    sources, problems = read_sources(folder)
    files, link_problems = _article_files(folder)
    problems += link_problems
    by_id: dict[str, Article] = {}
    for path in files:
        for item in load_file(path, sources.get(path.name, SourceRecord()), max_article_chars):
            if isinstance(item, LoadProblem):
                problems.append(item)
            elif item.id in by_id:
                problems.append(
                    LoadProblem(
                        path,
                        f"duplicate article id {item.id!r}, already loaded from {by_id[item.id].source_path}",
                        ProblemKind.DUPLICATE_ID,
                    )
                )
            else:
                by_id[item.id] = replace(item, source_path=str(path))
    if not by_id:
        found = f"{len(files)} article file(s), none usable" if files else "no .txt, .html or .jsonl file"
        raise CorpusError(f"no article could be loaded from {folder} ({found}); {_FIX}")
    log.info("loaded %d articles from %s (%d problems)", len(by_id), folder, len(problems))
    return Corpus(
        articles=sorted(by_id.values(), key=lambda a: a.id), problems=problems, files=files, folder=folder
    )
