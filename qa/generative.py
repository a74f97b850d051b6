"""Optional answers written by a language model the user runs: any OpenAI-compatible chat endpoint
(Ollama, vLLM, llama.cpp's server, a hosted API), set by QA_LLM_BASE_URL / QA_LLM_MODEL /
QA_LLM_API_KEY.

The model sees only the retrieved passages, numbered, and is told to answer from them alone, citing
[n]. Any failure (timeout, HTTP error, malformed reply) raises `GenerationFailed`; the pipeline then
falls back to the extractive answer, so a dead endpoint never costs the user an answer. Uses the
standard library's HTTP client so the command line stays light.
"""
from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from qa import messages
from qa.settings import LLMSettings
from qa.types import Passage

log = logging.getLogger(__name__)


class GenerationFailed(RuntimeError):
    """The endpoint did not give a usable reply; the caller falls back to the extractive answer."""


class ChatCompletionsClient:
    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout: float = 30.0, temperature: float = 0.0
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.shown_url = redact(self.url)  # what logs and errors say: no user name or password
        self.model = model
        self._api_key = api_key
        self.timeout = timeout
        self.temperature = temperature

    @classmethod
    def from_settings(cls, llm: LLMSettings) -> ChatCompletionsClient:
        if not (llm.base_url and llm.model):
            raise ValueError("the language model needs QA_LLM_BASE_URL and QA_LLM_MODEL")
        return cls(llm.base_url, llm.model, llm.api_key, llm.timeout, llm.temperature)

    def __repr__(self) -> str:  # never show the key
        return f"ChatCompletionsClient(url={self.shown_url!r}, model={self.model!r})"

    def complete(self, turns: list[dict[str, str]]) -> str:
        body = json.dumps({"model": self.model, "messages": turns, "temperature": self.temperature}).encode()
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        url = self.shown_url
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(self._read_by_deadline(response).decode("utf-8"))
            content = payload["choices"][0]["message"]["content"]
        except urllib.error.HTTPError as exc:
            raise GenerationFailed(f"{url} answered HTTP {exc.code}") from None
        except http.client.IncompleteRead as exc:
            raise GenerationFailed(f"{url} cut its reply short ({len(exc.partial)} bytes)") from None
        except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
            reason = redact(str(getattr(exc, "reason", exc)))
            raise GenerationFailed(f"{url} unreachable: {reason}") from None
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GenerationFailed(f"{url} gave a malformed reply ({type(exc).__name__})") from None
        if not isinstance(content, str):  # null for refusals and tool calls, or a list of parts
            raise GenerationFailed(f"{url} replied without text content ({type(content).__name__})")
        return content

    def _read_by_deadline(self, response: http.client.HTTPResponse) -> bytes:
        """The whole body, or TimeoutError once `timeout` seconds have passed since the request:
        a server that drips a byte at a time cannot hold the answer for longer than that (plus at
        most one socket timeout for a read already waiting)."""
        deadline = time.monotonic() + self.timeout
        chunks = []
        while chunk := response.read1(65536):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise TimeoutError(f"no complete reply within {self.timeout:g} s")
        if response.length:  # the server announced more than it sent
            raise http.client.IncompleteRead(b"".join(chunks), response.length)
        return b"".join(chunks)


def redact(url: str) -> str:
    """`http://user:pw@host/…` → `http://***@host/…`: credentials never reach a log."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def build_messages(
    question: str, passages: Sequence[Passage], history: Sequence[tuple[str, str]] = ()
) -> list[dict[str, str]]:
    """System rules, the earlier turns, then the numbered passages with the question."""
    numbered = "\n\n".join(
        f"[{i}] {p.title}"
        + (f" ({p.published:%d/%m/%Y})" if p.published else "")
        + f"\n{p.text}"
        for i, p in enumerate(passages, 1)
    )
    turns = [{"role": "system", "content": messages.LLM_SYSTEM_PROMPT}]
    for earlier_question, earlier_answer in history:
        turns.append({"role": "user", "content": earlier_question})
        turns.append({"role": "assistant", "content": earlier_answer})
    turns.append({"role": "user", "content": messages.LLM_PASSAGES.format(numbered=numbered, question=question)})
    return turns
