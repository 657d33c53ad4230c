"""Which published rows a feed or calendar carries: the listing's own filters, answered by the
search engine, then loaded from the database (the source of truth) and checked again."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from portal.directory import indexing
from portal.directory.search import query_from_args, search
from portal.errors import Unavailable
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.base import utcnow
from portal.models.directory import Status
from search_index import Hit, SearchQuery

FEED_KINDS = ("opportunity", "training", "event")
CALENDAR_KINDS = ("event", "training")
DEADLINE_KINDS = ("opportunity", "training")  # entries with a deadline to apply or enrol
FEED_SIZE = 50
CALENDAR_SIZE = 500
EXPORT_SIZE = 5000
# A withdrawn event stays in calendars, cancelled, this long: a phone that synced it learns it is off.
WITHDRAWN_KEPT_DAYS = 60


def feed_query(args: MultiDict, tenant: Tenant | None, kinds: tuple[str, ...], *, calendar: bool) -> SearchQuery:
    """The listing's filters (words, facets, project) with the kinds this format carries."""
    query = query_from_args(args, tenant)
    asked = query.filters.get("kind")
    query.filters["kind"] = [kind for kind in asked if kind in kinds] if asked else list(kinds)
    query.include_closed = calendar  # a calendar keeps what already happened; a feed is what is open
    query.sort, query.page = "newest", 1
    query.per_page = CALENDAR_SIZE if calendar else FEED_SIZE
    return query


def export_query(args: MultiDict, tenant: Tenant | None, kind: str | None) -> SearchQuery:
    """The listing as it is (words, facets, order, archive), every page at once up to EXPORT_SIZE."""
    query = query_from_args(args, tenant, kind)
    query.page, query.per_page = 1, EXPORT_SIZE
    return query


INDEX_REBUILDING = _l("The search index is being rebuilt: this list cannot apply its filters for a moment. "
                      "Try again in a minute.")  # fmt: skip


def _hits(query: SearchQuery) -> list[Hit]:
    """The engine's hits; while the index is rebuilt the fallback cannot filter, so a feed,
    calendar or export answers 503 (with Retry-After) rather than a list that ignores its filters."""
    result = search(query)
    if result.notice == "index-rebuilding":
        raise Unavailable(INDEX_REBUILDING)
    return result.hits


def published_rows(query: SearchQuery) -> list[Entry | Organisation]:
    """Published entries and organisations matching `query`, in the engine's order."""
    hits = _hits(query)
    wanted = {hit.id for hit in hits}
    entry_ids = [int(h.id.partition(":")[2]) for h in hits if h.kind != "organisation"]
    org_ids = [int(h.id.partition(":")[2]) for h in hits if h.kind == "organisation"]
    found: dict[str, Entry | Organisation] = {}
    if entry_ids:
        for row in _published(entry_ids):
            found[f"{row.kind}:{row.id}"] = row
    if org_ids:
        orgs = select(Organisation).where(Organisation.id.in_(org_ids), Organisation.status == Status.PUBLISHED)
        for org in db.session.scalars(orgs):
            found[f"organisation:{org.id}"] = org
    return [found[h.id] for h in hits if h.id in wanted and h.id in found]


def _published(ids: list[int]) -> list[Entry]:
    return list(
        db.session.scalars(
            select(Entry)
            .join(Entry.organisation)
            .where(Entry.id.in_(ids), Entry.status == Status.PUBLISHED, Organisation.status == Status.PUBLISHED)
            .options(selectinload(Entry.tenants), selectinload(Entry.organisation))
        )
    )


def published_entries(query: SearchQuery) -> list[Entry]:
    """The published entries matching `query`, in the engine's order (none when it asks only for
    kinds the format does not carry, e.g. a calendar of opportunities)."""
    if not query.filters["kind"]:
        return []
    ids = [int(hit.id.partition(":")[2]) for hit in _hits(query) if hit.kind != "organisation"]
    if not ids:
        return []
    by_id = {row.id: row for row in _published(ids)}
    return [by_id[i] for i in ids if i in by_id]


def withdrawn_entries(query: SearchQuery) -> list[Entry]:
    """Entries withdrawn lately that a calendar may have shown (they had been published): same
    kinds, project, places, target groups and words."""
    if not query.filters["kind"]:
        return []
    since = utcnow() - timedelta(days=WITHDRAWN_KEPT_DAYS)
    stmt = (
        select(Entry)
        .join(Entry.organisation)
        .where(
            Entry.status == Status.WITHDRAWN,
            Entry.published_at.is_not(None),  # only what the public once saw: never an unapproved text
            Organisation.status == Status.PUBLISHED,
            Entry.kind.in_(query.filters["kind"]),
            Entry.updated_at >= since,
        )
    )
    for name, column in (("province", Entry.province), ("comune", Entry.comune)):
        if query.filters.get(name):
            stmt = stmt.where(column.in_(query.filters[name]))
    for group in query.filters.get("targets", []):
        stmt = stmt.where(cast(Entry.target_groups, String).like(f'%"{group}"%'))
    for word in query.text.split()[:6]:  # the words of the search, in the text it had
        stmt = stmt.where(or_(Entry.title.ilike(f"%{word}%"), Entry.description.ilike(f"%{word}%")))
    rows = list(db.session.scalars(stmt.options(selectinload(Entry.tenants)).limit(200)))
    wanted = {query.tenant} if query.tenant else set(query.filters.get("tenants", []))
    if not wanted:
        return rows
    slices = indexing.slices_of(rows)
    return [row for row in rows if slices[row.id] & wanted]
