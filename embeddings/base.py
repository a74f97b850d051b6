"""The one interface every embedding model is used through.

Retrieval models such as E5 are asymmetric: a question and the passage that answers it are written
differently, so the model is told which one it is reading (`query: ` / `passage: `). Keeping the two
calls apart in the interface means no caller can forget the prefix or put the wrong one.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

NPY_LOCK = threading.Lock()
"""Held by every reader of this project's .npy/.npz files (index builds, the embedding cache): numpy
parses a file's header with `ast.literal_eval`, which CPython 3.11 can fail in two threads at once
("AST constructor recursion depth mismatch", python/cpython#106905) — seen when a build reads the
cache while a reader loads a build."""


class EncoderUnavailable(RuntimeError):
    """The model cannot be loaded on this machine (not installed, not in the local cache); the
    message says how to get it. The question-answering layer shows it to operators as is."""


@runtime_checkable
class Encoder(Protocol):
    """Text → float32 rows of unit length, so inner product is cosine similarity."""

    name: str
    """What built the vectors: recorded in the index manifest, so another model forces a rebuild."""
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""
        ...


def slug(name: str) -> str:
    """File-name-safe form of an encoder name (`intfloat/multilingual-e5-small` → `intfloat--multilingual-e5-small`)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name.replace("/", "--")).strip("-") or "encoder"


def as_unit_rows(vectors: np.ndarray, dim: int) -> np.ndarray:
    """Contiguous float32 (n, dim) rows of unit length: what FAISS inner-product search expects."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
