"""Low-level role changes, shared by the coordinators' UI and the admin CLI.

Permission checks happen in the callers (services for the UI; the CLI is an operator tool).
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership, Role, Tenant, User
from portal.tenancy import tenant_scope


def membership_of(tenant: Tenant, user: User) -> Membership | None:
    with tenant_scope(tenant):
        return db.session.scalar(
            select(Membership).where(Membership.tenant_id == tenant.id, Membership.user_id == user.id)
        )


def grant_role(tenant: Tenant, user: User, role: Role) -> Membership:
    """Create or change `user`'s membership; the caller commits."""
    membership = membership_of(tenant, user)
    with tenant_scope(tenant):
        if membership is None:
            membership = Membership(tenant_id=tenant.id, user_id=user.id, role=role)
            db.session.add(membership)
        membership.role = role
        db.session.flush()
    return membership


def revoke_role(tenant: Tenant, user: User) -> bool:
    membership = membership_of(tenant, user)
    if membership is None:
        return False
    with tenant_scope(tenant):
        db.session.delete(membership)
        db.session.flush()
    return True
