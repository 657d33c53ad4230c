"""The outgoing mail queue: written in the action's transaction, delivered by a job.

Why a queue: a request that sends mail itself answers slower when it sends (an existing
address at registration answered ten times faster than a new one, telling which addresses
have accounts), fails when the mail server is down, and can send mail for an action that
is then rolled back. Here the request only adds a row; `deliver_queued` (the `send-mail`
job: a thread in the embedded default, an RQ worker or cron in production) sends it.

Delivery uses the same claim design as newsletter deliveries: a conditional UPDATE claims
rows, so two senders never send the same message; a row is deleted right after the server
accepted it; temporary failures are retried with backoff; permanent ones keep the row
(without its body) for the operator.
"""

from __future__ import annotations

import email
import email.parser
import email.utils
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import has_app_context
from sqlalchemy import and_, delete, event, insert, or_, select, update
from sqlalchemy.orm import Session

from portal.claims import claimant_is_dead, worker_id
from portal.extensions import db
from portal.mail import POLICY, transport
from portal.models import MailStatus, QueuedMail
from portal.models.base import utcnow

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 100
QUEUED_FLAG = "crocevia.mail_queued"


def enqueue(message: EmailMessage) -> None:
    """Add `message` to the queue in the current transaction (the caller's commit sends it)."""
    db.session.add(QueuedMail(recipient=str(message["To"]), message=message.as_bytes(policy=POLICY)))
    db.session.info[QUEUED_FLAG] = True


def enqueue_raw(messages: list[tuple[str, bytes]]) -> None:
    """Add serialised messages ((recipient, bytes), e.g. filled from a BulkTemplate) in one INSERT."""
    if messages:
        now = utcnow()
        db.session.execute(insert(QueuedMail), [
            {"recipient": to, "message": raw, "status": MailStatus.QUEUED.value, "attempts": 0, "created_at": now,
             "next_attempt_at": now, "claimed_by": "", "last_error": ""} for to, raw in messages
        ])  # fmt: skip
        db.session.info[QUEUED_FLAG] = True


def _wake_after_commit(session: Session) -> None:
    if session.info.pop(QUEUED_FLAG, False) and has_app_context():
        from portal.jobs.runner import wake

        wake("send-mail")


def _forget_after_rollback(session: Session, _previous_transaction=None) -> None:
    session.info.pop(QUEUED_FLAG, None)


def wake_sender_after_commit() -> None:
    """Once a transaction that queued mail commits, ask the runner to send it now."""
    if not event.contains(db.session, "after_commit", _wake_after_commit):
        event.listen(db.session, "after_commit", _wake_after_commit)
        event.listen(db.session, "after_soft_rollback", _forget_after_rollback)


@dataclass
class MailReport:
    sent: int = 0
    retry: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"sent {self.sent}, to retry {self.retry}, failed {self.failed}"


def _release_stale_claims(now: datetime) -> None:
    for claimed_by, claimed_at in db.session.execute(
        select(QueuedMail.claimed_by, QueuedMail.claimed_at).where(QueuedMail.status == MailStatus.SENDING).distinct()
    ).all():
        if claimant_is_dead(claimed_by) or (claimed_at and now - claimed_at > STALE_CLAIM):
            db.session.execute(
                update(QueuedMail)
                .where(QueuedMail.status == MailStatus.SENDING, QueuedMail.claimed_by == claimed_by)
                .values(status=MailStatus.RETRY, claimed_by="")
            )
    db.session.commit()


def _claim(worker: str, now: datetime, limit: int) -> list[QueuedMail]:
    due = or_(
        QueuedMail.status == MailStatus.QUEUED,
        and_(QueuedMail.status == MailStatus.RETRY, QueuedMail.next_attempt_at <= now),
    )
    ids = list(db.session.scalars(select(QueuedMail.id).where(due).order_by(QueuedMail.id).limit(limit)))
    if not ids:
        return []
    db.session.execute(
        update(QueuedMail)
        .where(QueuedMail.id.in_(ids), due)
        .values(status=MailStatus.SENDING, claimed_by=worker, claimed_at=now)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(QueuedMail).where(QueuedMail.id.in_(ids), QueuedMail.claimed_by == worker).order_by(QueuedMail.id)
        )
    )


def _retry_later(row: QueuedMail, error: str, now: datetime, report: MailReport) -> None:
    row.attempts += 1
    row.last_error, row.claimed_by = error[:500], ""
    if row.attempts >= len(BACKOFF_SECONDS):
        _give_up(row, error, report)
        return
    row.status, row.next_attempt_at = MailStatus.RETRY, now + timedelta(seconds=BACKOFF_SECONDS[row.attempts - 1])
    report.retry += 1


def _give_up(row: QueuedMail, error: str, report: MailReport) -> None:
    row.status, row.last_error, row.claimed_by, row.message = MailStatus.FAILED, error[:500], "", b""
    report.failed += 1
    log.warning("mail to a recipient refused for good: %s", error[:200])


def deliver_queued(limit: int = BATCH, now: datetime | None = None) -> MailReport:
    """Send what is due, `limit` at a time, until nothing is left; safe in several processes."""
    report, worker = MailReport(), worker_id()
    now = now or utcnow()
    _release_stale_claims(now)
    while batch := _claim(worker, now, limit):
        if not _send_batch(batch, now, report):
            break  # the server is down: leave the rest for the next run
    return report


def _send_batch(batch: list[QueuedMail], now: datetime, report: MailReport) -> bool:
    pending = list(batch)
    try:
        with transport().session() as session:
            while pending:
                row = pending[0]
                try:
                    _send_row(session, row)
                except smtplib.SMTPRecipientsRefused as refused:
                    code, reason = next(iter(refused.recipients.values()))
                    if 500 <= code < 600:
                        _give_up(row, f"{code} {reason!r}", report)
                    else:
                        _retry_later(row, f"{code} {reason!r}", now, report)
                else:
                    db.session.execute(delete(QueuedMail).where(QueuedMail.id == row.id))
                    report.sent += 1
                db.session.commit()
                pending.pop(0)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("mail server unavailable (%s): %d messages wait", type(exc).__name__, len(pending))
        for row in pending:
            _retry_later(row, f"{type(exc).__name__}: {exc}", now, report)
        db.session.commit()
        return False
    return True


def _send_row(session, row: QueuedMail) -> None:
    """As stored when the server takes 8-bit mail and the addresses are plain ASCII (no parsing
    and serialising again: bulk mail goes out several times faster); otherwise as a message."""
    if session.supports_raw and row.recipient.isascii():
        headers = email.parser.BytesHeaderParser(policy=POLICY).parsebytes(row.message)
        sender = email.utils.parseaddr(str(headers["From"] or ""))[1]
        if sender.isascii() and sender:
            session.send_raw(sender, [row.recipient], row.message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            return
    session.send(email.message_from_bytes(row.message, policy=POLICY))


def waiting_count() -> int:
    """Messages not yet sent (queued, claimed or waiting for a retry)."""
    from sqlalchemy import func

    return (
        db.session.scalar(select(func.count()).select_from(QueuedMail).where(QueuedMail.status != MailStatus.FAILED))
        or 0
    )
