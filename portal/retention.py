"""Keeping personal data no longer than needed: what the privacy notice promises, done.

Each function deletes in one statement and returns how many rows went; the caller (the
`purge-unconfirmed` job or the CLI) commits.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update

from portal.database import rowcount
from portal.extensions import db
from portal.models import AuditEvent, Subscription, User
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


def purge_alerts(stopped_days: int | None = None) -> int:
    """Alerts never confirmed once their link has expired, and alerts stopped `stopped_days` ago
    (default ALERT_STOPPED_RETENTION_DAYS)."""
    stopped_days = stopped_days or current_app.config["ALERT_STOPPED_RETENTION_DAYS"]
    from portal.alerts.services import CONFIRM_MAX_AGE as ALERT_CONFIRM_MAX_AGE
    from portal.models import Alert
    from portal.models.alert import AlertStatus

    now = utcnow()
    never_confirmed = (Alert.status == AlertStatus.PENDING) & Alert.confirmed_at.is_(None)
    never_confirmed &= Alert.consent_at < now - timedelta(seconds=ALERT_CONFIRM_MAX_AGE)
    stopped = (Alert.status == AlertStatus.STOPPED) & (Alert.stopped_at < now - timedelta(days=stopped_days))
    result = db.session.execute(
        delete(Alert).where(never_confirmed | stopped).execution_options(synchronize_session=False)
    )
    return rowcount(result)


def clear_old_audit_details(months: int) -> int:
    """Audit events older than `months` (30 days each) keep who, what and when, and lose their details
    (changed values, e-mail addresses, notes); returns how many were cleared now."""
    now = utcnow()
    result = db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.at < now - timedelta(days=30 * months), AuditEvent.details_cleared_at.is_(None))
        .values(changes={}, note="", details_cleared_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


def purge_expired(account_days: int) -> str:
    """Everything above, as the `purge-unconfirmed` job and `users purge-unconfirmed` run it."""
    from portal.companies.services import purge_decided
    from portal.companies.services import purge_unconfirmed as purge_registrations
    from portal.invitations.services import purge_expired as purge_invitations

    accounts = purge_unconfirmed_accounts(account_days)
    subscriptions = purge_unconfirmed_subscriptions()
    alerts = purge_alerts()
    registrations = purge_registrations(utcnow())
    decided = purge_decided(utcnow(), current_app.config["COMPANY_REGISTRATION_RETENTION_DAYS"])
    invitations = purge_invitations(utcnow())
    return (
        f"deleted {accounts} unconfirmed accounts, {subscriptions} unconfirmed subscriptions, "
        f"{alerts} unconfirmed or stopped alerts, {registrations} unconfirmed company registrations, "
        f"{decided} company registrations decided long ago and {invitations} expired invitations"
    )


def purge_everything() -> str:
    """Every retention rule with its configured period (`flask privacy purge`); the caller commits."""
    from portal.interests.services import purge_expired as purge_interests

    config = current_app.config
    summary = purge_expired(config["UNCONFIRMED_ACCOUNT_DAYS"])
    interests = purge_interests(config["INTEREST_RETENTION_DAYS"])
    audit = clear_old_audit_details(config["AUDIT_DETAILS_RETENTION_MONTHS"])
    return f"{summary}; deleted {interests} expressions of interest; cleared the details of {audit} audit events"
