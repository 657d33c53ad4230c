"""Europe/Rome for what people see; UTC for what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def rome_today() -> date:
    return datetime.now(ROME).date()


def rome_date(moment: datetime) -> date:
    return moment.astimezone(ROME).date()


def rome_to_utc(naive_local: datetime) -> datetime:
    """A date-time typed in Italy (no zone) as an aware UTC datetime."""
    return naive_local.replace(tzinfo=ROME).astimezone(UTC)
