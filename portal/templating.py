"""Template globals, filters and tenant template overrides."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, Template
from markupsafe import Markup

from portal.i18n import LANGUAGE_NAMES

OVERRIDE_PREFIX = "tenant-overrides"


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def render_tenant_template(name: str, **context) -> str:
    """Render `name`, preferring tenants/<slug>/templates/<name> when the tenant has one."""
    tenant = g.get("tenant")
    candidates: list[str | Template] = [name]
    if tenant is not None:
        candidates.insert(0, f"{OVERRIDE_PREFIX}/{tenant.slug}/templates/{name}")
    return render_template(candidates, **context)


def link_problem(message: str, action_url: str, action_label: str) -> tuple[str, int]:
    """The 400 page of a link that is tampered, expired or used up, with the way to a new one."""
    return render_tenant_template(
        "auth/link_problem.html", message=message, action_url=action_url, action_label=action_label
    ), 400


def _localised(value: dict[str, str] | str | None) -> str:
    """Pick the current language from an {"it": ..., "en": ...} mapping."""
    if isinstance(value, dict):
        return value.get(current_locale()) or value.get("it") or ""
    return value or ""


ROLE_LABELS = {"coordinator": _l("Coordinator"), "member": _l("Member")}


def role_label(role) -> str:
    return str(ROLE_LABELS.get(getattr(role, "value", role), role))


def privacy_notice_url() -> str:
    """The notice that covers the page's form: the project's in its space, else the portal operator's."""
    from flask import url_for

    tenant = g.get("tenant")
    if tenant is not None:
        return url_for("tenant_site.privacy.tenant_notice", tenant=tenant.slug)
    return url_for("privacy.notice")


def _common_context() -> dict:
    from portal.roles import can_manage_tenant

    tenant = g.get("tenant")
    return {
        "current_tenant": tenant,
        "current_locale": current_locale(),
        "language_names": LANGUAGE_NAMES,
        "can_manage_tenant": bool(tenant) and can_manage_tenant(current_user, tenant),
        "request_path": request.full_path.rstrip("?") if request else "/",
    }


def register_template_globals(app: Flask) -> None:
    app.jinja_env.loader = ChoiceLoader(
        [
            *([app.jinja_env.loader] if app.jinja_env.loader else []),
            PrefixLoader({OVERRIDE_PREFIX: FileSystemLoader(app.config["TENANTS_DIR"])}),
        ]
    )
    app.context_processor(_common_context)
    app.jinja_env.filters["localised"] = _localised
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["canonical_url"] = canonical_url
    app.jinja_env.globals["privacy_notice_url"] = privacy_notice_url
    app.jinja_env.filters["html"] = Markup  # only for HTML sanitised on save
    app.jinja_env.globals["in_language"] = in_language
    app.jinja_env.globals["only_in_italian"] = only_in_italian
    app.jinja_env.globals["marked_in_language"] = marked_in_language


def in_language(row, name: str):
    """`row.name` in the reader's language when it has that version, else the Italian (portal/bilingual.py)."""
    from portal.bilingual import localised

    return localised(row, name, current_locale())


def marked_in_language(row, name: str):
    """`row.name` in the reader's language, or the Italian wrapped in <span lang="it"> (for a sentence)."""
    from portal.bilingual import marked

    return marked(row, name, current_locale())


def only_in_italian(row) -> bool:
    """The reader sees some of `row` in Italian because it has no version in their language."""
    from portal.bilingual import only_in_source

    return only_in_source(row, current_locale())


def canonical_url() -> str | None:
    """This page's address on the public host (a project's own host for its space), for
    `<link rel="canonical">`: the same page reached under /<slug>/ or another host names one URL."""
    from portal.urls import public_url

    if request.url_rule is None or request.method != "GET" or request.endpoint is None:
        return None
    values = dict(request.view_args or {})
    page = request.args.get("page", type=int)
    if page and page > 1:
        values["page"] = page
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:  # a language version is its own page (sitemap hreflang)
        values["lang"] = lang
    try:
        return public_url(request.endpoint, **values)
    except Exception:  # a view whose URL needs more than the path: no canonical link
        return None
