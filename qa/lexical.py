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

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import count, pairwise
from pathlib import Path

import bm25s
import numpy as np
from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

from qa.text import fold, has_diacritics, words, words_and_folded

FOLDED = "~"


def with_bigrams(tokens: list[str]) -> list[str]:
    return tokens + list(map("_".join, pairwise(tokens)))


def syllables(text: str) -> list[str]:
    return words(text)


def syllable_bigrams(text: str) -> list[str]:
    return with_bigrams(words(text))


SCHEMES: dict[str, Callable[[str], list[str]]] = {
    "syllables": syllables,
    "bigrams": syllable_bigrams,
}
# Each scheme's tokens from a text's syllables (`SCHEMES[s](text) == EXPAND[s](words(text))`).
EXPAND: dict[str, Callable[[list[str]], list[str]]] = {
    "syllables": list,
    "bigrams": with_bigrams,
}
DEFAULT_SCHEME = "bigrams"
BLOCK_TOKENS = 1 << 21  # token ids counted into postings every ~2M tokens, to bound memory


def passage_tokens(text: str, scheme: str = DEFAULT_SCHEME) -> list[str]:
    """What a passage is indexed under: its tokens, then the folded text's tokens marked `~`."""
    tokens = SCHEMES[scheme](text)
    folded = SCHEMES[scheme](fold(text))  # the text folded once, not each of its tokens
    if len(folded) != len(tokens):  # folding moved a word boundary: fold token by token
        folded = [fold(t) for t in tokens]
    return tokens + [FOLDED + t for t in folded]


class _Postings:
    """The passages' token ids, counted: one (token, passage, occurrences) triple per token a
    passage holds, collected a block of passages at a time."""

    def __init__(self) -> None:
        self.ids = array("i")
        self.lengths: list[int] = []
        self.block_start = 0  # first passage of the current block
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, *token_ids: Iterable[int]) -> None:
        """One passage's token ids."""
        before = len(self.ids)
        for ids in token_ids:
            self.ids.extend(ids)
        self.lengths.append(len(self.ids) - before)
        if len(self.ids) >= BLOCK_TOKENS:
            self.flush()

    def flush(self) -> None:
        lengths = self.lengths[self.block_start :]
        if not lengths:
            return
        tokens = np.frombuffer(self.ids, dtype=np.int32).astype(np.int64)
        passages = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        # Token-major keys: unique sorts them by token, then passage.
        keys, occurrences = np.unique(tokens * len(lengths) + passages, return_counts=True)
        self.blocks.append((keys // len(lengths), keys % len(lengths) + self.block_start, occurrences))
        self.block_start = len(self.lengths)
        self.ids = array("i")

    def bm25(self, n_vocab: int, bm25: bm25s.BM25) -> dict:
        """bm25s's `scores` (a CSC matrix, passages × tokens, of each token's BM25 weight in each
        passage), computed as `BM25.build_index_from_ids` does it, with the same formulas (bm25s's
        own idf and tf functions), the same float types and order of operations, vectorised."""
        self.flush()
        n_docs = len(self.lengths)
        token, doc, occurrences = (np.concatenate(column) for column in zip(*self.blocks, strict=True))
        # Blocks are in passage order and each is sorted by token then passage: a stable sort by
        # token gives the whole matrix's column order (runs merged, not sorted again).
        order = np.argsort(token, kind="stable")
        token, doc, occurrences = token[order], doc[order], occurrences[order]
        lengths = np.array(self.lengths, dtype=np.int64)
        avg_doc_len = lengths.mean()
        doc_frequencies = np.bincount(token, minlength=n_vocab)
        # idf of each distinct document frequency, by bm25s's function, stored as float32 as it does
        distinct, which = np.unique(doc_frequencies, return_inverse=True)
        idf_of = _select_idf_scorer(bm25.idf_method)
        idf = np.array([idf_of(int(df), N=n_docs) if df else 0.0 for df in distinct], dtype=bm25.dtype)[which]
        tfc = _select_tfc_scorer(bm25.method)(
            tf_array=occurrences.astype(bm25.dtype), l_d=lengths[doc], l_avg=avg_doc_len,
            k1=bm25.k1, b=bm25.b, delta=bm25.delta,
        )
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(doc_frequencies, out=indptr[1:])
        return {
            "data": (idf[token] * tfc).astype(bm25.dtype),
            "indices": doc.astype(bm25.int_dtype),
            "indptr": indptr,
            "num_docs": n_docs,
        }


class LexicalIndex:
    """bm25s over pre-tokenised passages; `scores(question)` gives one BM25 score per passage row."""

    def __init__(self, bm25: bm25s.BM25, scheme: str = DEFAULT_SCHEME) -> None:
        self.bm25 = bm25
        self.scheme = scheme
        self._tokenize = SCHEMES[scheme]

    @classmethod
    def build(cls, texts: Sequence[str], scheme: str = DEFAULT_SCHEME) -> LexicalIndex:
        """The index `bm25s.BM25().index([passage_tokens(t, scheme) for t in texts])` would build
        (same vocabulary, same scores; tests/test_retrieval.py checks it), ~N× faster: each text
        normalised once, token ids assigned in one pass (a dict whose missing keys take the next
        id, all in C), BM25 weights computed with numpy rather than passage by passage."""
        expand = EXPAND[scheme]
        vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
        token_id = vocabulary.__getitem__
        postings = _Postings()
        for text in texts:
            syllables, folded = words_and_folded(text)
            if len(folded) != len(syllables):  # folding moved a word boundary: fold token by token
                folded = [fold(t) for t in syllables]
            postings.add(map(token_id, expand(syllables)), map(token_id, map(FOLDED.__add__, expand(folded))))
        if not vocabulary:
            raise ValueError("no passage holds a word: nothing to index")  # as bm25s would fail
        bm25 = bm25s.BM25()
        if bm25.method in bm25.methods_requiring_nonoccurrence:
            raise ValueError(f"{bm25.method}: LexicalIndex.build computes no non-occurrence array")
        # What BM25.index sets, as it sets it: the matrix, the vocabulary with "" as one id past the
        # matrix's columns (a query of no known token), the set of ids.
        bm25.scores = postings.bm25(len(vocabulary), bm25)
        bm25.vocab_dict = dict(vocabulary)
        bm25.vocab_dict[""] = len(bm25.vocab_dict)
        bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
        bm25.nonoccurrence_array = None
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
