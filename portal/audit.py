"""The audit trail (AuditEvent) for changes that are not directory rows: accounts, roles,
invitations, projects' settings, company registrations. Directory services keep their own
writer (portal/directory/services.py); both fill the same table."""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from portal.models import AuditEvent, User
from portal.models.base import utcnow


def record(
    actor: User | None, action: str, object_type: str, object_id: int, changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:  # fmt: skip
    """Add one event to the session (the request, command or job commits it with the change)."""
    event = AuditEvent(at=utcnow(), user_id=actor.id if actor else None, action=action, object_type=object_type,
                       object_id=object_id, changes=changes or {}, note=note)  # fmt: skip
    db.session.add(event)
    return event
