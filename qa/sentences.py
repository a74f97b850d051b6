"""The sentences of the passages a question reads, with their vectors, for the answering stage.

An index embeds its passages only (what retrieval searches); a build keeps where each passage's
sentences are (`Index.sentences`). Their vectors, which the reader scores against the question, are
embedded when a passage is first read — the same texts through the same `encode_passages` an index
build used to call, so the same vectors — in one encoder call for all the passages of a question
that are not in memory yet, and kept in a bounded least-recently-used table keyed by (build, passage):
a question over passages read before costs no encoding, and a rebuilt index never gets another
build's vectors (a build that stage 2 completes is keyed as its stage 1, whose passages it has:
`Index.passages_of`). The chat answers from several threads at once: the table is behind a lock, and
the encoder is called outside it (two questions missing the same passage at the same moment may
both embed it; the vectors are the same).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from embeddings import Encoder
    from qa.index import Index
    from qa.types import Passage


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage, for the answering stage: where it is in the article and its vector."""

    text: str
    start: int
    end: int
    vector: np.ndarray


class SentenceVectors:
    """The sentences of passages with their vectors, embedded on first read and kept for the last
    `size` passages read (0: none kept)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()  # (build, chunk id) → rows
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()

    def read(self, index: Index, chunk_ids: Iterable[str], encoder: Encoder) -> dict[str, list[Sentence]]:
        """{chunk id: its sentences, with vectors} for these passages of `index`; the sentences of
        those not in memory are embedded in one call of `encoder.encode_passages`."""
        build = index.passages_of
        spans = {chunk_id: index.sentences(chunk_id) for chunk_id in dict.fromkeys(chunk_ids)}
        vectors: dict[str, np.ndarray] = {}
        with self._lock:
            for chunk_id in spans:
                found = self._vectors.get((build, chunk_id))
                if found is not None:
                    self._vectors.move_to_end((build, chunk_id))
                    vectors[chunk_id] = found
        missing = [chunk_id for chunk_id in spans if chunk_id not in vectors]
        if missing:
            texts = list(dict.fromkeys(text for chunk_id in missing for text, _, _ in spans[chunk_id]))
            rows = dict(zip(texts, encoder.encode_passages(texts), strict=True)) if texts else {}
            for chunk_id in missing:
                embedded = np.array([rows[text] for text, _, _ in spans[chunk_id]], dtype=np.float32)
                vectors[chunk_id] = embedded.reshape(-1, encoder.dim)
                vectors[chunk_id].setflags(write=False)
            self._keep(build, {chunk_id: vectors[chunk_id] for chunk_id in missing})
        return {
            chunk_id: [
                Sentence(text, start, end, vector)
                for (text, start, end), vector in zip(sentences, vectors[chunk_id], strict=True)
            ]
            for chunk_id, sentences in spans.items()
        }

    def _keep(self, build: str, embedded: dict[str, np.ndarray]) -> None:
        if self.size == 0:
            return
        with self._lock:
            for chunk_id, rows in embedded.items():
                self._vectors[(build, chunk_id)] = rows
                self._vectors.move_to_end((build, chunk_id))
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)


def leave_out(
    passages: Sequence[Passage], sentences_of: Callable[[str], Sequence[Sentence]], omit: Callable[[str], bool]
) -> tuple[list[Passage], Callable[[str], list[Sentence]]]:
    """The passages and their sentences without the sentences whose text `omit` picks (taken out of
    each passage's text too, which the evidence for declining reads); order and scores kept. What
    `Pipeline.trace(omit=…)` reads: evaluation asks questions with their answer's sentences left out."""

    def kept(chunk_id: str) -> list[Sentence]:
        return [s for s in sentences_of(chunk_id) if not omit(s.text)]

    read = []
    for passage in passages:
        text = passage.text
        for sentence in sentences_of(passage.chunk_id):
            if omit(sentence.text):
                text = text.replace(sentence.text, " ")
        read.append(replace(passage, text=text))
    return read, kept
