"""Sending issues: resumable, idempotent, safe with several senders at once.

Each recipient is a Delivery row. A sender *claims* rows with a conditional UPDATE
(so two senders never get the same row), sends each over one SMTP connection and
commits `sent` right after the server accepted it. If a sender dies, rows it claimed
but never started go back to the queue at once (the claim names a host and process
that no longer runs); the one message it was sending when killed is the only one whose
fate is unknown, and it is re-sent with the same Message-ID so receivers can drop
a duplicate. A graceful stop (SIGTERM) finishes that message first: no unknowns.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.claims import claimant_is_dead, worker_id
from portal.database import rowcount
from portal.extensions import db
from portal.lifecycle.data import is_ended
from portal.mail import transport
from portal.models import Tenant
from portal.models.base import utcnow
from portal.models.newsletter import Delivery, DeliveryStatus, Issue, IssueStatus, Subscription, SubscriptionStatus
from portal.newsletters.issues import IssueRenderer
from portal.tenancy import tenant_scope
from portal.timezone import rome_date

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 200


class StopRequested(Exception):
    """Raised between two messages when the sender was asked to stop."""


@dataclass
class SendReport:
    sent: int = 0
    failed_temporary: int = 0
    failed_permanent: int = 0
    issues_finished: list[int] = field(default_factory=list)
    on_message: Callable[[], None] | None = None  # a progress bar's tick, after each recipient

    def tick(self) -> None:
        if self.on_message is not None:
            self.on_message()


def due_issues(now: datetime) -> list[tuple[int, int]]:
    """(tenant id, issue id) of issues whose time has come or that are still sending."""
    stmt = (
        select(Issue.tenant_id, Issue.id)
        .where(
            or_(
                and_(Issue.status == IssueStatus.SCHEDULED, Issue.scheduled_at <= now),
                Issue.status == IssueStatus.SENDING,
            )
        )
        .order_by(Issue.scheduled_at)
        .execution_options(all_tenants=True)
    )
    return [(tenant_id, issue_id) for tenant_id, issue_id in db.session.execute(stmt)]


def start(tenant: Tenant, issue_id: int, now: datetime) -> None:
    """scheduled -> sending, once, with one Delivery per confirmed subscriber."""
    with tenant_scope(tenant):
        started = db.session.execute(
            update(Issue)
            .where(Issue.id == issue_id, Issue.status == IssueStatus.SCHEDULED, Issue.scheduled_at <= now)
            .values(status=IssueStatus.SENDING, version=Issue.version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(started) == 1:
            already = select(Delivery.subscription_id).where(Delivery.issue_id == issue_id)
            recipients = db.session.execute(
                select(Subscription.id, Subscription.email).where(
                    Subscription.tenant_id == tenant.id,
                    Subscription.status == SubscriptionStatus.CONFIRMED,
                    Subscription.id.not_in(already),
                )
            ).all()
            if recipients:
                db.session.execute(
                    insert(Delivery),
                    [
                        {
                            "tenant_id": tenant.id,
                            "issue_id": issue_id,
                            "subscription_id": sid,
                            "email": email,
                            "status": DeliveryStatus.QUEUED.value,
                        }
                        for sid, email in recipients
                    ],
                )
        db.session.commit()


def _release_dead_claims(tenant: Tenant, issue_id: int, now: datetime) -> None:
    claims = db.session.execute(
        select(Delivery.claimed_by, func.min(Delivery.claimed_at))
        .where(Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.SENDING)
        .group_by(Delivery.claimed_by)
    ).all()
    for claimed_by, claimed_at in claims:
        if claimant_is_dead(claimed_by) or (claimed_at and now - claimed_at > STALE_CLAIM):
            db.session.execute(
                update(Delivery)
                .where(
                    Delivery.issue_id == issue_id,
                    Delivery.status == DeliveryStatus.SENDING,
                    Delivery.claimed_by == claimed_by,
                )
                .values(status=DeliveryStatus.QUEUED, claimed_by="")
                .execution_options(synchronize_session=False)
            )
    db.session.commit()


def _claim(tenant: Tenant, issue_id: int, worker: str, now: datetime, limit: int) -> list[Delivery]:
    claimable = and_(
        Delivery.issue_id == issue_id,
        or_(
            Delivery.status == DeliveryStatus.QUEUED,
            and_(Delivery.status == DeliveryStatus.FAILED_TEMPORARY, Delivery.next_attempt_at <= now),
        ),
    )
    ids = list(db.session.scalars(select(Delivery.id).where(claimable).order_by(Delivery.id).limit(limit)))
    if not ids:
        return []
    db.session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), claimable)
        .values(status=DeliveryStatus.SENDING, claimed_by=worker, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.id.in_(ids), Delivery.claimed_by == worker, Delivery.status == DeliveryStatus.SENDING)
            .order_by(Delivery.id)
        )
    )


def _message_id(issue: Issue, delivery: Delivery, domain: str) -> str:
    return f"<newsletter.{issue.id}.{delivery.subscription_id}@{domain}>"


def _fail(delivery: Delivery, error: str, permanent: bool, now: datetime) -> None:
    delivery.attempts += 1
    delivery.last_error = error[:500]
    delivery.claimed_by = ""
    if permanent or delivery.attempts >= len(BACKOFF_SECONDS):
        delivery.status = DeliveryStatus.FAILED_PERMANENT
    else:
        delivery.status = DeliveryStatus.FAILED_TEMPORARY
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS[delivery.attempts - 1])


def _mark_sent(delivery: Delivery) -> None:
    """One UPDATE, without the unit of work: this runs once per recipient."""
    db.session.execute(
        update(Delivery).where(Delivery.id == delivery.id)
        .values(status=DeliveryStatus.SENT, sent_at=utcnow(), claimed_by="", attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    set_committed_value(delivery, "status", DeliveryStatus.SENT)  # known to be so; nothing to flush


def _send_batch(renderer: IssueRenderer, batch: list[Delivery], report: SendReport, should_stop) -> None:
    issue = renderer.issue
    subscriptions = {
        s.id: s
        for s in db.session.scalars(select(Subscription).where(Subscription.id.in_([d.subscription_id for d in batch])))
    }
    pending = list(batch)
    try:
        with transport().session() as session:
            while pending:
                if should_stop():
                    raise StopRequested()
                delivery = pending[0]
                subscription = subscriptions[delivery.subscription_id]
                message_id = _message_id(issue, delivery, renderer.domain)
                raw = (
                    renderer.raw_message(delivery.email, subscription.locale, subscription, message_id)
                    if session.supports_raw
                    else None
                )
                try:
                    if raw is not None:
                        session.send_raw(renderer.envelope_sender, [delivery.email], raw)
                    else:
                        session.send(renderer.message(delivery.email, subscription.locale, subscription, message_id))
                except smtplib.SMTPRecipientsRefused as refused:
                    code, reason = next(iter(refused.recipients.values()))
                    _fail(delivery, f"{code} {reason!r}", permanent=500 <= code < 600, now=utcnow())
                    report.failed_permanent += delivery.status == DeliveryStatus.FAILED_PERMANENT
                    report.failed_temporary += delivery.status == DeliveryStatus.FAILED_TEMPORARY
                else:
                    _mark_sent(delivery)
                    report.sent += 1
                db.session.commit()  # right after the server's answer: the unknown window stays tiny
                pending.pop(0)
                report.tick()
    except StopRequested:
        raise
    except (smtplib.SMTPException, OSError) as exc:  # server down or dropped us: retry all that is left later
        now = utcnow()
        for delivery in pending:
            _fail(delivery, f"{type(exc).__name__}: {exc}", permanent=False, now=now)
            report.failed_temporary += 1
        db.session.commit()
    finally:
        if pending and any(d.status == DeliveryStatus.SENDING for d in pending):
            for delivery in pending:
                if delivery.status == DeliveryStatus.SENDING:
                    delivery.status, delivery.claimed_by = DeliveryStatus.QUEUED, ""
            db.session.commit()


def _finish_if_done(tenant: Tenant, issue: Issue, report: SendReport) -> None:
    open_rows = db.session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(
            Delivery.issue_id == issue.id,
            Delivery.status.in_([DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.FAILED_TEMPORARY]),
        )
    )
    if not open_rows:
        db.session.execute(
            update(Issue)
            .where(Issue.id == issue.id, Issue.status == IssueStatus.SENDING)
            .values(status=IssueStatus.SENT, sent_at=utcnow(), version=Issue.version + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        report.issues_finished.append(issue.id)


def send_issue(
    tenant: Tenant,
    issue_id: int,
    worker: str | None = None,
    batch_size: int = BATCH,
    should_stop=lambda: False,
    now: datetime | None = None,
    on_message: Callable[[], None] | None = None,
) -> SendReport:
    """Send what is claimable now for one issue; safe to run in several processes at once."""
    worker = worker or worker_id()
    report = SendReport(on_message=on_message)
    now = now or utcnow()
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False  # one commit per message
    try:
        with tenant_scope(tenant):
            _send_claimed(tenant, issue_id, worker, now, batch_size, report, should_stop)
    finally:
        session.expire_on_commit = expire_on_commit
    return report


def _send_claimed(tenant, issue_id, worker, now, batch_size, report, should_stop) -> None:
    _release_dead_claims(tenant, issue_id, now)
    issue = db.session.get(Issue, issue_id)
    if issue is None:
        return
    renderer = IssueRenderer(tenant, issue, current_app.config["NEWSLETTER_FROM_DOMAIN"])
    while batch := _claim(tenant, issue_id, worker, now, batch_size):
        _send_batch(renderer, batch, report, should_stop)
        if report.failed_temporary and any(d.status == DeliveryStatus.FAILED_TEMPORARY for d in batch):
            break  # the server is unhappy: leave the rest for the next run
    _finish_if_done(tenant, issue, report)


def start_due(now: datetime) -> list[tuple[Tenant, int]]:
    """Start every issue whose time has come; (tenant, issue id) of those to send. An issue
    scheduled before its project ended is not started after the end: it stays scheduled (the
    project sends nothing more; its coordinators see it in the composer's list)."""
    started = []
    for tenant_id, issue_id in due_issues(now):
        tenant = db.session.get(Tenant, tenant_id)
        if tenant is not None and not is_ended(tenant, rome_date(now)):
            start(tenant, issue_id, now)
            started.append((tenant, issue_id))
    return started


def waiting_deliveries(issue_ids: list[int], now: datetime) -> int:
    """Recipients still to be sent (or retried now) for these issues: a progress bar's total."""
    return db.session.scalar(
        select(func.count()).select_from(Delivery).where(
            Delivery.issue_id.in_(issue_ids),
            or_(Delivery.status == DeliveryStatus.QUEUED,
                and_(Delivery.status == DeliveryStatus.FAILED_TEMPORARY, Delivery.next_attempt_at <= now)),
        ).execution_options(all_tenants=True)
    ) or 0  # fmt: skip


def send_due(
    now: datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_message: Callable[[], None] | None = None,
    started: list[tuple[Tenant, int]] | None = None,
) -> SendReport:
    """What cron, the RQ job and the in-process runner call: start due issues, send, retry."""
    now = now or utcnow()
    total = SendReport()
    worker = worker_id()
    for tenant, issue_id in started if started is not None else start_due(now):
        report = send_issue(tenant, issue_id, worker, should_stop=should_stop, now=now, on_message=on_message)
        total.sent += report.sent
        total.failed_temporary += report.failed_temporary
        total.failed_permanent += report.failed_permanent
        total.issues_finished += report.issues_finished
    return total
