"""Search and listings, for the network (/search, /directory/...) and each project's slice."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app, g, has_request_context, request
from sqlalchemy import or_, select
from werkzeug.datastructures import MultiDict

from portal.bilingual import localised
from portal.content_cache import ProcessCache
from portal.directory import indexing
from portal.directory.kinds import KIND_PATHS
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.directory import Status
from portal.templating import current_locale
from portal.timezone import rome_today
from portal.vocabularies.synonyms import synonyms
from search_index import Hit, IndexUnavailable, SearchQuery, SearchResult
from search_index.contract import FACET_FIELDS, SORTS
from search_index.querying import query_items

log = logging.getLogger(__name__)
PER_PAGE = 20


@dataclass
class SearchPage:
    query: SearchQuery
    result: SearchResult
    fixed_kind: str | None = None
    corrected_from: str | None = None  # what was typed, when the results shown are for the correction
    event_times: dict[str, str] = field(default_factory=dict)  # hit id -> "sabato 5 dicembre 2026, 16:00–18:00"

    @property
    def active_filters(self) -> int:
        """How many filters the person chose (the listing's own kind is not one of them)."""
        chosen = sum(len(v) for name, v in self.query.filters.items() if not (name == "kind" and self.fixed_kind))
        return chosen + (1 if self.query.include_closed else 0)


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) <= 1000 else 1


def query_from_args(args: MultiDict, tenant: Tenant | None = None, kind: str | None = None) -> SearchQuery:
    filters = {name: [v[:100] for v in args.getlist(name)][:20] for name in FACET_FIELDS if args.getlist(name)}
    if kind:
        filters["kind"] = [kind]
    sort = args.get("sort") or default_sort(filters.get("kind", []))
    return SearchQuery(
        text=args.get("q", "")[:20_000],
        filters=filters,
        tenant=tenant.slug if tenant else None,
        include_closed=args.get("archive") == "1",
        sort=sort if sort in SORTS else "relevance",
        page=_page_number(args.get("page")),
        per_page=PER_PAGE,
        today=rome_today(),
        synonyms=synonyms(),  # alerts and feeds run it straight on the engine: they find what the page found
    )


def default_sort(kinds: list[str]) -> str:
    """Events by date, soonest first (their `closes_on` is the day they end); the rest by relevance."""
    return "deadline" if kinds == ["event"] else "relevance"


def run_search(args: MultiDict, tenant: Tenant | None = None, kind: str | None = None) -> SearchPage:
    """The page's results. When nothing matches and the engine is confident of a correction (it
    only offers one that finds something the asker may see), the corrected results are shown at
    once, unless the person asked for exactly what they typed (`exact=1`)."""
    query = query_from_args(args, tenant, kind)
    result = search(query)
    corrected_from = None
    if not result.total and result.suggestion and args.get("exact") != "1":
        corrected = replace(query, text=result.suggestion)
        retry = search(corrected)
        if retry.total:
            query, result, corrected_from = corrected, retry, query.text
            if has_request_context():
                g.corrected_query = corrected.text  # the page's feeds, exports and alerts follow it
    return SearchPage(query, result, kind, corrected_from, event_times(result.hits))


def page_args() -> dict[str, list[str]]:
    """This page's query arguments; the corrected words when the results shown are a correction's."""
    args = request.args.to_dict(flat=False)
    if g.get("corrected_query"):
        args["q"] = [g.corrected_query]
        args.pop("exact", None)
    return args


def event_times(hits: list[Hit]) -> dict[str, str]:
    """When each event hit takes place, as people read it (one query for the page)."""
    from portal.directory.facts import when
    from portal.models.directory import Event

    ids = [int(hit.id.partition(":")[2]) for hit in hits if hit.kind == "event" and hit.id.partition(":")[2].isdigit()]
    if not ids:
        return {}
    rows = db.session.scalars(select(Event).where(Event.id.in_(ids), Event.starts_at.is_not(None)))
    return {f"event:{row.id}": when(row.starts_at, row.ends_at) for row in rows if row.starts_at}


_highlights = ProcessCache()


def highlights(tenant: Tenant, per_kind: int = 3) -> dict[str, SearchPage]:
    """What a project's home shows from its slice: open opportunities and courses (newest first)
    and the next events (soonest first), a few of each. The same for every visitor in a language
    on a day: kept in the process until public content changes (never an answer of the fallback)."""
    today = rome_today()
    return _highlights.get(
        (tenant.slug, current_locale(), today, per_kind),
        lambda: _highlights_of(tenant.slug, today, per_kind),
        keep=lambda pages: not any(page.result.notice for page in pages.values()),
    )


def _highlights_of(slug: str, today: date, per_kind: int) -> dict[str, SearchPage]:
    pages = {}
    for kind, sort in (("opportunity", "newest"), ("training", "newest"), ("event", "deadline")):
        query = SearchQuery(filters={"kind": [kind]}, tenant=slug, sort=sort, per_page=per_kind, today=today)
        result = search(query)
        pages[kind] = SearchPage(query, result, kind, None, event_times(result.hits))
    return pages


def search(query: SearchQuery) -> SearchResult:
    """The engine's answer; while the index is unavailable or failing, a plain answer from the database.
    Hits come in the reader's language where they have it; English words also find their Italian
    synonyms (portal/vocabularies/data/synonyms.toml)."""
    query = replace(query, locale=current_locale() if has_request_context() else query.locale,
                    synonyms=query.synonyms or synonyms())  # fmt: skip
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
    # each word, or a synonym term with its Italian alternatives ("internship": tirocinio, tirocini, stage)
    groups = [item for item in query_items(" ".join(words), query.synonyms) if isinstance(item, list)]
    kinds = query.filters.get("kind") or list(KIND_PATHS)
    hits: list[Hit] = []
    if any(k != "organisation" for k in kinds):
        stmt = select(Entry).where(Entry.status == Status.PUBLISHED, Entry.kind.in_(kinds))
        if not query.include_closed:
            stmt = stmt.where(or_(Entry.closes_on.is_(None), Entry.closes_on >= today))
        if query.tenant:
            stmt = stmt.where(Entry.tenants.any(Tenant.slug == query.tenant))
        for group in groups:
            stmt = stmt.where(or_(*(column.ilike(f"%{word}%") for word in group for column in
                                    (Entry.title, Entry.description, Entry.title_en, Entry.description_en))))  # fmt: skip
        for entry in db.session.scalars(stmt.order_by(Entry.published_at.desc()).limit(query.per_page)):
            title, description = localised(entry, "title", query.locale), localised(entry, "description", query.locale)
            hits.append(
                Hit(
                    f"{entry.kind}:{entry.id}",
                    entry.kind,
                    title.text,
                    entry.slug,
                    html.escape(description.text[:220]),
                    entry.organisation.name,
                    entry.comune,
                    entry.province,
                    entry.closes_on,
                    entry.is_open(today),
                    lang=title.lang,
                    snippet_lang=description.lang,
                )
            )
    if "organisation" in kinds and len(hits) < query.per_page:
        orgs = select(Organisation).where(Organisation.status == Status.PUBLISHED)
        if query.tenant:
            orgs = orgs.where(Organisation.tenants.any(Tenant.slug == query.tenant))
        for group in groups:
            orgs = orgs.where(or_(*(column.ilike(f"%{word}%") for word in group for column in
                                    (Organisation.name, Organisation.description, Organisation.description_en))))  # fmt: skip
        for org in db.session.scalars(orgs.order_by(Organisation.name).limit(query.per_page - len(hits))):
            description = localised(org, "description", query.locale)
            hits.append(
                Hit(
                    f"organisation:{org.id}",
                    "organisation",
                    org.name,
                    org.slug,
                    html.escape(description.text[:220]),
                    org.name,
                    org.comune,
                    org.province,
                    None,
                    True,
                    snippet_lang=description.lang,
                )
            )
    return SearchResult(hits, len(hits), 1, 1 if hits else 0, {}, notice="index-rebuilding")
