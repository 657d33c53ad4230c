"""Resolve /<tenant>/ to g.tenant before any view runs (404 if unknown)."""
from __future__ import annotations

import re

from flask import abort, g
from sqlalchemy import select

from portal.extensions import db
from portal.models import Tenant
from portal.tenant_site import bp

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def tenant_by_slug(slug: str) -> Tenant | None:
    if not SLUG_PATTERN.match(slug or ""):
        return None
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


@bp.url_value_preprocessor
def load_tenant(_endpoint, values) -> None:
    slug = (values or {}).pop("tenant", None)
    tenant = tenant_by_slug(slug)
    if tenant is None:
        abort(404)
    g.tenant = tenant


@bp.url_defaults
def add_tenant(_endpoint, values) -> None:
    if "tenant" not in values and g.get("tenant") is not None:
        values["tenant"] = g.tenant.slug
