"""What coordinators see of their newsletter: counts, subscriber totals, the subscriber export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Tenant
from portal.models.newsletter import Delivery, Issue, Subscription, SubscriptionStatus
from portal.timezone import rome_date


def issues_of(tenant: Tenant) -> list[Issue]:
    return list(db.session.scalars(select(Issue).where(Issue.tenant_id == tenant.id).order_by(Issue.id.desc())))


def issue_of(tenant: Tenant, issue_id: int) -> Issue | None:
    return db.session.scalar(select(Issue).where(Issue.tenant_id == tenant.id, Issue.id == issue_id))


def sent_issues(tenant: Tenant) -> list[Issue]:
    return list(
        db.session.scalars(
            select(Issue).where(Issue.tenant_id == tenant.id, Issue.status == "sent").order_by(Issue.sent_at.desc())
        )
    )


def sent_issue(tenant: Tenant, issue_id: int) -> Issue | None:
    return db.session.scalar(
        select(Issue).where(Issue.tenant_id == tenant.id, Issue.id == issue_id, Issue.status == "sent")
    )


def delivery_counts(tenant: Tenant) -> dict[int, dict[str, int]]:
    """Per issue, deliveries by status."""
    rows = db.session.execute(
        select(Delivery.issue_id, Delivery.status, func.count())
        .where(Delivery.tenant_id == tenant.id)
        .group_by(Delivery.issue_id, Delivery.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for issue_id, status, number in rows:
        counts.setdefault(issue_id, {})[status.value] = number
    return counts


def subscriber_totals(tenant: Tenant) -> dict[SubscriptionStatus, int]:
    return dict(
        db.session.execute(
            select(Subscription.status, func.count())
            .where(Subscription.tenant_id == tenant.id)
            .group_by(Subscription.status)
        ).all()
    )


def subscriber_history(tenant: Tenant) -> list[tuple[date, int]]:
    """Confirmed subscribers at the end of each month (its first day, in Italian time), from
    confirmation and leaving dates."""
    deltas: dict[date, int] = {}
    for confirmed, left in db.session.execute(
        select(Subscription.confirmed_at, Subscription.unsubscribed_at).where(
            Subscription.tenant_id == tenant.id, Subscription.confirmed_at.is_not(None)
        )
    ):
        if confirmed is None:  # excluded by the query; for the type checker
            continue
        month = rome_date(confirmed).replace(day=1)
        deltas[month] = deltas.get(month, 0) + 1
        if left:
            month = rome_date(left).replace(day=1)
            deltas[month] = deltas.get(month, 0) - 1
    history, total = [], 0
    for month in sorted(deltas):
        total += deltas[month]
        history.append((month, total))
    return history[-12:]


# What a coordinator needs to send and to show consent was given: no tokens, no sources, no times of day.
SUBSCRIBER_EXPORT_HEADER = ("email", "language", "subscribed_on", "consent_text_version")


def subscriber_export_rows(tenant: Tenant) -> Iterator[tuple]:
    """Only the people who receive the newsletter (confirmed), and only what sending and proving
    consent need: pending and unsubscribed addresses are not the coordinator's to download."""
    for s in db.session.scalars(
        select(Subscription)
        .where(Subscription.tenant_id == tenant.id, Subscription.status == SubscriptionStatus.CONFIRMED)
        .order_by(Subscription.email)
    ):
        yield (
            s.email,
            s.locale,
            s.confirmed_at and s.confirmed_at.date().isoformat(),
            s.consent_text_version,
        )
