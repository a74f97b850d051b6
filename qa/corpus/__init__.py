"""The corpus: a folder of Vietnamese news articles, cleaned of their pages' boilerplate.

    corpus = load_corpus(Path("seeds"))
    corpus.articles   # Article records, sorted by id
    corpus.problems   # LoadProblem(path, reason, kind) for each file or record that was skipped
    corpus.files      # the article files considered
    corpus.fingerprint()                 # of the articles: what an index built from them holds
    files_fingerprint(Path("seeds"))     # of the files, cheaply: unchanged means loading gives the same

Supported files: scraped pages as text (`*.txt`, see `seed_page`), HTML pages (`*.html`, `*.htm`)
and already-clean articles as JSON Lines (`*.jsonl`), plus an optional `sources.json` giving each
file's URL and date. Boilerplate rules live in `boilerplate`, one small function per kind of line.
"""
from __future__ import annotations

from qa.corpus.loader import Corpus, files_fingerprint, load_corpus
from qa.corpus.problems import LoadProblem, ProblemKind
from qa.corpus.seed_page import parse_page

__all__ = ["Corpus", "LoadProblem", "ProblemKind", "files_fingerprint", "load_corpus", "parse_page"]
