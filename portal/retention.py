"""Keeping personal data no longer than needed: what the privacy notice promises, done.

Each function deletes in one statement and returns how many rows went; the caller (the
`purge-unconfirmed` job or the CLI) commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from portal.database import rowcount
from portal.extensions import db
from portal.models import Subscription, User
from portal.models.base import utcnow
from portal.models.newsletter import SubscriptionStatus
from portal.newsletters.subscriptions import CONFIRM_MAX_AGE


def purge_unconfirmed_accounts(days: int) -> int:
    """Accounts whose address was never confirmed within `days` of registering."""
    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(User)
        .where(User.email_confirmed_at.is_(None), User.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


def purge_unconfirmed_subscriptions() -> int:
    """Newsletter subscriptions never confirmed once their confirmation link has expired
    (in every project: a maintenance job crosses tenants on purpose)."""
    cutoff = utcnow() - timedelta(seconds=CONFIRM_MAX_AGE)
    result = db.session.execute(
        delete(Subscription)
        .where(
            Subscription.status == SubscriptionStatus.PENDING,
            Subscription.confirmed_at.is_(None),
            Subscription.consent_at < cutoff,
        )
        .execution_options(all_tenants=True, synchronize_session=False)
    )
    return rowcount(result)
