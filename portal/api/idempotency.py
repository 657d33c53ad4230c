"""Idempotency-Key for POST: a partner system that retries after a timeout gets the first
answer again instead of creating the entry twice (kept one day)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from flask import Response
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.errors import BadRequest, Conflict, Invalid
from portal.extensions import db
from portal.models import ApiToken, IdempotentRequest
from portal.models.base import utcnow

KEPT = timedelta(days=1)
KEY = re.compile(r"[!-~]{1,200}")  # visible ASCII, as the OpenAPI document says
BAD_KEY = _l("An Idempotency-Key is 1 to 200 visible ASCII characters.")
OTHER_REQUEST = _l("This Idempotency-Key was already used for another request.")
OTHER_BODY = _l("This Idempotency-Key was already used with another body: use a new key for a new entry.")
AT_THE_SAME_TIME = _l("A request with this Idempotency-Key is being handled: retry in a moment.")


def checked_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not KEY.fullmatch(value):
        raise BadRequest(BAD_KEY, fields={"Idempotency-Key": [str(BAD_KEY)]})
    return value


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def replay(token: ApiToken, key: str | None, path: str, body: bytes) -> Response | None:
    if key is None:
        return None
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < utcnow() - KEPT))
    row = db.session.scalar(
        select(IdempotentRequest).where(IdempotentRequest.token_id == token.id, IdempotentRequest.key == key)
    )
    if row is None:
        return None
    if row.path != path:
        raise Conflict(OTHER_REQUEST)
    if row.fingerprint != fingerprint(body):
        raise Invalid(OTHER_BODY, fields={"Idempotency-Key": [str(OTHER_BODY)]})
    response = Response(row.body, status=row.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    if row.location:
        response.headers["Location"] = row.location
    return response


def remember(token: ApiToken, key: str | None, path: str, body: bytes, response: Response) -> None:
    if key is None:
        return
    row = IdempotentRequest(token_id=token.id, key=key, path=path, fingerprint=fingerprint(body),
                            status=response.status_code, body=response.get_data(as_text=True),
                            location=response.headers.get("Location", ""), created_at=utcnow())  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same key, sent twice at once: the other one wins
        db.session.rollback()
        raise Conflict(AT_THE_SAME_TIME) from None
