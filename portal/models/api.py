"""API tokens: how a partner's own system writes to the directory for one organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import Timestamped, UTCDateTime
from portal.models.directory import Organisation
from portal.models.user import User


class ApiToken(Timestamped, Model):
    """A secret shown once to its coordinator and kept here only as its SHA-256. It acts through
    its own account (`user`), an editor of its organisation only, so every write goes through
    the same services, rules, moderation and audit as a partner's web form."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, to tell tokens apart in lists
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(Model):
    """A POST sent with an Idempotency-Key: a retry with the same key gets the first answer."""

    __tablename__ = "api_idempotent_request"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the body: the same key, another body is refused
    status: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
