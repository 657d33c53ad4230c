"""Who may edit or moderate directory rows. Services call these."""

from __future__ import annotations

from sqlalchemy import exists, select

from portal.extensions import db
from portal.models import Membership, Organisation, Role
from portal.models.directory import Moderated, organisation_editor


def is_editor(user, organisation: Organisation) -> bool:
    """A partner editor of the organisation (or a platform admin)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    organisation_editor.c.organisation_id == organisation.id, organisation_editor.c.user_id == user.id
                )
            )
        )
    )


def coordinated_tenant_ids(user) -> set[int]:
    """Tenants the user coordinates (an explicit read of the user's own memberships)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        db.session.scalars(
            select(Membership.tenant_id)
            .where(Membership.user_id == user.id, Membership.role == Role.COORDINATOR)
            .execution_options(all_tenants=True)
        )
    )


def can_moderate(user, organisation: Organisation) -> bool:
    """Coordinators of one of the organisation's projects, and admins."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_admin or bool(coordinated_tenant_ids(user) & {t.id for t in organisation.tenants})


def can_create_organisations(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_admin or coordinated_tenant_ids(user)))


def is_own_submission(user, row: Moderated) -> bool:
    return row.submitted_by_id is not None and row.submitted_by_id == user.id
