"""What "La mia area" shows each person: their organisations and entries (partner editors), what
waits in the projects they coordinate (coordinators; every project for admins), and what they
receive at their confirmed address (everyone). Only actions the person may take are offered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from portal.alerts import services as alerts
from portal.directory import services as directory
from portal.directory.permissions import coordinated_tenant_ids
from portal.extensions import db
from portal.models import Alert, Entry, Interest, Issue, Organisation, Subscription, Tenant, User
from portal.models.alert import AlertStatus
from portal.models.directory import Moderated, Status, organisation_editor, organisation_of
from portal.models.newsletter import IssueStatus, SubscriptionStatus
from portal.newsletters import subscriptions
from portal.projects import all_projects
from portal.tenancy import tenant_scope

# --- partner editors -----------------------------------------------------------------


@dataclass
class EntryLine:
    """One entry as its editors see it: where it stands and what they may do with it."""

    entry: Entry
    state: str  # draft, pending, change_pending, published, closed_early, closed, rejected, withdrawn
    can_edit: bool
    can_withdraw: bool
    can_close: bool
    is_public: bool


def entry_state(entry: Entry, today: date) -> str:
    if entry.status == Status.PUBLISHED:
        if entry.closed_early_on is not None:
            return "closed_early"
        if not entry.is_open(today):
            return "closed"
        return "change_pending" if entry.pending_changes else "published"
    return entry.status.value


def entry_line(entry: Entry, today: date) -> EntryLine:
    state = entry_state(entry, today)
    return EntryLine(
        entry=entry,
        state=state,
        can_edit=state != "withdrawn",
        can_withdraw=state not in ("withdrawn",),
        can_close=state in ("published", "change_pending"),
        is_public=entry.status == Status.PUBLISHED and entry.organisation.status == Status.PUBLISHED,
    )


@dataclass
class OrganisationBlock:
    organisation: Organisation
    entries: list[EntryLine]
    counts: Counter[str] = field(default_factory=Counter)


def partner_section(user: User, today: date) -> list[OrganisationBlock]:
    """The organisations this person is an editor of (explicitly: an admin is not shown them all)."""
    orgs = db.session.scalars(
        select(Organisation)
        .join(organisation_editor, organisation_editor.c.organisation_id == Organisation.id)
        .where(organisation_editor.c.user_id == user.id)
        .order_by(Organisation.name)
    )
    blocks = []
    for org in orgs:
        lines = [entry_line(e, today) for e in sorted(org.entries, key=lambda e: e.updated_at, reverse=True)]
        blocks.append(OrganisationBlock(org, lines, Counter(line.state for line in lines)))
    return blocks


def publishes(user: User) -> bool:
    return directory.publishes_in_the_directory(user)


# --- coordinators and admins ------------------------------------------------------------


@dataclass
class ProjectBlock:
    tenant: Tenant
    reviews: int
    link_requests: int
    scheduled: list[Issue]

    @property
    def waiting(self) -> int:
        return self.reviews + self.link_requests + len(self.scheduled)


def coordinator_section(user: User) -> list[ProjectBlock]:
    """Per project this person coordinates (every project for an admin): what waits for them."""
    if user.is_admin:
        tenants = all_projects()
    else:
        mine = coordinated_tenant_ids(user)
        tenants = [t for t in all_projects() if t.id in mine]
    if not tenants:
        return []
    reviews: Counter[int] = Counter()
    shown = {t.id for t in tenants}
    for row in directory.moderation_queue(user):
        reviews.update(_projects_of(row, shown))
    links = Counter(tenant.id for _org, tenant, _who in directory.pending_links(user))
    return [ProjectBlock(tenant, reviews[tenant.id], links[tenant.id], scheduled_issues(tenant)) for tenant in tenants]


def _projects_of(row: Moderated, shown: set[int]) -> set[int]:
    """Among `shown`, the projects a row waiting for review is for: an entry's own (those it is
    shown in, or asks to be), else its organisation's. An entry of an organisation in two projects
    that is shown in one only waits in that one."""
    if isinstance(row, Entry):
        proposed = (row.pending_changes or {}).get("tenant_ids")
        own = ({t.id for t in row.tenants} | set(proposed or [])) & shown
        if own:
            return own
    return {t.id for t in organisation_of(row).tenants} & shown


def waiting_total(user: User) -> int:
    """What the review queue holds for this person, each row and request once (a row of an
    organisation in two of their projects is one row to review, not two)."""
    return len(directory.moderation_queue(user)) + len(directory.pending_links(user))


def scheduled_issues(tenant: Tenant) -> list[Issue]:
    with tenant_scope(tenant):
        return list(
            db.session.scalars(select(Issue).where(Issue.status == IssueStatus.SCHEDULED).order_by(Issue.scheduled_at))
        )


# --- everyone: what they receive ---------------------------------------------------------


@dataclass
class ResidentSection:
    confirmed: bool
    subscriptions: list[tuple[Subscription, Tenant, str]]  # with its management token
    alerts: list[tuple[Alert, str, str]]  # with the search in words and its management token
    interests: list[tuple[Interest, Entry, bool]]  # with whether its page is public


def resident_section(user: User) -> ResidentSection:
    """Only for a confirmed address: the rows are found by e-mail, which must be the person's."""
    if not user.is_confirmed:
        return ResidentSection(False, [], [], [])
    email = func.lower(user.email)
    projects = {t.id: t for t in all_projects()}
    subs = db.session.scalars(
        select(Subscription)
        .where(func.lower(Subscription.email) == email, Subscription.status != SubscriptionStatus.UNSUBSCRIBED)
        .order_by(Subscription.tenant_id)
        .execution_options(all_tenants=True)  # one person's subscriptions, in every project
    )
    found_alerts = db.session.scalars(
        select(Alert).where(func.lower(Alert.email) == email, Alert.status != AlertStatus.STOPPED).order_by(Alert.id)
    )
    found_interests = db.session.execute(
        select(Interest, Entry)
        .join(Entry, Entry.id == Interest.entry_id)
        .where(func.lower(Interest.email) == email)
        .order_by(Interest.created_at.desc())
    ).tuples()
    return ResidentSection(
        True,
        [(s, projects[s.tenant_id], subscriptions.manage_token(s)) for s in subs if s.tenant_id in projects],
        [(a, alerts.saved_search(a).describe(), alerts.manage_token(a)) for a in found_alerts],
        [
            (i, e, e.status == Status.PUBLISHED and e.organisation.status == Status.PUBLISHED)
            for i, e in found_interests
        ],
    )
