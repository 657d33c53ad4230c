"""The full open-data dump, for open-data portals that harvest it: everything published (the
archive too), as one JSON document or one CSV per collection, with its licence stated.

Built from the database on request and streamed row by row (`yield_per`), so a large network
does not need the whole dump in memory and every host serves the same, current data; the
`opendata dump` command writes the same files for portals that harvest from a file server.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from marshmallow import Schema
from sqlalchemy import Select, func, select

from portal.api import queries
from portal.api.resources import COLLECTIONS, Collection
from portal.csv_export import safe_cell
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.base import utcnow
from portal.models.directory import Status
from portal.urls import public_url
from portal.vocabularies.licences import DEFAULT_LICENCE, LICENCES

BATCH = 500
LEADING = ("id", "slug", "name", "title", "kind", "opportunity_type")  # the first CSV columns


def licence_of(tenant: Tenant | None, default: str = DEFAULT_LICENCE) -> dict[str, str]:
    found = LICENCES[tenant.open_data_licence if tenant else default]
    return {"id": found.id, "name": found.name, "url": found.url}


def _statement(collection: Collection, tenant: Tenant | None) -> Select[Any]:
    filters = queries.Filters(project=tenant.slug if tenant else None, open_only=False)
    if collection.kind is None:
        return select(Organisation).where(*queries.common_conditions(Organisation, filters)).order_by(Organisation.id)
    return (
        select(Entry)
        .join(Entry.organisation)
        .where(Entry.kind == collection.kind, Organisation.status == Status.PUBLISHED,
               *queries.common_conditions(Entry, filters))
        .order_by(Entry.id)
    )  # fmt: skip


def rows(collection: Collection, tenant: Tenant | None) -> Iterator[dict[str, Any]]:
    schema: Schema = collection.schema()
    for row in db.session.scalars(_statement(collection, tenant).execution_options(yield_per=BATCH)):
        yield schema.dump(row)


def last_change() -> datetime:
    """The last change to the directory, whatever it was: a withdrawal or rejection changes what
    a dump holds too, so a harvester asking If-Modified-Since gets the new dump."""
    latest = [db.session.scalar(select(func.max(model.updated_at))) for model in (Organisation, Entry)]
    return max([moment for moment in latest if moment] or [utcnow()])


def json_chunks(tenant: Tenant | None, default_licence: str) -> Iterator[str]:
    """The dump as JSON text, a piece at a time."""
    head = {
        "title": f"Crocevia – {tenant.short_name}" if tenant else "Crocevia",
        "publisher": tenant.short_name if tenant else "Crocevia",
        "licence": licence_of(tenant, default_licence),
        "generated_at": utcnow().isoformat(),
        "source": public_url("tenant_site.home", tenant=tenant.slug) if tenant else public_url("hub.index"),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1]
    for collection in COLLECTIONS.values():
        yield f', "{collection.name}": ['
        for number, item in enumerate(rows(collection, tenant)):
            yield ("," if number else "") + json.dumps(item, ensure_ascii=False, default=str)
        yield "]"
    yield "}\n"


def _flat(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return value.get("name", json.dumps(value, ensure_ascii=False))
    return value


def csv_chunks(collection: Collection, tenant: Tenant | None) -> Iterator[str]:
    """One collection as CSV (UTF-8 with BOM, formula-safe cells), a row at a time."""
    declared = list(collection.schema().fields)
    fields = [name for name in LEADING if name in declared] + [name for name in declared if name not in LEADING]
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(fields)
    for item in rows(collection, tenant):
        writer.writerow([safe_cell(_flat(item.get(name))) for name in fields])
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
