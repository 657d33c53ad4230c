"""Rows of background work: the outgoing mail queue and the periodic job schedule."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import UTCDateTime, str_enum, utcnow


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a sender
    RETRY = "retry"  # a temporary failure: sent again at next_attempt_at
    FAILED = "failed"  # refused for good; the body is dropped, the row kept for the operator


class QueuedMail(Model):
    """One message waiting to be sent. Written in the same transaction as the action that
    causes it (registration, reset, subscription…), so a rolled-back action sends nothing
    and a mail server outage delays mail without losing it. Deleted once the server
    accepted it: the portal keeps no copy of what it sent."""

    __tablename__ = "mail_queue"
    __table_args__ = (Index("ix_mail_queue_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus, 20), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")


class JobSchedule(Model):
    """When each periodic job last ran and may run next. A host runs a job only after
    moving `next_run_at` forward with a conditional UPDATE, so two hosts (or two cron
    lines) starting at the same minute never run the same job twice."""

    __tablename__ = "job_schedule"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
