"""Anonymous pages served from memory.

Anonymous visitors with no session see the same page for the same address and language, so
the app marks such responses cacheable (`Cache-Control: public`, an ETag, `Vary`), and this WSGI
middleware keeps them for `PAGE_CACHE_SECONDS`, serving repeats (and `If-None-Match` 304s)
without running the app. A reverse proxy in front may cache them the same way. Everything is
dropped when the content generation changes (portal/content_cache.py): a change on any host is
visible within about a second. Signed-in pages, forms with CSRF tokens, flash messages and any
response that sets a cookie are never cached.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, request, session
from flask_login import current_user

from portal.content_cache import Generation
from portal.request_log import log_request, request_id_from, safe_path

MARK = "X-Crocevia-Cacheable"
SESSION_COOKIE = "session"
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/calendar", "text/css",
                   "application/json", "text/plain", "text/csv")  # fmt: skip
NEVER = {"health.healthz", "health.readyz", "static"}

StartResponse = Callable[..., Any]
Kept = tuple[float, str, str, list[tuple[str, str]], bytes, str]  # expires, status, ETag, headers, body, logged path


def mark_cacheable(app: Flask) -> None:
    """after_request: public caching headers for what an anonymous visitor may share."""
    seconds = int(app.config.get("PAGE_CACHE_SECONDS") or 0)

    @app.after_request
    def _cache_headers(response: Response) -> Response:
        if request.endpoint in NEVER or response.headers.get("Cache-Control"):
            return response
        shared = (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and SESSION_COOKIE not in request.cookies
            and not session.modified
            and not current_user.is_authenticated
            and "Set-Cookie" not in response.headers
            and (response.mimetype or "") in CACHEABLE_TYPES
        )
        if not shared:
            response.headers["Cache-Control"] = "private, no-store"
            return response
        response.cache_control.public = True
        response.cache_control.max_age = seconds
        response.vary.update(("Cookie", "Accept-Language"))
        response.add_etag()
        response.make_conditional(request)
        if seconds:
            # the path the cache's own log line gives for a repeat (quoted: a header holds no newline)
            response.headers[MARK] = quote(safe_path(), safe="/:@!$&'()*+,;=-._~")
        return response


class PageCache:
    """WSGI middleware: a bounded, time-limited store of the responses the app marked."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], generation: Generation, seconds: int,
                 max_entries: int = 2000) -> None:  # fmt: skip
        self.wsgi_app = wsgi_app
        self.generation = generation
        self.seconds = seconds
        self.max_entries = max_entries
        self._store: OrderedDict[tuple[str, ...], Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._seen = ""

    def _key(self, environ: dict[str, Any]) -> tuple[str, ...] | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if f"{SESSION_COOKIE}=" in cookies or "remember_token=" in cookies or environ.get("HTTP_AUTHORIZATION"):
            return None
        lang = ""
        for part in cookies.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "lang":
                lang = value
        return (environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme", ""), environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""), lang, environ.get("HTTP_ACCEPT_LANGUAGE", "")[:100])  # fmt: skip

    def _fresh(self) -> None:
        current = self.generation.current()
        if current != self._seen:
            with self._lock:
                self._store.clear()
                self._seen = current

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        self._fresh()
        started = time.perf_counter()
        cached = self._store.get(key)
        if cached and cached[0] > time.monotonic():
            return self._repeat(environ, start_response, cached, started)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            kept = [(k, v) for k, v in headers if k != MARK]
            return start_response(status, kept, exc_info) if exc_info else start_response(status, kept)

        chunks = self.wsgi_app(environ, capture)
        headers = captured.get("headers") or []
        if not any(k == MARK for k, _v in headers) or environ["REQUEST_METHOD"] != "GET":
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        logged = next(v for k, v in headers if k == MARK)
        kept = [(k, v) for k, v in headers if k not in (MARK, "X-Request-ID")]
        etag = next((v for k, v in kept if k.lower() == "etag"), "")
        with self._lock:
            self._store[key] = (time.monotonic() + self.seconds, captured["status"], etag, kept, body, logged)
            self._store.move_to_end(key)
            while len(self._store) > self.max_entries:
                self._store.popitem(last=False)
        return [body]

    @staticmethod
    def _repeat(environ: dict[str, Any], start_response: StartResponse, cached: Kept, started: float) -> list[bytes]:
        """A kept response, with this request's own id and log line (the app does not run)."""
        _expires, status, etag, headers, body, logged = cached
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        if etag and etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            status, body = "304 NOT MODIFIED", b""
            headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-type")]
        start_response(status, [*headers, ("X-Request-ID", request_id)])
        duration = round((time.perf_counter() - started) * 1000, 1)
        log_request(environ["REQUEST_METHOD"], logged, int(status.split()[0]), duration, request_id)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]


def install_page_cache(app: Flask) -> None:
    from portal.content_cache import generation

    mark_cacheable(app)
    seconds = int(app.config.get("PAGE_CACHE_SECONDS") or 0)
    if seconds:
        app.wsgi_app = PageCache(app.wsgi_app, generation(app), seconds)  # type: ignore[method-assign]
