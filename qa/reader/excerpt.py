"""A long sentence quoted in part: the clauses around the short answer, or around the question's
words, with "…" where the sentence was cut.

A news sentence often strings several facts together with commas and semicolons ("Sáng 3/4, tại
Hà Nội, hội nghị khai mạc với 200 đại biểu; ban tổ chức cho biết …"); the one the question asks
about is a clause or two of it. A sentence longer than `longer_than` characters that holds an anchor
(the short answer's span, else a span of the kind asked for) is split at `,` `;` `:` and spaced
dashes; the window starts at the clause(s) holding the anchor and grows one clause at a time towards
the neighbour holding more of the question's weighted words (the one after it on a tie) while it
fits the budget. A window that does not fit the budget even so is quoted as it is: words are never
cut. The citation still quotes the whole sentence.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from qa.lexicon import TermWeights, question_units, terms
from qa.reader.candidates import ScoredSentence, without_credits
from qa.spans import Span

# Where a sentence may be cut: after a comma, semicolon or colon followed by a space (not `1,5`),
# or at a spaced dash.
_BOUNDARY = re.compile(r"(?<=[,;:])\s+|\s+[–—-]\s+")
ELLIPSIS = "…"

Weight = Callable[[str], float]  # how much of the question a piece of text holds


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause, its trailing punctuation included, in order; together they
    cover the text but for the spaces (and spaced dashes) between them."""
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if match.start() > start:
            pieces.append((start, match.start()))
        start = match.end()
    if start < len(text):
        pieces.append((start, len(text)))
    return pieces


def excerpt(text: str, budget: int, weight: Weight, anchor: tuple[int, int], longer_than: int = 0) -> str:
    """`text` itself when it is no longer than `longer_than` and `budget` characters (or `budget`
    is 0), else the clauses around `anchor` (a span's offsets) that fit `budget`, "…" marking each
    cut."""
    if not budget or len(text) <= max(budget, longer_than):
        return text
    pieces = clauses(text)
    weights = [weight(text[s:e]) for s, e in pieces]
    first = next((i for i, (_, e) in enumerate(pieces) if e > anchor[0]), len(pieces) - 1)
    last = next((i for i, (_, e) in enumerate(pieces) if e >= anchor[1]), len(pieces) - 1)
    while True:
        options = []  # (weight, after the window?, index) of each neighbour that still fits
        if last + 1 < len(pieces) and pieces[last + 1][1] - pieces[first][0] <= budget:
            options.append((weights[last + 1], 1, last + 1))
        if first > 0 and pieces[last][1] - pieces[first - 1][0] <= budget:
            options.append((weights[first - 1], 0, first - 1))
        if not options:
            break
        _, _, added = max(options)
        first, last = min(first, added), max(last, added)
    return _marked(text, pieces[first][0], pieces[last][1])


def _marked(text: str, start: int, end: int) -> str:
    """text[start:end] with "…" where it was cut off the sentence; a cut clause loses its trailing
    comma or semicolon, the sentence's own closing punctuation stays."""
    part = text[start:end].strip()
    if start > 0:
        part = f"{ELLIPSIS} {part}"
    if end < len(text.rstrip()):
        part = f"{part.rstrip(',;: –—-')}{ELLIPSIS}"
    return part


def clause_weight(question: str, term_weights: TermWeights) -> Weight:
    """The IDF-weighted share of the question's words (and adjacent pairs) a piece of text holds."""
    units, accents = question_units(question)
    return lambda piece: term_weights.coverage(units, terms(piece, accents=accents)) if units else 0.0


def quoted_excerpt(
    sentence: ScoredSentence,
    budget: int,
    weight: Weight,
    anchor: Span | None,
    *,
    credits: bool = False,
    longer_than: int = 0,
) -> str:
    """What the answer shows of a quoted sentence: credits left out (unless they are asked about),
    then, when it is long and holds `anchor` (a span of the sentence's text), the clauses around it.
    A sentence with no anchor is quoted whole: without a span to centre on, cutting it lost answers
    (docs/answering.md)."""
    text = sentence.text if credits else without_credits(sentence.text)
    if anchor is None:
        return text
    starts = [m.start() for m in re.finditer(re.escape(anchor.text), text)]  # leaving credits out moves it
    if not starts:
        return text
    start = min(starts, key=lambda s: abs(s - anchor.start))
    return excerpt(text, budget, weight, (start, start + len(anchor.text)), longer_than)
