"""Demo placements for `flask demo load`: a few recorded outcomes per project, so a coordinator's
dashboard has something to show. Counts and dates only, like the real ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import InternshipOutcome, Opportunity, Tenant
from portal.models.directory import Status, entry_tenant
from portal.models.kpi import Outcome
from portal.tenancy import tenant_scope
from portal.timezone import rome_today
from portal.vocabularies.internships import INTERNSHIPS

# (days ago it started, days ago it ended or None, outcome, placements)
DEMO_PLACEMENTS = (
    (150, 30, Outcome.COMPLETED, 6),
    (120, 20, Outcome.HIRED, 5),
    (100, 70, Outcome.INTERRUPTED, 2),
    (40, None, Outcome.IN_PROGRESS, 7),
)


def ensure_demo_outcomes(tenants: list[Tenant]) -> int:
    """Placements on the first published internship of each project that has none yet; returns how
    many rows were added (the caller commits)."""
    today = rome_today()
    added = 0
    for tenant in tenants:
        with tenant_scope(tenant):
            if db.session.scalar(select(func.count(InternshipOutcome.id))):
                continue
            entry_id = db.session.scalar(
                select(Opportunity.id)
                .join(entry_tenant, entry_tenant.c.entry_id == Opportunity.id)
                .where(
                    entry_tenant.c.tenant_id == tenant.id,
                    Opportunity.status == Status.PUBLISHED,
                    Opportunity.opportunity_type.in_(sorted(INTERNSHIPS)),
                )
                .order_by(Opportunity.id)
            )
            if entry_id is None:
                continue
            for started, ended, outcome, placements in DEMO_PLACEMENTS:
                db.session.add(
                    InternshipOutcome(
                        tenant_id=tenant.id,
                        entry_id=entry_id,
                        placements=placements,
                        started_on=today - timedelta(days=started),
                        ended_on=today - timedelta(days=ended) if ended is not None else None,
                        outcome=outcome,
                    )
                )
                added += 1
            db.session.flush()
    return added
