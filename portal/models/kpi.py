"""Internship outcomes: how many placements an internship offer led to, and how they ended.

Counts only: a row says "N placements started on this day (and ended on that day, this way)",
never who. It is owned by the entry (deleted with it) and by the one project it is counted for
(TenantScoped: an entry shown in two projects is counted in the one its partner chooses).
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import Timestamped, str_enum
from portal.tenancy import TenantScoped


class Outcome(enum.StrEnum):
    """How a group of placements ended (or that it is still running)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    HIRED = "hired"  # completed, and the host took the person on
    INTERRUPTED = "interrupted"


class InternshipOutcome(TenantScoped, Timestamped, Model):
    """N placements of one internship offer with the same dates and outcome."""

    __tablename__ = "internship_outcome"
    __table_args__ = (
        CheckConstraint("placements > 0", name="placements"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    placements: Mapped[int] = mapped_column(default=1)
    started_on: Mapped[date] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date, index=True)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 20), default=Outcome.IN_PROGRESS)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
