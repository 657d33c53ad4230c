"""API tokens: issued by a coordinator of the organisation's projects (or an admin), shown
once, kept as a SHA-256, scoped to one organisation, revocable; and who a request acts as."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.directory.permissions import can_moderate
from portal.errors import Conflict, Invalid, NotFound, Unauthorized, require
from portal.extensions import db
from portal.models import ApiToken, AuditEvent, Organisation, User
from portal.models.base import utcnow
from portal.models.directory import organisation_editor

TOKEN_PREFIX = "cv_"
REVOKED = _l("This token has already been revoked.")
NAME_NEEDED = _l("Give the token a name that says which system uses it.")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _audit(actor: User | None, action: str, token: ApiToken) -> None:
    db.session.add(AuditEvent(at=utcnow(), user_id=actor.id if actor else None, action=action,
                              object_type="organisation", object_id=token.organisation_id,
                              changes={"token": token.prefix, "name": token.name}, note=""))  # fmt: skip


def _service_account(org: Organisation, name: str) -> User:
    """The account a token acts as: an editor of its organisation only, that cannot sign in."""
    number = secrets.token_hex(6)
    user = User(email=f"api-{number}@tokens.invalid", name=f"API · {org.name} · {name}"[:120], password_hash="!",
                locale="it")  # fmt: skip
    db.session.add(user)
    db.session.flush()
    db.session.execute(organisation_editor.insert().values(organisation_id=org.id, user_id=user.id))
    return user


def create_token(actor: User | None, org: Organisation, name: str) -> tuple[str, ApiToken]:
    """A new token for `org`; the secret is returned once and never stored. `actor` None is an
    admin at the command line."""
    if actor is not None:
        require(can_moderate(actor, org))
    name = (name or "").strip()[:80]
    if not name:
        raise Invalid(NAME_NEEDED, fields={"name": NAME_NEEDED})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(organisation_id=org.id, user=_service_account(org, name), created_by_id=actor.id if actor else None,
                     name=name,
                     prefix=secret[:10], token_hash=_hash(secret))  # fmt: skip
    db.session.add(token)
    db.session.flush()
    _audit(actor, "token-create", token)
    return secret, token


def tokens_of(actor: User, org: Organisation) -> list[ApiToken]:
    require(can_moderate(actor, org))
    return list(db.session.scalars(select(ApiToken).where(ApiToken.organisation_id == org.id).order_by(ApiToken.id)))


def all_tokens() -> list[ApiToken]:
    """Every token (the admin's `tokens list`)."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(actor: User | None, token_id: int) -> ApiToken:
    """Revoke at once; `actor` None is an admin at the command line."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound()
    if actor is not None:
        require(can_moderate(actor, token.organisation))
    if token.revoked_at is not None:
        raise Conflict(REVOKED)
    token.revoked_at = utcnow()
    db.session.execute(organisation_editor.delete().where(organisation_editor.c.user_id == token.user_id))
    _audit(actor, "token-revoke", token)
    return token


def authenticate(header: str | None) -> ApiToken:
    """The active token of an `Authorization: Bearer …` header; else Unauthorized."""
    scheme, _, secret = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise Unauthorized()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret.strip())))
    if token is None or not token.is_active or token.organisation is None:
        raise Unauthorized()
    token.last_used_at = utcnow()
    return token


def record_use(token: ApiToken, method: str, path: str) -> None:
    """Every authenticated call leaves an audit event (writes leave their own as well)."""
    db.session.add(AuditEvent(at=utcnow(), user_id=token.user_id, action="api-use", object_type="organisation",
                              object_id=token.organisation_id, changes={"token": token.prefix},
                              note=f"{method} {path}"[:300]))  # fmt: skip


def organisation_id_of(token_id: int) -> int:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound()
    return token.organisation_id
