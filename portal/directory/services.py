"""Directory actions: every create, change and review goes through here.

Each one checks permission, records an AuditEvent and queues the search outbox in the
same transaction as the change; the request (or the CLI command) commits once.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.services import find_user_by_email
from portal.database import rowcount
from portal.directory import indexing, notifications
from portal.directory.permissions import (
    can_create_organisations,
    can_moderate,
    coordinated_tenant_ids,
    is_editor,
    is_own_submission,
)
from portal.errors import Conflict, Invalid, NotFound, StaleEdit, require
from portal.extensions import db
from portal.lifecycle.data import require_not_ended
from portal.models import AuditEvent, Entry, Event, Opportunity, Organisation, Tenant, TrainingOffer, User
from portal.models.base import utcnow
from portal.models.directory import (
    LinkStatus,
    Moderated,
    Status,
    entry_tenant,
    organisation_editor,
    organisation_of,
    organisation_tenant,
)
from portal.slugs import slugify, unique_slug
from portal.vocabularies.organisations import compact_fiscal_code, compact_vat_number

# What the forms hand to the services: field name -> value; and what changed: field -> [old, new].
Data = dict[str, Any]
Changes = dict[str, list[Any]]

ENTRY_CLASSES: dict[str, type[Entry]] = {"opportunity": Opportunity, "training": TrainingOffer, "event": Event}

OWN_SUBMISSION = _l("You cannot review what you submitted yourself: another coordinator must do it.")
NOTHING_TO_REVIEW = _l("There is nothing waiting for review here.")
REASON_NEEDED = _l("Say why, so the partner can fix it.")
ALREADY_WITHDRAWN = _l("This entry has already been withdrawn.")
CODE_RACE = _l("An organisation with this fiscal code or VAT number was registered a moment ago: check the directory.")
LINK_OWN_PROJECT = _l(
    "Choose at least one of the projects you coordinate: the others are asked to accept the organisation."
)
LINK_NOT_YOURS = _l(
    "Only that project's coordinators, or the organisation's editors, can remove the link with a project."
)
WITHDRAWN_WHILE_REVIEWING = _l(
    "The partner withdrew this submission while you were reviewing it: nothing has been published or changed."
)
CHANGED_WHILE_REVIEWING = _l(
    "The partner changed this submission after you opened the page: nothing has been decided. "
    "Review the new version below."
)
NOT_A_DRAFT = _l("This entry has already been submitted: it is no longer a draft.")
CLOSE_ONLY_OPEN = _l("Only a published entry that is still open can be closed early.")
DRAFT_TITLE = _l("Draft")
ENTRY_PROJECT_NOT_LINKED = _l("An entry can only be shown in projects that have accepted its organisation.")


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


def _apply(row: Moderated, data: Data) -> Changes:
    """Set fields from `data` (tenant_ids handled by the caller); return {field: [old, new]}."""
    changes: Changes = {}
    for name, value in data.items():
        if name == "tenant_ids":
            continue
        old = getattr(row, name)
        if _to_json(old) != _to_json(value):
            setattr(row, name, value)
            changes[name] = [_to_json(old), _to_json(value)]
    _completed(row, data)
    if isinstance(row, Entry):
        row.closes_on = row.effective_closes_on()
    return changes


def _completed(row: Moderated, data: Data) -> None:
    """A field left "to be completed" by an upgrade is done once its editor gives it a value."""
    if row.to_complete:
        gone = _fields_not_of_its_type(row)
        left = {k: v for k, v in row.to_complete.items()
                if k not in gone and (data.get(k) in (None, "", []) or k not in data)}  # fmt: skip
        row.to_complete = left or None


def _fields_not_of_its_type(row: Moderated) -> set[str]:
    """An opportunity's fields that its type does not use (a note on them is moot)."""
    from portal.directory.rules import TYPED_FIELDS, fields_for

    if not isinstance(row, Opportunity) or row.opportunity_type is None:
        return set()
    return TYPED_FIELDS - fields_for(row.opportunity_type)


CODE_COMPACTORS = {"fiscal_code": compact_fiscal_code, "vat_number": compact_vat_number}


def _code_owners(data: Data, org: Organisation | None) -> dict[str, Organisation]:
    """Other organisations already holding the fiscal code or VAT number in `data`, which is
    compacted in place ("IT 00743110157" and "00743110157" are the same number)."""
    owners = {}
    for field, compact in CODE_COMPACTORS.items():
        if field not in data:
            continue
        code = data[field] = compact(data[field] or "")
        if not code:
            continue
        # An 11-digit number identifies one body as fiscal code or as VAT number alike.
        same = or_(Organisation.fiscal_code == code, Organisation.vat_number == code)
        other = db.session.scalar(select(Organisation).where(same, Organisation.id != (org.id if org else 0)))
        if other is not None:
            owners[field] = other
    return owners


def _unique_codes(data: Data, org: Organisation | None = None) -> None:
    """One organisation per fiscal code and per VAT number."""
    owners = _code_owners(data, org)
    if owners:
        raise Invalid(fields={field: _l("%(name)s is already in the directory with this code: ask its editors, "
                                        "or a coordinator, to add you instead of registering it again.",
                                        name=other.name) for field, other in owners.items()})  # fmt: skip


def _check_entry(kind: str, data: Data, org: Organisation) -> None:
    from portal.directory.rules import entry_problems

    problems = entry_problems(kind, data, org)
    if problems:
        raise Invalid(fields=problems)


def _audit(
    user: User | None, action: str, row: Moderated, changes: dict[str, Any] | None = None, note: str = ""
) -> None:
    db.session.add(
        AuditEvent(
            at=utcnow(),
            user_id=user.id if user else None,
            action=action,
            object_type=row.object_type,
            object_id=row.id,
            changes=changes or {},
            note=note,
        )
    )


def _check_version(row: Moderated, expected: int | None) -> None:
    """The form must say which version it edits: a missing or older one is a conflict,
    never a silent overwrite of someone else's newer change."""
    if expected is None or row.version != expected:
        raise StaleEdit()


def _flush() -> None:
    """Flush; another request saving the same row first is a conflict, not a crash."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit() from None


# --- organisations' links to projects ---------------------------------------


def _links(org: Organisation) -> dict[int, LinkStatus]:
    rows = db.session.execute(
        select(organisation_tenant.c.tenant_id, organisation_tenant.c.status).where(
            organisation_tenant.c.organisation_id == org.id
        )
    )
    return {tenant_id: LinkStatus(status) for tenant_id, status in rows}


def _set_links(org: Organisation, wanted: set[int], actor: User, requester: User | None = None) -> Changes:
    """Make the organisation's links match `wanted`.

    A link to a project the actor coordinates (or any, for an admin) is approved at once;
    any other waits for that project's coordinators. Links are removed by the
    organisation's editors, that project's coordinators or an admin; the entries'
    own links to a removed project go with it.
    """
    current = _links(org)
    mine = coordinated_tenant_ids(actor)
    now, asked_by = utcnow(), (requester or actor)
    changes: Changes = {}
    for tenant_id in sorted(wanted - set(current)):
        approved = actor.is_admin or tenant_id in mine
        db.session.execute(
            insert(organisation_tenant).values(
                organisation_id=org.id,
                tenant_id=tenant_id,
                status=LinkStatus.APPROVED if approved else LinkStatus.PENDING,
                requested_by_id=asked_by.id,
                requested_at=now,
                reviewed_by_id=actor.id if approved else None,
                reviewed_at=now if approved else None,
            )
        )
        changes.setdefault("linked" if approved else "link_requested", []).append(tenant_id)
    removed = set(current) - wanted
    may_remove = actor.is_admin or is_editor(actor, org) or bool(requester and is_editor(requester, org))
    if removed and not (may_remove or removed <= mine):
        raise Invalid(LINK_NOT_YOURS, fields={"tenant_ids": LINK_NOT_YOURS})
    if removed:
        db.session.execute(
            delete(organisation_tenant).where(
                organisation_tenant.c.organisation_id == org.id, organisation_tenant.c.tenant_id.in_(removed)
            )
        )
        org_entries = select(Entry.id).where(Entry.organisation_id == org.id)
        in_removed = and_(entry_tenant.c.entry_id.in_(org_entries), entry_tenant.c.tenant_id.in_(removed))
        affected = list(
            db.session.scalars(select(Entry).where(Entry.id.in_(select(entry_tenant.c.entry_id).where(in_removed))))
        )
        db.session.execute(delete(entry_tenant).where(in_removed))
        for entry in affected:
            db.session.expire(entry, ["tenants"])
            indexing.queue(entry)
        changes["unlinked"] = sorted(removed)
    db.session.expire(org, ["tenants"])
    return changes


def _check_entry_tenants(entry: Entry, wanted: set[int]) -> None:
    if not wanted <= {t.id for t in entry.organisation.tenants}:
        raise Invalid(ENTRY_PROJECT_NOT_LINKED, fields={"tenant_ids": ENTRY_PROJECT_NOT_LINKED})


def _set_entry_tenants(entry: Entry, wanted: set[int]) -> Changes:
    _check_entry_tenants(entry, wanted)
    old = sorted(t.id for t in entry.tenants)
    if sorted(wanted) == old:
        return {}
    entry.tenants = list(db.session.scalars(select(Tenant).where(Tenant.id.in_(wanted)))) if wanted else []
    return {"tenant_ids": [old, sorted(wanted)]}


def add_approved_links(org: Organisation, tenant_ids: list[int]) -> None:
    """Operators' tools (demo data, imports run from the CLI): links accepted by definition."""
    db.session.flush()
    for tenant_id in tenant_ids:
        db.session.execute(
            insert(organisation_tenant).values(
                organisation_id=org.id,
                tenant_id=tenant_id,
                status=LinkStatus.APPROVED,
                requested_at=utcnow(),
                reviewed_at=utcnow(),
            )
        )
    db.session.expire(org, ["tenants"])


def pending_links(user: User) -> list[tuple[Organisation, Tenant, User | None]]:
    """Organisations asking to work with a project this user coordinates (every project for admins)."""
    stmt = (
        select(Organisation, Tenant, User)
        .join(organisation_tenant, organisation_tenant.c.organisation_id == Organisation.id)
        .join(Tenant, Tenant.id == organisation_tenant.c.tenant_id)
        .outerjoin(User, User.id == organisation_tenant.c.requested_by_id)
        .where(organisation_tenant.c.status == LinkStatus.PENDING)
        .order_by(organisation_tenant.c.requested_at)
    )
    if not user.is_admin:
        stmt = stmt.where(organisation_tenant.c.tenant_id.in_(coordinated_tenant_ids(user)))
    return [(org, tenant, requester) for org, tenant, requester in db.session.execute(stmt)]


def review_link(user: User, org: Organisation, tenant: Tenant, approve: bool) -> None:
    """A project's coordinator accepts or declines an organisation's request to join it."""
    require(user.is_admin or tenant.id in coordinated_tenant_ids(user))
    link = and_(
        organisation_tenant.c.organisation_id == org.id,
        organisation_tenant.c.tenant_id == tenant.id,
        organisation_tenant.c.status == LinkStatus.PENDING,
    )
    if approve:
        result = db.session.execute(
            update(organisation_tenant)
            .where(link)
            .values(status=LinkStatus.APPROVED, reviewed_by_id=user.id, reviewed_at=utcnow())
        )
    else:
        result = db.session.execute(delete(organisation_tenant).where(link))
    if rowcount(result) != 1:
        raise Conflict(NOTHING_TO_REVIEW)
    db.session.expire(org, ["tenants"])
    _audit(user, "approve-link" if approve else "decline-link", org, {"tenant": tenant.slug})
    indexing.queue(org)


def pending_link_ids(org: Organisation) -> list[int]:
    return [tenant_id for tenant_id, status in _links(org).items() if status == LinkStatus.PENDING]


# --- loading what a person may edit or review ------------------------------------


def organisation(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    return org


def entry(entry_id: int) -> Entry:
    row = db.session.scalar(select(Entry).where(Entry.id == entry_id))
    if row is None:
        raise NotFound()
    return row


def tenant(tenant_id: int) -> Tenant:
    row = db.session.get(Tenant, tenant_id)
    if row is None:
        raise NotFound()
    return row


def _viewable(user: User, row: Moderated) -> bool:
    """The public sees published rows; editors and moderators also see what waits for review.
    A draft is its editors' own until they submit it: not even the project's coordinators see it."""
    org = organisation_of(row)
    published = row.status == Status.PUBLISHED and org.status == Status.PUBLISHED
    if row.status == Status.DRAFT:
        return is_editor(user, org)
    return published or is_editor(user, org) or can_moderate(user, org)


def viewable_organisation(user: User, slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None or not _viewable(user, org):
        raise NotFound()
    return org


def viewable_entry(user: User, kind: str, slug: str) -> Entry:
    row = db.session.scalar(select(Entry).where(Entry.slug == slug, Entry.kind == kind))
    if row is None or not _viewable(user, row):
        raise NotFound()
    return row


def published_entry(kind: str, slug: str) -> Entry:
    """What anyone may take out of the portal (a calendar file, open data): published rows only."""
    row = db.session.scalar(select(Entry).where(Entry.slug == slug, Entry.kind == kind))
    if row is None or row.status != Status.PUBLISHED or row.organisation.status != Status.PUBLISHED:
        raise NotFound()
    return row


def calendar_entry(kind: str, slug: str) -> Entry:
    """An entry's own calendar file: published, or withdrawn after it was published (cancelled)."""
    row = db.session.scalar(select(Entry).where(Entry.slug == slug, Entry.kind == kind))
    was_public = row is not None and (
        row.status == Status.PUBLISHED or (row.status == Status.WITHDRAWN and row.published_at is not None)
    )
    if row is None or not was_public or row.organisation.status != Status.PUBLISHED:
        raise NotFound()
    return row


def organisation_for_edit(user: User, org_id: int) -> Organisation:
    """Its editors and moderators edit an organisation's profile."""
    org = organisation(org_id)
    require(is_editor(user, org) or can_moderate(user, org))
    return org


def organisation_to_moderate(user: User, org_id: int) -> Organisation:
    org = organisation(org_id)
    require(can_moderate(user, org))
    return org


def organisation_for_new_entries(user: User, org_id: int) -> Organisation:
    org = organisation(org_id)
    require(is_editor(user, org))
    return org


def entry_for_edit(user: User, entry_id: int) -> Entry:
    row = entry(entry_id)
    require(is_editor(user, row.organisation))
    if row.status == Status.WITHDRAWN:
        raise Conflict(ALREADY_WITHDRAWN)
    return row


# --- organisations ------------------------------------------------------------


def create_organisation(user: User, data: Data) -> Organisation:
    """Coordinators and admins register organisations; they are published at once, and
    linked at once to the projects the registering person coordinates."""
    require(can_create_organisations(user))
    _unique_codes(data)
    tenant_ids = set(data.pop("tenant_ids", []))
    if not user.is_admin and not tenant_ids & coordinated_tenant_ids(user):
        raise Invalid(LINK_OWN_PROJECT, fields={"tenant_ids": LINK_OWN_PROJECT})
    org = Organisation(
        slug=unique_slug(Organisation, slugify(data["name"], 100)),
        status=Status.PUBLISHED,
        published_at=utcnow(),
        submitted_by_id=user.id,
        reviewed_by_id=user.id,
        reviewed_at=utcnow(),
        **data,
    )
    db.session.add(org)
    try:
        db.session.flush()
    except IntegrityError:  # the same code registered by someone else at the same moment
        db.session.rollback()  # nothing of this request is kept
        raise Invalid(fields={"fiscal_code": CODE_RACE}) from None
    links = _set_links(org, tenant_ids, user)
    _audit(user, "create", org, {**{k: _to_json(v) for k, v in data.items()}, **links})
    indexing.queue(org)
    return org


def update_organisation(user: User, org: Organisation, data: Data, expected_version: int | None) -> None:
    require(is_editor(user, org) or can_moderate(user, org))
    _check_version(org, expected_version)
    _unique_codes(data, org)
    direct = user.is_admin or (can_moderate(user, org) and not is_editor(user, org))
    if direct:
        changes = {**_apply(org, data), **_apply_tenants(user, org, data)}
        org.updated_at = utcnow()
        _flush()
        _audit(user, "update", org, changes)
        indexing.queue(org)
    else:
        _submit(user, org, data, "propose")


def add_editor(user: User, org: Organisation, email: str) -> User | None:
    require(can_moderate(user, org))
    editor = find_user_by_email(email)
    if editor is None:
        return None
    if not db.session.scalar(
        select(organisation_editor.c.user_id).where(
            organisation_editor.c.organisation_id == org.id, organisation_editor.c.user_id == editor.id
        )
    ):
        db.session.execute(organisation_editor.insert().values(organisation_id=org.id, user_id=editor.id))
        _audit(user, "add-editor", org, {"editor": editor.email})
    return editor


def editors_of(org: Organisation) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(organisation_editor, organisation_editor.c.user_id == User.id)
            .where(organisation_editor.c.organisation_id == org.id)
            .order_by(User.name)
        )
    )


def organisations_edited_by(user: User) -> list[Organisation]:
    stmt = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        stmt = stmt.join(organisation_editor, organisation_editor.c.organisation_id == Organisation.id).where(
            organisation_editor.c.user_id == user.id
        )
    return list(db.session.scalars(stmt))


# --- entries ------------------------------------------------------------------


def _submit(user: User, row: Moderated, data: Data, action: str) -> None:
    """A partner's change: applied at once if the row is not public, else kept for review."""
    if row.status == Status.PUBLISHED and not user.is_admin:
        if isinstance(row, Entry) and "tenant_ids" in data:
            _check_entry_tenants(row, set(data["tenant_ids"] or []))  # applied on approval
        row.pending_changes = {k: _to_json(v) for k, v in data.items()}
        changes: dict[str, Any] = {"proposed": row.pending_changes}
    else:
        changes = {**_apply(row, data), **_apply_tenants(user, row, data)}
        if isinstance(row, Entry) and row.status == Status.DRAFT:
            # Never public so far: its address follows the title it is submitted with, not the
            # placeholder ("draft", "bozza") or the first title it was saved under.
            row.slug = unique_slug(Entry, slugify(row.title, 120), Entry.id != row.id)
        if row.status in (Status.REJECTED, Status.DRAFT):
            row.status = Status.PENDING
        if user.is_admin and row.status == Status.PENDING:
            row.status, row.published_at = Status.PUBLISHED, row.published_at or utcnow()
    row.submitted_by_id = user.id
    row.rejection_reason = ""
    row.updated_at = utcnow()
    _flush()
    _audit(user, action, row, changes)
    indexing.queue(row)


def _apply_tenants(actor: User, row: Moderated, data: Data, requester: User | None = None) -> Changes:
    if "tenant_ids" not in data:
        return {}
    wanted = set(data["tenant_ids"] or [])
    if isinstance(row, Organisation):
        return _set_links(row, wanted, actor, requester)
    assert isinstance(row, Entry)
    return _set_entry_tenants(row, wanted)


NEW_ENTRIES = _l("new entries")


def _refuse_ended_projects(data: Data, already: set[int]) -> None:
    """An ended project takes no new entry: neither a new one for it nor an old one newly linked to it."""
    added = set(data.get("tenant_ids") or []) - already if "tenant_ids" in data else set()
    if added:
        for project in db.session.scalars(select(Tenant).where(Tenant.id.in_(added)).order_by(Tenant.position)):
            require_not_ended(project, NEW_ENTRIES, field="tenant_ids")


def create_entry(user: User, org: Organisation, kind: str, data: Data) -> Entry:
    """A partner's new entry: pending until a coordinator approves (admins publish at once).
    Refused (ProjectEnded) for a project that has ended."""
    require(is_editor(user, org))
    if kind not in ENTRY_CLASSES:
        raise NotFound()
    _check_entry(kind, data, org)
    _refuse_ended_projects(data, already=set())
    entry = ENTRY_CLASSES[kind](
        organisation=org, slug=unique_slug(Entry, slugify(data["title"], 120)), status=Status.PENDING
    )
    db.session.add(entry)
    _submit(user, entry, data, "create")
    return entry


def _draft_slug(data: Data) -> str:
    return unique_slug(Entry, slugify(data.get("title") or str(DRAFT_TITLE), 120))


def create_draft(user: User, org: Organisation, kind: str, data: Data) -> Entry:
    """A new entry saved without submitting it: whatever was filled in, never public, not reviewed."""
    require(is_editor(user, org))
    if kind not in ENTRY_CLASSES:
        raise NotFound()
    _refuse_ended_projects(data, already=set())
    entry = ENTRY_CLASSES[kind](organisation=org, slug=_draft_slug(data), status=Status.DRAFT)
    db.session.add(entry)
    _save_draft_fields(user, entry, data, "draft")
    return entry


def save_draft(user: User, entry: Entry, data: Data, expected_version: int | None) -> None:
    """Its editors keep working on a draft; two of them saving the same version is a conflict."""
    require(is_editor(user, entry.organisation))
    if entry.status != Status.DRAFT:
        raise Conflict(NOT_A_DRAFT)
    _check_version(entry, expected_version)
    _save_draft_fields(user, entry, data, "update-draft")


def _save_draft_fields(user: User, entry: Entry, data: Data, action: str) -> None:
    data = {**data, "title": data.get("title") or "", "description": data.get("description") or ""}
    changes = {**_apply(entry, data), **_apply_tenants(user, entry, data)}
    entry.submitted_by_id = user.id
    entry.updated_at = utcnow()
    _flush()
    _audit(user, action, entry, changes)


def close_entry_early(user: User, entry: Entry, expected_version: int | None, today: date) -> None:
    """ "Places filled": the entry stays on its page, shown as closed, and leaves the listings and
    the search for open entries from today. Its editors and moderators may do it."""
    require(is_editor(user, entry.organisation) or can_moderate(user, entry.organisation))
    _check_version(entry, expected_version)
    if entry.status != Status.PUBLISHED or not entry.is_open(today):
        raise Conflict(CLOSE_ONLY_OPEN)
    entry.closed_early_on = today
    entry.closes_on = entry.effective_closes_on()
    entry.updated_at = utcnow()
    _flush()
    _audit(user, "close-early", entry, {"closed_early_on": _to_json(today)})
    indexing.queue(entry)


def preview_entry(user: User, kind: str, org: Organisation, data: Data, entry: Entry | None = None) -> Entry:
    """An unsaved entry with `data`, for its editors' preview of the public page: never added to
    the session (its relationships are set without events, so nothing cascades into a flush)."""
    from sqlalchemy.orm.attributes import set_committed_value

    require(is_editor(user, org))
    if kind not in ENTRY_CLASSES:
        raise NotFound()
    preview = ENTRY_CLASSES[kind]()
    for name, value in data.items():
        if name != "tenant_ids" and hasattr(preview, name):
            setattr(preview, name, value)
    preview.kind, preview.slug = kind, entry.slug if entry else ""
    preview.status = entry.status if entry else Status.DRAFT
    preview.title, preview.description = preview.title or "", preview.description or ""
    preview.closes_on = preview.effective_closes_on()
    wanted = set(data.get("tenant_ids") or [])
    set_committed_value(preview, "organisation", org)
    set_committed_value(preview, "tenants", [t for t in org.tenants if t.id in wanted])
    return preview


# What a copy for next season does not take over: identity, workflow and dates of the old one.
NOT_COPIED = frozenset({
    "id", "kind", "slug", "status", "pending_changes", "rejection_reason", "submitted_by_id", "reviewed_by_id",
    "reviewed_at", "published_at", "version", "to_complete", "closes_on", "closed_early_on",
    "deadline_reminder_for", "created_at", "updated_at",
})  # fmt: skip
# Nor the dates of the old season: left empty, the form asks for the new ones before submitting
# (kept, they would be submitted unchanged whenever they were still in the future).
SEASON_DATES = frozenset({"deadline", "start_date", "end_date", "enrolment_deadline", "starts_at", "ends_at"})


def duplicate_entry(user: User, entry: Entry) -> Entry:
    """A new draft with the entry's texts (its proposal waiting for review included), for next season."""
    require(is_editor(user, entry.organisation))
    values = {attr.key: getattr(entry, attr.key) for attr in entry.__mapper__.column_attrs}
    values.update(editable_data(entry))
    data = {k: v for k, v in values.items() if k not in NOT_COPIED | SEASON_DATES and k not in STAND_IN_FIELDS}
    data.setdefault("tenant_ids", [t.id for t in entry.tenants])  # those proposed, if a proposal waits
    copy = create_draft(user, entry.organisation, entry.kind, data)
    _audit(user, "duplicate", copy, {"copied_from": entry.id})
    return copy


def update_entry(user: User, entry: Entry, data: Data, expected_version: int | None) -> None:
    require(is_editor(user, entry.organisation))
    if entry.status == Status.WITHDRAWN:
        raise Conflict(ALREADY_WITHDRAWN)
    _check_version(entry, expected_version)
    _check_entry(entry.kind, data, entry.organisation)
    # A draft was never in any project: submitting it is a new entry for each of them.
    _refuse_ended_projects(data, already=set() if entry.status == Status.DRAFT else {t.id for t in entry.tenants})
    _submit(user, entry, data, "propose" if entry.status == Status.PUBLISHED else "update")


def withdraw_entry(user: User, entry: Entry, expected_version: int | None) -> None:
    """The organisation takes an entry back: it leaves listings, search, feeds and the API at
    once, and calendars that had it show it cancelled. Its editors and moderators may do it."""
    require(is_editor(user, entry.organisation) or can_moderate(user, entry.organisation))
    _check_version(entry, expected_version)
    if entry.status == Status.WITHDRAWN:
        raise Conflict(ALREADY_WITHDRAWN)
    entry.status, entry.pending_changes = Status.WITHDRAWN, None
    entry.updated_at = utcnow()
    _flush()
    _audit(user, "withdraw", entry)
    indexing.queue(entry)


# Fields an upgrade filled with a stand-in value ("other") while the real one is to be
# completed: the form shows them empty, so saving it unchanged does not confirm the stand-in.
STAND_IN_FIELDS = frozenset({"kind"})


def editable_data(row: Moderated) -> Data:
    """The proposed change waiting for review, if any: an editor continues from it."""
    data = {k: _from_json(v) for k, v in (row.pending_changes or {}).items()}
    for name in STAND_IN_FIELDS & set(row.to_complete or {}):
        data.setdefault(name, "")
    return data


# --- moderation ---------------------------------------------------------------


def _check_reviewable(user: User, row: Moderated, expected_version: int | None = None) -> None:
    """Only a moderator of the row's organisation, never on their own submission, and only if
    something waits for review; when the page said which version it showed, only that one (a
    decision posted from an older page is not applied to a text the reviewer has not seen)."""
    org = organisation_of(row)
    require(can_moderate(user, org))
    if row.status == Status.WITHDRAWN:
        raise Conflict(WITHDRAWN_WHILE_REVIEWING)
    if expected_version is not None and row.version != expected_version:
        raise Conflict(CHANGED_WHILE_REVIEWING)
    if is_own_submission(user, row):
        raise Conflict(OWN_SUBMISSION)
    if not row.awaits_review:
        raise Conflict(NOTHING_TO_REVIEW)


def approve(user: User, row: Moderated, expected_version: int | None = None) -> None:
    _check_reviewable(user, row, expected_version)
    proposal = editable_data(row)
    if isinstance(row, Entry):
        _check_rules_on_approval(row, proposal)
    owners = _code_owners(proposal, row) if isinstance(row, Organisation) else {}
    if owners:  # another organisation registered the code after the change was proposed
        raise Conflict(_l("This change cannot be approved: %(name)s already has this fiscal code or VAT number. "
                          "Reject it and explain why.", name=next(iter(owners.values())).name))  # fmt: skip
    submitter = db.session.get(User, row.submitted_by_id) if row.submitted_by_id else None
    changes = {**_apply(row, proposal), **_apply_tenants(user, row, proposal, requester=submitter)}
    row.pending_changes = None
    row.status = Status.PUBLISHED
    row.published_at = row.published_at or utcnow()
    row.reviewed_by_id, row.reviewed_at, row.rejection_reason = user.id, utcnow(), ""
    _flush()
    _audit(user, "approve", row, changes)
    indexing.queue(row)
    notifications.review_outcome(row, approved=True)


def _check_rules_on_approval(entry: Entry, proposal: Data) -> None:
    """What is published follows today's rules, even if it was proposed under older ones."""
    from portal.directory.rules import entry_problems

    data = {attr.key: getattr(entry, attr.key) for attr in entry.__mapper__.column_attrs}
    data["opportunity_type"] = (
        getattr(entry.opportunity_type, "value", None) if isinstance(entry, Opportunity) else None
    )
    data.update(proposal)
    problems = entry_problems(entry.kind, data, entry.organisation)
    if problems:
        raise Conflict(_l("This cannot be approved as it is: %(problems)s Reject it and explain what to fix.",
                          problems=" ".join(str(message) for message in problems.values())))  # fmt: skip


def reject(user: User, row: Moderated, reason: str, expected_version: int | None = None) -> None:
    _check_reviewable(user, row, expected_version)
    if not (reason or "").strip():
        raise Invalid(REASON_NEEDED, fields={"reason": REASON_NEEDED})
    if row.pending_changes:
        row.pending_changes = None  # the published version stays
    else:
        row.status = Status.REJECTED
    row.rejection_reason = reason.strip()
    row.reviewed_by_id, row.reviewed_at = user.id, utcnow()
    _flush()
    _audit(user, "reject", row, note=reason.strip())
    indexing.queue(row)
    notifications.review_outcome(row, approved=False, reason=reason.strip())


def publishes_in_the_directory(user: User) -> bool:
    """Partner editors of any organisation, coordinators and admins: who the partner area is for."""
    if not user.is_authenticated:
        return False
    return (
        user.is_admin
        or bool(coordinated_tenant_ids(user))
        or bool(
            db.session.scalar(
                select(organisation_editor.c.organisation_id).where(organisation_editor.c.user_id == user.id).limit(1)
            )
        )
    )


def can_review_anything(user: User) -> bool:
    """Whether the moderation queue is for this person at all (coordinators and admins)."""
    return bool(user.is_authenticated and (user.is_admin or coordinated_tenant_ids(user)))


def moderation_queue(user: User) -> list[Moderated]:
    """What this coordinator may review: rows of organisations in the projects they coordinate."""

    def awaiting(model: type[Organisation] | type[Entry]) -> ColumnElement[bool]:
        return or_(model.status == Status.PENDING, model.pending_changes.is_not(None))

    orgs = select(Organisation).where(awaiting(Organisation))
    entries = select(Entry).join(Organisation, Organisation.id == Entry.organisation_id).where(awaiting(Entry))
    if not user.is_admin:
        tenant_ids = coordinated_tenant_ids(user)
        in_my_projects = select(organisation_tenant.c.organisation_id).where(
            organisation_tenant.c.tenant_id.in_(tenant_ids), organisation_tenant.c.status == LinkStatus.APPROVED
        )
        orgs = orgs.where(Organisation.id.in_(in_my_projects))
        entries = entries.where(Entry.organisation_id.in_(in_my_projects))
    rows: list[Moderated] = [*db.session.scalars(orgs), *db.session.scalars(entries)]
    return sorted(rows, key=lambda r: r.updated_at)


def open_counts(today: date) -> dict[str, int]:
    """Published entries still open, per kind, and published organisations."""
    from sqlalchemy import func

    open_entries = (
        select(Entry.kind, func.count())
        .where(Entry.status == Status.PUBLISHED)
        .where(or_(Entry.closes_on.is_(None), Entry.closes_on >= today))
        .group_by(Entry.kind)
    )
    counts: dict[str, int] = dict(db.session.execute(open_entries).all())
    counts["organisation"] = (
        db.session.scalar(select(func.count()).select_from(Organisation).where(Organisation.status == Status.PUBLISHED))
        or 0
    )
    return counts


def history(row: Moderated) -> list[tuple[AuditEvent, str | None]]:
    """What happened to the row, newest first, each with the name of who did it (None: the system)."""
    return [
        (event, name)
        for event, name in db.session.execute(
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.object_type == row.object_type, AuditEvent.object_id == row.id)
            .order_by(AuditEvent.at.desc())
        )
    ]


def submitters_of(rows: list[Moderated]) -> dict[int, str]:
    """user id -> name, for the people who proposed `rows` (the review queue names them)."""
    ids = {row.submitted_by_id for row in rows if row.submitted_by_id}
    found = db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).tuples().all() if ids else []
    return dict(found)
