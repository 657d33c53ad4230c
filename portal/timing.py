"""Server-Timing header: how long the app took, for benchmarks and browser dev tools (the
clock starts in portal/request_log.py)."""

from __future__ import annotations

import time

from flask import Flask, Response, g


def register_server_timing(app: Flask) -> None:
    @app.after_request
    def _add_header(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
