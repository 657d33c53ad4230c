"""Roles in a project's space: who coordinates it. Services and the space's manage guard call
these; views never decide alone."""

from __future__ import annotations

from sqlalchemy import select

from portal.errors import require
from portal.extensions import db
from portal.models import Membership, Role, Tenant, User
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


def coordinators_of(tenant_ids) -> list[User]:
    """The confirmed coordinators of these projects (read across projects on purpose: mail goes to them)."""
    ids = sorted(set(tenant_ids))
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.tenant_id.in_(ids),
                Membership.role == Role.COORDINATOR,
                User.email_confirmed_at.is_not(None),
            )
            .order_by(User.id)
            .distinct()
            .execution_options(all_tenants=True)
        )
    )


def platform_admins() -> list[User]:
    """The confirmed platform admins (who answer for the hub)."""
    return list(
        db.session.scalars(
            select(User).where(User.is_admin.is_(True), User.email_confirmed_at.is_not(None)).order_by(User.id)
        )
    )
