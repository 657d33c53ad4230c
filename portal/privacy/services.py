"""The rights of the people whose data the portal holds: access and portability (arts. 15 and 20),
erasure (art. 17), for a signed-in person and, by e-mail link, for anyone with an address.

Every export and erasure leaves an AuditEvent (object_type "user" or "address"). An event about an
address names it by a keyed hash, never in clear: it proves the request was honoured without
keeping what was erased.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from portal.auth.services import normalise_email
from portal.database import rowcount
from portal.extensions import db
from portal.mail import send_templated_mail
from portal.models import (
    Alert,
    ApiToken,
    AuditEvent,
    CompanyRegistration,
    Entry,
    Interest,
    InternshipOutcome,
    Membership,
    NewsPost,
    Organisation,
    Page,
    Subscription,
    Tenant,
    User,
)
from portal.models.base import utcnow
from portal.models.company import Invitation
from portal.models.directory import organisation_editor, organisation_tenant
from portal.models.newsletter import Issue
from portal.templating import current_locale
from portal.throttle import allow
from portal.tokens import TokenError, make_token, read_token
from portal.urls import public_url

ADDRESS_LINK = "privacy-address"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def address_fingerprint(email: str) -> str:
    """A keyed, non-reversible name of an address for the audit trail."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"privacy:{normalise_email(email)}".encode(), hashlib.sha256).hexdigest()[:32]


def _audit(action: str, object_type: str, object_id: int, changes: dict[str, Any], actor_id: int | None) -> None:
    db.session.add(AuditEvent(at=utcnow(), user_id=actor_id, action=action, object_type=object_type,
                              object_id=object_id, changes=changes))  # fmt: skip


def record_export(actor: User, what: str, tenant: Tenant, rows: int) -> None:
    """A coordinator downloaded personal data of a project (e.g. its newsletter subscribers)."""
    _audit("privacy-export", what, tenant.id, {"tenant": tenant.slug, "rows": rows}, actor.id)


# What is held for an address (no account needed) ---------------------------------------------


@dataclass
class Held:
    """The newsletter subscriptions, alerts, interests, company registrations (as their contact
    person) and invitations not yet accepted held for one address."""

    subscriptions: list[tuple[Subscription, str]] = field(default_factory=list)  # (row, project short name)
    alerts: list[Alert] = field(default_factory=list)
    interests: list[tuple[Interest, str]] = field(default_factory=list)  # (row, entry title)
    company_registrations: list[CompanyRegistration] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.subscriptions or self.alerts or self.interests or self.company_registrations
                    or self.invitations)  # fmt: skip

    def counts(self) -> dict[str, int]:
        return {"subscriptions": len(self.subscriptions), "alerts": len(self.alerts),
                "interests": len(self.interests), "company_registrations": len(self.company_registrations),
                "invitations": len(self.invitations)}  # fmt: skip


def held_for(email: str) -> Held:
    """Everything tied to the address in every project (an explicit cross-tenant read of its own rows)."""
    address = normalise_email(email)
    subscriptions = db.session.execute(
        select(Subscription, Tenant.short_name)
        .join(Tenant, Tenant.id == Subscription.tenant_id)
        .where(func.lower(Subscription.email) == address)
        .order_by(Tenant.position)
        .execution_options(all_tenants=True)
    ).all()
    alerts = db.session.scalars(select(Alert).where(func.lower(Alert.email) == address).order_by(Alert.id)).all()
    interests = db.session.execute(
        select(Interest, Entry.title)
        .join(Entry, Entry.id == Interest.entry_id)
        .where(func.lower(Interest.email) == address)
        .order_by(Interest.created_at)
    ).all()
    registrations = db.session.scalars(
        select(CompanyRegistration)
        .where(func.lower(CompanyRegistration.contact_email) == address)
        .order_by(CompanyRegistration.id)
    ).all()
    invitations = db.session.scalars(
        select(Invitation)
        .where(func.lower(Invitation.email) == address, Invitation.accepted_at.is_(None))
        .order_by(Invitation.id)
    ).all()
    return Held([(s, name) for s, name in subscriptions], list(alerts), [(i, title) for i, title in interests],
                list(registrations), list(invitations))  # fmt: skip


def _erase_address_rows(address: str, user_id: int | None = None) -> dict[str, int]:
    """Delete the subscriptions (with their deliveries), alerts, interests, company registrations (as
    their contact person) and invitations not accepted of an address (and, for an account, the
    subscriptions and alerts it made for another address, and every invitation it accepted)."""
    address = normalise_email(address)
    of_subscription = func.lower(Subscription.email) == address
    of_alert = func.lower(Alert.email) == address
    if user_id is not None:
        of_subscription |= Subscription.user_id == user_id
        of_alert |= Alert.user_id == user_id
    subscriptions = db.session.execute(
        delete(Subscription).where(of_subscription).execution_options(all_tenants=True, synchronize_session=False)
    )
    alerts = db.session.execute(delete(Alert).where(of_alert).execution_options(synchronize_session=False))
    interests = db.session.execute(
        delete(Interest).where(func.lower(Interest.email) == address).execution_options(synchronize_session=False)
    )
    registrations = db.session.execute(
        delete(CompanyRegistration)
        .where(func.lower(CompanyRegistration.contact_email) == address)
        .execution_options(synchronize_session=False)
    )
    of_invitation = (func.lower(Invitation.email) == address) & Invitation.accepted_at.is_(None)
    if user_id is not None:
        of_invitation |= (func.lower(Invitation.email) == address) | (Invitation.accepted_user_id == user_id)
    invitations = db.session.execute(
        delete(Invitation).where(of_invitation).execution_options(synchronize_session=False)
    )
    return {"subscriptions": rowcount(subscriptions), "alerts": rowcount(alerts), "interests": rowcount(interests),
            "company_registrations": rowcount(registrations), "invitations": rowcount(invitations)}  # fmt: skip


def request_address_link(email: str) -> None:
    """Mail the address a link to what is held for it. Always the same work, whether anything is held
    or not (one token, one queued mail): the page and the timing tell nobody what the portal holds.
    The page behind the link says it, to the only person who can open the mailbox."""
    address = normalise_email(email)
    if not allow("RATELIMIT_MAIL_PER_ADDRESS", "privacy", address):
        return
    token = make_token(ADDRESS_LINK, {"e": address})
    minutes = current_app.config["PRIVACY_LINK_MAX_AGE"] // 60
    send_templated_mail(
        address,
        str(_l("Your data on the portal")),
        "privacy/email/address_link",
        link=public_url("privacy.held", token=token),
        hours=minutes // 60,
        locale=current_locale(),
    )


def address_of_token(token: str) -> str:
    """The address a valid, unexpired link was mailed to; raises TokenError."""
    payload = read_token(ADDRESS_LINK, token, current_app.config["PRIVACY_LINK_MAX_AGE"])
    address = payload.get("e")
    if not isinstance(address, str) or "@" not in address:
        raise TokenError()
    return address


def export_for_address(address: str) -> dict[str, Any]:
    """The JSON download of what is held for an address (audited)."""
    held = held_for(address)
    _audit("privacy-export", "address", 0, {"address": address_fingerprint(address), **held.counts()}, None)
    return {"email": normalise_email(address), **_held_json(held)}


def erase_address(address: str) -> dict[str, int]:
    """Erase everything held for the address; audited with counts only (the same if nothing was held)."""
    counts = _erase_address_rows(address)
    _audit("privacy-erase", "address", 0, {"address": address_fingerprint(address), **counts}, None)
    return counts


def _held_json(held: Held) -> dict[str, Any]:
    return {
        "newsletter_subscriptions": [
            {"project": project, "status": s.status.value, "language": s.locale,
             "consent": {"given_at": _iso(s.consent_at), "text_version": s.consent_text_version,
                         "source": s.consent_source, "confirmation_sent_at": _iso(s.confirmation_sent_at),
                         "confirmed_at": _iso(s.confirmed_at)},
             "unsubscribed_at": _iso(s.unsubscribed_at), "created_at": _iso(s.created_at)}
            for s, project in held.subscriptions
        ],
        "alerts": [
            {"status": a.status.value, "frequency": a.frequency.value, "language": a.locale, "kind": a.kind,
             "search": a.params, "consent": {"given_at": _iso(a.consent_at), "text_version": a.consent_text_version,
                                             "source": a.consent_source, "confirmed_at": _iso(a.confirmed_at)},
             "stopped_at": _iso(a.stopped_at), "last_sent_at": _iso(a.last_sent_at), "created_at": _iso(a.created_at)}
            for a in held.alerts
        ],
        "interests": [
            {"entry": title, "name": i.name, "email": i.email, "phone": i.phone, "message": i.message,
             "language": i.locale, "consent_text_version": i.consent_text_version, "sent_at": _iso(i.created_at)}
            for i, title in held.interests
        ],
        "company_registrations": [
            {"company": r.name, "fiscal_code": r.fiscal_code, "vat_number": r.vat_number, "status": r.status.value,
             "contact": {"name": r.contact_name, "email": r.contact_email, "phone": r.contact_phone},
             "language": r.locale, "intern_places": r.intern_places, "intern_profiles": r.intern_profiles,
             "intern_period": r.intern_period, "projects": _project_names(r.tenant_ids or []),
             "consent": {"given_at": _iso(r.consent_at), "text_version": r.consent_text_version,
                         "confirmed_at": _iso(r.confirmed_at)},
             "rejection_reason": r.rejection_reason, "reviewed_at": _iso(r.reviewed_at), "created_at": _iso(r.created_at)}
            for r in held.company_registrations
        ],
        "invitations": [
            {"name": i.name, "email": i.email, "role": i.role.value, "project": next(iter(_project_names([i.tenant_id])), None),
             "language": i.locale, "created_at": _iso(i.created_at)}
            for i in held.invitations
        ],
    }  # fmt: skip


def _project_names(tenant_ids: Iterable[int | None]) -> list[str]:
    from portal.projects import all_projects

    names = {t.id: t.short_name for t in all_projects()}
    return [names[t] for t in tenant_ids if t in names]


# A signed-in person --------------------------------------------------------------------------


def export_account(user: User) -> dict[str, Any]:
    """Everything the portal holds about the signed-in person, as JSON (arts. 15 and 20); audited."""
    from portal.account.services import memberships_of

    memberships = [
        {"project": tenant.short_name, "role": membership.role.value, "since": _iso(membership.created_at)}
        for membership, tenant in memberships_of(user)
    ]
    organisations = db.session.scalars(
        select(Organisation.name)
        .join(organisation_editor, organisation_editor.c.organisation_id == Organisation.id)
        .where(organisation_editor.c.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(AuditEvent.user_id == user.id, (AuditEvent.object_type == "user") & (AuditEvent.object_id == user.id))
        )
        .order_by(AuditEvent.at)
    ).all()
    data = {
        "account": {"email": user.email, "name": user.name, "language": user.locale, "is_admin": user.is_admin,
                    "created_at": _iso(user.created_at), "email_confirmed_at": _iso(user.email_confirmed_at),
                    "last_login_at": _iso(user.last_login_at), "review_digest": user.review_digest},
        "memberships": memberships,
        "organisations_edited": list(organisations),
        **_held_json(held_for(user.email)),
        "audit_events": [
            {"at": _iso(e.at), "action": e.action, "object_type": e.object_type, "object_id": e.object_id,
             "by_this_account": e.user_id == user.id, "changes": e.changes, "note": e.note}
            for e in events
        ],
    }  # fmt: skip
    _audit("privacy-export", "user", user.id, {}, user.id)
    return data


@dataclass
class HandedOver:
    """What a deleted account leaves behind, without its name on it."""

    entries: int
    organisations: int
    news: int
    pages: int
    issues: int


def handed_over_counts(user: User) -> HandedOver:
    """What the person authored: it stays with its organisation or project when the account goes."""

    def count(stmt: Any) -> int:
        return int(db.session.scalar(stmt) or 0)

    return HandedOver(
        entries=count(select(func.count()).select_from(Entry).where(Entry.submitted_by_id == user.id)),
        organisations=count(select(func.count()).select_from(Organisation).where(Organisation.submitted_by_id == user.id)),
        news=count(select(func.count()).select_from(NewsPost).where(NewsPost.author_id == user.id)
                   .execution_options(all_tenants=True)),
        pages=count(select(func.count()).select_from(Page).where(Page.updated_by_id == user.id)
                    .execution_options(all_tenants=True)),
        issues=count(select(func.count()).select_from(Issue).where(Issue.created_by_id == user.id)
                     .execution_options(all_tenants=True)),
    )  # fmt: skip


class WrongPassword(Exception):
    """The password typed to confirm the deletion is not the account's."""


class LastAdmin(Exception):
    """The account is the last active platform admin: deleting it would leave nobody to administer."""


def _is_last_admin(user: User) -> bool:
    if not user.is_admin:
        return False
    others = (
        select(func.count())
        .select_from(User)
        .where(User.is_admin.is_(True), User.id != user.id, User.disabled_at.is_(None))
    )
    return not db.session.scalar(others)


def delete_account(user: User, password: str) -> HandedOver:
    """Erase the account (art. 17) once its password confirms it.

    What the person published stays with its organisation (entries) or project (news, pages, issues),
    with the authorship detached; their subscriptions, alerts and interests are erased; roles, editor
    links and API tokens go with the account, and with it every session. The caller signs the
    browser out.
    """
    if not user.check_password(password or ""):
        raise WrongPassword()
    if _is_last_admin(user):
        raise LastAdmin()
    handed = handed_over_counts(user)
    uid = user.id
    # Who wrote or reviewed a row, in every table that says it (the database would SET NULL too;
    # done here so that every backend and the session agree at once).
    authorship: tuple[tuple[Any, Any, bool], ...] = (
        (Entry, Entry.submitted_by_id, False),
        (Entry, Entry.reviewed_by_id, False),
        (Organisation, Organisation.submitted_by_id, False),
        (Organisation, Organisation.reviewed_by_id, False),
        (NewsPost, NewsPost.author_id, True),
        (Page, Page.updated_by_id, True),
        (Issue, Issue.created_by_id, True),
        (CompanyRegistration, CompanyRegistration.reviewed_by_id, False),
        (Invitation, Invitation.invited_by_id, False),
        (InternshipOutcome, InternshipOutcome.recorded_by_id, True),
        (AuditEvent, AuditEvent.user_id, False),  # their own trail stays, without their name on it
    )
    for model, column, every_tenant in authorship:
        db.session.execute(
            update(model)
            .where(column == uid)
            .values({column: None})
            .execution_options(synchronize_session=False, all_tenants=every_tenant)
        )
    for link in (organisation_tenant.c.requested_by_id, organisation_tenant.c.reviewed_by_id):
        db.session.execute(update(organisation_tenant).where(link == uid).values({link.name: None}))
    db.session.execute(delete(organisation_editor).where(organisation_editor.c.user_id == uid))
    db.session.execute(
        delete(Membership)
        .where(Membership.user_id == uid)
        .execution_options(all_tenants=True, synchronize_session=False)
    )
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == uid).execution_options(synchronize_session=False))
    erased = _erase_address_rows(user.email, uid)
    _audit("account-delete", "user", uid, {**erased, "handed_over": handed.__dict__}, None)
    db.session.delete(user)
    db.session.flush()
    return handed
