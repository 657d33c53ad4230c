"""Idempotency-Key for POST: a partner system that retries after a timeout gets the first
answer again instead of creating the entry twice (kept one day)."""

from __future__ import annotations

from datetime import timedelta

from flask import Response
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.errors import BadRequest, Conflict
from portal.extensions import db
from portal.models import ApiToken, IdempotentRequest
from portal.models.base import utcnow

KEPT = timedelta(days=1)
BAD_KEY = _l("An Idempotency-Key is 1 to 200 visible characters.")
OTHER_REQUEST = _l("This Idempotency-Key was already used for another request.")
AT_THE_SAME_TIME = _l("A request with this Idempotency-Key is being handled: retry in a moment.")


def checked_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not 0 < len(value) <= 200 or not value.isprintable() or value != value.strip():
        raise BadRequest(BAD_KEY, fields={"Idempotency-Key": [str(BAD_KEY)]})
    return value


def replay(token: ApiToken, key: str | None, path: str) -> Response | None:
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
    response = Response(row.body, status=row.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def remember(token: ApiToken, key: str | None, path: str, response: Response) -> None:
    if key is None:
        return
    row = IdempotentRequest(token_id=token.id, key=key, path=path, status=response.status_code,
                            body=response.get_data(as_text=True), created_at=utcnow())  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same key, sent twice at once: the other one wins
        db.session.rollback()
        raise Conflict(AT_THE_SAME_TIME) from None
