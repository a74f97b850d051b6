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
selectable so that comparison can be re-run (benchmarks/retrieval_experiments.py). A syllable is a
run of letters and digits (an underscore separates, as it joins a bigram's two syllables).

Only syllables have strings in the vocabulary (bm25s's `vocab_dict`); a bigram is a pair of
syllable columns, kept as one sorted int64 array of codes (`first * n_syllables + second`) whose
position gives the bigram's column. A large archive has millions of distinct bigrams: as strings
they were most of the build's time, memory and loading time (docs/retrieval.md, issue 13).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import pickle
import re
import subprocess
import sys
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import count, pairwise
from pathlib import Path
from typing import TypeVar

import bm25s
import numpy as np
import scipy.sparse
from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

from qa.text import fold, has_diacritics, normalize

FOLDED = "~"
PAIRS_FILE = "pairs.npy"  # beside bm25s's own files: the bigrams' codes
EXPAND: dict[str, Callable[[list[str]], list[str]]] = {  # a scheme's tokens from a text's syllables
    "bigrams": lambda tokens: tokens + list(map("_".join, pairwise(tokens))),
    "syllables": list,
}
SCHEMES = tuple(EXPAND)
DEFAULT_SCHEME = "bigrams"
BLOCK_SYLLABLES = 1 << 21  # passages counted ~2M syllables at a time, to bound the build's memory
PARALLEL_MIN_TEXTS = 4000  # fewer passages are split into syllables in the building process alone
_SYLLABLE = re.compile(r"[^\W_]+")
try:
    _MALLOC_TRIM: Callable[[int], int] | None = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc
    _MALLOC_TRIM = None
# (distinct syllables in order of first occurrence, their indices in it text after text, texts' lengths)
Syllables = tuple[list[str], np.ndarray, np.ndarray]
T = TypeVar("T")
R = TypeVar("R")


def syllables(text: str) -> list[str]:
    """Lower-cased syllables of normalised text: runs of letters and digits."""
    return _SYLLABLE.findall(normalize(text).lower())


def passage_tokens(text: str, scheme: str = DEFAULT_SCHEME) -> list[str]:
    """What a passage is indexed under, as strings (the index holds ids; tests and benchmarks build
    bm25s from these to check it): its syllables (and bigrams), then the same folded and marked `~`,
    each syllable folded on its own (`hợp_tác` → `~hop_tac`)."""
    expand = EXPAND[scheme]
    plain = syllables(text)
    return expand(plain) + [FOLDED + t for t in expand([fold(s) for s in plain])]


def query_tokens(question: str, scheme: str = DEFAULT_SCHEME) -> list[str]:
    """What a question is looked up under: its tokens and their folded forms, or the folded ones
    only when it is typed without diacritics."""
    expand = EXPAND[scheme]
    folded = [FOLDED + t for t in expand(syllables(fold(question)))]
    return expand(syllables(question)) + folded if has_diacritics(question) else folded


def document_frequencies(texts: Iterable[str]) -> tuple[dict[str, int], int]:
    """({syllable: passages holding it}, passages), folded forms counted under their plain spelling
    as `LexicalIndex.document_frequencies` reads them off its matrix: for a store without that matrix
    (Milvus), from the texts themselves."""
    plain: Counter[str] = Counter()
    folded: Counter[str] = Counter()
    n = 0
    for text in texts:
        distinct = set(syllables(text))
        plain.update(distinct)
        folded.update({fold(s) for s in distinct})
        n += 1
    return {key: max(plain[key], folded[key]) for key in plain.keys() | folded.keys()}, n


def _syllable_ids(texts: Sequence[str]) -> Syllables:
    """(the distinct syllables in order of first occurrence, the index in that list of each syllable
    of each text, text after text, and the texts' lengths in syllables)."""
    syllable_id: defaultdict[str, int] = defaultdict(count().__next__)
    ids, lengths = array("i"), array("q")
    for text in texts:
        before = len(ids)
        ids.extend(map(syllable_id.__getitem__, syllables(text)))
        lengths.append(len(ids) - before)
    return list(syllable_id), np.frombuffer(ids, dtype=np.int32), np.frombuffer(lengths, dtype=np.int64)


def _syllable_ids_worker() -> None:
    """A worker process's body: `_syllable_ids` of the texts pickled on stdin, pickled to stdout."""
    sys.stdout.buffer.write(pickle.dumps(_syllable_ids(pickle.load(sys.stdin.buffer))))


def _syllable_ids_elsewhere(texts: Sequence[str]) -> Syllables:
    """`_syllable_ids(texts)` computed by a new Python process (this interpreter, this `sys.path`).
    A plain child process rather than `multiprocessing`: forking a build running beside the chat
    server's threads is unsafe, and a spawned worker re-imports the caller's main script, which
    fails for a script that builds at top level. Pickle only flows between this process and the
    child it started."""
    code = f"import sys; sys.path[:0] = {sys.path!r}; import qa.lexical; qa.lexical._syllable_ids_worker()"
    done = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(list(texts)), capture_output=True)
    if done.returncode:
        raise RuntimeError(f"a process splitting passages into syllables failed: {done.stderr.decode()[-2000:]}")
    result: Syllables = pickle.loads(done.stdout)
    return result


def _syllable_ids_parallel(texts: Sequence[str], workers: int) -> Syllables:
    """`_syllable_ids(texts)`, the same lists and arrays, with the texts split into `workers` runs:
    the first split here, the others by as many processes less one, started meanwhile. Each run
    numbers its own syllables; merged run after run, the first occurrences come in the same order
    as in one pass."""
    workers = min(workers, max(1, len(texts) // (PARALLEL_MIN_TEXTS // 2)))
    if workers <= 1:
        return _syllable_ids(texts)
    bounds = [len(texts) * k // workers for k in range(workers + 1)]
    runs = [texts[first:last] for first, last in pairwise(bounds)]
    with ThreadPoolExecutor(workers - 1) as pool:  # threads that wait for the processes
        others = [pool.submit(_syllable_ids_elsewhere, run) for run in runs[1:]]
        parts = [_syllable_ids(runs[0]), *(future.result() for future in others)]
    syllable_id: dict[str, int] = {}
    ids, lengths = [], []
    for names, run_ids, run_lengths in parts:
        # setdefault's default is computed before the insertion: a new syllable gets the next id
        number = np.fromiter((syllable_id.setdefault(n, len(syllable_id)) for n in names), np.int32, len(names))
        ids.append(number[run_ids])
        lengths.append(run_lengths)
    return list(syllable_id), np.concatenate(ids), np.concatenate(lengths)


def _in_threads(function: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """`map(function, items)`, with up to `workers` items computed at once by as many threads (for
    numpy's sorts and scipy's sparse conversions, which let go of the GIL), no more in flight."""
    if workers <= 1:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class _Passages:
    """The passages' syllables as ids (one array, passage after passage) and, from them, every
    token a passage is indexed under as a column: syllables, their bigrams, then both folded. Each
    distinct syllable is folded and given its column once; bigrams never become strings. Passages
    are counted a block of ~`block` syllables at a time, to bound memory, by `workers` threads side
    by side. Made from `_syllable_ids` (names, ids, lengths), so that the texts can go first."""

    def __init__(self, split: Syllables, bigrams: bool, block: int, workers: int) -> None:
        self.workers = workers
        names, self.ids, lengths = split
        self.starts = np.concatenate([[0], np.cumsum(lengths)])
        self.bigrams = bigrams
        self.block = block
        vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
        self.plain = np.fromiter(map(vocabulary.__getitem__, names), np.int32, len(names))
        self.folded = np.fromiter((vocabulary[FOLDED + fold(s)] for s in names), np.int32, len(names))
        self.vocabulary = dict(vocabulary)  # syllable token → column
        # Each block's distinct bigram codes and which of them each occurrence is; then all of them.
        self._seen = list(_in_threads(lambda b: _distinct_and_which(self._block(*b)[2]), self._bounds(), self.workers))
        self.pairs = _distinct(np.concatenate([np.zeros(0, np.int64), *(distinct for distinct, _ in self._seen)]))

    @property
    def n_passages(self) -> int:
        return len(self.starts) - 1

    def _bounds(self) -> Iterator[tuple[int, int]]:
        """The blocks of passages: (first, end) rows of each."""
        first = 0
        while first < self.n_passages:
            last = max(first + 1, int(np.searchsorted(self.starts, self.starts[first] + self.block, "right")) - 1)
            last = min(last, self.n_passages)
            yield first, last
            first = last

    def _block(self, first: int, last: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        """A block of passages: (passages in it, unigram columns, bigram codes, the passage in the
        block of each unigram then each bigram; a bigram's is that of its second syllable)."""
        ids = self.ids[self.starts[first] : self.starts[last]]
        passage = np.repeat(np.arange(last - first, dtype=np.int32), np.diff(self.starts[first : last + 1]))
        unigrams = [self.plain[ids], self.folded[ids]]
        codes = np.zeros(0, np.int64)
        if self.bigrams:
            within = passage[1:] == passage[:-1]  # adjacent syllables of one passage
            n = len(self.vocabulary)
            codes = np.concatenate([pair_codes(u[:-1][within], u[1:][within], n) for u in unigrams])
            passage = np.concatenate([passage, passage, np.tile(passage[1:][within], 2)])
        else:
            passage = np.tile(passage, 2)
        return last - first, np.concatenate(unigrams), codes, passage

    def counts(self) -> Iterator[scipy.sparse.csr_array]:
        """Per block of passages, a passages × tokens matrix of occurrences (compressed rows)."""
        n_syllables, n_vocab = len(self.vocabulary), len(self.vocabulary) + len(self.pairs)

        def count_block(block: tuple[tuple[int, int], tuple[np.ndarray, np.ndarray]]) -> scipy.sparse.csr_array:
            (first, last), (distinct, which) = block
            rows, unigrams, _, passage = self._block(first, last)
            pair_columns = n_syllables + np.searchsorted(self.pairs, distinct).astype(np.int32)
            columns = np.concatenate([unigrams, pair_columns[which]])
            counted = scipy.sparse.coo_array(
                (np.ones(len(columns), dtype=np.int32), (passage, columns)), shape=(rows, n_vocab)
            ).tocsr()
            counted.sum_duplicates()
            del rows, unigrams, passage, pair_columns, columns
            _give_back_freed_memory()
            return counted

        yield from _in_threads(count_block, zip(self._bounds(), self._seen, strict=True), self.workers)
        self._seen.clear()  # read once
        self.ids = self.ids[:0]


def _give_back_freed_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's `malloc_trim`; elsewhere nothing).
    A block's arrays are under glibc's 32 MB threshold for memory of its own, so they come from the
    heap, and freed they would still count towards the build's memory (~0.5 GB at 100k passages)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _stack(blocks: list[scipy.sparse.csr_array], n_columns: int) -> scipy.sparse.csr_array:
    """`scipy.sparse.vstack(blocks)`, emptying `blocks`: each block is copied into place and dropped,
    so the stacking takes one block more memory than the result rather than twice it (~0.4 GB at
    100k passages)."""
    nnz, rows = sum(block.nnz for block in blocks), sum(block.shape[0] for block in blocks)
    data = np.empty(nnz, blocks[0].dtype if blocks else np.float32)
    indices, indptr = np.empty(nnz, np.int32), np.zeros(rows + 1, np.int64)
    at = row = 0
    blocks.reverse()  # popped from the end, in passage order
    while blocks:
        block = blocks.pop()
        data[at : at + block.nnz], indices[at : at + block.nnz] = block.data, block.indices
        indptr[row + 1 : row + 1 + block.shape[0]] = block.indptr[1:] + at
        at, row = at + block.nnz, row + block.shape[0]
        del block
        _give_back_freed_memory()
    return scipy.sparse.csr_array((data, indices, indptr), shape=(rows, n_columns))


def _distinct(values: np.ndarray) -> np.ndarray:
    """np.unique(values) by sorting (numpy's hash-based unique is several times slower here)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _distinct_and_which(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, the index in it of each value, as int32 to halve its memory)."""
    distinct, which = np.unique(values, return_inverse=True)
    return distinct, which.astype(np.int32)


def pair_codes(first: np.ndarray, second: np.ndarray, n_syllables: int) -> np.ndarray:
    """The code of each bigram (a pair of syllable columns): what `LexicalIndex.pairs` holds, sorted."""
    return first.astype(np.int64) * n_syllables + second


def _bm25_matrix(passages: _Passages, bm25: bm25s.BM25) -> dict:
    """bm25s's `scores` (a CSC matrix, passages × tokens, of each token's BM25 weight in each
    passage), computed as `BM25.build_index_from_ids` does it, with the same formulas (bm25s's
    own idf and tf functions), the same float types and order of operations, vectorised: the
    occurrences counted a block of passages at a time, weighted, then turned into columns."""
    n_docs, n_vocab = passages.n_passages, len(passages.vocabulary) + len(passages.pairs)
    blocks = list(passages.counts())
    lengths = np.concatenate([np.zeros(0, np.int64), *(b.sum(axis=1) for b in blocks)])  # tokens per passage
    doc_frequencies = sum((np.bincount(b.indices, minlength=n_vocab) for b in blocks), np.zeros(n_vocab, np.int64))
    # idf of each distinct document frequency, by bm25s's function, stored as float32 as it does
    distinct, which = np.unique(doc_frequencies, return_inverse=True)
    idf_of = _select_idf_scorer(bm25.idf_method)
    idf = np.array([idf_of(int(df), N=n_docs) if df else 0.0 for df in distinct], dtype=bm25.dtype)[which]
    tfc_of = _select_tfc_scorer(bm25.method)
    first = 0
    for block in blocks:  # occurrences → weights, in place of the counts
        row_lengths = lengths[first : first + block.shape[0]]
        tfc = tfc_of(
            tf_array=block.data.astype(bm25.dtype), l_d=np.repeat(row_lengths, np.diff(block.indptr)),
            l_avg=lengths.mean(), k1=bm25.k1, b=bm25.b, delta=bm25.delta,
        )
        block.data = (idf[block.indices] * tfc).astype(bm25.dtype)
        first += block.shape[0]
        del tfc
        _give_back_freed_memory()
    weights = _stack(blocks, n_vocab)
    columns = weights.tocsc()  # each column's rows in passage order, as bm25s stores them
    del weights
    return {
        "data": columns.data.astype(bm25.dtype, copy=False),
        "indices": columns.indices.astype(bm25.int_dtype, copy=False),
        "indptr": columns.indptr.astype(np.int64, copy=False),
        "num_docs": n_docs,
    }


class LexicalIndex:
    """bm25s over the passages' token ids; `scores(question)` gives one BM25 score per passage row.

    `bm25.vocab_dict` holds the syllables (plain and `~` folded) and "" one past the matrix's
    columns, as bm25s puts it; `pairs` the bigrams' sorted codes: bigram k is column
    `n_syllables + k`."""

    def __init__(self, bm25: bm25s.BM25, pairs: np.ndarray, scheme: str = DEFAULT_SCHEME) -> None:
        self.bm25 = bm25
        self.pairs = pairs
        self.scheme = scheme
        self.n_syllables = len(bm25.vocab_dict) - 1  # without ""

    @classmethod
    def build(cls, texts: Iterable[str], scheme: str = DEFAULT_SCHEME, workers: int = 1) -> LexicalIndex:
        """The index `bm25s.BM25().index([passage_tokens(t, scheme) for t in texts])` would build
        (same tokens, same scores; tests/test_lexical.py checks it), from syllable ids: each text is
        split into syllables once and each looked up in a dict, the rest is done on arrays. With
        `workers` > 1 (0: one per CPU core) and enough texts, that many processes split them (the
        same index, bit for bit)."""
        if scheme not in SCHEMES:
            raise ValueError(f"unknown lexical scheme {scheme!r}: one of {', '.join(SCHEMES)}")
        workers = workers or os.cpu_count() or 1
        texts = list(texts)
        split = _syllable_ids_parallel(texts, workers)  # `workers` processes: half the work
        del texts  # not needed any more (~0.2 GB at 100k passages when the caller passes a generator)
        passages = _Passages(split, scheme == "bigrams", BLOCK_SYLLABLES, workers)
        del split
        if not passages.vocabulary:
            raise ValueError("no passage holds a word: nothing to index")  # as bm25s would fail
        bm25 = bm25s.BM25()
        if bm25.method in bm25.methods_requiring_nonoccurrence:
            raise ValueError(f"{bm25.method}: LexicalIndex.build computes no non-occurrence array")
        # What BM25.index sets, as it sets it: the matrix, the vocabulary with "" as one id past the
        # matrix's columns (a query of no known token), the set of ids.
        bm25.scores = _bm25_matrix(passages, bm25)
        bm25.vocab_dict = dict(passages.vocabulary)
        bm25.vocab_dict[""] = len(passages.vocabulary) + len(passages.pairs)
        bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
        bm25.nonoccurrence_array = None
        return cls(bm25, passages.pairs, scheme)

    def columns(self, tokens: list[str]) -> list[int]:
        """The columns of these token strings (syllables, `~` folded ones, bigrams `a_b`), in
        order; tokens the passages never hold are left out."""
        vocabulary, found = self.bm25.vocab_dict, []
        for token in tokens:
            if "_" not in token:
                column = vocabulary.get(token)
            else:
                first, second = token.split("_")
                mark = FOLDED if first.startswith(FOLDED) else ""  # `~a_b` pairs `~a` and `~b`
                column = self._pair_column(vocabulary.get(first), vocabulary.get(mark + second))
            if column is not None:
                found.append(column)
        return found

    def _pair_column(self, first: int | None, second: int | None) -> int | None:
        if first is None or second is None:
            return None
        code = first * self.n_syllables + second
        at = int(np.searchsorted(self.pairs, code))
        return self.n_syllables + at if at < len(self.pairs) and self.pairs[at] == code else None

    def scores(self, question: str) -> np.ndarray:
        """(n_passages,) float32 BM25 scores, 0 where no query token occurs."""
        return self.bm25.get_scores_from_ids(self.columns(query_tokens(question, self.scheme)))

    def tokens(self) -> dict[str, int]:
        """{token string: column}, bigrams included (`hợp_tác`, `~hop_tac`): what bm25s's
        `vocab_dict` would be had it been built from `passage_tokens` (for tests and benchmarks;
        makes a string per bigram)."""
        names = {column: token for token, column in self.bm25.vocab_dict.items() if token}
        vocabulary = {token: column for column, token in names.items()}
        for k, code in enumerate(self.pairs.tolist()):
            first, second = names[code // self.n_syllables], names[code % self.n_syllables]
            vocabulary[first + "_" + second.removeprefix(FOLDED)] = self.n_syllables + k
        return vocabulary

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """({syllable: passages containing it}, passages) read off the index's sparse matrix (a
        token's column holds one entry per passage), with folded tokens under their plain form:
        the answering stage's IDF weights, without tokenising the corpus a second time."""
        indptr = self.bm25.scores["indptr"]
        tokens = [token for token in self.bm25.vocab_dict if token]  # syllables only ("" aside)
        columns = np.fromiter(map(self.bm25.vocab_dict.__getitem__, tokens), np.int64, len(tokens))
        counts = (indptr[columns + 1] - indptr[columns]).tolist()  # read at once: ~0.5 s → 0.05 at 200k syllables
        frequencies: dict[str, int] = {}
        for token, n in zip(tokens, counts, strict=True):
            # A plain token and its folded twin share a key: keep the larger count, whatever
            # order the vocabulary lists them in.
            key = token.removeprefix(FOLDED)
            frequencies[key] = max(frequencies.get(key, 0), n)
        return frequencies, int(self.bm25.scores["num_docs"])

    def save(self, folder: Path) -> None:
        self.bm25.save(str(folder), show_progress=False)
        np.save(folder / PAIRS_FILE, self.pairs, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, scheme: str) -> LexicalIndex:
        # Memory-mapped: a question reads the columns of its few tokens, so a cold start need not
        # read the whole matrix (~0.5 s at 60k passages).
        bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)
        return cls(bm25, np.load(folder / PAIRS_FILE, allow_pickle=False), scheme)
