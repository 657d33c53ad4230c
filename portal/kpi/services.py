"""What a project (or the network) achieved in a period, counted from the data, beside its targets.

Aggregates only: these functions return counts, never rows; every count is shown through
portal/kpi/suppression.py. The project's counts read its own rows (tenant-scoped statements);
the network's read every project's rows on purpose (`all_tenants=True`), for admins only.

What each count means (period: from/to, Europe/Rome, both days included):
- entries published: directory entries of the project whose publication falls in the period and
  that are still published (drafts, entries waiting for review, rejected ones and those their
  organisation withdrew since, e.g. a cancelled event, are not counted), by kind and month;
- internship offers open: published internship offers that were open at some time in the period
  (on its last day when it has no start);
- placements started / completed (hiring included) / hired / interrupted: the sums partners
  recorded, by the day they started or ended;
- expressions of interest received in the period (kept ones: they are deleted after
  INTEREST_RETENTION_DAYS);
- newsletter subscribers and search alerts active on the period's last day; newsletter issues
  sent in the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Executable, ScalarSelect, func, or_, select

from portal.content_cache import ProcessCache
from portal.errors import require
from portal.extensions import db
from portal.kpi.period import Period
from portal.kpi.targets import MEASURES, Target, targets_of
from portal.models import (
    Alert,
    Entry,
    Interest,
    InternshipOutcome,
    Issue,
    Opportunity,
    Organisation,
    Subscription,
    Tenant,
    TrainingOffer,
)
from portal.models.alert import AlertStatus
from portal.models.directory import Status, entry_tenant
from portal.models.kpi import Outcome
from portal.models.newsletter import IssueStatus
from portal.roles import can_manage_tenant
from portal.tenancy import tenant_scope
from portal.timezone import rome_date
from portal.vocabularies.internships import INTERNSHIPS

ENTRY_KINDS = ("opportunity", "training", "event")
StatementT = TypeVar("StatementT", bound=Executable)


@dataclass
class Report:
    """The counts of one project (tenant) or of the whole network (tenant None) in a period."""

    tenant: Tenant | None
    period: Period
    summary: dict[str, int]
    entries_by_month: dict[str, Counter[str]]  # "2026-03" -> kind -> count
    started_by_month: dict[str, int]
    targets: list[Target] = field(default_factory=list)

    @property
    def months(self) -> list[str]:
        return month_range(set(self.entries_by_month) | set(self.started_by_month))

    @property
    def has_data(self) -> bool:
        return any(self.summary.values())

    def targets_for(self, measure: str) -> list[Target]:
        return [t for t in self.targets if t.measure == measure]

    @property
    def unmeasured_targets(self) -> list[Target]:
        return [t for t in self.targets if t.measure is None]


def month_range(months: Iterable[str]) -> list[str]:
    """Every month from the first to the last given ("2026-01" … "2026-04"), none missing."""
    known = sorted(months)
    if not known:
        return []
    year, month = map(int, known[0].split("-"))
    last = known[-1]
    found = []
    while True:
        key = f"{year:04d}-{month:02d}"
        found.append(key)
        if key >= last:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --- permission -----------------------------------------------------------------------------


def project_report(user: Any, tenant: Tenant, period: Period) -> Report:
    """A project's dashboard: its coordinators and admins only."""
    require(can_manage_tenant(user, tenant))
    with tenant_scope(tenant):
        return _report(tenant, period)


def network_report(user: Any, period: Period) -> Report:
    """Every project together: platform admins only."""
    require(bool(user is not None and user.is_authenticated and user.is_admin))
    return _report(None, period)


# --- counting -------------------------------------------------------------------------------


def _scoped(statement: StatementT, tenant: Tenant | None) -> StatementT:
    """A statement on tenant-owned rows: the project's (the guard scopes it too), or every project's."""
    return statement if tenant is not None else statement.execution_options(all_tenants=True)


def _entry_ids(tenant: Tenant | None) -> ScalarSelect[int]:
    """The entries a project counts: those shown in its space; the network counts them all."""
    if tenant is None:
        return select(Entry.id).scalar_subquery()
    return select(entry_tenant.c.entry_id).where(entry_tenant.c.tenant_id == tenant.id).scalar_subquery()


def _in_period(column: Any, period: Period, *, instants: bool) -> list[ColumnElement[bool]]:
    """`column` within the period: instants (UTC datetimes) or days."""
    start = period.start_instant if instants else period.start
    end_condition = column < period.end_instant if instants else column <= period.end
    return [end_condition] + ([column >= start] if start is not None else [])


def _entries_by_month(tenant: Tenant | None, period: Period) -> dict[str, Counter[str]]:
    rows = db.session.execute(
        select(Entry.kind, Entry.published_at).where(
            Entry.id.in_(_entry_ids(tenant)),
            Entry.status == Status.PUBLISHED,
            Entry.published_at.is_not(None),
            *_in_period(Entry.published_at, period, instants=True),
        )
    ).all()
    by_month: dict[str, Counter[str]] = {}
    for kind, published_at in rows:
        if published_at is not None:
            by_month.setdefault(_month(rome_date(published_at)), Counter())[kind] += 1
    return by_month


def _internships_open(tenant: Tenant | None, period: Period) -> int:
    statement = (
        select(func.count(Opportunity.id))
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .where(
            Opportunity.id.in_(_entry_ids(tenant)),
            Opportunity.opportunity_type.in_(sorted(INTERNSHIPS)),
            Opportunity.status == Status.PUBLISHED,
            Organisation.status == Status.PUBLISHED,
            Opportunity.published_at.is_not(None),
            Opportunity.published_at < period.end_instant,
            or_(Opportunity.closes_on.is_(None), Opportunity.closes_on >= period.open_from),
        )
    )
    return db.session.scalar(statement) or 0


def _placements(tenant: Tenant | None, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """({started, completed, hired, interrupted}: sums, started by month)."""
    started_rows = db.session.execute(
        _scoped(
            select(InternshipOutcome.started_on, InternshipOutcome.placements).where(
                *_in_period(InternshipOutcome.started_on, period, instants=False)
            ),
            tenant,
        )
    ).all()
    ended: dict[Any, Any] = dict(
        db.session.execute(
            _scoped(
                select(InternshipOutcome.outcome, func.sum(InternshipOutcome.placements))
                .where(
                    InternshipOutcome.ended_on.is_not(None),
                    *_in_period(InternshipOutcome.ended_on, period, instants=False),
                )
                .group_by(InternshipOutcome.outcome),
                tenant,
            )
        )
        .tuples()
        .all()
    )
    by_month: Counter[str] = Counter()
    for started_on, placements in started_rows:
        by_month[_month(started_on)] += int(placements)
    hired = int(ended.get(Outcome.HIRED, 0) or 0)
    sums = {
        "internships_started": sum(by_month.values()),
        "internships_completed": int(ended.get(Outcome.COMPLETED, 0) or 0) + hired,
        "internships_hired": hired,
        "internships_interrupted": int(ended.get(Outcome.INTERRUPTED, 0) or 0),
    }
    return sums, dict(by_month)


def _interests(tenant: Tenant | None, period: Period) -> int:
    statement = select(func.count(Interest.id)).where(
        Interest.entry_id.in_(_entry_ids(tenant)), *_in_period(Interest.created_at, period, instants=True)
    )
    return db.session.scalar(statement) or 0


def _active_on(started: Any, stopped: Any, end: datetime) -> list[ColumnElement[bool]]:
    """Rows that had started before `end` and had not stopped by then."""
    return [started.is_not(None), started < end, or_(stopped.is_(None), stopped >= end)]


def _subscribers(tenant: Tenant | None, period: Period) -> int:
    statement = select(func.count(Subscription.id)).where(
        *_active_on(Subscription.confirmed_at, Subscription.unsubscribed_at, period.end_instant)
    )
    return db.session.scalar(_scoped(statement, tenant)) or 0


def _issues_sent(tenant: Tenant | None, period: Period) -> int:
    statement = select(func.count(Issue.id)).where(
        Issue.status == IssueStatus.SENT, Issue.sent_at.is_not(None), *_in_period(Issue.sent_at, period, instants=True)
    )
    return db.session.scalar(_scoped(statement, tenant)) or 0


def _alerts_active(tenant: Tenant | None, period: Period) -> int:
    statement = select(func.count(Alert.id)).where(
        Alert.status != AlertStatus.PENDING, *_active_on(Alert.confirmed_at, Alert.stopped_at, period.end_instant)
    )
    if tenant is not None:
        statement = statement.where(Alert.scope_tenant_id == tenant.id)
    return db.session.scalar(statement) or 0


def _report(tenant: Tenant | None, period: Period) -> Report:
    entries = _entries_by_month(tenant, period)
    placements, started_by_month = _placements(tenant, period)
    summary = {
        "entries_published": sum(sum(kinds.values()) for kinds in entries.values()),
        "internships_open": _internships_open(tenant, period),
        **placements,
        "interests": _interests(tenant, period),
        "subscribers": _subscribers(tenant, period),
        "issues_sent": _issues_sent(tenant, period),
        "alerts_active": _alerts_active(tenant, period),
    }
    assert list(summary) == list(MEASURES)  # one label per count, in the order shown
    return Report(tenant, period, summary, entries, started_by_month, targets_of(tenant))


# --- the hub's public figures ---------------------------------------------------------------


_totals = ProcessCache()


def network_totals(today: date) -> dict[str, int]:
    """A few public figures of the network: projects, partner organisations, open opportunities
    and open courses (published ones, open today). Kept in the process until public content changes."""
    return _totals.get(today, lambda: _network_totals(today))


def _network_totals(today: date) -> dict[str, int]:
    published_org = select(Organisation.id).where(Organisation.status == Status.PUBLISHED).scalar_subquery()

    def open_entries(model: type[Opportunity] | type[TrainingOffer]) -> int:
        statement = select(func.count(model.id)).where(
            model.status == Status.PUBLISHED,
            model.organisation_id.in_(published_org),
            or_(model.closes_on.is_(None), model.closes_on >= today),
        )
        return db.session.scalar(statement) or 0

    return {
        "projects": db.session.scalar(select(func.count(Tenant.id))) or 0,
        "organisations": db.session.scalar(
            select(func.count(Organisation.id)).where(Organisation.status == Status.PUBLISHED)
        )
        or 0,
        "opportunities": open_entries(Opportunity),
        "courses": open_entries(TrainingOffer),
    }
