"""`alerts send-due`: one mail per due alert listing only what is new since its last one.

Each alert keeps `matched_until`, the instant up to which published entries have been
considered. A run picks a cut-off (a minute ago, and never past a change the search index
has not applied yet, so nothing published is skipped), runs each distinct saved search once
over (oldest matched_until, cut-off], and for every alert of that search that has something
new *claims* it with a conditional UPDATE (matched_until still what was read, still due)
and queues its mail in the same transaction. So two hosts running at once never send the
same alert twice (the second UPDATE matches no row), a crash before the commit leaves the
alert as it was (the next run does it), and after the commit the mail queue
(portal/mail_queue.py: the newsletters' claim design) delivers it once, retrying while SMTP
is down. Nothing new: no mail, and the alert stays due, so the first mail leaves at the first
run after something new appears; after a mail, the next is due one period later.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select, update

from portal.alerts import services
from portal.alerts.saved_search import SavedSearch
from portal.database import rowcount
from portal.directory import indexing
from portal.directory.kinds import detail_url
from portal.extensions import db
from portal.mail import send_mail
from portal.models import Alert, Entry, Organisation, SearchOutbox
from portal.models.alert import AlertStatus
from portal.models.base import utcnow
from portal.urls import public_host, public_url
from search_index import Hit
from search_index.querying import epoch

log = logging.getLogger(__name__)
SETTLE = timedelta(minutes=1)  # requests that publish commit within this; later ones wait a run
PER_MAIL = 20
BATCH = 500


@dataclass
class AlertReport:
    checked: int = 0
    sent: int = 0
    nothing_new: int = 0
    skipped: int = 0  # the search engine failed: tried again at the next run

    def summary(self) -> str:
        return f"checked {self.checked}, mails queued {self.sent}, nothing new {self.nothing_new}, retry {self.skipped}"


def cut_off(now: datetime) -> datetime:
    """The latest publication instant every engine already sees (whole seconds)."""
    until = now - SETTLE
    if not indexing.engine().follows_transactions:
        oldest = db.session.scalar(select(func.min(SearchOutbox.created_at)))
        if oldest is not None and oldest - timedelta(seconds=1) < until:
            until = oldest - timedelta(seconds=1)
    return until.replace(microsecond=0)


def due_count(now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(Alert).where(_due(now))) or 0


def _due(now: datetime):
    return (Alert.status == AlertStatus.CONFIRMED) & (Alert.next_due_at <= now)


def send_due(now: datetime | None = None, on_alert: Callable[[], None] | None = None) -> AlertReport:
    """Check every due alert once; safe to run on several hosts at once and after a crash."""
    now = now or utcnow()
    until, report = cut_off(now), AlertReport()
    by_search: dict[str, list[int]] = defaultdict(list)
    for alert_id, key in db.session.execute(select(Alert.id, Alert.search_key).where(_due(now)).order_by(Alert.id)):
        by_search[key].append(alert_id)
    for ids in by_search.values():
        for start in range(0, len(ids), BATCH):
            _check_group(ids[start : start + BATCH], now, until, report)
            for _ in ids[start : start + BATCH]:
                if on_alert is not None:
                    on_alert()
    return report


def _check_group(ids: list[int], now: datetime, until: datetime, report: AlertReport) -> None:
    """Alerts of one saved search: one search over the widest window, then each alert's share."""
    alerts = [a for a in db.session.scalars(select(Alert).where(Alert.id.in_(ids), _due(now))) if a.matched_until]
    alerts = [a for a in alerts if a.matched_until and a.matched_until < until]
    if not alerts:
        return
    search = services.saved_search(alerts[0])
    query = search.query()
    query.published_after = min(a.matched_until for a in alerts if a.matched_until)
    query.published_until, query.per_page = until, PER_MAIL
    try:
        result = indexing.engine().search(query)
    except Exception:  # an unavailable or failing engine: nothing is claimed, the next run retries
        log.exception("alerts: the search engine failed; %d alerts wait for the next run", len(alerts))
        report.skipped += len(alerts)
        db.session.rollback()
        return
    published = _published_at(result.hits)
    for alert in alerts:
        report.checked += 1
        since = epoch(alert.matched_until) or 0
        new = [hit for hit in result.hits if (epoch(published.get(hit.id)) or 0) > since]
        more = max(0, result.total - len(result.hits)) if alert.matched_until == query.published_after else 0
        if _claim(alert, until, now, bool(new)):
            if new:
                _queue_mail(alert, search, new, more)
                report.sent += 1
            else:
                report.nothing_new += 1
    db.session.commit()


def _published_at(hits: list[Hit]) -> dict[str, datetime | None]:
    ids: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        kind, _, number = hit.id.partition(":")
        ids["organisation" if kind == "organisation" else "entry"].append(int(number))
    found: dict[str, datetime | None] = {}
    if ids["entry"]:
        for kind, row_id, at in db.session.execute(
            select(Entry.kind, Entry.id, Entry.published_at).where(Entry.id.in_(ids["entry"]))
        ):
            found[f"{kind}:{row_id}"] = at
    if ids["organisation"]:
        for row_id, at in db.session.execute(
            select(Organisation.id, Organisation.published_at).where(Organisation.id.in_(ids["organisation"]))
        ):
            found[f"organisation:{row_id}"] = at
    return found


def _claim(alert: Alert, until: datetime, now: datetime, sending: bool) -> bool:
    """Move the alert's window on, once: False when another run got there first."""
    values: dict = {"matched_until": until}
    if sending:
        period = services.PERIODS[alert.frequency]
        values |= {"last_sent_at": now, "next_due_at": now + period, "sent_count": Alert.sent_count + 1}
    claimed = db.session.execute(
        update(Alert)
        .where(Alert.id == alert.id, Alert.matched_until == alert.matched_until, _due(now))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(claimed) == 1


def _queue_mail(alert: Alert, search: SavedSearch, hits: list[Hit], more: int) -> None:
    stop_url = public_url("alerts.unsubscribe", token=services.manage_token(alert))
    domain = public_host()
    with force_locale(alert.locale):
        context = {
            "search": search.describe(),
            "search_url": search.url(),
            "entries": [(hit, detail_url(hit.kind, hit.url_slug, public_url)) for hit in hits],
            "more": more,
            "manage_url": public_url("alerts.manage", token=services.manage_token(alert)),
            "frequency": alert.frequency.value,
        }
        subject = ngettext("%(num)d new for your search: %(search)s", "%(num)d new for your search: %(search)s",
                           len(hits) + more, search=context["search"])  # fmt: skip
        send_mail(
            alert.email,
            subject,
            render_template("alerts/email/alert.txt", **context),
            render_template("alerts/email/alert.html", **context),
            headers={
                "List-Id": f"Crocevia alerts <alerts.{domain}>",
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
            sender=current_app.config["MAIL_FROM"],
        )
