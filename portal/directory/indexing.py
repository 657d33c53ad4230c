"""The database is the source of truth; the index follows it.

Services call `queue(row)` in the same transaction as the change. With the PostgreSQL
backend (`SEARCH_BACKEND=postgres`) the row's document is written right there, in that
transaction. With the embedded Whoosh index a `search_outbox` row is written instead and one
indexer applies the outbox (`process_outbox`), so web processes never write to the index,
and a crash loses nothing: an outbox row is deleted only after the index committed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypedDict

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from portal.bilingual import SUFFIX, english_of, translatable_fields
from portal.content_cache import content_changed, generation
from portal.extensions import db
from portal.models import Entry, Organisation, SearchOutbox, Tenant
from portal.models.base import utcnow
from portal.models.directory import Event, Moderated, Opportunity, Status, TrainingOffer
from portal.vocabularies.ateco import section_of
from search_index import Document, PostgresEngine, SearchEngine, open_engine

REBUILD = "*"
BATCH = 500


# The content generation tells the engine's facet copy that a commit (on any host) changed the index.
_postgres = PostgresEngine(lambda: db.session(), generation=lambda: generation().current())


def engine() -> SearchEngine:
    """The configured backend: PostgreSQL full text, or the Whoosh index folder."""
    if current_app.config.get("SEARCH_BACKEND") == "postgres":
        return _postgres
    return open_engine(current_app.config["SEARCH_INDEX_DIR"])


def doc_id(row: Moderated) -> str:
    return f"{row.object_type}:{row.id}"


def queue(row: Moderated) -> None:
    """`row` changed: its document follows (an organisation's entries too: they carry its name
    and depend on it being published). Flushes to get ids; the caller commits."""
    db.session.flush()
    rows: list[Moderated] = [row]
    if isinstance(row, Organisation):
        rows += list(db.session.scalars(select(Entry).where(Entry.organisation_id == row.id)))
    search = engine()
    if search.follows_transactions:
        _apply(search, {doc_id(r): r for r in rows})
    else:
        for changed in rows:
            db.session.add(SearchOutbox(doc_id=doc_id(changed), created_at=utcnow()))


def queue_rebuild() -> None:
    """Every document may have changed (a project's territory, a bulk load)."""
    search = engine()
    if search.follows_transactions:
        search.rebuild(all_documents())
    else:
        db.session.add(SearchOutbox(doc_id=REBUILD, created_at=utcnow()))


def _apply(search: SearchEngine, rows: dict[str, object]) -> None:
    territories = _territories()
    upserts, deletes = [], []
    for value, row in rows.items():
        document = document_for(row, territories) if row is not None else None
        if document:
            upserts.append(document)
        else:
            deletes.append(value)
    search.apply(upserts, deletes)


def _territories() -> dict[str, list[str]]:
    """Where each project works -> its slug: "comune:<ISTAT code>" for the comuni of its zones
    (tenant.toml [[facts.zones]]), or "province:<sigla>" for [facts] provinces when its zones name
    no comune."""
    mapping: dict[str, list[str]] = {}
    for tenant in db.session.scalars(select(Tenant)):
        facts = tenant.facts or {}
        comuni = [code for zone in facts.get("zones", []) for code in zone.get("comuni", [])]
        keys = [f"comune:{code}" for code in comuni] or [f"province:{p}" for p in facts.get("provinces", [])]
        for key in keys:
            mapping.setdefault(key, []).append(tenant.slug)
    return mapping


def _local_tenants(row: Organisation | Entry, territories: dict[str, list[str]]) -> set[str]:
    return {*territories.get(f"comune:{row.comune_code}", []), *territories.get(f"province:{row.province}", [])}


def _free(entry: Entry) -> bool | None:
    """Free, paid, or not stated: an unticked "free" box says "paid" only when a cost is given."""
    if entry.is_free:
        return True
    return False if getattr(entry, "cost", None) else None


def _opportunity_group(entry: Entry) -> str:
    """The type as residents ask for it: every kind of internship is a "tirocinio"."""
    kind = entry.opportunity_type.value if isinstance(entry, Opportunity) and entry.opportunity_type else ""
    return "tirocinio" if kind.startswith("tirocinio") else kind


def _allowance(entry: Entry) -> str:
    """Whether an opportunity pays (its structured monthly allowance); "" when not stated.
    Volunteering pays nothing by definition."""
    if not isinstance(entry, Opportunity):
        return ""
    if entry.monthly_allowance:
        return "paid"
    if entry.monthly_allowance == 0 or _opportunity_group(entry) == "volontariato":
        return "unpaid"
    return ""


def slices_of(rows: list[Entry]) -> dict[int, set[str]]:
    """The projects whose slice shows each row (linked, or in their territory), as search sees it."""
    territories = _territories()
    return {row.id: {t.slug for t in row.tenants} | _local_tenants(row, territories) for row in rows}


def _entry_body(entry: Entry) -> str:
    parts = [entry.description, entry.organisation.name, entry.comune]
    if isinstance(entry, Opportunity):
        kind = entry.opportunity_type.value.replace("_", " ") if entry.opportunity_type else ""
        parts += [kind, entry.promoter or "", entry.host or "", entry.ccnl or "", entry.requirements or "",
                  entry.how_to_apply or "", entry.qualification or ""]  # fmt: skip
    elif isinstance(entry, TrainingOffer):
        parts += [entry.subject_area or "", entry.eligibility or "", entry.schedule or "", entry.qualification or ""]
    elif isinstance(entry, Event):
        parts += [entry.venue or "", entry.how_to_register or ""]
    return "\n".join(p for p in parts if p)


class _EnglishFields(TypedDict):
    title_en: str
    body_en: str
    summary_en: str


def _english(row: Organisation | Entry) -> _EnglishFields:
    """The document's English version: title, the English texts to search, the description for snippets."""
    texts = [english_of(getattr(row, name + SUFFIX, None)) for name in translatable_fields(row)]
    title = english_of(getattr(row, "title_en", ""))
    return {"title_en": title, "body_en": "\n".join(t for t in texts if t and t != title),
            "summary_en": english_of(row.description_en)}  # fmt: skip


def document_for(row, territories: dict[str, list[str]]) -> Document | None:
    """The public document for a row, or None when it must not be searchable."""
    if row.status != Status.PUBLISHED:
        return None
    if isinstance(row, Organisation):
        tenants = {t.slug for t in row.tenants} | _local_tenants(row, territories)
        return Document(
            id=doc_id(row),
            kind="organisation",
            title=row.name,
            body="\n".join([row.description, row.legal_form, row.comune, row.address]),
            summary=row.description,
            url_slug=row.slug,
            organisation=row.name,
            tenants=sorted(tenants),
            province=row.province,
            comune=row.comune,
            sector=section_of(row.ateco_code),
            published_at=row.published_at or row.created_at,  # stable: a rebuild never makes it "new"
            **_english(row),
        )
    organisation = row.organisation
    if organisation.status != Status.PUBLISHED:
        return None
    tenants = {t.slug for t in row.tenants} | _local_tenants(row, territories)
    return Document(
        id=doc_id(row),
        kind=row.kind,
        title=row.title,
        body=_entry_body(row),
        summary=row.description,
        url_slug=row.slug,
        organisation=organisation.name,
        tenants=sorted(tenants),
        province=row.province,
        comune=row.comune,
        sector=section_of(organisation.ateco_code),
        targets=list(row.target_groups or []),
        free=_free(row),
        opportunity_type=_opportunity_group(row),
        allowance=_allowance(row),
        closes_on=row.closes_on,
        published_at=row.published_at or row.created_at,
        **_english(row),
    )


def _load(ids: list[str]) -> dict[str, object]:
    by_kind: dict[str, list[int]] = {}
    for value in ids:
        kind, _, number = value.partition(":")
        if number.isdigit():
            by_kind.setdefault("organisation" if kind == "organisation" else "entry", []).append(int(number))
    rows: dict[str, object] = {}
    if by_kind.get("organisation"):
        for org in db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(by_kind["organisation"]))
            .options(selectinload(Organisation.tenants))
        ):
            rows[doc_id(org)] = org
    if by_kind.get("entry"):
        for entry in db.session.scalars(
            select(Entry)
            .where(Entry.id.in_(by_kind["entry"]))
            .options(selectinload(Entry.tenants), selectinload(Entry.organisation))
        ):
            rows[doc_id(entry)] = entry
    return rows


def process_outbox(search: SearchEngine | None = None, limit: int = BATCH) -> int:
    """Apply up to `limit` pending changes; returns how many outbox rows were done."""
    search = search or engine()
    pending = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.doc_id).order_by(SearchOutbox.id).limit(limit)
    ).all()
    if not pending:
        return 0
    last_id = pending[-1].id
    ids = list(dict.fromkeys(row.doc_id for row in pending))
    if REBUILD in ids:
        rebuild(search)
    else:
        loaded = _load(ids)
        _apply(search, {value: loaded.get(value) for value in ids})
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= last_id))
    db.session.commit()
    content_changed()  # listings and search pages kept in memory show the change
    return len(pending)


def all_documents() -> Iterator[Document]:
    territories = _territories()
    orgs = (
        select(Organisation).where(Organisation.status == Status.PUBLISHED).options(selectinload(Organisation.tenants))
    )
    for org in db.session.scalars(orgs.execution_options(yield_per=BATCH)):
        document = document_for(org, territories)
        if document:
            yield document
    entries = (
        select(Entry)
        .where(Entry.status == Status.PUBLISHED)
        .options(selectinload(Entry.tenants), selectinload(Entry.organisation))
    )
    for entry in db.session.scalars(entries.execution_options(yield_per=BATCH)):
        document = document_for(entry, territories)
        if document:
            yield document


def publishable_count() -> int:
    """Published organisations and entries: at most this many documents (a progress bar's total)."""
    published = [
        select(func.count()).select_from(model).where(model.status == Status.PUBLISHED).scalar_subquery()
        for model in (Organisation, Entry)
    ]
    return int(db.session.scalar(select(published[0] + published[1])) or 0)


def rebuild(search: SearchEngine | None = None, parallel: bool = False, progress: bool = False) -> int:
    """Rebuild from the database; outbox rows older than the start are then obsolete."""
    search = search or engine()
    upto = db.session.scalar(select(func.max(SearchOutbox.id)))
    documents: Iterable[Document] = all_documents()
    if progress:
        from portal.cli.progress import track

        documents = track(documents, publishable_count(), "indexing", "doc")
    count = search.rebuild(documents, parallel=parallel)
    if upto is not None:
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= upto))
    db.session.commit()
    content_changed()
    return count
