"""The projects (tenants) as the rest of the portal reads them: the hub, menus, facet labels."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Tenant


def all_projects() -> list[Tenant]:
    """Every project, in the order the hub shows them."""
    return list(db.session.scalars(select(Tenant).order_by(Tenant.position, Tenant.slug)))


def short_names() -> dict[str, str]:
    """slug -> short name, for labels."""
    return {t.slug: t.short_name for t in all_projects()}
