"""What the chat server does to every HTTP request before Gradio sees it, and to every question
before it is answered: security headers, closed upload routes, and a fair share per client.

- `SecurityHeaders` (ASGI middleware): every response gets a Content-Security-Policy that Gradio's own
  page works under (scripts, styles, images and connections from this server only: a picture or
  script smuggled in by data cannot load from elsewhere), `X-Frame-Options`, `X-Content-Type-Options`,
  `Referrer-Policy` and `Permissions-Policy`. A route that sets its own policy (the article page, which
  runs no script at all) keeps it.
- It also answers 403 to Gradio's file routes (`/gradio_api/upload`, `/gradio_api/process_recording`):
  the chat has no file input, and left open they store any file anyone posts under /tmp/gradio.
- `ClientLimiter`: how many questions one client (one browser tab, or one API client: Gradio's
  session) may have being answered at once. A client that sends many questions at once gets a
  Vietnamese "one at a time" reply for each one beyond its share, at once, instead of filling the
  queue ahead of everyone else. Clients that rotate sessions are a denial-of-service attack, for a
  reverse proxy's rate limit (docs/ui.md).
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Gradio's page needs inline scripts and styles and evaluates no remote code; 'self' covers its
# assets, its server-sent events and its websockets on the same host and port.
GRADIO_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": GRADIO_CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
UPLOAD_ROUTES = ("/gradio_api/upload", "/gradio_api/process_recording")


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (a header the app set itself is
    kept), and 403 for the upload routes when `uploads` is False."""

    def __init__(self, app: Any, uploads: bool = False) -> None:
        self.app = app
        self.uploads = uploads

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.uploads and _is_upload(scope.get("path", "")):
            await _refuse(send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode()) for name, value in HEADERS.items() if name.encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_upload(path: str) -> bool:
    path = "/" + path.strip("/")
    return any(path == route or path.endswith(route) for route in UPLOAD_ROUTES)


async def _refuse(send: Any) -> None:
    body = b'{"detail":"file uploads are disabled on this server"}'
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *((name.encode(), value.encode()) for name, value in HEADERS.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ClientLimiter:
    """At most `per_client` questions being answered at once for each client key. Thread-safe (Gradio
    runs answers in worker threads)."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._busy: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, client: str) -> Iterator[bool]:
        """Yields True when the client may be answered now (and holds its slot until the block
        ends), False when it already has `per_client` questions being answered."""
        with self._lock:
            granted = self._busy[client] < self.per_client
            if granted:
                self._busy[client] += 1
        try:
            yield granted
        finally:
            if granted:
                with self._lock:
                    self._busy[client] -= 1
                    if not self._busy[client]:
                        del self._busy[client]
