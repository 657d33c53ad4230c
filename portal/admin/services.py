"""What a platform admin does: every function checks the admin flag and leaves an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, or_, select

from portal.audit import record
from portal.auth import services as auth
from portal.directory import services as directory
from portal.errors import Conflict, Invalid, NotFound, require
from portal.extensions import db
from portal.invitations import services as invitations
from portal.models import Membership, Organisation, Role, Tenant, User
from portal.models.base import utcnow
from portal.models.company import InvitedRole
from portal.models.directory import organisation_editor, organisation_of
from portal.projects import all_projects
from portal.tenant_site.memberships import revoke_role

NOT_YOURSELF = _l("You cannot disable your own account.")
ALREADY_CONFIRMED = _l("This address is already confirmed.")
ALREADY_HAS_ACCOUNT = _l("This address already has an account: the role has been given to it directly.")
FEATURES = ("pages", "news", "newsletter")
SERVICE_ACCOUNTS = "%@tokens.invalid"  # API tokens' accounts (portal/api/services.py): not people


def require_admin(user: Any) -> None:
    require(bool(user and user.is_authenticated and user.is_admin))


@dataclass
class ProjectSummary:
    tenant: Tenant
    coordinators: int
    members: int
    reviews: int
    link_requests: int
    registrations: int


def dashboard(admin: User) -> dict[str, Any]:
    """Each project with what waits for its coordinators; the accounts, counted."""
    from portal.companies.services import waiting_count

    require_admin(admin)
    queue = directory.moderation_queue(admin)
    links = directory.pending_links(admin)
    roles = db.session.execute(
        select(Membership.tenant_id, Membership.role, func.count())
        .group_by(Membership.tenant_id, Membership.role)
        .execution_options(all_tenants=True)
    ).all()
    per_role = {(tenant_id, Role(role)): count for tenant_id, role, count in roles}
    projects = []
    for tenant in all_projects():
        reviews = sum(1 for row in queue if tenant.id in {t.id for t in organisation_of(row).tenants})
        projects.append(ProjectSummary(
            tenant=tenant,
            coordinators=per_role.get((tenant.id, Role.COORDINATOR), 0),
            members=per_role.get((tenant.id, Role.MEMBER), 0),
            reviews=reviews,
            link_requests=sum(1 for _org, t, _user in links if t.id == tenant.id),
            registrations=waiting_count(tenant),
        ))  # fmt: skip
    people = select(func.count()).select_from(User).where(User.email.not_like(SERVICE_ACCOUNTS))
    return {
        "projects": projects,
        "users": db.session.scalar(people) or 0,
        "admins": db.session.scalar(people.where(User.is_admin.is_(True))) or 0,
        "disabled": db.session.scalar(people.where(User.disabled_at.is_not(None))) or 0,
        "unconfirmed": db.session.scalar(people.where(User.email_confirmed_at.is_(None))) or 0,
    }


def find_users(admin: User, query: str, page: int, per_page: int = 25) -> Pagination:
    """People whose e-mail or name contains `query` (every person when it is empty), by e-mail."""
    require_admin(admin)
    stmt = select(User).where(User.email.not_like(SERVICE_ACCOUNTS)).order_by(User.email)
    text = (query or "").strip().lower()[:100]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(User.email).like(pattern, escape="\\"),
                              func.lower(User.name).like(pattern, escape="\\")))  # fmt: skip
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def user(admin: User, user_id: int) -> User:
    require_admin(admin)
    found = db.session.get(User, user_id)
    if found is None or found.email.endswith("@tokens.invalid"):
        raise NotFound()
    return found


def roles_of(person: User) -> list[tuple[Tenant, Role]]:
    rows = db.session.execute(
        select(Membership.tenant_id, Membership.role)
        .where(Membership.user_id == person.id)
        .execution_options(all_tenants=True)
    ).all()
    by_id = {t.id: t for t in all_projects()}
    return [(by_id[tenant_id], Role(role)) for tenant_id, role in rows if tenant_id in by_id]


def organisations_of(person: User) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(organisation_editor, organisation_editor.c.organisation_id == Organisation.id)
            .where(organisation_editor.c.user_id == person.id)
            .order_by(Organisation.name)
        )
    )


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def set_disabled(admin: User, person: User, disabled: bool) -> None:
    """A disabled account cannot sign in, and every session it had ends (a new session token)."""
    require_admin(admin)
    if disabled and person.id == admin.id:
        raise Invalid(NOT_YOURSELF)
    if disabled == person.is_disabled:
        return
    person.disabled_at = utcnow() if disabled else None
    person.rotate_session_token()
    record(admin, "disable-user" if disabled else "enable-user", "user", person.id, {"email": person.email})


def tenant(tenant_id: int) -> Tenant:
    found = db.session.get(Tenant, tenant_id)
    if found is None:
        raise NotFound()
    return found


def organisation(org_id: int) -> Organisation:
    found = db.session.get(Organisation, org_id)
    if found is None:
        raise NotFound()
    return found


def grant(admin: User, person: User, role: InvitedRole, *, tenant: Tenant | None = None,
          organisation: Organisation | None = None) -> None:  # fmt: skip
    """A role in a project (coordinator, member) or as an organisation's partner editor."""
    require_admin(admin)
    invitations.check_target(role, tenant, organisation)
    invitations.apply_role(person, role, tenant, organisation)
    record(admin, "grant-role", "user", person.id, {"role": role.value, "tenant": tenant.slug if tenant else None,
                                                   "organisation": organisation.id if organisation else None})  # fmt: skip


def revoke_project_role(admin: User, person: User, project: Tenant) -> None:
    require_admin(admin)
    if not revoke_role(project, person):
        raise Conflict(_l("This person has no role in that project."))
    record(admin, "revoke-role", "user", person.id, {"tenant": project.slug})


def revoke_editor(admin: User, person: User, org: Organisation) -> None:
    require_admin(admin)
    result = db.session.execute(
        delete(organisation_editor).where(
            organisation_editor.c.organisation_id == org.id, organisation_editor.c.user_id == person.id
        )
    )
    if not getattr(result, "rowcount", 0):
        raise Conflict(_l("This person does not edit that organisation."))
    record(admin, "revoke-editor", "user", person.id, {"organisation": org.id})


def resend_confirmation(admin: User, person: User) -> None:
    require_admin(admin)
    if person.is_confirmed:
        raise Conflict(ALREADY_CONFIRMED)
    auth.send_confirmation(person)
    record(admin, "resend-confirmation", "user", person.id)


def send_password_reset(admin: User, person: User) -> None:
    require_admin(admin)
    auth.request_password_reset(person.email)
    record(admin, "send-password-reset", "user", person.id)


def invite(admin: User, email: str, name: str, role: InvitedRole, *, tenant: Tenant | None = None,
           organisation: Organisation | None = None, locale: str = "it") -> bool:  # fmt: skip
    """Invite someone without an account; an address that has one gets the role at once (False)."""
    require_admin(admin)
    invitations.check_target(role, tenant, organisation)
    existing = auth.find_user_by_email(email)
    if existing is not None:
        grant(admin, existing, role, tenant=tenant, organisation=organisation)
        return False
    invitations.invite(admin, email, name, role, tenant=tenant, organisation=organisation, locale=locale)
    return True


def update_settings(admin: User, project: Tenant, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The settings kept in the database (contacts, features, position); `tenants sync` writes them
    again from tenant.toml when that file changes."""
    require_admin(admin)
    contacts = {k: v for k, v in {**(project.contacts or {}), **data["contacts"]}.items() if v}
    wanted = {"contacts": contacts, "features": [f for f in FEATURES if f in data["features"]],
              "position": int(data["position"])}  # fmt: skip
    changes: dict[str, list[Any]] = {}
    for name, value in wanted.items():
        old = getattr(project, name)
        if old != value:
            setattr(project, name, value)
            changes[name] = [old, value]
    if changes:
        project.updated_at = utcnow()
        record(admin, "update-settings", "tenant", project.id, changes)
    return changes


def history(person: User, limit: int = 30) -> list[Any]:
    """What admins changed on this account, newest first."""
    from portal.models import AuditEvent

    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "user", AuditEvent.object_id == person.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
