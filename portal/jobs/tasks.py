"""What each periodic job does: thin wrappers that call the features' services."""

from __future__ import annotations

from flask import current_app


def send_mail() -> str:
    from portal.mail_queue import deliver_queued

    return deliver_queued().summary()


def newsletter_send_due() -> str:
    from portal.newsletters.delivery import send_due

    report = send_due()
    return f"sent {report.sent}, to retry {report.failed_temporary}, failed {report.failed_permanent}"


def alerts_send_due() -> str:
    from portal.alerts.delivery import send_due

    return send_due().summary()


def purge_unconfirmed() -> str:
    from portal.retention import purge_expired

    return purge_expired(current_app.config["UNCONFIRMED_ACCOUNT_DAYS"])


def entry_notices() -> str:
    from portal.directory.notifications import send_deadline_reminders, send_review_digests
    from portal.timezone import rome_today

    reminders = send_deadline_reminders(rome_today())
    digests = send_review_digests()
    return f"{reminders} deadline reminders, {digests} review digests"


def purge_interests() -> str:
    from portal.extensions import db
    from portal.interests.services import purge_expired

    deleted = purge_expired(current_app.config["INTEREST_RETENTION_DAYS"])
    db.session.commit()
    return f"deleted {deleted} expressions of interest"


def purge_audit_details() -> str:
    from portal.extensions import db
    from portal.retention import clear_old_audit_details

    cleared = clear_old_audit_details(current_app.config["AUDIT_DETAILS_RETENTION_MONTHS"])
    db.session.commit()
    return f"cleared the details of {cleared} audit events"


def search_maintain() -> str:
    from portal.directory import indexing
    from portal.extensions import db

    summary = indexing.engine().maintain()
    db.session.commit()
    indexing.engine().vacuum()
    return summary
