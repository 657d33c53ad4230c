"""POST /language: remember the chosen language and go back."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from portal.errors import BadRequest
from portal.i18n import LANG_COOKIE, normalise_locale
from portal.language import bp
from portal.security import safe_next_url

ONE_YEAR = 60 * 60 * 24 * 365


@bp.post("/language")
def switch():
    """Set the `lang` cookie (and the user's preference when signed in)."""
    locale = normalise_locale(request.form.get("lang"))
    if locale is None:
        raise BadRequest()
    if current_user.is_authenticated:
        current_user.locale = locale
    response = redirect(safe_next_url(request.form.get("next")) or url_for("hub.index"))
    response.set_cookie(LANG_COOKIE, locale, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure)
    return response
