"""The open-data API's views: parse the query with the schemas, ask queries.py, dump."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, render_template, request, stream_with_context
from marshmallow import Schema, ValidationError

from portal.api import bp, dump, queries
from portal.api.openapi import openapi_document
from portal.api.resources import COLLECTIONS, Collection
from portal.api.schemas import DetailArgs, ListArgs, ProjectSchema
from portal.errors import BadRequest, NotFound
from portal.timezone import rome_today
from portal.urls import public_url
from portal.vocabularies.licences import DEFAULT_LICENCE

CACHE_SECONDS = 60
DUMP_CACHE_SECONDS = 3600
EXPOSED = "ETag, Link, X-Total-Count"


@bp.after_request
def open_to_other_sites(response: Response) -> Response:
    """Read-only open data: any site may read it from a browser (CORS), nothing is written."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match, Accept-Language"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    response.headers.setdefault("Vary", "Accept-Language")
    return response


def _parse(schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as exc:
        messages = exc.normalized_messages()
        raise BadRequest(fields={k: v if isinstance(v, list) else [str(v)] for k, v in messages.items()}) from None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(data)
    response.status_code = status
    response.headers.update(headers or {})
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag()
    response.make_conditional(request)
    return response


def _links(endpoint: str, args: dict[str, Any], page: queries.Page, **values: Any) -> str:
    def url(number: int) -> str:
        return public_url(endpoint, **values, **{**args, "page": number, "per_page": page.per_page})

    links = {"first": 1, "last": page.pages}
    if page.page > 1:
        links["prev"] = min(page.page - 1, page.pages)
    if page.page < page.pages:
        links["next"] = page.page + 1
    return ", ".join(f'<{url(number)}>; rel="{rel}"' for rel, number in links.items())


def _filters(args: dict[str, Any]) -> queries.Filters:
    names = queries.Filters.__dataclass_fields__
    return queries.Filters(**{k: v for k, v in args.items() if k in names})


def _query_text(value: Any) -> str:
    """A parsed parameter written back as the query takes it (for Link headers)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _listing(collection: Collection) -> Response:
    args = _parse(ListArgs())
    page_number, per_page = args.pop("page"), args.pop("per_page")
    args.pop("lang", None)
    filters = _filters(args)
    if collection.kind is None:
        page = queries.organisations(filters, page_number, per_page)
    else:
        page = queries.entries(collection.kind, filters, page_number, per_page, rome_today())
    body = {"items": collection.schema(many=True).dump(page.items), "page": page.page, "per_page": page.per_page,
            "total": page.total, "pages": page.pages}  # fmt: skip
    query = {k: _query_text(v) for k, v in args.items() if v is not None}
    links = _links("api.listing", query, page, collection=collection.name)
    return _json(body, headers={"Link": links, "X-Total-Count": str(page.total)})


@bp.get("/projects")
def projects():
    _parse(DetailArgs())
    items = ProjectSchema(many=True).dump(queries.projects())
    return _json({"items": items, "page": 1, "per_page": len(items), "total": len(items), "pages": 1})


@bp.get("/projects/<slug>")
def project(slug: str):
    _parse(DetailArgs())
    return _json(ProjectSchema().dump(queries.project(slug)))


def _dump_response(chunks: Any, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = DUMP_CACHE_SECONDS
    response.last_modified = dump.last_change()
    response.make_conditional(request)
    return response


def _network_licence() -> str:
    return current_app.config.get("OPEN_DATA_LICENCE", DEFAULT_LICENCE)


@bp.get("/dump.json")
@bp.get("/projects/<slug>/dump.json")
def dump_json(slug: str | None = None):
    _parse(DetailArgs())
    tenant = queries.project(slug) if slug else None
    name = f"crocevia-{slug or 'network'}.json"
    return _dump_response(dump.json_chunks(tenant, _network_licence()), "application/json", name)


@bp.get("/dump/<collection>.csv")
@bp.get("/projects/<slug>/dump/<collection>.csv")
def dump_csv(collection: str, slug: str | None = None):
    found = COLLECTIONS.get(collection)
    if found is None:
        raise NotFound()
    _parse(DetailArgs())
    tenant = queries.project(slug) if slug else None
    return _dump_response(dump.csv_chunks(found, tenant), "text/csv", f"crocevia-{slug or 'network'}-{collection}.csv")


@bp.get("/openapi.json")
def openapi():
    return _json(openapi_document())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", spec=openapi_document(), collections=COLLECTIONS)


@bp.get("/<collection>")
def listing(collection: str):
    if collection not in COLLECTIONS:
        raise NotFound()
    return _listing(COLLECTIONS[collection])


@bp.get("/<collection>/<int:row_id>")
def detail(collection: str, row_id: int):
    found = COLLECTIONS.get(collection)
    if found is None:
        raise NotFound()
    _parse(DetailArgs())
    row = queries.organisation(row_id) if found.kind is None else queries.entry(found.kind, row_id)
    return _json(found.schema().dump(row))


@bp.route("/<collection>/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
def nothing_here(collection: str, rest: str):
    """Anything else under the API (an id too large for a database id, a typo): a JSON 404 for
    every method, not a 405 from a page route of the portal."""
    raise NotFound()
