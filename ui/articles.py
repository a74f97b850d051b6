"""The chat's "Bài báo" (Articles) tab: the archive's articles, newest first and searchable by title
(with or without accents), at most `LISTED` at a time; one opens in the in-app view or is removed
(after a confirmation); and, when the server enables uploads (QA_UPLOADS), files are added to the
corpus (why one is refused said in Vietnamese, `LoadProblem.vi`), Gradio's copies deleted once read.

A thin client of `qa.manage`, the code behind `qa add` and `qa remove --yes`: a change is a change of
the corpus folder, then `qa.manage.update_index` runs in a thread while questions keep being
answered from the index loaded before, until `prepare()` switches to the new one: at once searchable
by BM25, its new passages joining dense search when the pipeline's background step has embedded
them (QA_BACKGROUND_EMBEDDING; the corpus line says how far). The handlers are generators, so the
tab shows what was kept or refused at once and then the update's progress. Every text from a file
or an article is escaped (`ui.render.text_html`).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa import messages
from qa.api import Pipeline
from qa.errors import QAError
from qa.manage import FileCheck, add_files, remove_articles, update_index
from qa.text import fold
from qa.types import Article
from ui.render import article_path, format_date, link, safe_url, text_html

log = logging.getLogger(__name__)

POLL_SECONDS = 0.3  # how often the progress line is refreshed during an update
LISTED = 50  # articles the table and the chooser show at most: the search box finds the others
Row = list[Any]  # title, date, source, passages, id


@dataclass(frozen=True)
class Listing:
    """What the tab shows of the archive for one search: the table's rows, the chooser's (label,
    id) pairs (the same articles), and the count line."""

    rows: list[Row]
    choices: list[tuple[str, str]]
    count: str


def newest_first(articles: Sequence[Article]) -> list[Article]:
    """Dated articles newest first, then the undated ones (by title)."""
    dated = sorted((a for a in articles if a.published), key=lambda a: a.published, reverse=True)  # type: ignore[arg-type, return-value]
    undated = sorted((a for a in articles if not a.published), key=lambda a: fold(a.title))
    return [*dated, *undated]


def source_label(article: Article) -> str:
    return safe_url(article.url) or messages.IN_APP_HINT


def lines_html(lines: Sequence[str]) -> str:
    """Lines of plain text as one line of HTML, each escaped: shown by a gr.Markdown as an HTML
    block, inside which no markdown is read."""
    return "".join(f"<div>{text_html(line)}</div>" for line in lines)


def check_lines(checks: Sequence[FileCheck]) -> list[str]:
    """Per file: what was kept (title, date, source, length), or why it was refused, and the records
    skipped with their reasons (in Vietnamese: `LoadProblem.vi`)."""
    lines = []
    for check in checks:
        if check.refusal:
            lines.append(messages.ARTICLES_FILE_REFUSED.format(name=check.name, reason=check.refusal.vi))
        else:
            lines.append(messages.ARTICLES_FILE_ADDED.format(name=check.name, count=len(check.articles)))
            for article in check.articles:
                kept = messages.ARTICLES_KEPT.format(
                    title=article.title, date=format_date(article.published), source=source_label(article),
                    chars=f"{len(article.body):,}".replace(",", "."),
                )
                lines.append(f"  + {kept}")
        lines.extend(f"  − {messages.ARTICLES_FILE_SKIPPED.format(reason=p.vi)}" for p in check.problems)
    return lines


class Archive:
    """The tab's handlers over one pipeline. `ready` says whether the pipeline is prepared (the
    server's `Startup`); changes wait until it is. `uploads` is Gradio's upload folder, whose
    temporary copies `add` deletes once it has read them."""

    def __init__(
        self, pipeline: Pipeline, ready: Callable[[], bool] = lambda: True, uploads: Path | None = None
    ) -> None:
        self.pipeline = pipeline
        self.ready = ready
        self.uploads = uploads
        self._changing = threading.Lock()  # one change and its update at a time from this server

    # -- the list ---------------------------------------------------------------------------------

    def articles(self) -> list[Article]:
        return newest_first(self.pipeline.headers) if self.ready() else []

    def listing(self, query: str | None = "") -> Listing:
        """The articles whose title holds the query (accents and case ignored), newest first, at
        most `LISTED` of them, for both the table and the chooser; the count line says how many
        more match."""
        wanted = fold(query or "").strip()
        articles = self.articles()
        matched = [a for a in articles if not wanted or wanted in fold(a.title)]
        shown = matched[:LISTED]
        passages = self.pipeline.index.texts.passage_counts() if shown else {}
        count = messages.ARTICLES_COUNT.format(shown=len(shown), total=len(articles))
        if len(matched) > len(shown):
            count += " " + messages.ARTICLES_MORE.format(more=len(matched) - len(shown))
        return Listing(
            rows=[[a.title, format_date(a.published), source_label(a), passages[a.id], a.id] for a in shown],
            choices=[(f"{a.title} ({a.id})", a.id) for a in shown],
            count=count,
        )

    def opened(self, article_id: str | None) -> str:
        """The link to the in-app view of the selected article (empty when none is)."""
        article = self.pipeline.article(article_id) if article_id and self.ready() else None
        if article is None:
            return ""
        opened = link(article_path(article.id), text_html(article.title))
        return f"<div>{text_html(messages.ARTICLES_OPEN)} {opened}</div>"

    # -- changes ----------------------------------------------------------------------------------

    def confirm_text(self, article_id: str | None) -> str | None:
        """The question asked before removing, or None when no article is selected."""
        article = self.pipeline.article(article_id) if article_id and self.ready() else None
        return messages.ARTICLES_REMOVE_CONFIRM.format(title=article.title) if article else None

    def add(self, paths: Sequence[str | Path] | None) -> Iterator[str]:
        """`qa add` of these files, then the index updated: yields the tab's status HTML. The files
        that are Gradio's temporary copies of uploads are deleted once read, whether added or not."""
        files = [Path(p) for p in paths or ()]
        with self._changing:
            try:
                report, added = self._ingest(files)
            finally:
                self._discard(files)
            if added:
                yield from self._updated(report)
            else:
                yield lines_html(report)

    def _ingest(self, files: list[Path]) -> tuple[list[str], bool]:
        """The files checked and copied into the corpus (`qa.manage.add_files`): the report's lines,
        and whether any article was added."""
        if not files:
            return [messages.ARTICLES_ADD_NONE], False
        if not self.ready():
            return [messages.NOT_READY.format(percent=0)], False
        try:
            checks = add_files(self.pipeline.settings, files)
        except QAError as exc:
            log.warning("Upload refused: %s", exc)
            return [messages.ARTICLES_ADD_FAILED.format(reason=exc.vi)], False
        for check in checks:
            log.info("upload %s: %s", check.name, check.refused or f"{len(check.articles)} article(s) added")
            for problem in check.problems:
                log.info("upload %s: skipped %s", check.name, problem.reason)
        return check_lines(checks), not all(check.refusal for check in checks)

    def _discard(self, files: list[Path]) -> None:
        """Delete the files under `uploads` (Gradio's temporary copies), and the folder Gradio made
        for each once it is empty; any other file is the user's own and stays."""
        if self.uploads is None:
            return
        root = self.uploads.resolve()
        for path in files:
            copy = path.resolve()
            if copy == root or not copy.is_relative_to(root):
                continue
            try:
                copy.unlink(missing_ok=True)
                if copy.parent != root and not any(copy.parent.iterdir()):
                    copy.parent.rmdir()
            except OSError as exc:
                log.warning("could not delete the uploaded copy %s: %s", copy, exc.strerror)

    def remove(self, article_id: str | None) -> Iterator[str]:
        """`qa remove --yes` of one article, then the index updated: yields the tab's status HTML."""
        article = self.pipeline.article(article_id) if article_id and self.ready() else None
        if article is None:
            yield lines_html([messages.ARTICLES_REMOVE_NONE])
            return
        with self._changing:
            try:
                _, saved = remove_articles(self.pipeline.settings, [article.id])
            except QAError as exc:
                log.warning("Removal of %r refused: %s", article.id, exc)
                yield lines_html([messages.ARTICLES_REMOVE_FAILED.format(reason=exc.vi)])
                return
            log.info("removed article %r; its file or record is kept in %s", article.id, saved)
            yield from self._updated([messages.ARTICLES_REMOVED.format(title=article.title)])

    def _updated(self, report: list[str]) -> Iterator[str]:
        """`update_index` in a thread, its progress yielded under the report until it is done."""
        progress = [0, 0]
        outcome: dict[str, Any] = {}

        def tell(done: int, total: int) -> None:
            progress[:] = [done, total]

        def run() -> None:
            try:
                background = self.pipeline.settings.serving.background_embedding
                outcome["index"] = update_index(self.pipeline, progress=tell, background=background)
            except QAError as exc:
                log.warning("Index update failed: %s", exc)
                outcome["error"] = exc.vi
            except Exception:
                log.exception("Index update failed")
                outcome["error"] = messages.GENERIC_ERROR

        worker = threading.Thread(target=run, name="qa-index-update", daemon=True)
        worker.start()
        while worker.is_alive():
            done, total = progress
            line = (
                messages.ARTICLES_UPDATING.format(done=done, total=total, percent=int(100 * done / total))
                if total
                else messages.ARTICLES_UPDATING_START
            )
            yield lines_html([*report, line]) + _bar(done, total)
            worker.join(POLL_SECONDS)
        if "error" in outcome:
            yield lines_html([*report, messages.ARTICLES_UPDATE_FAILED.format(reason=outcome["error"])])
            return
        index = outcome["index"]
        if index.dense_pending:  # the rest is embedded in the background; the corpus line says how far
            line = messages.ARTICLES_UPDATED_WORDS.format(count=len(index.articles), pending=index.dense_pending)
        else:
            line = messages.ARTICLES_UPDATED.format(count=len(index.articles), embedded=index.report.get("embedded", 0))
        yield lines_html([*report, line])


def _bar(done: int, total: int) -> str:
    return f'<progress class="qa-progress" max="{max(total, 1)}" value="{done}"></progress>'
