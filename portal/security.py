"""Security headers and safe redirects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.errors import BadRequest

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_HOPS reverse proxies, take the client address and scheme from
    their X-Forwarded-For / X-Forwarded-Proto, so rate limits count each visitor, not the
    proxy. With 0 (no proxy) those headers are ignored: a visitor cannot forge them."""
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def add_security_headers(response: Response) -> Response:
    """after_request: CSP without inline script, and the usual hardening headers."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


# C0 control characters other than tab, line feed and carriage return, and lone UTF-16
# surrogates: no form, query or API body has a use for them; XML (feeds) and iCalendar forbid
# them and PostgreSQL cannot store NUL.
UNUSABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
BAD_CHARACTERS = _l("The text contains control characters that cannot be saved: remove them and send it again.")


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def refuse_nul_bytes() -> None:
    """before_request: control characters in a URL or a query, and NUL anywhere in a form or a
    JSON body, are a 400 instead of a failure deeper down (PostgreSQL cannot store NUL). Other
    control characters in form fields get a message on their field (portal.forms.Form), and
    the API says which field has them (portal/api/form_input.py)."""
    if any(UNUSABLE.search(value) for value in (request.path, *request.args.values())):
        raise BadRequest(BAD_CHARACTERS)
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    values = list(request.form.values())
    if request.is_json and not request.path.startswith("/api/"):  # the API names the field itself
        try:
            values.extend(_json_strings(request.get_json(silent=True)))
        except RecursionError:  # nested deeper than any real body
            raise BadRequest() from None
    if any("\x00" in value for value in values):
        raise BadRequest(BAD_CHARACTERS)


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only if it is a same-site relative path, else None.

    Refuses absolute URLs, scheme-relative `//host`, backslash tricks and control characters.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
