"""Error pages in the user's language; never a stack trace.

Every error a view does not handle ends here: HTTP errors (404, 405, 413…), CSRF
failures, domain errors raised by services (portal/errors.py), an optimistic-lock
conflict found at commit, and anything unexpected (logged, then a friendly 500).
The session is rolled back first, so nothing half-done is committed.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.request_log import safe_path

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    401: (
        _l("Authentication needed"),
        _l("A valid API token is needed: send it as 'Authorization: Bearer <token>'."),
    ),
    403: (
        _l("Access denied"),
        _l("You do not have permission to do this. If you think you should, contact the project's coordinators."),
    ),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has been moved.")),
    405: (_l("Not allowed"), _l("This address cannot be used this way.")),
    409: (_l("Conflict"), _l("Someone else changed this at the same time. Reload the page and try again.")),
    413: (_l("Too much data"), _l("What you sent is too large. Shorten the text or send fewer files.")),
    422: (_l("Check the data"), _l("Please correct the highlighted fields.")),
    429: (_l("Too many attempts"), _l("You have tried too many times. Wait a few minutes, then try again.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred on our side. It has been recorded; please try again later."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The service is temporarily unavailable. Please try again in a few minutes."),
    ),
}
CSRF_MESSAGE = _l("The form has expired or was not sent from this site. Go back, reload the page and send it again.")


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the database may be the thing that failed
        log.exception("rollback failed")


API_PREFIX = "/api/"


def _problem(code: int, title: str, detail: str, fields: dict[str, Any] | None):
    """Problem details (RFC 9457) for the API: what went wrong, and for each field why."""
    if code == 400 and fields:  # not the web page's "go back and try again"
        detail = str(_l("Some parameters are not valid: `errors` says which and why."))
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": code, "detail": detail}
    if fields:
        body["errors"] = {name: [str(m) for m in (msgs if isinstance(msgs, list | tuple) else [msgs])]
                          for name, msgs in fields.items()}  # fmt: skip
    response = jsonify(body)
    response.status_code = code
    response.mimetype = "application/problem+json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="crocevia"'
    return response


def render_error(code: int, detail: str | None = None, fields: dict[str, Any] | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if request and request.path.startswith(API_PREFIX):
        return _problem(code, str(title), detail or str(message), fields), code
    try:
        body = render_template("errors/error.html", code=code, title=title, message=detail or message)
    except Exception:  # the error page itself must not fail
        log.exception("error page failed to render")
        body = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    return body, code


def _handle_http(exc: HTTPException):
    code = exc.code or 500
    if code < 400:
        return exc
    _rollback()
    response = render_error(code)
    allowed = getattr(exc, "valid_methods", None)
    if code == 405 and allowed:
        return response[0], code, {"Allow": ", ".join(allowed)}
    return response


def _handle_csrf(_exc: CSRFError):
    _rollback()
    return render_error(400, str(CSRF_MESSAGE))


def _handle_domain(exc: DomainError):
    _rollback()
    body, code = render_error(exc.status, str(exc.message), exc.fields)
    return (body, code, {"Retry-After": "60"}) if code == 503 else (body, code)


def _handle_stale(_exc: StaleDataError):
    """Two saves of the same row at once: the second one's UPDATE matched no row."""
    _rollback()
    return _handle_domain(Conflict())


def _handle_database_down(exc: Exception):
    """The database is unreachable or restarting: a friendly 503 that says when to retry."""
    _rollback()
    log.error("database unavailable on %s %s: %s", request.method, safe_path(), type(exc).__name__)
    body, code = render_error(503)
    return body, code, {"Retry-After": "30"}


def _handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _handle_http(exc)
    _rollback()
    log.exception("unhandled error on %s %s", request.method, safe_path())
    return render_error(500)


def register_error_pages(app: Flask) -> None:
    app.register_blueprint(_templates_blueprint())
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(DomainError, _handle_domain)
    app.register_error_handler(StaleDataError, _handle_stale)
    app.register_error_handler(OperationalError, _handle_database_down)
    app.register_error_handler(InterfaceError, _handle_database_down)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)


def _templates_blueprint():
    from flask import Blueprint

    return Blueprint("errors", __name__, template_folder="templates")
