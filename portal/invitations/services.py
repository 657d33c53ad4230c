"""Create, mail and accept invitations. Callers check who may invite; acceptance is checked here."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from portal.audit import record
from portal.auth.services import create_user, find_user_by_email, normalise_email
from portal.errors import Invalid
from portal.extensions import db
from portal.mail import send_templated_mail
from portal.models import Invitation, Organisation, Role, Tenant, User
from portal.models.base import utcnow
from portal.models.company import InvitedRole
from portal.models.directory import organisation_editor
from portal.tenant_site.memberships import grant_role
from portal.tokens import TokenError, make_token, read_token
from portal.urls import public_url

PURPOSE = "invitation"
DEFAULT_MAX_AGE = 60 * 60 * 24 * 7
ROLE_NEEDS_PROJECT = _l("Choose the project the role is for.")
ROLE_NEEDS_ORGANISATION = _l("Choose the organisation the person will edit.")


def max_age() -> int:
    return int(current_app.config.get("INVITATION_MAX_AGE", DEFAULT_MAX_AGE))


def check_target(role: InvitedRole, tenant: Tenant | None, organisation: Organisation | None) -> None:
    if role == InvitedRole.PARTNER_EDITOR and organisation is None:
        raise Invalid(ROLE_NEEDS_ORGANISATION, fields={"organisation_id": ROLE_NEEDS_ORGANISATION})
    if role != InvitedRole.PARTNER_EDITOR and tenant is None:
        raise Invalid(ROLE_NEEDS_PROJECT, fields={"tenant_id": ROLE_NEEDS_PROJECT})


def apply_role(user: User, role: InvitedRole, tenant: Tenant | None, organisation: Organisation | None) -> None:
    """Give `user` the role (idempotent); the caller checked permission."""
    if role == InvitedRole.PARTNER_EDITOR:
        assert organisation is not None
        already = db.session.scalar(
            select(organisation_editor.c.user_id).where(
                organisation_editor.c.organisation_id == organisation.id, organisation_editor.c.user_id == user.id
            )
        )
        if not already:
            db.session.execute(insert(organisation_editor).values(organisation_id=organisation.id, user_id=user.id))
    else:
        assert tenant is not None
        grant_role(tenant, user, Role(role.value))


def invite(
    actor: User | None,
    email: str,
    name: str,
    role: InvitedRole,
    *,
    tenant: Tenant | None = None,
    organisation: Organisation | None = None,
    locale: str = "it",
) -> Invitation:
    """Record the invitation, mail its link and leave an audit event (the caller checked permission)."""
    check_target(role, tenant, organisation)
    invitation = Invitation(
        email=normalise_email(email),
        name=(name or "").strip()[:120],
        locale=locale if locale in ("it", "en") else "it",
        role=role,
        tenant_id=tenant.id if tenant else None,
        organisation_id=organisation.id if organisation else None,
        invited_by_id=actor.id if actor else None,
    )
    db.session.add(invitation)
    db.session.flush()
    token = make_token(PURPOSE, {"i": invitation.id, "k": invitation.token_key, "e": invitation.email})
    with force_locale(invitation.locale):
        send_templated_mail(
            invitation.email,
            str(_l("You are invited to Crocevia")),
            "invitations/email/invitation",
            invitation=invitation,
            tenant=tenant,
            organisation=organisation,
            role_label=role_label(role),
            link=public_url("invitations.accept", token=token),
            days=max_age() // 86400,
        )
    record(actor, "invite", "invitation", invitation.id, invitation.describe())
    return invitation


ROLE_LABELS = {
    InvitedRole.COORDINATOR: _l("coordinator of the project"),
    InvitedRole.MEMBER: _l("member of the project"),
    InvitedRole.PARTNER_EDITOR: _l("editor of the organisation"),
}


def role_label(role: InvitedRole) -> str:
    return str(ROLE_LABELS[role])


def invitation_for_token(token: str) -> Invitation:
    """The open invitation a token names; raises TokenError (expired, tampered or used)."""
    payload = read_token(PURPOSE, token, max_age())
    invitation = db.session.get(Invitation, payload.get("i")) if isinstance(payload.get("i"), int) else None
    if (
        invitation is None
        or invitation.token_key != payload.get("k")
        or invitation.email != payload.get("e")
        or invitation.accepted_at is not None
    ):
        raise TokenError()
    return invitation


def accept(invitation: Invitation, name: str, password: str) -> User:
    """Create the account (its address is proven by the link) with the role; an account made
    meanwhile with the same address gets the role and keeps its password."""
    user = find_user_by_email(invitation.email)
    created = user is None
    if user is None:
        user = create_user(invitation.email, name or invitation.name, password, locale=invitation.locale,
                           confirmed=True)  # fmt: skip
    tenant = db.session.get(Tenant, invitation.tenant_id) if invitation.tenant_id else None
    organisation = db.session.get(Organisation, invitation.organisation_id) if invitation.organisation_id else None
    try:
        check_target(invitation.role, tenant, organisation)
    except Invalid:
        raise TokenError() from None  # the project or organisation is gone
    apply_role(user, invitation.role, tenant, organisation)
    invitation.accepted_at, invitation.accepted_user_id = utcnow(), user.id
    record(user, "accept-invitation", "invitation", invitation.id, {**invitation.describe(), "new_account": created})
    return user


def purge_expired(now: datetime) -> int:
    """Delete invitations never accepted whose link has expired (for the retention command; the
    caller commits). Accepted ones stay: the audit trail names them."""
    cutoff = now - timedelta(seconds=max_age())
    result = db.session.execute(
        delete(Invitation).where(Invitation.accepted_at.is_(None), Invitation.created_at < cutoff)
    )
    return int(getattr(result, "rowcount", 0) or 0)
