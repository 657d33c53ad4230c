"""Company registrations: submitted by anyone, confirmed by the contact's own mailbox, verified
by a coordinator of one of the chosen projects. Never public, never in the search index."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, or_, select

from portal.audit import record
from portal.auth.services import find_user_by_email, normalise_email
from portal.directory import services as directory
from portal.errors import Conflict, Invalid, NotFound, TooMany
from portal.extensions import db
from portal.invitations import services as invitations
from portal.lifecycle.data import ended_message, is_ended, require_not_ended
from portal.mail import send_templated_mail
from portal.models import CompanyRegistration, Membership, Organisation, Role, Tenant, User
from portal.models.base import utcnow
from portal.models.company import InvitedRole, RegistrationStatus
from portal.models.directory import LinkStatus, organisation_tenant
from portal.projects import all_projects
from portal.roles import require_coordinator
from portal.throttle import allow
from portal.tokens import TokenError, make_token, read_token
from portal.urls import public_url
from portal.vocabularies import legal_forms

CONFIRM = "company-confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7
CONSENT_TEXT_VERSION = "2026-12"
ALREADY_WAITING = _l(
    "A registration with this fiscal code is already waiting: the contact person named in it has received "
    "a link by e-mail. If nobody opens it within a week, register again."
)
UNKNOWN_PROJECT = _l("Choose among the projects listed.")
NOT_WAITING = _l("This registration is not waiting for verification any more.")
REASON_NEEDED = _l("Say why, so the company knows.")
NEW_COMPANIES = _l("new companies")


def ended_reason(tenant: Tenant) -> str:
    """Why an ended project's coordinators verify no company (empty while it runs)."""
    return str(ended_message(tenant, NEW_COMPANIES)) if is_ended(tenant) else ""


def open_projects() -> list[Tenant]:
    """The projects a company may choose: not the ended ones (their space is an archive)."""
    return [t for t in all_projects() if not is_ended(t)]


def _codes(data: dict[str, Any]) -> set[str]:
    return {code for code in (data.get("fiscal_code"), data.get("vat_number")) if code}


def organisation_with_codes(codes: set[str]) -> Organisation | None:
    """The organisation already holding one of these numbers (a body's 11 digits are its fiscal
    code and its VAT number alike)."""
    if not codes:
        return None
    return db.session.scalar(
        select(Organisation).where(or_(Organisation.fiscal_code.in_(codes), Organisation.vat_number.in_(codes)))
    )


def _waiting_with_codes(codes: set[str]) -> CompanyRegistration | None:
    open_states = (RegistrationStatus.UNCONFIRMED, RegistrationStatus.PENDING)
    return db.session.scalar(
        select(CompanyRegistration).where(
            CompanyRegistration.status.in_(open_states),
            or_(CompanyRegistration.fiscal_code.in_(codes), CompanyRegistration.vat_number.in_(codes)),
        )
    )


def register(data: dict[str, Any], locale: str) -> CompanyRegistration:
    """Keep the registration unconfirmed and mail its contact the confirmation link.

    A fiscal code or VAT number that an organisation already holds makes it a request to join
    that organisation; one that another registration still waiting holds is refused.
    """
    projects = {t.id: t for t in all_projects()}
    tenant_ids = sorted(set(data.get("tenant_ids") or []))
    if not tenant_ids or not set(tenant_ids) <= set(projects):
        raise Invalid(fields={"tenant_ids": UNKNOWN_PROJECT})
    for tenant_id in tenant_ids:
        require_not_ended(projects[tenant_id], NEW_COMPANIES, field="tenant_ids")
    codes = _codes(data)
    if _waiting_with_codes(codes) is not None:
        raise Invalid(fields={"fiscal_code": ALREADY_WAITING})
    email = normalise_email(data["contact_email"])
    if not allow("RATELIMIT_MAIL_PER_ADDRESS", "company-register", email):
        raise TooMany()
    existing = organisation_with_codes(codes)
    registration = CompanyRegistration(
        name=data["name"],
        fiscal_code=data["fiscal_code"],
        vat_number=data.get("vat_number") or "",
        legal_form=data["legal_form"],
        ateco_code=data["ateco_code"],
        comune=data.get("comune", ""),
        comune_code=data.get("comune_code"),
        province=data.get("province", ""),
        contact_name=data["contact_name"],
        contact_email=email,
        contact_phone=data.get("contact_phone") or "",
        locale=locale if locale in ("it", "en") else "it",
        intern_places=int(data.get("intern_places") or 0),
        intern_profiles=data.get("intern_profiles") or "",
        intern_period=data.get("intern_period") or "",
        tenant_ids=tenant_ids,
        existing_organisation_id=existing.id if existing else None,
        status=RegistrationStatus.UNCONFIRMED,
        consent_at=utcnow(),
        consent_text_version=CONSENT_TEXT_VERSION,
        consent_source="company-registration",
    )
    db.session.add(registration)
    db.session.flush()
    _send_confirmation(registration)
    record(None, "company-register", "company_registration", registration.id,
           {"name": registration.name, "tenant_ids": tenant_ids, "joins": registration.existing_organisation_id})  # fmt: skip
    return registration


def _send_confirmation(registration: CompanyRegistration) -> None:
    token = make_token(CONFIRM, {"r": registration.id, "k": registration.token_key, "e": registration.contact_email})
    with force_locale(registration.locale):
        send_templated_mail(
            registration.contact_email,
            str(_l("Confirm the registration of %(name)s", name=registration.name)),
            "companies/email/confirm",
            registration=registration,
            link=public_url("companies.confirm", token=token),
        )
    registration.confirmation_sent_at = utcnow()


def confirm(token: str) -> CompanyRegistration:
    """The contact opened the link: the registration now waits for the coordinators. Raises TokenError."""
    payload = read_token(CONFIRM, token, CONFIRM_MAX_AGE)
    registration = db.session.get(CompanyRegistration, payload["r"]) if isinstance(payload.get("r"), int) else None
    if (
        registration is None
        or registration.token_key != payload.get("k")
        or registration.contact_email != payload.get("e")
    ):
        raise TokenError()
    if registration.status == RegistrationStatus.UNCONFIRMED:
        registration.status, registration.confirmed_at = RegistrationStatus.PENDING, utcnow()
        record(None, "company-confirm", "company_registration", registration.id)
        _tell_coordinators(registration)
    return registration


def _tell_coordinators(registration: CompanyRegistration) -> None:
    """One mail to each coordinator of the chosen projects, in their language, with the page to open."""
    rows = db.session.execute(
        select(User, Membership.tenant_id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id.in_(registration.tenant_ids), Membership.role == Role.COORDINATOR,
               User.disabled_at.is_(None))
        .execution_options(all_tenants=True)
    ).all()  # fmt: skip
    slugs = {t.id: t for t in all_projects()}
    told: set[int] = set()
    for coordinator, tenant_id in rows:
        if coordinator.id in told or tenant_id not in slugs:
            continue
        told.add(coordinator.id)
        tenant = slugs[tenant_id]
        with force_locale(coordinator.locale or "it"):
            send_templated_mail(
                coordinator.email,
                str(_l("A company asks to work with %(project)s", project=tenant.short_name)),
                "companies/email/to_review",
                registration=registration,
                coordinator=coordinator,
                tenant=tenant,
                link=public_url("tenant_site.manage.companies.detail", tenant=tenant.slug,
                                registration_id=registration.id),
            )  # fmt: skip


# --- the coordinators' side -------------------------------------------------------


def waiting_for(user: User, tenant: Tenant) -> list[CompanyRegistration]:
    """Confirmed registrations that chose `tenant`, oldest first (unconfirmed ones never show)."""
    require_coordinator(user, tenant)
    rows = db.session.scalars(
        select(CompanyRegistration)
        .where(CompanyRegistration.status == RegistrationStatus.PENDING)
        .order_by(CompanyRegistration.confirmed_at)
    )
    return [row for row in rows if tenant.id in (row.tenant_ids or [])]


def waiting_count(tenant: Tenant) -> int:
    """How many confirmed registrations wait for `tenant` (the admin dashboard's count)."""
    rows = db.session.scalars(
        select(CompanyRegistration.tenant_ids).where(CompanyRegistration.status == RegistrationStatus.PENDING)
    )
    return sum(1 for ids in rows if tenant.id in (ids or []))


def registration_for_review(user: User, tenant: Tenant, registration_id: int) -> CompanyRegistration:
    require_coordinator(user, tenant)
    registration = db.session.get(CompanyRegistration, registration_id)
    if registration is None or tenant.id not in (registration.tenant_ids or []):
        raise NotFound()
    if registration.status == RegistrationStatus.UNCONFIRMED:
        raise NotFound()  # the contact has not proven the address: not the coordinators' business yet
    return registration


def _check_waiting(registration: CompanyRegistration) -> None:
    if registration.status != RegistrationStatus.PENDING:
        raise Conflict(NOT_WAITING)


def _link_to(user: User, org: Organisation, tenant: Tenant) -> None:
    """The organisation works with `tenant` from now on (approved: its coordinator verified it)."""
    link = db.session.execute(
        select(organisation_tenant.c.status).where(
            organisation_tenant.c.organisation_id == org.id, organisation_tenant.c.tenant_id == tenant.id
        )
    ).first()
    if link is not None and link.status == LinkStatus.APPROVED:
        return
    if link is not None:
        directory.review_link(user, org, tenant, approve=True)
        return
    db.session.execute(
        insert(organisation_tenant).values(
            organisation_id=org.id, tenant_id=tenant.id, status=LinkStatus.APPROVED, requested_by_id=user.id,
            requested_at=utcnow(), reviewed_by_id=user.id, reviewed_at=utcnow(),
        )
    )  # fmt: skip
    db.session.expire(org, ["tenants"])
    record(user, "approve-link", "organisation", org.id, {"tenant": tenant.slug, "registration": True})


def _organisation_data(registration: CompanyRegistration) -> dict[str, Any]:
    profiles = registration.intern_profiles
    if registration.intern_period:
        profiles = f"{profiles}\n\n{registration.intern_period}".strip()
    return {
        "name": registration.name,
        "kind": legal_forms.organisation_kind(registration.legal_form),
        "legal_form": legal_forms.abbreviation(registration.legal_form),
        "fiscal_code": registration.fiscal_code,
        "vat_number": registration.vat_number,
        "ateco_code": registration.ateco_code,
        "comune": registration.comune,
        "comune_code": registration.comune_code,
        "province": registration.province,
        "hosts_interns": registration.intern_places > 0,
        "intern_places": registration.intern_places,
        "intern_profiles": profiles[:2000],
    }


def verify(user: User, tenant: Tenant, registration: CompanyRegistration) -> Organisation:
    """Create the organisation (or join the one holding the fiscal code), linked to `tenant`, and
    make the contact person its partner editor: at once if they have an account, else by an
    invitation to choose a password. The other projects chosen are asked to accept it."""
    require_coordinator(user, tenant)
    _check_waiting(registration)
    require_not_ended(tenant, NEW_COMPANIES)
    existing = organisation_with_codes(_codes({"fiscal_code": registration.fiscal_code,
                                               "vat_number": registration.vat_number}))  # fmt: skip
    if existing is not None:
        org = existing
        _link_to(user, org, tenant)
    else:
        still_open = {t.id for t in open_projects()}
        others = [t for t in registration.tenant_ids if t != tenant.id and t in still_open]
        org = directory.create_organisation(user, {**_organisation_data(registration),
                                                   "tenant_ids": [tenant.id, *others]})  # fmt: skip
    contact = find_user_by_email(registration.contact_email)
    if contact is not None:
        invitations.apply_role(contact, InvitedRole.PARTNER_EDITOR, None, org)
        record(user, "add-editor", "organisation", org.id, {"editor": contact.email})
    else:
        invitations.invite(user, registration.contact_email, registration.contact_name, InvitedRole.PARTNER_EDITOR,
                           organisation=org, locale=registration.locale)  # fmt: skip
    registration.status, registration.organisation_id = RegistrationStatus.VERIFIED, org.id
    registration.reviewed_by_id, registration.reviewed_at = user.id, utcnow()
    record(user, "company-verify", "company_registration", registration.id,
           {"organisation": org.id, "joined_existing": existing is not None, "tenant": tenant.slug})  # fmt: skip
    _mail_outcome(registration, org, tenant, approved=True, has_account=contact is not None)
    return org


def reject(user: User, tenant: Tenant, registration: CompanyRegistration, reason: str) -> None:
    require_coordinator(user, tenant)
    _check_waiting(registration)
    if not (reason or "").strip():
        raise Invalid(REASON_NEEDED, fields={"reason": REASON_NEEDED})
    registration.status, registration.rejection_reason = RegistrationStatus.REJECTED, reason.strip()
    registration.reviewed_by_id, registration.reviewed_at = user.id, utcnow()
    record(user, "company-reject", "company_registration", registration.id, {"tenant": tenant.slug},
           note=reason.strip())  # fmt: skip
    _mail_outcome(registration, None, tenant, approved=False)


def _mail_outcome(registration: CompanyRegistration, org: Organisation | None, tenant: Tenant, *, approved: bool,
                  has_account: bool = False) -> None:  # fmt: skip
    with force_locale(registration.locale):
        send_templated_mail(
            registration.contact_email,
            str(_l("Your company's registration: %(name)s", name=registration.name)),
            "companies/email/outcome",
            registration=registration,
            organisation=org,
            tenant=tenant,
            approved=approved,
            has_account=has_account,
            login_link=public_url("auth.login"),
        )


def existing_organisation(registration: CompanyRegistration) -> Organisation | None:
    if registration.existing_organisation_id is None:
        return None
    return db.session.get(Organisation, registration.existing_organisation_id)


def project_names(registration: CompanyRegistration) -> list[str]:
    names = {t.id: t.short_name for t in all_projects()}
    return [names[t] for t in registration.tenant_ids if t in names]


def purge_unconfirmed(now: datetime) -> int:
    """Delete registrations whose contact never opened the link (it expired): they hold a person's
    name and address for nothing. For the retention command; the caller commits."""
    cutoff = now - timedelta(seconds=CONFIRM_MAX_AGE)
    stale = select(CompanyRegistration.id).where(
        CompanyRegistration.status == RegistrationStatus.UNCONFIRMED, CompanyRegistration.created_at < cutoff
    )
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(delete(CompanyRegistration).where(CompanyRegistration.id.in_(ids)))
    return len(ids)


def purge_decided(now: datetime, days: int) -> int:
    """Delete registrations verified or declined more than `days` ago: the organisation created
    holds what the directory needs, and a declined company's contact is no longer needed. For the
    retention command; the caller commits."""
    cutoff = now - timedelta(days=days)
    decided = (RegistrationStatus.VERIFIED, RegistrationStatus.REJECTED)
    stale = select(CompanyRegistration.id).where(
        CompanyRegistration.status.in_(decided), CompanyRegistration.reviewed_at < cutoff
    )
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(delete(CompanyRegistration).where(CompanyRegistration.id.in_(ids)))
    return len(ids)
