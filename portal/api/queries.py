"""What the open-data API may answer: published rows only, filtered like the listings
(project slice, province, comune, sector, target group, open only, changed since)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from portal.errors import BadRequest, NotFound
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.directory import Status
from portal.vocabularies import ateco

UNKNOWN_PROJECT = _l("There is no project with this slug: see /api/v1/projects.")


@dataclass
class Filters:
    project: str | None = None
    province: str | None = None
    comune: str | None = None  # ISTAT code
    sector: str | None = None  # ATECO 2025 section letter
    target_group: str | None = None
    open_only: bool = True
    updated_since: datetime | None = None


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def project(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise NotFound()
    return tenant


def projects() -> list[Tenant]:
    return list(db.session.scalars(select(Tenant).order_by(Tenant.position, Tenant.slug)))


def _in_slice(model: type[Entry] | type[Organisation], slug: str) -> ColumnElement[bool]:
    """Linked to the project, or in its territory: the project's slice, as its pages show it."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise BadRequest(fields={"project": [str(UNKNOWN_PROJECT)]})
    facts = tenant.facts or {}
    comuni = [code for zone in facts.get("zones", []) for code in zone.get("comuni", [])]
    territory = model.comune_code.in_(comuni) if comuni else model.province.in_(facts.get("provinces", []))
    return or_(model.tenants.any(Tenant.slug == slug), territory)


def common_conditions(model: type[Entry] | type[Organisation], filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [model.status == Status.PUBLISHED]
    if filters.project:
        conditions.append(_in_slice(model, filters.project))
    if filters.province:
        conditions.append(model.province == filters.province.upper())
    if filters.comune:
        conditions.append(model.comune_code == filters.comune)
    if filters.updated_since:
        conditions.append(model.updated_at >= filters.updated_since)
    return conditions


def _sector(filters: Filters) -> list[ColumnElement[bool]]:
    if not filters.sector:
        return []
    return [Organisation.ateco_code.in_(ateco.codes_in_section(filters.sector.upper()))]


def _paged(stmt, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, per_page, total)


def organisations(filters: Filters, page: int, per_page: int) -> Page:
    stmt = (
        select(Organisation)
        .where(*common_conditions(Organisation, filters), *_sector(filters))
        .options(selectinload(Organisation.tenants))
        .order_by(Organisation.id)
    )
    return _paged(stmt, page, per_page)


def entries(kind: str, filters: Filters, page: int, per_page: int, today: date) -> Page:
    stmt = (
        select(Entry)
        .join(Entry.organisation)
        .where(
            Entry.kind == kind,
            Organisation.status == Status.PUBLISHED,
            *common_conditions(Entry, filters),
            *_sector(filters),
        )
        .options(selectinload(Entry.tenants), selectinload(Entry.organisation))
        .order_by(Entry.id)
    )
    if filters.target_group:  # a JSON list of codes: the quoted code appears in its text on every backend
        stmt = stmt.where(cast(Entry.target_groups, String).like(f'%"{filters.target_group}"%'))
    if filters.open_only:
        stmt = stmt.where(or_(Entry.closes_on.is_(None), Entry.closes_on >= today))
    return _paged(stmt, page, per_page)


def organisation(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None or org.status != Status.PUBLISHED:
        raise NotFound()
    return org


def entry(kind: str, entry_id: int) -> Entry:
    row = db.session.get(Entry, entry_id)
    if row is None or row.kind != kind or row.status != Status.PUBLISHED or row.organisation.status != Status.PUBLISHED:
        raise NotFound()
    return row
