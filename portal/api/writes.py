"""Federation: a partner's own system publishes its organisation's entries with an API token.

Every write goes through the web form's validation (form_input.py) and the directory's
services, as the token's own editor account: a new entry waits for a coordinator, a change
to a published one waits for review, a DELETE withdraws, and each leaves an audit event."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l

from portal.api import bp, idempotency
from portal.api import services as tokens
from portal.api.form_input import field_errors, form_data
from portal.api.resources import COLLECTIONS, Collection
from portal.directory import services
from portal.directory.forms import FORMS
from portal.errors import BadRequest, Forbidden, Invalid, NotFound
from portal.models import ApiToken, Entry
from portal.urls import public_url

NOT_JSON = _l("The body must be a JSON object.")
NOT_YOURS = _l("This entry belongs to another organisation: the token may only change its own.")
VERSION_NEEDED = _l("Send the version you are changing (from your last read), so no newer change is overwritten.")


def _token() -> ApiToken:
    token = tokens.authenticate(request.headers.get("Authorization"))
    tokens.record_use(token, request.method, request.path)
    return token


def _body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    if not isinstance(body, dict):
        raise BadRequest(NOT_JSON)
    return body


def _entry_collection(name: str) -> Collection:
    found = COLLECTIONS.get(name)
    if found is None or found.kind is None:
        raise NotFound()
    return found


def _validated_data(kind: str, body: dict[str, Any], token: ApiToken, is_new: bool) -> dict[str, Any]:
    form_class = FORMS[kind]
    org = token.organisation
    form = form_class(formdata=form_data(form_class, body, org), meta={"csrf": False})
    form.is_new = is_new
    form.tenant_ids.choices = [(t.id, t.short_name) for t in org.tenants]
    if not form.validate():
        raise Invalid(fields=field_errors(form))
    return form.to_data()


def state(entry: Entry) -> dict[str, Any]:
    """What a partner's system needs to know about its entry's publishing state."""
    return {"id": entry.id, "kind": entry.kind, "title": entry.title, "status": entry.status.value,
            "version": entry.version, "change_waiting_for_review": bool(entry.pending_changes),
            "rejection_reason": entry.rejection_reason or None,
            "url": public_url("api.my_entry", row_id=entry.id),
            "public_url": public_url("api.detail", collection=_collection_of(entry), row_id=entry.id)
            if entry.status.value == "published" else None}  # fmt: skip


def _collection_of(entry: Entry) -> str:
    return next(name for name, c in COLLECTIONS.items() if c.kind == entry.kind)


def _answer(entry: Entry, status: int) -> Response:
    response = jsonify(state(entry))
    response.status_code = status
    if status == 201:
        response.headers["Location"] = public_url("api.my_entry", row_id=entry.id)
    return response


def _own_entry(token: ApiToken, collection: Collection, row_id: int) -> Entry:
    entry = services.entry(row_id)
    if entry.kind != collection.kind:
        raise NotFound()
    if entry.organisation_id != token.organisation_id:
        raise Forbidden(NOT_YOURS)
    return entry


@bp.post("/<collection>")
def create(collection: str):
    found = _entry_collection(collection)
    token = _token()
    key = idempotency.checked_key(request.headers.get("Idempotency-Key"))
    replayed = idempotency.replay(token, key, request.path, request.get_data())
    if replayed is not None:
        return replayed
    data = _validated_data(found.kind or "", _body(), token, is_new=True)
    entry = services.create_entry(token.user, token.organisation, found.kind or "", data)
    response = _answer(entry, 201)
    idempotency.remember(token, key, request.path, request.get_data(), response)
    return response


@bp.put("/<collection>/<int:row_id>")
def update(collection: str, row_id: int):
    found = _entry_collection(collection)
    token = _token()
    entry = _own_entry(token, found, row_id)
    body = _body()
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid(fields={"version": [str(VERSION_NEEDED)]})
    data = _validated_data(entry.kind, body, token, is_new=False)
    services.update_entry(token.user, entry, data, version)
    return _answer(entry, 200)


@bp.delete("/<collection>/<int:row_id>")
def withdraw(collection: str, row_id: int):
    found = _entry_collection(collection)
    token = _token()
    entry = _own_entry(token, found, row_id)
    services.withdraw_entry(token.user, entry, entry.version)
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, no type
    return response


@bp.get("/me")
def me():
    token = _token()
    org = token.organisation
    return jsonify({"organisation": {"id": org.id, "name": org.name, "status": org.status.value},
                    "token": {"name": token.name, "prefix": token.prefix}})  # fmt: skip


@bp.get("/me/entries")
def my_entries():
    """Every entry of the token's organisation, with its moderation status (pending ones too)."""
    token = _token()
    entries = sorted(token.organisation.entries, key=lambda e: e.id)
    return jsonify({"items": [state(entry) for entry in entries]})


@bp.get("/me/entries/<int:row_id>")
def my_entry(row_id: int):
    """One entry of the token's organisation, whatever its state: what it holds and where review is."""
    token = _token()
    entry = services.entry(row_id)
    if entry.organisation_id != token.organisation_id:
        raise Forbidden(NOT_YOURS)
    collection = COLLECTIONS[_collection_of(entry)]
    return jsonify({**collection.schema().dump(entry), **state(entry)})
