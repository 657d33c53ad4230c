"""Search and listings, for the network (/search, /directory/...) and each project's slice."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select
from werkzeug.datastructures import MultiDict

from portal.directory import indexing
from portal.directory.kinds import KIND_PATHS
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.directory import Status
from portal.timezone import rome_today
from search_index import Hit, IndexUnavailable, SearchQuery, SearchResult
from search_index.contract import FACET_FIELDS, SORTS

log = logging.getLogger(__name__)
PER_PAGE = 20


@dataclass
class SearchPage:
    query: SearchQuery
    result: SearchResult
    fixed_kind: str | None = None


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) <= 1000 else 1


def query_from_args(args: MultiDict, tenant: Tenant | None = None, kind: str | None = None) -> SearchQuery:
    filters = {name: [v[:100] for v in args.getlist(name)][:20] for name in FACET_FIELDS if args.getlist(name)}
    if kind:
        filters["kind"] = [kind]
    sort = args.get("sort", "relevance")
    return SearchQuery(
        text=args.get("q", "")[:20_000],
        filters=filters,
        tenant=tenant.slug if tenant else None,
        include_closed=args.get("archive") == "1",
        sort=sort if sort in SORTS else "relevance",
        page=_page_number(args.get("page")),
        per_page=PER_PAGE,
        today=rome_today(),
    )


def run_search(args: MultiDict, tenant: Tenant | None = None, kind: str | None = None) -> SearchPage:
    query = query_from_args(args, tenant, kind)
    return SearchPage(query, search(query), kind)


def search(query: SearchQuery) -> SearchResult:
    """The engine's answer; while the index is unavailable or failing, a plain answer from the database."""
    try:
        result = indexing.engine().search(query)
    except IndexUnavailable:
        log.warning("search index unavailable; answering from the database and asking for a rebuild")
        _ask_for_rebuild()
        result = database_search(query)
    except Exception:  # an engine fault must not become a 500: answer plainly, and log it
        log.exception("search engine failed on %r", query.text)
        result = database_search(query)
    return result


def _ask_for_rebuild() -> None:
    from portal.models import SearchOutbox

    if not db.session.scalar(select(SearchOutbox.id).where(SearchOutbox.doc_id == indexing.REBUILD)):
        indexing.queue_rebuild()
        db.session.commit()
    if current_app.config.get("SEARCH_INDEXER") == "thread":
        from portal.directory.indexer import wake_indexer

        wake_indexer()


def database_search(query: SearchQuery) -> SearchResult:
    """A plain fallback while the index is rebuilt: words in title or description, no facets."""
    today = query.today or rome_today()
    words = [w for w in query.text.split() if w.isalnum()][:6]
    kinds = query.filters.get("kind") or list(KIND_PATHS)
    hits: list[Hit] = []
    if any(k != "organisation" for k in kinds):
        stmt = select(Entry).where(Entry.status == Status.PUBLISHED, Entry.kind.in_(kinds))
        if not query.include_closed:
            stmt = stmt.where(or_(Entry.closes_on.is_(None), Entry.closes_on >= today))
        if query.tenant:
            stmt = stmt.where(Entry.tenants.any(Tenant.slug == query.tenant))
        for word in words:
            stmt = stmt.where(or_(Entry.title.ilike(f"%{word}%"), Entry.description.ilike(f"%{word}%")))
        for entry in db.session.scalars(stmt.order_by(Entry.published_at.desc()).limit(query.per_page)):
            hits.append(
                Hit(
                    f"{entry.kind}:{entry.id}",
                    entry.kind,
                    entry.title,
                    entry.slug,
                    html.escape(entry.description[:220]),
                    entry.organisation.name,
                    entry.comune,
                    entry.province,
                    entry.closes_on,
                    entry.is_open(today),
                )
            )
    if "organisation" in kinds and len(hits) < query.per_page:
        orgs = select(Organisation).where(Organisation.status == Status.PUBLISHED)
        if query.tenant:
            orgs = orgs.where(Organisation.tenants.any(Tenant.slug == query.tenant))
        for word in words:
            orgs = orgs.where(or_(Organisation.name.ilike(f"%{word}%"), Organisation.description.ilike(f"%{word}%")))
        for org in db.session.scalars(orgs.order_by(Organisation.name).limit(query.per_page - len(hits))):
            hits.append(
                Hit(
                    f"organisation:{org.id}",
                    "organisation",
                    org.name,
                    org.slug,
                    html.escape(org.description[:220]),
                    org.name,
                    org.comune,
                    org.province,
                    None,
                    True,
                )
            )
    return SearchResult(hits, len(hits), 1, 1 if hits else 0, {}, notice="index-rebuilding")
