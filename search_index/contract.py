"""Data passed across the search contract: plain dataclasses, no engine types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

FACET_FIELDS = (
    "kind",
    "opportunity_type",
    "allowance",
    "deadline",
    "province",
    "comune",
    "sector",
    "tenants",
    "targets",
    "cost",
    "status",
)
# Facets computed from `closes_on` on the day of the query, not stored values.
DEADLINE_WINDOWS = {"week": 7, "month": 31}  # value -> days from today (inclusive)
# Opportunity types as residents ask for them: the four kinds of internship are one "tirocinio".
OPPORTUNITY_GROUPS = ("tirocinio", "borsa_lavoro", "lavoro", "volontariato")
SORTS = ("relevance", "newest", "deadline")


class IndexUnavailable(RuntimeError):
    """The index is missing or unreadable; callers fall back and ask for a rebuild."""


@dataclass
class Document:
    """One searchable entry. `id` is "<kind>:<database id>"."""

    id: str
    kind: str
    title: str
    body: str
    url_slug: str
    organisation: str = ""
    tenants: list[str] = field(default_factory=list)
    province: str = ""
    comune: str = ""
    sector: str = ""
    targets: list[str] = field(default_factory=list)
    free: bool | None = None
    opportunity_type: str = ""  # one of OPPORTUNITY_GROUPS, or "" (not an opportunity, or not stated)
    allowance: str = ""  # "paid", "unpaid" or "" when not stated (opportunities: the monthly allowance)
    summary: str = ""  # the description alone: snippets are taken from it (the body has every field)
    closes_on: date | None = None  # after this day the entry is archived
    published_at: datetime | None = None
    # The optional English version (empty: none); searched with English analysis, shown to English readers.
    title_en: str = ""
    body_en: str = ""
    summary_en: str = ""


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet field -> accepted values
    tenant: str | None = None  # scope to one project's slice
    include_closed: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    today: date | None = None
    # Only what was published in (published_after, published_until], in whole seconds (saved-search alerts).
    published_after: datetime | None = None
    published_until: datetime | None = None
    with_facets: bool = True  # False: hits and total only (alerts do not show facets)
    locale: str = "it"  # the reader's language: hits carry the English title and snippet when they have one
    # English term (lowercase) -> Italian alternatives: "internship" also finds "tirocinio" (query expansion).
    synonyms: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass
class Hit:
    id: str
    kind: str
    title: str
    url_slug: str
    snippet_html: str  # escaped text with <mark> around matches
    organisation: str
    comune: str
    province: str
    closes_on: date | None
    is_open: bool
    lang: str = "it"  # the language of `title`
    snippet_lang: str = "it"  # the language of `snippet_html`


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    notice: str | None = None  # e.g. "query too long, shortened" (a message key)


class SearchEngine(Protocol):
    """What every backend offers. `follows_transactions`: the engine writes in the caller's
    database transaction (PostgreSQL), so changes need no outbox and no indexer."""

    follows_transactions: bool

    def apply(self, upserts: Iterable[Document] = (), deletes: Iterable[str] = ()) -> None: ...

    def rebuild(self, documents: Iterable[Document], parallel: bool = False) -> int: ...

    def search(self, request: SearchQuery) -> SearchResult: ...

    def maintain(self) -> str:
        """Periodic upkeep (the daily `search-maintain` job), in the caller's transaction; one line."""
        ...

    def vacuum(self) -> None:
        """After a rebuild and the daily upkeep, outside any transaction: let the database settle
        the index's storage and statistics (PostgreSQL's VACUUM ANALYZE); nothing for Whoosh."""
        ...

    def is_healthy(self) -> bool: ...

    def doc_count(self) -> int: ...
