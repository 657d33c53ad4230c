"""Expressions of interest: a person asks the contact of an open entry to get in touch.

Not TenantScoped: an interest belongs to a directory entry, and entries are network-wide rows
(linked to projects as data, like organisations), reached at /directory/… with no active tenant.
Kept only for INTEREST_RETENTION_DAYS (the `purge-interests` job and `flask interests purge`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import UTCDateTime, utcnow


class Interest(Model):
    """One person's message about one entry, with the consent they gave to pass it on."""

    __tablename__ = "interest"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5), default="it")
    consent_text_version: Mapped[str] = mapped_column(String(20), default="")
