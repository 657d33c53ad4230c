"""Saving a search as an alert (double opt-in, like newsletters), confirming, changing, stopping.

Tokens carry ids, never the address. Each purpose has its own salt (portal/tokens.py), so a
confirmation link cannot stop an alert and no newsletter token opens an alert, nor the reverse.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.alerts.saved_search import SavedSearch
from portal.extensions import db
from portal.lifecycle.data import require_not_ended
from portal.mail import send_templated_mail
from portal.models import Alert, Tenant, User
from portal.models.alert import AlertFrequency, AlertStatus
from portal.models.base import utcnow
from portal.throttle import allow
from portal.tokens import TokenError, make_token, read_token
from portal.urls import public_url

NEW_ALERTS = _l("new alerts")
CONFIRM = "alert-confirm"
MANAGE = "alert-manage"  # the page of every alert of the address, and one-click stop
FEED = "alert-feed"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7
MANAGE_MAX_AGE = 60 * 60 * 24 * 365 * 5
CONFIRMATION_INTERVAL = timedelta(hours=1)
CONSENT_TEXT_VERSION = "2026-12"
CONSENT_TEXT = _l(
    "I agree to receive by e-mail the new entries that match this search. "
    "I can change or stop the alert at any time with the link in every message."
)
PERIODS = {AlertFrequency.DAILY: timedelta(days=1), AlertFrequency.WEEKLY: timedelta(days=7)}


def _payload(alert: Alert) -> dict[str, object]:
    return {"a": alert.id, "k": alert.token_key}


def manage_token(alert: Alert) -> str:
    return make_token(MANAGE, _payload(alert))


def feed_token(alert: Alert) -> str:
    return make_token(FEED, _payload(alert))


def _confirm_token(alert: Alert) -> str:
    return make_token(CONFIRM, {**_payload(alert), "c": int(alert.consent_at.timestamp()) if alert.consent_at else 0})


def alert_for(purpose: str, token: str) -> Alert:
    """The alert a token names; raises TokenError for a tampered, expired or foreign token, and
    for one whose alert is gone (its id and key name one row, never a later one)."""
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else MANAGE_MAX_AGE
    payload = read_token(purpose, token, max_age)
    alert = db.session.get(Alert, payload.get("a")) if isinstance(payload.get("a"), int) else None
    if alert is None or payload.get("k") != alert.token_key:
        raise TokenError()
    if purpose == CONFIRM and payload.get("c") != (int(alert.consent_at.timestamp()) if alert.consent_at else 0):
        raise TokenError()  # a link from before the search was saved again
    return alert


def saved_search(alert: Alert) -> SavedSearch:
    tenant = db.session.get(Tenant, alert.scope_tenant_id) if alert.scope_tenant_id else None
    return SavedSearch.of(alert, tenant)


def alerts_of(alert: Alert) -> list[Alert]:
    """Every alert of the same address that is not stopped: one page manages them all."""
    return list(
        db.session.scalars(
            select(Alert).where(Alert.email == alert.email, Alert.status != AlertStatus.STOPPED).order_by(Alert.id)
        )
    )


def _send_confirmation(alert: Alert, search: SavedSearch) -> None:
    if not allow("RATELIMIT_MAIL_PER_ADDRESS", "alert-confirm", alert.email):
        return  # many searches saved for one address in an hour: no mail storm
    with force_locale(alert.locale):
        send_templated_mail(
            alert.email,
            str(_l("Confirm your Crocevia alert")),
            "alerts/email/confirm",
            search=search.describe(),
            search_url=search.url(),
            frequency=alert.frequency.value,
            link=public_url("alerts.confirm", token=_confirm_token(alert)),
        )
    alert.confirmation_sent_at = utcnow()


def subscribe(
    search: SavedSearch, email: str, locale: str, frequency: str, source: str, user: User | None = None
) -> Alert:
    """Record consent and send one confirmation (at most one an hour per address and search).

    Saving the same search again never makes a second alert. A signed-in person saving it for
    their own confirmed address is confirmed at once. The page shown afterwards is the same
    whatever the address's state, so nobody learns which addresses have alerts.
    """
    if search.tenant is not None:  # an ended project takes no new entry: such an alert would never send
        require_not_ended(search.tenant, NEW_ALERTS, field="email")
    email, now = email.strip().lower(), utcnow()
    own_address = user is not None and user.is_authenticated and user.is_confirmed and user.email == email
    alert = db.session.scalar(select(Alert).where(Alert.email == email, Alert.search_key == search.key))
    if alert is not None and alert.status == AlertStatus.CONFIRMED:
        if own_address:
            alert.frequency, alert.locale = AlertFrequency(frequency), locale
        return alert
    recently = bool(alert and alert.confirmation_sent_at and now - alert.confirmation_sent_at < CONFIRMATION_INTERVAL)
    if alert is not None and recently and not own_address:
        return alert  # the link mailed a moment ago stays valid: nothing changes, nothing is sent
    if alert is None:
        alert = Alert(email=email, search_key=search.key)
        db.session.add(alert)
    alert.scope_tenant_id = search.tenant.id if search.tenant else None
    alert.kind, alert.params = search.kind, [list(pair) for pair in search.params]
    alert.locale, alert.frequency, alert.status = locale, AlertFrequency(frequency), AlertStatus.PENDING
    alert.consent_at, alert.consent_text_version, alert.consent_source = now, CONSENT_TEXT_VERSION, source
    if own_address and user is not None:
        alert.user_id = user.id
        _activate(alert)
        db.session.flush()
        return alert
    db.session.flush()
    _send_confirmation(alert, search)
    return alert


def _activate(alert: Alert) -> None:
    """Confirmed now: the first mail lists what is published from this moment on (from the
    start of the previous whole second: the engines keep publication times in whole seconds)."""
    now = utcnow()
    alert.status, alert.confirmed_at, alert.stopped_at = AlertStatus.CONFIRMED, now, None
    alert.matched_until, alert.next_due_at = now.replace(microsecond=0) - timedelta(seconds=1), now


def confirm(token: str) -> Alert:
    alert = alert_for(CONFIRM, token)
    if alert.status == AlertStatus.PENDING:
        _activate(alert)
    elif alert.status == AlertStatus.STOPPED:
        raise TokenError()  # stopped since: saving the search again asks for a new confirmation
    return alert


def change(alert: Alert, frequency: str, locale: str) -> None:
    alert.frequency, alert.locale = AlertFrequency(frequency), locale
    if alert.last_sent_at is not None:
        alert.next_due_at = alert.last_sent_at + PERIODS[alert.frequency]


def stop(alert: Alert) -> None:
    """Idempotent: stopping twice is stopping once."""
    if alert.status != AlertStatus.STOPPED:
        alert.status, alert.stopped_at, alert.next_due_at = AlertStatus.STOPPED, utcnow(), None


def stop_all(alert: Alert) -> int:
    alerts = alerts_of(alert)
    for each in alerts:
        stop(each)
    return len(alerts)
