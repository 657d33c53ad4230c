"""Resolve /<tenant>/ to g.tenant before any view of the space runs (404 if unknown), and
give every template of the space its menu."""

from __future__ import annotations

import re

from flask import g
from sqlalchemy import select

from portal.content_cache import ProcessCache
from portal.errors import NotFound
from portal.extensions import db
from portal.models import Tenant
from portal.templating import current_locale
from portal.tenant_site import bp

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


_tenants = ProcessCache()


def tenant_by_slug(slug: str | None) -> Tenant | None:
    """The tenant of a slug, read once and kept (detached, read-only) until content changes."""
    if not SLUG_PATTERN.match(slug or ""):
        return None
    return _tenants.get(slug, lambda: _load_detached(slug))


def _load_detached(slug: str | None) -> Tenant | None:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is not None:
        db.session.expunge(tenant)
    return tenant


@bp.url_value_preprocessor
def load_tenant(_endpoint, values) -> None:
    tenant = tenant_by_slug((values or {}).pop("tenant", None))
    if tenant is None:
        raise NotFound()
    g.tenant = tenant


@bp.url_defaults
def add_tenant(_endpoint, values) -> None:
    if "tenant" not in values and g.get("tenant") is not None:
        values["tenant"] = g.tenant.slug


@bp.context_processor
def space_menu() -> dict:
    """The space's own menu, for every page of the space (and its children)."""
    from portal.tenant_site.services import menu_pages

    tenant = g.get("tenant")
    return {"menu": menu_pages(tenant, current_locale()) if tenant is not None else []}
