"""Saved-search alerts: a resident's search, mailed when something new matches it.

Network data (like accounts): an alert may span every project, so it is not tenant-scoped;
`scope_tenant_id` only says which project's slice the search covered, if any.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import DoubleOptIn, Timestamped, UTCDateTime, str_enum


class AlertStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the confirmation link
    CONFIRMED = "confirmed"
    STOPPED = "stopped"


class AlertFrequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class Alert(DoubleOptIn, Timestamped, Model):
    """One address, one saved search (its filters as query-string pairs), one frequency."""

    __tablename__ = "search_alert"
    # AUTOINCREMENT on SQLite too: an id is never given again to someone else's alert after a purge.
    __table_args__ = (UniqueConstraint("email", "search_key"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="it")
    frequency: Mapped[AlertFrequency] = mapped_column(str_enum(AlertFrequency, 10), default=AlertFrequency.WEEKLY)
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus, 20), default=AlertStatus.PENDING, index=True)
    scope_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(20))  # a listing of one kind, or the whole search
    params: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[name, value], ...]: q and facet filters
    search_key: Mapped[str] = mapped_column(String(64))  # digest of scope, kind and params
    # In every link of the alert with its id: a link names this row and no other, ever.
    token_key: Mapped[str] = mapped_column(String(24), default=lambda: secrets.token_urlsafe(12))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Entries published up to this instant have been considered; the next mail lists newer ones.
    matched_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    sent_count: Mapped[int] = mapped_column(default=0)
