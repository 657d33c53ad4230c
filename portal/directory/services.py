"""Directory actions: every create, change and review goes through here.

Each one checks permission, records an AuditEvent and queues the search outbox in
the same transaction as the change.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import or_, select

from portal.auth.services import find_user_by_email
from portal.directory import indexing
from portal.directory.permissions import can_create_organisations, can_moderate, is_editor, is_own_submission, require
from portal.extensions import db
from portal.models import AuditEvent, Entry, Event, Opportunity, Organisation, Tenant, TrainingOffer, User
from portal.models.base import utcnow
from portal.models.directory import Moderated, Status, organisation_editor
from portal.slugs import slugify, unique_slug
from portal.tenant_site.services import StaleEdit

ENTRY_CLASSES = {"opportunity": Opportunity, "training": TrainingOffer, "event": Event}


class ReviewRefused(Exception):
    """A review that is not allowed: own submission, or nothing to review."""


# --- serialising proposed changes -------------------------------------------

def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"__date__": value.isoformat(), "dt": isinstance(value, datetime)}
    if isinstance(value, Enum):
        return value.value
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "__date__" in value:
        return datetime.fromisoformat(value["__date__"]) if value["dt"] else date.fromisoformat(value["__date__"])
    return value


def _apply(row, data: dict[str, Any]) -> dict[str, list]:
    """Set fields from `data` (tenant_ids handled apart); return {field: [old, new]} of what changed."""
    changes: dict[str, list] = {}
    for name, value in data.items():
        if name == "tenant_ids":
            old = sorted(t.id for t in row.tenants)
            if sorted(value) != old:
                row.tenants = list(db.session.scalars(select(Tenant).where(Tenant.id.in_(value))))
                changes[name] = [old, sorted(value)]
            continue
        old = getattr(row, name)
        if _to_json(old) != _to_json(value):
            setattr(row, name, value)
            changes[name] = [_to_json(old), _to_json(value)]
    if isinstance(row, Entry):
        row.closes_on = row.compute_closes_on()
    return changes


def _audit(user: User | None, action: str, row, changes: dict | None = None, note: str = "") -> None:
    db.session.add(AuditEvent(at=utcnow(), user_id=user.id if user else None, action=action,
                              object_type="organisation" if isinstance(row, Organisation) else row.kind,
                              object_id=row.id, changes=changes or {}, note=note))


def _check_version(row: Moderated, expected: int | None) -> None:
    if expected is not None and row.version != expected:
        raise StaleEdit()


def _submit(user: User, row: Moderated, data: dict, action: str) -> None:
    """A partner's change: applied at once if the row is not public, else kept for review."""
    if row.status == Status.PUBLISHED and not user.is_admin:
        row.pending_changes = {k: _to_json(v) for k, v in data.items()}
        changes = {"proposed": row.pending_changes}
    else:
        changes = _apply(row, data)
        if row.status == Status.REJECTED:
            row.status = Status.PENDING
        if user.is_admin and row.status == Status.PENDING:
            row.status, row.published_at = Status.PUBLISHED, row.published_at or utcnow()
    row.submitted_by_id = user.id
    row.rejection_reason = ""
    row.updated_at = utcnow()
    db.session.flush()
    _audit(user, action, row, changes)
    indexing.queue(row)


# --- organisations ------------------------------------------------------------

def create_organisation(user: User, data: dict) -> Organisation:
    """Coordinators and admins register organisations; they are published at once."""
    require(can_create_organisations(user))
    tenant_ids = data.pop("tenant_ids", [])
    org = Organisation(slug=unique_slug(Organisation, slugify(data["name"], 100)), status=Status.PUBLISHED,
                       published_at=utcnow(), submitted_by_id=user.id, reviewed_by_id=user.id, reviewed_at=utcnow(),
                       **data)
    org.tenants = list(db.session.scalars(select(Tenant).where(Tenant.id.in_(tenant_ids))))
    db.session.add(org)
    db.session.flush()
    _audit(user, "create", org, {k: _to_json(v) for k, v in data.items()})
    indexing.queue(org)
    db.session.commit()
    return org


def update_organisation(user: User, org: Organisation, data: dict, expected_version: int | None) -> None:
    require(is_editor(user, org) or can_moderate(user, org))
    _check_version(org, expected_version)
    direct = user.is_admin or (can_moderate(user, org) and not is_editor(user, org))
    if direct:
        changes = _apply(org, data)
        _audit(user, "update", org, changes)
        indexing.queue(org)
    else:
        _submit(user, org, data, "propose")
    db.session.commit()


def add_editor(user: User, org: Organisation, email: str) -> User | None:
    require(can_moderate(user, org))
    editor = find_user_by_email(email)
    if editor is None:
        return None
    if not db.session.scalar(select(organisation_editor.c.user_id).where(
            organisation_editor.c.organisation_id == org.id, organisation_editor.c.user_id == editor.id)):
        db.session.execute(organisation_editor.insert().values(organisation_id=org.id, user_id=editor.id))
        _audit(user, "add-editor", org, {"editor": editor.email})
    db.session.commit()
    return editor


def editors_of(org: Organisation) -> list[User]:
    return list(db.session.scalars(select(User).join(organisation_editor, organisation_editor.c.user_id == User.id)
                                   .where(organisation_editor.c.organisation_id == org.id).order_by(User.name)))


def organisations_edited_by(user: User) -> list[Organisation]:
    stmt = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        stmt = stmt.join(organisation_editor, organisation_editor.c.organisation_id == Organisation.id).where(
            organisation_editor.c.user_id == user.id)
    return list(db.session.scalars(stmt))


# --- entries ------------------------------------------------------------------

def create_entry(user: User, org: Organisation, kind: str, data: dict) -> Entry:
    """A partner's new entry: pending until a coordinator approves (admins publish at once)."""
    require(is_editor(user, org))
    entry = ENTRY_CLASSES[kind](organisation=org, slug=unique_slug(Entry, slugify(data["title"], 120)),
                                status=Status.PENDING)
    db.session.add(entry)
    _submit(user, entry, data, "create")
    db.session.commit()
    return entry


def update_entry(user: User, entry: Entry, data: dict, expected_version: int | None) -> None:
    require(is_editor(user, entry.organisation))
    _check_version(entry, expected_version)
    _submit(user, entry, data, "propose" if entry.status == Status.PUBLISHED else "update")
    db.session.commit()


def editable_data(row) -> dict:
    """The proposed change waiting for review, if any: an editor continues from it."""
    return {k: _from_json(v) for k, v in (row.pending_changes or {}).items()}


# --- moderation ---------------------------------------------------------------

def _check_reviewable(user: User, row: Moderated) -> None:
    """Only a moderator of the row's organisation, never on their own submission, and only if
    something waits for review."""
    org = row if isinstance(row, Organisation) else row.organisation
    require(can_moderate(user, org))
    if is_own_submission(user, row):
        raise ReviewRefused("own")
    if not row.awaits_review:
        raise ReviewRefused("nothing")


def approve(user: User, row: Moderated) -> None:
    _check_reviewable(user, row)
    changes = _apply(row, {k: _from_json(v) for k, v in (row.pending_changes or {}).items()})
    row.pending_changes = None
    row.status = Status.PUBLISHED
    row.published_at = row.published_at or utcnow()
    row.reviewed_by_id, row.reviewed_at, row.rejection_reason = user.id, utcnow(), ""
    db.session.flush()
    _audit(user, "approve", row, changes)
    indexing.queue(row)
    db.session.commit()


def reject(user: User, row: Moderated, reason: str) -> None:
    _check_reviewable(user, row)
    if row.pending_changes:
        row.pending_changes = None  # the published version stays
    else:
        row.status = Status.REJECTED
    row.rejection_reason = reason.strip()
    row.reviewed_by_id, row.reviewed_at = user.id, utcnow()
    db.session.flush()
    _audit(user, "reject", row, note=reason.strip())
    indexing.queue(row)
    db.session.commit()


def moderation_queue(user: User) -> list[Moderated]:
    """What this coordinator may review: rows of organisations in the projects they coordinate."""
    from portal.directory.permissions import coordinated_tenant_ids
    from portal.models.directory import organisation_tenant

    awaiting = lambda model: or_(model.status == Status.PENDING, model.pending_changes.is_not(None))  # noqa: E731
    orgs = select(Organisation).where(awaiting(Organisation))
    entries = select(Entry).join(Organisation, Organisation.id == Entry.organisation_id).where(awaiting(Entry))
    if not user.is_admin:
        tenant_ids = coordinated_tenant_ids(user)
        in_my_projects = select(organisation_tenant.c.organisation_id).where(organisation_tenant.c.tenant_id.in_(tenant_ids))
        orgs = orgs.where(Organisation.id.in_(in_my_projects))
        entries = entries.where(Entry.organisation_id.in_(in_my_projects))
    rows: list[Moderated] = list(db.session.scalars(orgs)) + list(db.session.scalars(entries))
    return sorted(rows, key=lambda r: r.updated_at)


def history(row) -> list[AuditEvent]:
    object_type = "organisation" if isinstance(row, Organisation) else row.kind
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == row.id).order_by(AuditEvent.at.desc())))
