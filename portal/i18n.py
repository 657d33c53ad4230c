"""Locale and time-zone selection.

Order: a `?lang=` in the URL (the language versions a sitemap and `hreflang` links name),
then the signed-in user's preference, then the `lang` cookie set by the visible language
switcher, then the current tenant's default, then Accept-Language.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_login import current_user

LANG_COOKIE = "lang"
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def normalise_locale(value: str | None) -> str | None:
    """Return `value` if it is a supported locale code, else None."""
    if value and value in supported_locales():
        return value
    return None


def select_locale() -> str:
    """Flask-Babel locale selector."""
    if not has_request_context():  # the command line, jobs: the portal's default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    from_url = normalise_locale(request.args.get("lang"))
    if from_url:
        return from_url
    if current_user and current_user.is_authenticated:
        preferred = normalise_locale(current_user.locale)
        if preferred:
            return preferred
    from_cookie = normalise_locale(request.cookies.get(LANG_COOKIE))
    if from_cookie:
        return from_cookie
    tenant = g.get("tenant")
    if tenant is not None and normalise_locale(tenant.default_locale):
        return tenant.default_locale
    return request.accept_languages.best_match(supported_locales()) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Everything is shown in Italian time; stored in UTC."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
