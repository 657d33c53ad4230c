"""The OpenAPI 3.1 document of the API, generated with apispec from the same marshmallow
schemas and collection table the views use (nothing is described twice)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_babel import gettext as _

from portal.api import queries
from portal.api.resources import COLLECTIONS
from portal.api.schemas import DetailArgs, ListArgs, Problem, ProjectSchema, page_schema
from portal.urls import public_url

VERSION = "1.0.0"


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": "Problem"}}}


def _ok(schema: Any, description: str, paged: bool = False) -> dict[str, Any]:
    headers = {
        "ETag": {"schema": {"type": "string"}, "description": _("Send it back in If-None-Match: 304 if unchanged.")}
    }
    if paged:
        headers["Link"] = {
            "schema": {"type": "string"},
            "description": _("first, prev, next and last pages (RFC 8288)."),
        }
        headers["X-Total-Count"] = {"schema": {"type": "integer"}, "description": _("Rows matching the filters.")}
    return {"description": description, "headers": headers, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: _("A parameter is wrong: `errors` says which and why."), 404: _("There is no such published row.")}
    return {str(code): _problem(texts[code]) for code in codes}


def openapi_document() -> dict[str, Any]:
    base = public_url("api.projects").rsplit("/projects", 1)[0]
    spec = APISpec(
        title=_("Crocevia open data"), version=VERSION, openapi_version="3.1.0", plugins=[MarshmallowPlugin()],
        info={"description": _("What the projects of the Crocevia network publish: organisations, opportunities, "
                               "training and events, published entries only. Reading needs no key; an organisation's "
                               "own system writes its entries with an API token."),
              "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"}},
        servers=[{"url": base}],
    )  # fmt: skip
    spec.components.schema("Problem", schema=Problem)
    spec.components.schema("Project", schema=ProjectSchema)
    spec.components.schema("ProjectPage", schema=page_schema(ProjectSchema, "ProjectPage"))
    spec.path(path="/projects", operations={"get": {
        "summary": _("The projects"), "operationId": "listProjects", "tags": ["projects"],
        "parameters": [{"in": "query", "schema": DetailArgs}],
        "responses": {"200": _ok("ProjectPage", _("Every project of the network."), paged=False), **_errors(400)}}})  # fmt: skip
    spec.path(path="/projects/{slug}", operations={"get": {
        "summary": _("One project"), "operationId": "getProject", "tags": ["projects"],
        "parameters": [{"in": "path", "name": "slug", "required": True, "schema": {"type": "string"}},
                       {"in": "query", "schema": DetailArgs}],
        "responses": {"200": _ok("Project", _("The project.")), **_errors(400, 404)}}})  # fmt: skip
    for collection in COLLECTIONS.values():
        item = collection.schema.__name__.removesuffix("Schema")
        spec.components.schema(item, schema=collection.schema)
        spec.components.schema(f"{item}Page", schema=page_schema(collection.schema, f"{item}Page"))
        spec.path(path=f"/{collection.name}", operations={"get": {
            "summary": str(collection.title), "description": str(collection.description),
            "operationId": f"list{collection.name.title()}", "tags": [collection.name],
            "parameters": [{"in": "query", "schema": ListArgs}],
            "responses": {"200": _ok(f"{item}Page", _("One page of rows, oldest first."), paged=True),
                          **_errors(400)}}})  # fmt: skip
        spec.path(path=f"/{collection.name}/{{id}}", operations={"get": {
            "summary": str(collection.title), "operationId": f"get{item}", "tags": [collection.name],
            "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "integer", "minimum": 1}},
                           {"in": "query", "schema": DetailArgs}],
            "responses": {"200": _ok(item, _("One published row.")), **_errors(400, 404)}}})  # fmt: skip
    _dump_paths(spec)
    _write_paths(spec)
    return _with_project_slugs(spec.to_dict())


def _entry_input(kind: str, for_update: bool) -> dict[str, Any]:
    """The JSON a partner system sends, generated from the web form of that kind."""
    from portal.api.form_input import json_type, writable_fields
    from portal.directory.forms import FORMS

    properties: dict[str, Any] = {}
    for name, field in writable_fields(FORMS[kind]).items():
        kind_of = json_type(field)
        schema: dict[str, Any] = {"type": [kind_of, "null"], "description": str(field.args[0]) if field.args else ""}
        if kind_of == "array":
            schema["items"] = {"type": "string"}
        properties[name] = schema
    properties["projects"] = {"type": "array", "items": {"type": "string"},
                              "description": _("Slugs of the organisation's projects that show the entry.")}  # fmt: skip
    required = ["title", "description", "comune", "province"]
    if for_update:
        properties["version"] = {"type": "integer", "description": _("The version you change (from your last read).")}
        required.append("version")
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _write_paths(spec: APISpec) -> None:
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer", "description": _(
        "An organisation's API token, issued by a coordinator of its projects.")})  # fmt: skip
    state = {"type": "object", "required": ["id", "kind", "title", "status", "version"], "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "string", "enum": ["pending", "published", "rejected", "withdrawn"]},
        "version": {"type": "integer"}, "change_waiting_for_review": {"type": "boolean"},
        "rejection_reason": {"type": ["string", "null"]}, "url": {"type": "string", "format": "uri"},
        "public_url": {"type": ["string", "null"], "format": "uri"}}}  # fmt: skip
    spec.components.schema("EntryState", state)
    auth: list[dict[str, list[str]]] = [{"token": []}]
    written = {"content": {"application/json": {"schema": "EntryState"}}}
    failures = {str(code): _problem(text) for code, text in (
        (400, _("The body is not a JSON object.")), (401, _("No valid token.")),
        (403, _("The entry belongs to another organisation.")), (404, _("There is no such entry.")),
        (409, _("The entry changed meanwhile, or was withdrawn.")), (413, _("The body is too large.")),
        (422, _("A field is wrong: `errors` says which and why.")))}  # fmt: skip
    row_id = {"in": "path", "name": "id", "required": True, "schema": {"type": "integer", "minimum": 1}}
    key = {"in": "header", "name": "Idempotency-Key", "required": False,
           "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"}}  # fmt: skip
    for collection in COLLECTIONS.values():
        if collection.kind is None:
            continue
        item = collection.schema.__name__.removesuffix("Schema")
        body_new = {"required": True, "content": {"application/json": {"schema": _entry_input(collection.kind, False)}}}
        body_change = {
            "required": True,
            "content": {"application/json": {"schema": _entry_input(collection.kind, True)}},
        }
        spec.path(path=f"/{collection.name}", operations={"post": {
            "summary": _("Publish a new entry (it waits for a coordinator)"), "operationId": f"create{item}",
            "tags": [collection.name], "security": auth, "parameters": [key], "requestBody": body_new,
            "responses": {"201": {"description": _("Created, waiting for review."), **written}, **failures}}})  # fmt: skip
        spec.path(path=f"/{collection.name}/{{id}}", operations={
            "put": {"summary": _("Change an entry (a published one waits for review)"),
                    "description": _("The body replaces the entry as the web form does: a field left out is emptied. "
                                     "Send what you read, with your changes and its version; moments may carry "
                                     "an offset or be Italian time."), "operationId": f"update{item}",
                    "tags": [collection.name], "security": auth, "parameters": [row_id], "requestBody": body_change,
                    "responses": {"200": {"description": _("Saved."), **written}, **failures}},
            "delete": {"summary": _("Withdraw an entry"), "operationId": f"withdraw{item}", "tags": [collection.name],
                       "security": auth, "parameters": [row_id],
                       "responses": {"204": {"description": _("Withdrawn.")}, **failures}}})  # fmt: skip
    mine = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/EntryState"}}},
    }
    spec.path(path="/me/entries", operations={"get": {
        "summary": _("The token's organisation's entries, with their moderation status"), "operationId": "myEntries",
        "tags": ["federation"], "security": auth,
        "responses": {"200": {"description": _("Every entry, pending ones too."),
                              "content": {"application/json": {"schema": mine}}}, "401": failures["401"]}}})  # fmt: skip
    spec.path(path="/me/entries/{id}", operations={"get": {
        "summary": _("One entry of the token's organisation, whatever its state"), "operationId": "myEntry",
        "tags": ["federation"], "security": auth, "parameters": [row_id],
        "responses": {"200": {"description": _("The entry, with its moderation status."),
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **{code: failures[code] for code in ("401", "403", "404")}}}})  # fmt: skip
    spec.path(path="/me", operations={"get": {
        "summary": _("Who the token acts for"), "operationId": "me", "tags": ["federation"], "security": auth,
        "responses": {"200": {"description": _("The organisation and the token's name."),
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "401": failures["401"]}}})  # fmt: skip


def _dump_paths(spec: APISpec) -> None:
    slug = {"in": "path", "name": "slug", "required": True, "schema": {"type": "string"}}
    names = list(COLLECTIONS)
    collection = {"in": "path", "name": "collection", "required": True, "schema": {"type": "string", "enum": names}}
    json_ok = {
        "description": _("Everything published, the archive too, with the licence of the data."),
        "content": {"application/json": {"schema": {"type": "object", "required": ["licence", *names]}}},
    }
    csv_ok = {"description": _("One collection as CSV (UTF-8), one row per published row."),
              "content": {"text/csv": {"schema": {"type": "string"}}}}  # fmt: skip
    query = {"in": "query", "schema": DetailArgs}
    for path, parameters, ok, errors in (
        ("/dump.json", [query], json_ok, (400,)),
        ("/projects/{slug}/dump.json", [slug, query], json_ok, (400, 404)),
        ("/dump/{collection}.csv", [collection, query], csv_ok, (400, 404)),
        ("/projects/{slug}/dump/{collection}.csv", [slug, collection, query], csv_ok, (400, 404)),
    ):
        spec.path(path=path, operations={"get": {
            "summary": _("Full open-data dump"), "operationId": "dump" + "".join(
                p.strip("{}").title() for p in path.replace(".", "/").split("/") if p),
            "tags": ["open data"], "parameters": parameters, "responses": {"200": ok, **_errors(*errors)}}})  # fmt: skip


def _with_project_slugs(document: dict[str, Any]) -> dict[str, Any]:
    """The `project` filter takes the slug of an existing project: the document lists them."""
    slugs = [tenant.slug for tenant in queries.projects()]
    for operations in document["paths"].values():
        for parameter in operations["get"].get("parameters", []):
            if parameter["name"] in ("project", "slug"):
                parameter["schema"]["enum"] = slugs
    return document
