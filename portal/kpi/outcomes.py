"""Partners record what an internship offer led to: how many placements started on a day, and
when and how they ended. Counts only: no name or other personal data is asked or kept.

Who: the offer's organisation editors, and the coordinators of its projects (and admins), as for
editing the entry. Each row is counted for one of the entry's projects (TenantScoped), so it is
written under that project's scope; the entry's editors read every project's rows of their entry.
Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.directory.permissions import can_moderate, coordinated_tenant_ids, is_editor
from portal.errors import Invalid, NotFound, require
from portal.extensions import db
from portal.models import AuditEvent, Entry, InternshipOutcome, Opportunity, Tenant, User
from portal.models.base import utcnow
from portal.models.kpi import Outcome
from portal.tenancy import tenant_scope
from portal.vocabularies.internships import INTERNSHIPS

MAX_PLACEMENTS = 999
NOT_AN_INTERNSHIP = _l("Placements are recorded only for internship offers.")
NO_PROJECT = _l("The offer is not shown in any project yet: placements are counted for a project.")
ENDED_BEFORE_START = _l("The end date comes before the start date.")
ENDED_IN_FUTURE = _l("The end date is in the future: record how the placements ended once they have ended.")
STARTED_IN_FUTURE = _l("The start date is in the future: record placements once they have started.")
END_NEEDED = _l("Enter the day the placements ended (or choose “still in progress”).")
NO_END_WHILE_RUNNING = _l("Placements still in progress have no end date: remove it or choose how they ended.")
NOT_A_PROJECT = _l("Choose one of the projects the offer is shown in.")
NOT_PUBLISHED = _l("The offer has never been published: record placements once it has been.")

OUTCOME_LABELS = {
    Outcome.IN_PROGRESS: _l("Still in progress"),
    Outcome.COMPLETED: _l("Completed"),
    Outcome.HIRED: _l("Completed, and the host hired the person"),
    Outcome.INTERRUPTED: _l("Interrupted"),
}


@dataclass(frozen=True)
class OutcomeData:
    tenant_id: int
    placements: int
    started_on: date
    ended_on: date | None
    outcome: Outcome


def entry_for_outcomes(user: Any, entry_id: int) -> Entry:
    """The entry, if it exists (else NotFound), if the user edits or moderates it (else Forbidden),
    and if it is an internship offer (else NotFound, with a message that says why)."""
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        raise NotFound()
    require(is_editor(user, entry.organisation) or can_moderate(user, entry.organisation))
    if not isinstance(entry, Opportunity) or entry.opportunity_type not in INTERNSHIPS:
        raise NotFound(NOT_AN_INTERNSHIP)
    return entry


def projects_of(entry: Entry) -> list[Tenant]:
    """The projects a placement of this entry may be counted for."""
    return list(entry.tenants) or list(entry.organisation.tenants)


def projects_for(user: Any, entry: Entry) -> list[Tenant]:
    """The projects `user` may record this entry's placements for: all of the entry's for its
    editors and admins; for a coordinator who moderates it, only the projects they coordinate
    (another project's figures are that project's coordinators' business)."""
    projects = projects_of(entry)
    if user.is_admin or is_editor(user, entry.organisation):
        return projects
    mine = coordinated_tenant_ids(user)
    return [t for t in projects if t.id in mine]


def outcomes_of(entry: Entry, user: Any | None = None) -> list[InternshipOutcome]:
    """The entry's rows in every project (read on purpose across projects: they are the entry's),
    or only in the projects `user` may record for."""
    statement = select(InternshipOutcome).where(InternshipOutcome.entry_id == entry.id)
    if user is not None:
        statement = statement.where(InternshipOutcome.tenant_id.in_([t.id for t in projects_for(user, entry)]))
    return list(
        db.session.scalars(
            statement.order_by(InternshipOutcome.started_on.desc(), InternshipOutcome.id.desc()).execution_options(
                all_tenants=True
            )
        )
    )


def _outcome_row(user: Any, entry: Entry, outcome_id: int) -> InternshipOutcome:
    row = next((row for row in outcomes_of(entry, user) if row.id == outcome_id), None)
    if row is None:
        raise NotFound()
    return row


def problems(data: OutcomeData, projects: list[Tenant], today: date) -> dict[str, Any]:
    """Field -> message for what breaks a rule (empty: none)."""
    found: dict[str, Any] = {}
    if data.tenant_id not in {t.id for t in projects}:
        found["tenant_id"] = NOT_A_PROJECT
    if not 1 <= data.placements <= MAX_PLACEMENTS:
        found["placements"] = _l("Enter a number from %(min)d to %(max)d.", min=1, max=MAX_PLACEMENTS)
    if data.started_on > today:
        found["started_on"] = STARTED_IN_FUTURE
    if data.outcome == Outcome.IN_PROGRESS:
        if data.ended_on is not None:
            found["ended_on"] = NO_END_WHILE_RUNNING
    elif data.ended_on is None:
        found["ended_on"] = END_NEEDED
    elif data.ended_on > today:
        found["ended_on"] = ENDED_IN_FUTURE
    elif data.ended_on < data.started_on:
        found["ended_on"] = ENDED_BEFORE_START
    return found


def _audit(user: User, action: str, entry: Entry, row: InternshipOutcome) -> None:
    db.session.add(
        AuditEvent(
            at=utcnow(),
            user_id=user.id,
            action=action,
            object_type=entry.object_type,
            object_id=entry.id,
            changes={
                "outcome_id": row.id,
                "tenant_id": row.tenant_id,
                "placements": row.placements,
                "started_on": row.started_on.isoformat(),
                "ended_on": row.ended_on.isoformat() if row.ended_on else None,
                "outcome": str(row.outcome),
            },
        )
    )


def record(
    user: User, entry: Entry, data: OutcomeData, today: date, outcome_id: int | None = None
) -> InternshipOutcome:
    """Add placements (or correct a row of this entry, `outcome_id`); Invalid with field messages."""
    if entry.published_at is None:
        raise Invalid(NOT_PUBLISHED)  # a draft or an offer still waiting: no placement to count yet
    projects = projects_for(user, entry)
    if not projects:
        raise Invalid(NO_PROJECT)
    found = problems(data, projects, today)
    if found:
        raise Invalid(fields=found)
    tenant = next(t for t in projects if t.id == data.tenant_id)
    if outcome_id is not None:
        row = _outcome_row(user, entry, outcome_id)
        with tenant_scope(SimpleNamespace(id=row.tenant_id)):
            db.session.delete(row)  # moving it to another project: a new row in that project
            db.session.flush()
    with tenant_scope(tenant):
        row = InternshipOutcome(
            tenant_id=tenant.id,
            entry_id=entry.id,
            placements=data.placements,
            started_on=data.started_on,
            ended_on=data.ended_on,
            outcome=data.outcome,
            recorded_by_id=user.id,
        )
        db.session.add(row)
        db.session.flush()
    _audit(user, "outcome-corrected" if outcome_id is not None else "outcome-recorded", entry, row)
    return row


def remove(user: User, entry: Entry, outcome_id: int) -> None:
    row = _outcome_row(user, entry, outcome_id)
    _audit(user, "outcome-removed", entry, row)
    with tenant_scope(SimpleNamespace(id=row.tenant_id)):
        db.session.delete(row)
        db.session.flush()
