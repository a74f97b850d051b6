"""`qa` command line (also `python -m qa`). Thin: parse flags into `Settings`, call the public API,
format the result. Heavy modules are imported inside the command that needs them."""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from qa.errors import CorpusChangeError, QAError
from qa.settings import Settings
from qa.types import Article

EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it stops the command as Ctrl+C does: every
    `finally` runs (the embeddings computed so far are saved, a half-written build folder is
    removed, the build lock released), where SIGTERM's default action would end Python at once."""


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While the command runs, SIGTERM raises `Terminated`; a second SIGTERM ends the process at once."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _settings_flags() -> argparse.ArgumentParser:
    """One flag per setting, generated from the settings tree (`--top-k` for QA_TOP_K, …)."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("settings (override the QA_* environment variables; `qa settings` lists them)")
    for f in Settings.fields():
        group.add_argument(*f.flags, dest=f.key, metavar=f.env, help=f.meta["help"])
    common.add_argument("-v", "--verbose", action="store_true", help="log progress and decisions")
    return common


def _since(text: str) -> datetime:
    """A date or time, ISO 8601; without a time zone it is UTC (the log's)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r} (e.g. 2026-12-01)") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def build_parser() -> argparse.ArgumentParser:
    common = _settings_flags()
    parser = argparse.ArgumentParser(
        prog="qa", description="Hỏi đáp tin tức: question answering over Vietnamese news articles."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("articles", parents=[common], help="list the cleaned articles of the corpus")
    p.add_argument("--json", action="store_true", help="one JSON object per article per line")
    p.set_defaults(run=cmd_articles)

    p = sub.add_parser(
        "add", parents=[common], help="add article files (.txt, .html, .jsonl) to the corpus and update the index"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a file to copy into the corpus folder")
    p.add_argument("--replace", action="store_true", help="overwrite a corpus file of the same name")
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("remove", parents=[common], help="remove articles (ids as `qa articles` lists them)")
    p.add_argument("ids", nargs="+", metavar="ID", help="an article id")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(run=cmd_remove)

    p = sub.add_parser("build", parents=[common], help="build (or refresh) the search index")
    p.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("ask", parents=[common], help="answer a question, with sources")
    p.add_argument("question", help="the question, in Vietnamese (or English)")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("eval", parents=[common], help="evaluate on a QA test set")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--testset", type=Path, help="JSON Lines test set (see README)")
    source.add_argument("--squad", type=Path, help="SQuAD-format file; its paragraphs become the corpus")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON here")
    p.add_argument("--report", dest="report_path", type=Path, help="write a markdown report (+ PNG chart)")
    p.add_argument(
        "--fact-missing",
        action="store_true",
        help="also ask every answerable question without the sentences that hold its answer "
        "(a 'fact removed' row: how often it is then declined)",
    )
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("feedback", help="the chat's 👍/👎 log (feedback.jsonl in the corpus's index folder)")
    actions = p.add_subparsers(dest="feedback_command", required=True)
    p = actions.add_parser(
        "export", parents=[common], help="turn the users' votes and corrections into a test set for qa eval"
    )
    p.add_argument("--testset", type=Path, required=True, help="write the test set (JSON Lines) here")
    p.add_argument("--since", type=_since, help="only votes from this date or time on (ISO 8601, e.g. 2026-12-01)")
    p.add_argument(
        "--include-upvoted",
        action="store_true",
        help="also 👍: a declined question as unanswerable, an answer's short answer as gold",
    )
    p.add_argument("--log", dest="log_file", type=Path, help="the feedback log (default: the corpus's)")
    p.set_defaults(run=cmd_feedback_export)

    p = sub.add_parser("serve", parents=[common], help="start the chat UI in the browser")
    p.add_argument("--share", action="store_true", help="also open a public Gradio share link")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("settings", parents=[common], help="print the settings in force")
    p.set_defaults(run=cmd_settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.verbose:  # our decisions only, not every library's start-up chatter
        for name in ("qa", "embeddings", "ui"):
            logging.getLogger(name).setLevel(logging.INFO)
    try:
        with _sigterm_stops():
            settings = Settings.load(**{f.key: getattr(args, f.key) for f in Settings.fields()})
            return args.run(args, settings) or 0
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Terminated:
        print(
            "stopped (SIGTERM): the index in service is unchanged, and a build stopped half-way keeps "
            "the embeddings it computed, so the next build resumes from them",
            file=sys.stderr,
        )
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        return 130


def cmd_articles(args: argparse.Namespace, settings: Settings) -> int:
    from qa.corpus import load_corpus

    corpus = load_corpus(settings.corpus.dir, settings.corpus.max_article_chars)
    for problem in corpus.problems:
        print(f"warning: skipped {problem.path}: {problem.reason}", file=sys.stderr)
    if args.json:
        for article in corpus.articles:
            print(json.dumps(article.to_dict(), ensure_ascii=False))
        return 0
    rows = [
        (
            a.id,
            a.published.strftime("%Y-%m-%d %H:%M") if a.published else "-",
            f"{len(a.body):>6}",
            a.author or "-",
            a.title,
        )
        for a in corpus.articles
    ]
    header = ("id", "published", "chars", "author", "title")
    widths = [max(len(str(r[i])) for r in [*rows, header]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row[:4], widths, strict=True)) + "  " + row[4])
    print(f"\n{len(rows)} articles from {settings.corpus.dir}")
    return 0


def _describe(article: Article) -> str:
    date = article.published.strftime("%Y-%m-%d") if article.published else "no date"
    return f"{article.id}  {article.title}  ({date}, {article.url or 'no url'}, {len(article.body):,} chars)"


def _update_index(settings: Settings) -> None:
    """The index brought up to date with the corpus (`qa.manage.update_index`), and what that did."""
    from qa.api import Pipeline
    from qa.manage import update_index

    index = update_index(Pipeline(settings), progress=True)
    report = index.report
    if report:
        stages = ""
        if "lexical_seconds" in report and "dense_seconds" in report:
            words, vectors = report["lexical_seconds"], report["dense_seconds"]
            stages = f" (stage 1, words: {words:.1f}s; stage 2, vectors: {vectors:.1f}s)"
        print(
            f"index updated in {report['seconds']:.1f}s{stages}: embedded {report['embedded']} new texts, "
            f"{report['cache_hits']} from the cache ({index.manifest['counts']['articles']} articles)"
        )
    else:
        print(f"index unchanged ({index.manifest['counts']['articles']} articles)")


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from qa.manage import add_files

    checks = add_files(settings, args.files, replace=args.replace)
    for check in checks:
        if check.refused:
            print(f"refused {check.path}: {check.refused}", file=sys.stderr)
        else:
            verb = "replaced" if check.replaced else "added"
            print(f"{verb} {check.name}: {len(check.articles)} article(s)")
            for article in check.articles:
                print(f"  + {_describe(article)}")
        for problem in check.problems:
            print(f"  skipped in {check.path}: {problem.reason}", file=sys.stderr)
    refused = [c for c in checks if c.refused]
    if len(refused) == len(checks):
        raise CorpusChangeError(f"nothing added: {len(refused)} file(s) refused (above); the corpus is unchanged")
    _update_index(settings)
    return 1 if refused else 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from qa.manage import plan_removal, remove_articles

    plan = plan_removal(settings, args.ids)
    for removal in plan:
        where = f"file {removal.path.name}" if removal.whole_file else f"a record of {removal.path.name}"
        print(f"  - {_describe(removal.article)} [{where}]")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CorpusChangeError("not confirmed: stdin is not a terminal; pass --yes to remove without asking")
        if input(f"Remove {len(plan)} article(s)? [y/N] ").strip().lower() not in ("y", "yes"):
            print("nothing removed")
            return 1
    removals, saved = remove_articles(settings, args.ids)
    print(f"removed {len(removals)} article(s); the removed files and records are kept in {saved}")
    _update_index(settings)
    return 0


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from qa.api import Pipeline

    index = Pipeline(settings).prepare(force=args.force, progress=True)
    print(index.summary())
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from qa.api import Pipeline

    pipeline = Pipeline(settings)
    pipeline.prepare(progress=True, wait=False)  # a server embedding new articles: answer now, by their words
    answer = pipeline.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.citations:
        print("\nNguồn:")
        for c in answer.citations:
            date = c.published.strftime("%d/%m/%Y") if c.published else "không rõ ngày"
            print(f"  [{c.n}] {c.title} ({date})" + (f"\n      {c.url}" if c.url else ""))
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from qa.evaluation.command import run_eval

    return run_eval(
        settings,
        testset=args.testset,
        squad=args.squad,
        limit=args.limit,
        json_path=args.json_path,
        report_path=args.report_path,
        fact_missing=args.fact_missing,
    )


def cmd_feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from qa.feedback import export_feedback

    export = export_feedback(
        settings, args.testset, log_file=args.log_file, include_upvoted=args.include_upvoted, since=args.since
    )
    for problem in export.problems:
        print(f"warning: skipped {problem}", file=sys.stderr)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(export.kinds.items()))
    print(f"{len(export.records)} test questions written to {args.testset} ({kinds})")
    for reason, n in sorted(export.counts.items()):
        print(f"  not exported: {n} {reason}")
    if export.problems:
        print(f"  not exported: {len(export.problems)} malformed lines (listed above)")
    print(f"evaluate with: qa eval --testset {args.testset}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from ui.app import serve

    serve(settings, share=args.share)
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    """The tree, section by section: path, value, environment variable, meaning."""
    rows = settings.describe()
    width = max(len(path.split(".", 1)[1]) for path, _, _, _ in rows)
    section = None
    for path, env, value, help_text in rows:
        if path.split(".")[0] != section:
            section = path.split(".")[0]
            print(f"[{section}]")
        print(f"  {path.split('.', 1)[1]:<{width}} = {value:<22} {env:<26} {help_text}")
    return 0
