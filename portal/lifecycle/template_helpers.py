"""What the templates read about a project's life cycle and funding (no queries: tenant data only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.formatting import format_date
from portal.lifecycle import bp
from portal.lifecycle.data import STATUS_LABELS, Funding, Status, funding_of, lifecycle_of


@dataclass(frozen=True)
class ProjectTime:
    """A project's period in words, and its status (None when the data say nothing)."""

    start: date | None
    end: date | None
    status: Status | None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status else ""

    @property
    def ended(self) -> bool:
        return self.status == Status.ENDED

    @property
    def end_words(self) -> str:
        return format_date(self.end, "long") if self.end else ""

    @property
    def period(self) -> str:
        from flask_babel import gettext as _

        start = format_date(self.start, "long") if self.start else ""
        end = format_date(self.end, "long") if self.end else ""
        if start and end:
            return _("From %(start)s to %(end)s", start=start, end=end)
        if start:
            return _("Since %(start)s", start=start)
        if end:
            return _("Until %(end)s", end=end)
        return ""


@bp.app_template_global()
def project_time(tenant: Any) -> ProjectTime:
    cycle = lifecycle_of(tenant)
    return ProjectTime(cycle.start, cycle.end, cycle.status())


@bp.app_template_global()
def project_funding(tenant: Any) -> Funding:
    return funding_of(tenant)
