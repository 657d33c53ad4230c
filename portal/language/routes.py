"""Choosing the language: a link for visitors (a cookie, no session), a form for signed-in people
(the cookie and their saved preference)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import redirect, request
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.errors import BadRequest
from portal.i18n import LANG_COOKIE, normalise_locale
from portal.language import bp
from portal.security import safe_next_url
from portal.tenant_hosts import home_url

ONE_YEAR = 60 * 60 * 24 * 365


def _without_lang(url: str | None) -> str | None:
    """The page to go back to, without a `?lang=` that would override the choice just made."""
    if not url:
        return url
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"])
    return urlunsplit(parts._replace(query=query))


def _go_back_in(locale: str | None, next_url: str | None) -> Response:
    if locale is None:
        raise BadRequest()
    response = redirect(safe_next_url(_without_lang(next_url)) or home_url())
    response.set_cookie(LANG_COOKIE, locale, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure)
    return response


@bp.get("/language/<lang>")
def choose(lang: str):
    """A visitor's choice: only the `lang` cookie (changes nothing on the server)."""
    return _go_back_in(normalise_locale(lang), request.args.get("next"))


@bp.post("/language")
def switch():
    """A signed-in person's choice: the cookie and their saved preference (a form with CSRF)."""
    locale = normalise_locale(request.form.get("lang"))
    if locale is not None and current_user.is_authenticated:
        current_user.locale = locale
    return _go_back_in(locale, request.form.get("next"))
