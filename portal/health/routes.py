"""Health endpoints: JSON, never cached, no session."""

from __future__ import annotations

from flask import jsonify

from portal.health import bp
from portal.health.checks import run_checks


@bp.get("/healthz")
def healthz():
    """The process is up and answers requests."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz():
    """Every dependency answers: 200, else 503 with the part that failed."""
    checks = run_checks()
    ready = all(check.ok for check in checks)
    response = jsonify(
        status="ready" if ready else "unavailable",
        checks={check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    )
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    if not ready:
        response.headers["Retry-After"] = "30"
    return response
