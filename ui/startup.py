"""The chat page during a long first start: the page is served at once, the index is loaded (or
built) meanwhile, and the page says how far that is instead of leaving the user before a closed
port. Once the new articles are searchable by their words the page is ready, and their passages are
embedded in the background (QA_BACKGROUND_EMBEDDING), the corpus line saying how far.
`qa serve` prepares the pipeline through a `Startup`; tests and benchmarks that hand the app
an already prepared pipeline get one that is ready (`Startup.ready_for`).
"""
from __future__ import annotations

import threading
from typing import Any

from qa import messages
from qa.api import Pipeline
from qa.errors import QAError
from ui.render import corpus_summary, embedding_note


class Startup:
    """How far the pipeline's preparation is, told by the build (texts embedded of texts to embed)
    and read by the page (its corpus line, and the reply to a question asked too early)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.done = 0
        self.total = 0
        self.failed: str | None = None  # the Vietnamese message of a preparation that failed
        self._ready = threading.Event()
        self._terminal = False
        self._bar: Any = None  # the terminal's progress bar, once there is something to embed

    @classmethod
    def ready_for(cls, pipeline: Pipeline) -> Startup:
        """For a pipeline that is prepared already (or will load its index on first use)."""
        startup = cls(pipeline)
        startup._ready.set()
        return startup

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def prepare(self, terminal: bool = False) -> None:
        """Load or build the index, telling the page (and, with `terminal`, a progress bar) how far
        it is. A `QAError` is kept for the page and raised."""
        self._terminal = terminal
        try:
            self.pipeline.prepare(progress=self.tell, background=self.pipeline.settings.serving.background_embedding)
        except QAError as exc:
            self.failed = exc.vi
            raise
        finally:
            if self._bar is not None:
                self._bar.close()
        self._ready.set()

    def tell(self, done: int, total: int) -> None:
        """Called by the build after each batch embedded (by the background step, once ready)."""
        self.done, self.total = done, total
        if self._terminal:
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(total=total, desc="embedding", unit="text")
            self._bar.update(done - self._bar.n)
            if done >= total:  # in the background nothing else closes it
                self._bar.close()
                self._bar = None

    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def busy(self) -> bool:
        """The corpus line changes by itself: the index is being prepared, or embedded in the background."""
        embedding = self.pipeline.embedding if self.ready else None
        return not self.ready or (embedding is not None and not embedding.failed)

    def status(self) -> str:
        """The page's corpus line: the corpus once ready (and how far the background embedding of
        new passages is), else how far its preparation is."""
        if self.ready:
            line = corpus_summary(self.pipeline.headers, len(self.pipeline.skipped))
            embedding = self.pipeline.embedding
            return f"{line} {embedding_note(embedding)}" if embedding else line
        if self.failed:
            return self.failed
        if self.total:
            return messages.STARTING_EMBEDDING.format(done=self.done, total=self.total, percent=self.percent())
        return messages.STARTING

    def not_ready(self) -> str:
        """The reply to a question asked before the index is ready."""
        return self.failed or messages.NOT_READY.format(percent=self.percent())
