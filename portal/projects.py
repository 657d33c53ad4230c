"""The projects (tenants) as the rest of the portal reads them: the hub, menus, facet labels."""

from __future__ import annotations

from sqlalchemy import select

from portal.content_cache import ProcessCache
from portal.extensions import db
from portal.models import Tenant

_projects = ProcessCache()


def all_projects() -> list[Tenant]:
    """Every project, in the order the hub shows them (detached, kept until content changes)."""
    return _projects.get("all", _load)


def _load() -> list[Tenant]:
    tenants = list(db.session.scalars(select(Tenant).order_by(Tenant.position, Tenant.slug)))
    for tenant in tenants:
        db.session.expunge(tenant)
    return tenants


def short_names() -> dict[str, str]:
    """slug -> short name, for labels."""
    return {t.slug: t.short_name for t in all_projects()}
