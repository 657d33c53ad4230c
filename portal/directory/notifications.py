"""The life of an entry, told by mail (through the mail queue, in the recipient's language):
the partner who submitted is told when it is approved or rejected (with the reason); its
editors a week before its deadline; coordinators get one daily digest of what waits for their
review (never one mail per submission), unless they turned it off in their account."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from portal.database import rowcount
from portal.directory.kinds import detail_url
from portal.directory.permissions import coordinated_tenant_ids
from portal.extensions import db
from portal.mail import send_templated_mail
from portal.models import Entry, Membership, Organisation, User
from portal.models.directory import Moderated, Status, organisation_editor
from portal.models.tenant import Role
from portal.urls import public_url

REMINDER_DAYS = 7
REMINDED_KINDS = ("opportunity", "training")  # an event's "deadline" is its end


def _edit_url(row: Moderated) -> str:
    if isinstance(row, Entry):
        return public_url("directory.manage.edit_entry", entry_id=row.id)
    return public_url("directory.manage.edit_organisation", org_id=row.id)


def _title_and_public_url(row: Moderated) -> tuple[str, str]:
    if isinstance(row, Entry):
        return row.title, detail_url(row.kind, row.slug, public_url)
    if isinstance(row, Organisation):
        return row.name, detail_url("organisation", row.slug, public_url)
    raise TypeError(row)


def review_outcome(row: Moderated, approved: bool, reason: str = "") -> None:
    """Tell whoever submitted `row` what the coordinator decided (in the same transaction)."""
    submitter = db.session.get(User, row.submitted_by_id) if row.submitted_by_id else None
    if submitter is None or not submitter.is_confirmed:
        return
    title, published_url = _title_and_public_url(row)
    with force_locale(submitter.locale or "it"):
        subject = _l("Published: %(title)s", title=title) if approved else _l("Not approved: %(title)s", title=title)
        send_templated_mail(
            submitter.email,
            str(subject),
            "directory/email/review_outcome",
            user=submitter,
            title=title,
            approved=approved,
            reason=reason,
            url=published_url if approved else _edit_url(row),
        )


def send_deadline_reminders(today: date) -> int:
    """Entries whose deadline is a week away: one mail to each editor, once per deadline."""
    due_on = today + timedelta(days=REMINDER_DAYS)
    rows = db.session.scalars(
        select(Entry).where(
            Entry.status == Status.PUBLISHED,
            Entry.kind.in_(REMINDED_KINDS),
            Entry.closes_on == due_on,
            or_(Entry.deadline_reminder_for.is_(None), Entry.deadline_reminder_for != due_on),
        )
    ).all()
    sent = 0
    for entry in rows:
        claimed = db.session.execute(
            update(Entry)
            .where(
                Entry.id == entry.id, or_(Entry.deadline_reminder_for.is_(None), Entry.deadline_reminder_for != due_on)
            )
            .values(deadline_reminder_for=due_on)
            .execution_options(synchronize_session=False)
        )
        if rowcount(claimed) != 1:
            continue  # another run got there first
        for editor in _editors(entry.organisation_id):
            with force_locale(editor.locale or "it"):
                send_templated_mail(
                    editor.email,
                    str(_l("In a week: the deadline of %(title)s", title=entry.title)),
                    "directory/email/deadline_reminder",
                    user=editor,
                    entry=entry,
                    deadline=entry.closes_on,
                    url=_edit_url(entry),
                )
                sent += 1
    return sent


def _editors(org_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(organisation_editor, organisation_editor.c.user_id == User.id)
            .where(organisation_editor.c.organisation_id == org_id, User.email_confirmed_at.is_not(None))
            .order_by(User.id)
        )
    )


def send_review_digests() -> int:
    """One mail to each coordinator who has something waiting and has not turned the digest off."""
    from portal.directory.services import moderation_queue

    coordinators = db.session.scalars(
        select(User)
        .where(
            User.review_digest.is_(True),
            User.email_confirmed_at.is_not(None),
            User.id.in_(select(Membership.user_id).where(Membership.role == Role.COORDINATOR)),
        )
        .order_by(User.id)
        .execution_options(all_tenants=True)  # a maintenance job: coordinators of every project
    ).all()
    sent = 0
    for coordinator in coordinators:
        if not coordinated_tenant_ids(coordinator):
            continue
        waiting = moderation_queue(coordinator)
        if not waiting:
            continue
        kinds = Counter(row.kind if isinstance(row, Entry) else "organisation" for row in waiting)
        with force_locale(coordinator.locale or "it"):
            send_templated_mail(
                coordinator.email,
                str(_l("Waiting for your review: %(num)d", num=len(waiting))),
                "directory/email/review_digest",
                user=coordinator,
                total=len(waiting),
                kinds=sorted(kinds.items()),
                oldest=min(row.updated_at for row in waiting),
                queue_url=public_url("directory.moderation.queue"),
                settings_url=public_url("account.profile"),
            )
            sent += 1
    return sent
