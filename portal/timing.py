"""Server-Timing header: how long the app took, for benchmarks and browser dev tools."""

from __future__ import annotations

import time

from flask import Flask, g


def register_server_timing(app: Flask) -> None:
    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _add_header(response):
        started = g.get("request_started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
