"""Profile changes of the signed-in user."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership, Tenant, User


def update_profile(user: User, name: str, locale: str, review_digest: bool | None = None) -> None:
    """`review_digest`: None leaves it (the setting is only offered to coordinators)."""
    user.name = name.strip()
    user.locale = locale
    if review_digest is not None:
        user.review_digest = review_digest


def change_password(user: User, current: str, new: str) -> bool:
    """Change the password and sign out every other session; False if `current` is wrong."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    user.rotate_session_token()
    return True


def memberships_of(user: User) -> list[tuple[Membership, Tenant]]:
    """The user's roles in every space (an explicit cross-tenant read of the user's own rows)."""
    stmt = (
        select(Membership, Tenant)
        .join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.user_id == user.id)
        .order_by(Tenant.position)
        .execution_options(all_tenants=True)
    )
    return list(db.session.execute(stmt).all())
