"""One log line per request, with a request id; plain text or JSON (`LOG_FORMAT=json`).

What is logged: method, path, status, duration, request id. Never the query string (searches
say things about people), never a token (path values named *token* are replaced), never a
password or a mail body (forms and mail are not logged at all).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

log = logging.getLogger("crocevia.request")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REDACTED = "[redacted]"


def request_id_from(incoming: str) -> str:
    """The proxy's X-Request-ID when it looks like one, else a new one."""
    return incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex[:16]


def log_request(method: str, path: str, status: int, duration_ms: float | None, request_id: str) -> None:
    """The request's one line (`path` already without tokens)."""
    log.info(
        "%s %s %s %sms",
        method,
        path,
        status,
        duration_ms,
        extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms, "request_id": request_id},
    )


def safe_path() -> str:
    """The path with every token in it replaced (reset, confirmation, unsubscribe links…)."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    return path


class RequestContextFilter(logging.Filter):
    """Adds the request id to every record logged during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # log_request() outside the app (page cache) names its own
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """Logs to stdout (where gunicorn, systemd and containers collect them)."""
    if app.testing:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(RequestContextFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def register_request_log(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_id = request_id_from(request.headers.get("X-Request-ID", ""))
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        if request.endpoint != "static":
            log_request(request.method, safe_path(), response.status_code, duration, g.get("request_id", ""))
        return response
