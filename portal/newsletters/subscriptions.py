"""Subscribing (double opt-in), confirming, leaving: one project at a time."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.lifecycle.data import ended_message, is_ended, require_not_ended
from portal.mail import send_templated_mail
from portal.models import Tenant, User
from portal.models.base import utcnow
from portal.models.newsletter import Subscription, SubscriptionStatus
from portal.tenancy import tenant_scope
from portal.tokens import TokenError, make_token, read_token
from portal.urls import public_url

CONFIRM = "newsletter-confirm"
MANAGE = "newsletter-manage"  # unsubscribe and change language
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7
MANAGE_MAX_AGE = 60 * 60 * 24 * 365 * 5
CONFIRMATION_INTERVAL = timedelta(hours=1)
CONSENT_TEXT_VERSION = "2026-11"
NEW_SUBSCRIPTIONS = _l("new newsletter subscriptions")
CONSENT_TEXT = _l(
    "I agree to receive this project's newsletter by e-mail. I can leave at any time with the link in every message."
)


def subscription_of(tenant: Tenant, email: str) -> Subscription | None:
    with tenant_scope(tenant):
        return db.session.scalar(
            select(Subscription).where(Subscription.tenant_id == tenant.id, Subscription.email == email.strip().lower())
        )


def manage_token(subscription: Subscription) -> str:
    return make_token(MANAGE, {"t": subscription.tenant_id, "s": subscription.id})


def _subscription_for(tenant: Tenant, purpose: str, token: str, max_age: int) -> Subscription:
    """The subscription a token names, only within `tenant`; raises TokenError."""
    payload = read_token(purpose, token, max_age)
    if payload.get("t") != tenant.id:
        raise TokenError()
    with tenant_scope(tenant):
        subscription = db.session.scalar(
            select(Subscription).where(Subscription.tenant_id == tenant.id, Subscription.id == payload.get("s"))
        )
    if subscription is None or (purpose == CONFIRM and subscription.email != payload.get("e")):
        raise TokenError()
    return subscription


def _send_confirmation(tenant: Tenant, subscription: Subscription) -> None:
    token = make_token(CONFIRM, {"t": tenant.id, "s": subscription.id, "e": subscription.email})
    with force_locale(subscription.locale):
        send_templated_mail(
            subscription.email,
            str(_l("Confirm your subscription to %(name)s", name=tenant.short_name)),
            "newsletters/email/confirm",
            tenant=tenant,
            link=public_url("tenant_site.newsletter.confirm", tenant=tenant.slug, token=token),
        )
    subscription.confirmation_sent_at = utcnow()


def ended_reason(tenant: Tenant) -> str:
    """Why an ended project's page offers no subscription (empty while the project runs)."""
    return str(ended_message(tenant, NEW_SUBSCRIPTIONS)) if is_ended(tenant) else ""


def subscribe(tenant: Tenant, email: str, locale: str, source: str, user: User | None = None) -> None:
    """Record consent and send one confirmation (at most one an hour per address).

    A signed-in user subscribing their own confirmed address is confirmed at once.
    The answer to the visitor is the same whatever the address's state. An ended project sends no
    more issues, so it takes no subscription (ProjectEnded): an address would be kept for nothing.
    """
    require_not_ended(tenant, NEW_SUBSCRIPTIONS, field="email")
    email = email.strip().lower()
    now = utcnow()
    with tenant_scope(tenant):
        subscription = db.session.scalar(
            select(Subscription).where(Subscription.tenant_id == tenant.id, Subscription.email == email)
        )
        if subscription is not None and subscription.status == SubscriptionStatus.CONFIRMED:
            return
        if subscription is None:
            subscription = Subscription(tenant_id=tenant.id, email=email)
            db.session.add(subscription)
        subscription.locale = locale
        subscription.status = SubscriptionStatus.PENDING
        subscription.consent_at, subscription.consent_text_version, subscription.consent_source = (
            now,
            CONSENT_TEXT_VERSION,
            source,
        )
        own_address = user is not None and user.is_authenticated and user.is_confirmed and user.email == email
        if own_address and user is not None:
            subscription.user_id = user.id
            subscription.status, subscription.confirmed_at = SubscriptionStatus.CONFIRMED, now
        db.session.flush()
        recently = subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < CONFIRMATION_INTERVAL
        if not own_address and not recently:
            _send_confirmation(tenant, subscription)


def confirm(tenant: Tenant, token: str) -> Subscription:
    subscription = _subscription_for(tenant, CONFIRM, token, CONFIRM_MAX_AGE)
    with tenant_scope(tenant):
        if subscription.status == SubscriptionStatus.PENDING:
            subscription.status, subscription.confirmed_at = SubscriptionStatus.CONFIRMED, utcnow()
    return subscription


def subscription_for_manage_token(tenant: Tenant, token: str) -> Subscription:
    return _subscription_for(tenant, MANAGE, token, MANAGE_MAX_AGE)


def unsubscribe(tenant: Tenant, subscription: Subscription) -> None:
    """Idempotent: leaving twice is leaving once."""
    with tenant_scope(tenant):
        if subscription.status != SubscriptionStatus.UNSUBSCRIBED:
            subscription.status, subscription.unsubscribed_at = SubscriptionStatus.UNSUBSCRIBED, utcnow()


def change_language(tenant: Tenant, subscription: Subscription, locale: str) -> None:
    with tenant_scope(tenant):
        subscription.locale = locale
