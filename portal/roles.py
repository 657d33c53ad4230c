"""Roles in a project's space: who coordinates it. Services and the space's manage guard call
these; views never decide alone."""

from __future__ import annotations

from sqlalchemy import select

from portal.errors import require
from portal.extensions import db
from portal.models import Membership, Role, Tenant
from portal.tenancy import tenant_scope


def role_in(user, tenant: Tenant) -> Role | None:
    if user is None or not user.is_authenticated:
        return None
    with tenant_scope(tenant):
        return db.session.scalar(
            select(Membership.role).where(Membership.tenant_id == tenant.id, Membership.user_id == user.id)
        )


def can_manage_tenant(user, tenant: Tenant) -> bool:
    """Coordinators of the tenant and platform admins manage its space."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_admin) or role_in(user, tenant) == Role.COORDINATOR


def require_coordinator(user, tenant: Tenant) -> None:
    """Forbidden unless `user` manages `tenant`."""
    require(can_manage_tenant(user, tenant))
