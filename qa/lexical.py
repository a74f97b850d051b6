"""BM25 over Vietnamese passages, for questions typed with or without diacritics.

Every passage is indexed twice over in one bm25s index: its accented tokens (`hợp`, `tác`) and the
same tokens folded to plain ASCII and marked with `~` (`~hop`, `~tac`). A question typed without
diacritics is folded and matched on the `~` tokens only. A question with diacritics is matched on
both: the exact accented token scores high (it is rarer), and the folded one still catches spelling
variants (`Savanakhet`, a dropped tone mark), which measured better than accented tokens alone.
The mark keeps a genuinely unaccented word (`ha`) apart from the folded form of an accented one
(`hà` → `~ha`).

Tokens are syllables plus adjacent-syllable bigrams (`hợp_tác`): Vietnamese words are mostly
two syllables, and the bigram rewards passages that have the question's words in order. That beat
single syllables and pyvi's word segmenter on XQuAD-vi (docs/retrieval.md); single syllables stay
selectable so that comparison can be re-run (benchmarks/retrieval_experiments.py).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path

import bm25s
import numpy as np

from qa.text import fold, has_diacritics, words

FOLDED = "~"


def syllables(text: str) -> list[str]:
    return words(text)


def syllable_bigrams(text: str) -> list[str]:
    tokens = words(text)
    return tokens + [f"{a}_{b}" for a, b in pairwise(tokens)]


SCHEMES: dict[str, Callable[[str], list[str]]] = {
    "syllables": syllables,
    "bigrams": syllable_bigrams,
}
DEFAULT_SCHEME = "bigrams"


class LexicalIndex:
    """bm25s over pre-tokenised passages; `scores(question)` gives one BM25 score per passage row."""

    def __init__(self, bm25: bm25s.BM25, scheme: str = DEFAULT_SCHEME) -> None:
        self.bm25 = bm25
        self.scheme = scheme
        self._tokenize = SCHEMES[scheme]

    @classmethod
    def build(cls, texts: Sequence[str], scheme: str = DEFAULT_SCHEME) -> LexicalIndex:
        tokenize = SCHEMES[scheme]
        corpus = []
        for text in texts:
            tokens = tokenize(text)
            folded = tokenize(fold(text))  # the text folded once, not each of its tokens
            if len(folded) != len(tokens):  # folding moved a word boundary: fold token by token
                folded = [fold(t) for t in tokens]
            corpus.append(tokens + [FOLDED + t for t in folded])
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        return cls(bm25, scheme)

    def query_tokens(self, question: str) -> list[str]:
        folded = [FOLDED + t for t in self._tokenize(fold(question))]
        return self._tokenize(question) + folded if has_diacritics(question) else folded

    def scores(self, question: str) -> np.ndarray:
        """(n_passages,) float32 BM25 scores, 0 where no query token occurs."""
        return self.bm25.get_scores(self.query_tokens(question))

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """({syllable: passages containing it}, passages) read off the index's sparse matrix (a
        token's column holds one entry per passage), with folded tokens under their plain form:
        the answering stage's IDF weights, without tokenising the corpus a second time."""
        indptr = self.bm25.scores["indptr"]
        counts = np.diff(indptr)
        frequencies: dict[str, int] = {}
        for token, column in self.bm25.vocab_dict.items():
            if column < len(counts) and token and "_" not in token:  # bigrams are not syllables
                # A plain token and its folded twin share a key: keep the larger count, whatever
                # order the vocabulary lists them in.
                key = token.removeprefix(FOLDED)
                frequencies[key] = max(frequencies.get(key, 0), int(counts[column]))
        return frequencies, int(self.bm25.scores["num_docs"])

    def save(self, folder: Path) -> None:
        self.bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, scheme: str) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(folder), show_progress=False, verbosity=0), scheme)
