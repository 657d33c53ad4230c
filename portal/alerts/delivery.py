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
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select, update

from portal.alerts import services
from portal.alerts.saved_search import SavedSearch
from portal.bilingual import ENGLISH, english_of
from portal.directory import indexing
from portal.directory.kinds import detail_url
from portal.extensions import db
from portal.mail import BULK_TO, BulkTemplate, build_message, send_mail
from portal.mail_queue import enqueue_raw
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
    by_window: dict[tuple, list[int]] = defaultdict(list)  # one search per saved search and window
    due = select(Alert.id, Alert.search_key, Alert.matched_until).where(_due(now)).order_by(Alert.id)
    for alert_id, key, since in db.session.execute(due):
        by_window[(key, since)].append(alert_id)
    for ids in by_window.values():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            try:
                _check_group(batch, now, until, report)
            except Exception:  # one bad search must not stop the others: logged, retried next run
                log.exception("alerts: %d alerts of one search failed; the next run retries them", len(batch))
                db.session.rollback()
                report.skipped += len(batch)
            for _ in batch:
                if on_alert is not None:
                    on_alert()
    return report


def _check_group(ids: list[int], now: datetime, until: datetime, report: AlertReport) -> None:
    """Alerts of one saved search and one window: one search, one claim and one message per period."""
    alerts = list(db.session.scalars(select(Alert).where(Alert.id.in_(ids), _due(now))))
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
    alike: dict[tuple, list[Alert]] = defaultdict(list)  # same window (a run read them so) and period
    for alert in alerts:
        alike[(alert.matched_until, alert.frequency)].append(alert)
    for (since, _frequency), members in alike.items():
        report.checked += len(members)
        new = [hit for hit in result.hits if (epoch(published.get(hit.id)) or 0) > (epoch(since) or 0)]
        more = max(0, result.total - len(new)) if since == query.published_after else 0
        claimed = _claim(members, since, until, now, sending=bool(new))
        if new:
            _queue_mails([a for a in members if a.id in claimed], search, new, more)
            report.sent += len(claimed)
        else:
            report.nothing_new += len(claimed)
    db.session.commit()


def _published_at(hits: list[Hit]) -> dict[str, datetime | None]:
    """When each hit was published, as the index has it (creation time when never recorded)."""
    ids: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        kind, _, number = hit.id.partition(":")
        ids["organisation" if kind == "organisation" else "entry"].append(int(number))
    found: dict[str, datetime | None] = {}
    if ids["entry"]:
        for kind, row_id, at in db.session.execute(
            select(Entry.kind, Entry.id, func.coalesce(Entry.published_at, Entry.created_at)).where(
                Entry.id.in_(ids["entry"])
            )
        ):
            found[f"{kind}:{row_id}"] = at
    if ids["organisation"]:
        for row_id, at in db.session.execute(
            select(Organisation.id, func.coalesce(Organisation.published_at, Organisation.created_at)).where(
                Organisation.id.in_(ids["organisation"])
            )
        ):
            found[f"organisation:{row_id}"] = at
    return found


def _claim(alerts: list[Alert], since: datetime | None, until: datetime, now: datetime, sending: bool) -> set[int]:
    """Move the window of these alerts (same window, same period) on, once: the ids this run
    got; an alert another run moved first is not among them."""
    values: dict = {"matched_until": until}
    if sending:
        period = services.PERIODS[alerts[0].frequency]
        values |= {"last_sent_at": now, "next_due_at": now + period, "sent_count": Alert.sent_count + 1}
    claimed = db.session.execute(
        update(Alert)
        .where(Alert.id.in_([a.id for a in alerts]), Alert.matched_until == since, _due(now))
        .values(**values)
        .returning(Alert.id)
        .execution_options(synchronize_session=False)
    )
    return set(claimed.scalars())


TOKEN_MARK = "__CROCEVIA_ALERT_TOKEN__"  # each recipient's own token, in a message rendered once


def _queue_mails(alerts: list[Alert], search: SavedSearch, hits: list[Hit], more: int) -> None:
    """One message per alert, from one template per language (portal.mail.BulkTemplate), queued
    in one INSERT; an address that is not plain ASCII takes the ordinary path."""
    domain = public_host()
    templates: dict[str, BulkTemplate] = {}
    queued: list[tuple[str, bytes]] = []
    for alert in alerts:
        token, message_id = services.manage_token(alert), make_msgid(domain=domain)
        if not BulkTemplate.fits(alert.email, message_id):
            text, html, subject, headers = _render(alert.locale, search, hits, more, token)
            send_mail(alert.email, subject, text, html, headers=headers)
            continue
        if alert.locale not in templates:
            text, html, subject, headers = _render(alert.locale, search, hits, more, TOKEN_MARK)
            templates[alert.locale] = BulkTemplate(
                build_message(BULK_TO, subject, text, html, headers=headers, eight_bit=True)
            )
        queued.append((alert.email, templates[alert.locale].fill(alert.email, message_id, {TOKEN_MARK: token})))
    enqueue_raw(queued)


def _in_language(hits: list[Hit], locale: str) -> list[Hit]:
    """The hits with their entries' titles in `locale` where they have that version (the search
    ran once for every subscriber, with the Italian titles)."""
    ids = [int(hit.id.partition(":")[2]) for hit in hits if hit.kind != "organisation" and hit.lang != locale]
    if locale != ENGLISH or not ids:
        return hits
    english = {
        row.id: row.title_en for row in db.session.execute(select(Entry.id, Entry.title_en).where(Entry.id.in_(ids)))
    }
    in_english = []
    for hit in hits:
        title = english_of(english.get(int(hit.id.partition(":")[2]))) if hit.kind != "organisation" else ""
        in_english.append(replace(hit, title=title, lang=ENGLISH) if title else hit)
    return in_english


def _render(locale: str, search: SavedSearch, hits: list[Hit], more: int, token: str):
    """(text, html, subject, headers) of an alert's message in `locale`, with `token` in its links."""
    with force_locale(locale):
        context = {
            "search": search.describe(),
            "search_url": search.url(),
            "entries": [(hit, detail_url(hit.kind, hit.url_slug, public_url)) for hit in _in_language(hits, locale)],
            "more": more,
            "manage_url": public_url("alerts.manage", token=token),
        }
        subject = ngettext("%(num)d new for your search: %(search)s", "%(num)d new for your search: %(search)s",
                           len(hits) + more, search=context["search"])  # fmt: skip
        headers = {
            "List-Id": f"Crocevia alerts <alerts.{public_host()}>",
            "List-Unsubscribe": f"<{public_url('alerts.unsubscribe', token=token)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        }
        return (
            render_template("alerts/email/alert.txt", **context),
            render_template("alerts/email/alert.html", **context),
            subject,
            headers,
        )
