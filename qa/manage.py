"""Adding and removing articles (`qa add`, `qa remove`): the corpus folder stays the one source of
truth, so a change is a change of its files, and the index follows it on the next `prepare()`
(only passages never embedded before are embedded: the embedding cache keeps the others).

- A file is checked before it is added, with the loader's own parsers on exactly the bytes that
  will be copied, under the name it will have in the corpus (a page's id is its file name): a file
  that yields no article is refused with the reasons; otherwise the records that cannot be read
  (bad JSON Lines records, an id the corpus already has, an article over QA_MAX_ARTICLE_CHARS) are
  reported and the others added.
- A file enters the folder atomically: written under a hidden temporary name (which the loader
  ignores) and then linked to its name, which fails if another process took that name meanwhile
  (`--replace`: `os.replace`). So no reader ever sees half a file, and two `qa add` at once cannot
  overwrite each other.
- A removed article's file (or, for one record of a `.jsonl` file, that record) is moved to
  `<index dir>/<corpus key>/removed/<time>/`, not deleted: the corpus folder may be the only copy of
  a page, and `qa add` of the saved file puts it back. A `.jsonl` file losing a record is rewritten
  atomically (temporary file, `os.replace`).
- Changes of one corpus take turns under an `flock` on `.corpus.lock` in its index folder, so two
  removals from one `.jsonl` file cannot lose one another; builds keep their own lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qa.corpus import LoadProblem, ProblemKind, load_corpus
from qa.corpus.jsonl import record_id
from qa.corpus.loader import SUPPORTED_SUFFIXES, load_file
from qa.corpus.sources import SourceRecord, read_sources
from qa.errors import CorpusChangeError, CorpusError
from qa.settings import Settings
from qa.types import Article

if TYPE_CHECKING:
    from qa.api import Pipeline
    from qa.index import Index, Progress

_PAGE_SUFFIXES = tuple(s for s in SUPPORTED_SUFFIXES if s != ".jsonl")
LOCK_FILE = ".corpus.lock"
REMOVED_DIR = "removed"


@dataclass
class FileCheck:
    """One file given to `qa add`: the articles it gives, the problems of its other records, and
    why it is refused as a whole (`refusal`; None: it is added)."""

    path: Path
    name: str
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    refusal: LoadProblem | None = None
    replaced: bool = False

    @property
    def refused(self) -> str | None:
        """Why the file is refused, in English (None: it is added)."""
        return self.refusal.reason if self.refusal else None

    def refuse(self, kind: ProblemKind, reason: str) -> None:
        self.refusal = LoadProblem(self.path, reason, kind)


@dataclass(frozen=True)
class Removal:
    """An article to remove: its id, the corpus file it comes from, and whether that file goes
    (a page, or a `.jsonl` file none of whose records would be left)."""

    article: Article
    path: Path
    whole_file: bool


def _home(settings: Settings) -> Path:
    from qa.index import folder_key

    return settings.index.dir / folder_key(settings.corpus.dir)


@contextlib.contextmanager
def corpus_lock(settings: Settings) -> Iterator[None]:
    """Changes of one corpus folder take turns (a second waits)."""
    home = _home(settings)
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        where = home / LOCK_FILE
        raise CorpusChangeError(f"cannot lock the corpus ({where}: {exc.strerror}); nothing changed") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _folder(settings: Settings) -> Path:
    folder = Path(settings.corpus.dir)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist or is not a folder; create it or set QA_CORPUS_DIR")
    return folder


def _current_articles(folder: Path, max_chars: int) -> list[Article]:
    """The corpus's articles; none when it has no readable article yet (adding to an empty folder)."""
    try:
        return load_corpus(folder, max_chars).articles
    except CorpusError:
        return []


def check_files(settings: Settings, paths: Sequence[Path], *, replace: bool = False) -> list[FileCheck]:
    """What `add_files` would do with each file, changing nothing."""
    folder = _folder(settings)
    return [check for check, _ in _checked(settings, folder, paths, replace)]


def _checked(
    settings: Settings, folder: Path, paths: Sequence[Path], replace: bool
) -> list[tuple[FileCheck, bytes]]:
    limit, cap = settings.corpus.max_article_chars, settings.corpus.max_file_bytes
    sources, _ = read_sources(folder)
    articles = _current_articles(folder, limit)
    results: list[tuple[FileCheck, bytes]] = []
    taken: dict[str, str] = {}  # article id → the file that has it (the corpus's, or an earlier one given)
    for article in articles:
        taken[article.id] = Path(article.source_path or "?").name
    names = {p.name for p in paths}
    for article in articles:  # the files being replaced give their ids up
        if replace and Path(article.source_path or "").name in names:
            taken.pop(article.id, None)
    given: set[str] = set()
    for path in paths:
        path = Path(path)
        check, data = FileCheck(path, path.name), b""
        results.append((check, data))
        dest = folder / path.name
        if path.name.startswith("."):
            check.refuse(ProblemKind.HIDDEN_FILE, "a hidden file (its name starts with '.'): the corpus ignores those")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            kinds = ", ".join(SUPPORTED_SUFFIXES)
            reason = f"unsupported file type {path.suffix or '(none)'!r}; qa add takes {kinds}"
            check.refuse(ProblemKind.UNSUPPORTED_TYPE, reason)
        elif not path.exists():
            check.refuse(ProblemKind.NO_SUCH_FILE, "no such file")
        elif not path.is_file():
            check.refuse(ProblemKind.NOT_A_FILE, "not a regular file")
        elif path.name in given:
            check.refuse(ProblemKind.GIVEN_TWICE, "a file of this name was given earlier in the same command")
        elif dest.exists() and dest.resolve() == path.resolve():
            check.refuse(ProblemKind.OWN_FILE, "this is the corpus's own file")
        elif (dest.exists() or dest.is_symlink()) and not replace:
            reason = f"the corpus already has a file named {path.name}; --replace to overwrite it"
            check.refuse(ProblemKind.NAME_TAKEN, reason)
        elif path.stat().st_size > cap:
            reason = f"{path.stat().st_size:,} bytes, over the limit of {cap:,} (QA_MAX_FILE_BYTES)"
            check.refuse(ProblemKind.TOO_BIG, reason)
        if check.refusal:
            continue
        given.add(path.name)
        check.replaced = dest.exists()
        try:
            data = path.read_bytes()
        except OSError as exc:
            check.refuse(ProblemKind.UNREADABLE, f"cannot be read ({exc.strerror})")
            continue
        results[-1] = (check, data)
        _parse(check, data, sources.get(path.name, SourceRecord()), limit, taken)
    return results


def _parse(check: FileCheck, data: bytes, source: SourceRecord, limit: int, taken: dict[str, str]) -> None:
    """The file's articles read by the loader's parsers, from these bytes under its corpus name."""
    with tempfile.TemporaryDirectory(prefix="qa-add-") as scratch:
        copy = Path(scratch) / check.name
        copy.write_bytes(data)
        items = list(load_file(copy, source, limit))
    for item in items:
        if isinstance(item, LoadProblem):
            check.problems.append(LoadProblem(check.path, item.reason, item.kind, item.line))
        elif item.id in taken:
            reason = f"duplicate article id {item.id!r}, already in {taken[item.id]}"
            check.problems.append(LoadProblem(check.path, reason, ProblemKind.DUPLICATE_ID))
        else:
            taken[item.id] = check.name
            check.articles.append(item)
    if not check.articles:
        reason = "no article could be read from it" + ("" if check.problems else " (empty)")
        check.refuse(ProblemKind.NO_ARTICLE, reason)


def add_files(settings: Settings, paths: Sequence[Path], *, replace: bool = False) -> list[FileCheck]:
    """Check every file, then copy those that give an article into the corpus folder (atomically);
    the others are left out, each with its reason. Does not touch the index."""
    folder = _folder(settings)
    with corpus_lock(settings):
        results = _checked(settings, folder, paths, replace)
        for check, data in results:
            if check.refusal is None:
                _write_new(folder / check.name, data, replace=replace)
    return [check for check, _ in results]


def _write_new(dest: Path, data: bytes, *, replace: bool) -> None:
    tmp = dest.with_name(f".{dest.name}.qa-add-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, dest)
        else:
            try:
                os.link(tmp, dest)  # fails if the name was taken meanwhile: never overwrites
            except FileExistsError:
                raise CorpusChangeError(
                    f"{dest.name} appeared in the corpus while being added; --replace to overwrite it"
                ) from None
            except OSError:  # a file system without hard links
                if dest.exists():
                    raise CorpusChangeError(f"{dest.name} appeared in the corpus while being added") from None
                os.replace(tmp, dest)
    except OSError as exc:
        raise CorpusChangeError(f"cannot write {dest} ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def plan_removal(settings: Settings, ids: Sequence[str]) -> list[Removal]:
    """What removing these articles means, changing nothing. Raises CorpusChangeError for an
    unknown id, or when no article would be left (the index needs one)."""
    folder = _folder(settings)
    corpus = load_corpus(folder, settings.corpus.max_article_chars)
    by_id = {a.id: a for a in corpus.articles}
    wanted = list(dict.fromkeys(i.strip() for i in ids))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise CorpusChangeError(
            f"no article with id {', '.join(repr(i) for i in unknown)} in {folder} (`qa articles` lists them); "
            "nothing removed"
        )
    if len(wanted) == len(by_id):
        raise CorpusChangeError(f"that would leave no article in {folder}; nothing removed")
    per_file: dict[Path, set[str]] = {}
    for article in by_id.values():
        per_file.setdefault(Path(article.source_path or ""), set()).add(article.id)
    removals = []
    for article_id in wanted:
        article = by_id[article_id]
        path = Path(article.source_path or "")
        whole = path.suffix.lower() in _PAGE_SUFFIXES or per_file[path] <= set(wanted)
        removals.append(Removal(article, path, whole))
    return removals


def remove_articles(settings: Settings, ids: Sequence[str]) -> tuple[list[Removal], Path]:
    """Remove these articles from the corpus folder: a page's file, or a `.jsonl` record (the file
    rewritten without it), saved to the returned `removed/` folder. Does not touch the index."""
    with corpus_lock(settings):
        removals = plan_removal(settings, ids)
        saved = _home(settings) / REMOVED_DIR / f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}"
        try:
            saved.mkdir(parents=True, exist_ok=True)
            by_file: dict[Path, list[Removal]] = {}
            for removal in removals:
                by_file.setdefault(removal.path, []).append(removal)
            for path, items in by_file.items():
                if items[0].whole_file:
                    shutil.move(path, saved / path.name)
                else:
                    _remove_records(path, {r.article.id for r in items}, saved / path.name)
        except OSError as exc:
            raise CorpusChangeError(f"cannot remove from the corpus ({exc.filename}: {exc.strerror})") from None
    return removals, saved


def _remove_records(path: Path, ids: set[str], saved: Path) -> None:
    """Rewrite a `.jsonl` file without the records of these ids (atomically); the removed lines go
    to `saved`, itself a `.jsonl` file `qa add` takes back."""
    target = path.resolve()
    text = target.read_bytes().decode("utf-8-sig")
    kept: list[str] = []
    removed: list[str] = []
    for line in text.splitlines(keepends=True):
        (removed if record_id(line) in ids else kept).append(line)
    saved.write_text("".join(removed), encoding="utf-8")
    tmp = target.with_name(f".{target.name}.qa-remove-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("".join(kept))
            fh.flush()
            os.fsync(fh.fileno())
        shutil.copymode(target, tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def update_index(
    pipeline: Pipeline, progress: Progress = False, *, background: bool = False, attempts: int = 5
) -> Index:
    """The pipeline's `prepare()` after a change of its corpus (only passages never embedded are
    embedded; with `background`, in a thread once the new articles are searchable by BM25), repeated
    until the corpus files are those it started from: a change made meanwhile (another `qa add`,
    another upload) is then in the index too. Questions asked during it are answered from the index
    loaded before, until `prepare()` switches to the new one."""
    from qa.corpus import files_fingerprint

    settings = pipeline.settings
    for _ in range(attempts):
        before = files_fingerprint(settings.corpus.dir, settings.corpus.max_article_chars)
        index = pipeline.prepare(progress=progress, background=background)
        if files_fingerprint(settings.corpus.dir, settings.corpus.max_article_chars) == before:
            break
    return index
