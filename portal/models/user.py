"""User accounts."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import Model
from portal.models.base import Timestamped, UTCDateTime, utcnow


def hash_password(password: str) -> str:
    """scrypt, or the cheaper method the configuration names (the test suite only)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, Timestamped, Model):
    """A person with an account. Global: roles per tenant live in Membership."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    locale: Mapped[str | None] = mapped_column(String(5))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the login cookie: rotating it signs out every other session.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Coordinators: one mail a day with what waits for their review (they can turn it off).
    review_digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Set by a platform admin: the account cannot sign in and its sessions have ended.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def get_id(self) -> str:
        """Flask-Login identity: id plus session token, so old cookies stop working."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def confirm_email(self) -> None:
        if self.email_confirmed_at is None:
            self.email_confirmed_at = utcnow()

    def __repr__(self) -> str:
        return f"<User {self.email}>"
