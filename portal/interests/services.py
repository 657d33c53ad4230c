"""Who to contact about an entry, and expressions of interest: recorded, mailed, counted, purged.

An interest is mailed at once (through the mail queue, in the request's transaction: an SMTP
outage delays it, never loses it) to the entry's contact: its own e-mail, else its
organisation's, else the coordinators of its projects. The person gets an acknowledgement
saying who received their data and why. The row is kept only for INTEREST_RETENTION_DAYS,
for the counts editors and coordinators see (never the personal data itself).
Services never commit: the request, the CLI command or the job does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import formataddr
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from portal.bilingual import localised, marked
from portal.database import rowcount
from portal.directory.kinds import KIND_PATHS, PATH_KINDS, detail_url
from portal.directory.permissions import can_moderate, is_editor
from portal.errors import Conflict, NotFound, TooMany
from portal.extensions import db
from portal.mail import send_mail
from portal.models import Entry, Interest, Tenant, User
from portal.models.base import utcnow
from portal.models.directory import Status
from portal.roles import coordinators_of
from portal.templating import current_locale
from portal.throttle import allow
from portal.urls import public_url

# Only these kinds take expressions of interest (events have their own way to register).
INTEREST_KINDS = frozenset({"opportunity", "training"})
CONSENT_TEXT_VERSION = "2026-12"
CONSENT_TEXT = _l(
    "I agree that the portal passes my name, e-mail address, phone number and message to the organisation "
    "or project named on this page, so that they can answer me about this offer."
)
CLOSED = _l("This offer is closed: it no longer accepts expressions of interest.")
NO_CONTACT = _l(
    "This offer does not say yet who receives expressions of interest. Contact the organisation in the ways shown."
)
BUSY = _l("This offer has received many messages in a short time. Please try again in an hour.")


@dataclass(frozen=True)
class ContactLine:
    """One way to reach the entry's contact: a label, the text, and a link (tel:, mailto:, https:)."""

    label: str
    value: str
    href: str = ""


@dataclass(frozen=True)
class Contact:
    """Who to contact about an entry and how, with the one action the page offers."""

    lines: list[ContactLine]
    apply_url: str
    takes_interest: bool
    # The project whose contacts fill in what the entry and its organisation do not give.
    project: str = ""


@dataclass
class Recipients:
    """Where an interest goes: (address, language) pairs, and how the acknowledgement names them."""

    addresses: list[tuple[str, str]] = field(default_factory=list)
    who: Any = ""  # a name, or a lazy text rendered in the language of the page or mail that shows it
    public_email: str = ""  # a published address the person may write to (Reply-To of the acknowledgement)


def tel_href(phone: str) -> str:
    """`tel:` link of a phone number as typed ("0141 123 456" -> "tel:0141123456")."""
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}" if re.search(r"\d", digits) else ""


def _project_of(entry: Entry) -> Tenant | None:
    tenants = list(entry.tenants) or list(entry.organisation.tenants)
    return tenants[0] if tenants else None


def _first(*values: str | None) -> tuple[str, int]:
    """The first value given, and its position (0: the entry's, 1: the organisation's, 2: the project's)."""
    for position, value in enumerate(values):
        if value and str(value).strip():
            return str(value).strip(), position
    return "", -1


def contact_of(entry: Entry, today: date) -> Contact:
    """The entry's structured contact, each part defaulting to the organisation's, then the project's."""
    org = entry.organisation
    project = _project_of(entry)
    project_contacts = (project.contacts or {}) if project is not None else {}
    org_place = ", ".join(part for part in (org.address, org.comune) if part)
    place, place_from = _first(entry.contact_place, org_place, project_contacts.get("address"))
    phone, phone_from = _first(entry.contact_phone, org.phone, project_contacts.get("phone"))
    email, email_from = _first(entry.contact_email, org.email, project_contacts.get("email"))
    lines = []
    if place:
        lines.append(ContactLine(str(_l("Where")), place))
    if entry.contact_hours:
        lines.append(ContactLine(str(_l("Opening hours")), marked(entry, "contact_hours", current_locale())))
    if phone:
        lines.append(ContactLine(str(_l("Phone")), phone, tel_href(phone)))
    if email:
        lines.append(ContactLine(str(_l("E-mail")), email, f"mailto:{email}"))
    if org.website:
        lines.append(ContactLine(str(_l("Website")), org.website, org.website))
    from_project = project is not None and 2 in (place_from, phone_from, email_from)
    return Contact(
        lines=lines,
        apply_url=entry.apply_url or "",
        takes_interest=_accepts_interest(entry, today) and bool(_recipient_addresses(entry).addresses),
        project=project.short_name if from_project and project is not None else "",
    )


def _accepts_interest(entry: Entry, today: date) -> bool:
    return (
        entry.kind in INTEREST_KINDS
        and entry.status == Status.PUBLISHED
        and entry.organisation.status == Status.PUBLISHED
        and entry.is_open(today)
    )


def entry_for_interest(kind_path: str, slug: str, today: date) -> Entry:
    """The published, open opportunity or training offer at this address.

    Not published (or not of a kind that takes interest): NotFound. Closed, or with nobody
    to receive the message: Conflict with a message that says so."""
    kind = PATH_KINDS.get(kind_path)
    if kind not in INTEREST_KINDS:
        raise NotFound()
    entry = db.session.scalar(select(Entry).where(Entry.slug == slug, Entry.kind == kind))
    if entry is None or entry.status != Status.PUBLISHED or entry.organisation.status != Status.PUBLISHED:
        raise NotFound()
    if not entry.is_open(today):
        raise Conflict(CLOSED)
    if not _recipient_addresses(entry).addresses:
        raise Conflict(NO_CONTACT)
    return entry


def _coordinators(tenant_ids: Iterable[int]) -> list[User]:
    return coordinators_of(tenant_ids)


def _entry_projects(entry: Entry) -> list[Tenant]:
    return list(entry.tenants) or list(entry.organisation.tenants)


def _recipient_addresses(entry: Entry) -> Recipients:
    """The entry's e-mail, else its organisation's, else its projects' coordinators (in their language)."""
    org = entry.organisation
    published = (entry.contact_email or "").strip() or (org.email or "").strip()
    if published:
        return Recipients([(published, "it")], who=org.name, public_email=published)
    projects = _entry_projects(entry)
    people = _coordinators(t.id for t in projects)
    if not people:
        return Recipients()
    names = ", ".join(t.short_name for t in projects)
    who = _l("the coordinators of the project %(names)s", names=names)
    return Recipients([(p.email, p.locale or "it") for p in people], who=who)


def _one_line(value: str) -> str:
    """Whitespace (newlines, tabs) folded: a name goes into a mail header."""
    return " ".join(value.split())


def show_interest(
    entry: Entry, *, name: str, email: str, phone: str, message: str, locale: str, today: date
) -> Recipients:
    """Record the interest, mail it to the entry's contact and acknowledge it to the person.

    Refused (TooMany) when the entry has had too many in a short time, whoever sent them.
    Returns who received it (for the page that thanks the person)."""
    if not _accepts_interest(entry, today):
        raise Conflict(CLOSED)
    recipients = _recipient_addresses(entry)
    if not recipients.addresses:
        raise Conflict(NO_CONTACT)
    if not allow("RATELIMIT_INTERESTS_PER_ENTRY", "interest-entry", f"entry:{entry.id}"):
        raise TooMany(BUSY)
    name, email, phone = _one_line(name), email.strip().lower(), _one_line(phone or "")
    interest = Interest(
        entry_id=entry.id,
        name=name,
        email=email,
        phone=phone,
        message=message.strip(),
        locale=locale,
        consent_text_version=CONSENT_TEXT_VERSION,
    )
    db.session.add(interest)
    link = detail_url(entry.kind, entry.slug, build=public_url)
    days = current_app.config["INTEREST_RETENTION_DAYS"]
    for address, language in recipients.addresses:
        with force_locale(language):
            _mail(
                address,
                str(_l("Interest in “%(title)s”", title=entry.title)),
                "interests/email/to_contact",
                reply_to=formataddr((name, email)),
                entry=entry,
                interest=interest,
                link=link,
                days=days,
            )
    # The person's own acknowledgement: limited per address, so the form cannot flood someone else's inbox.
    if allow("RATELIMIT_MAIL_PER_ADDRESS", "interest", email):
        with force_locale(locale):
            _mail(
                email,
                str(
                    _l(
                        "Your message about “%(title)s” has been passed on",
                        title=localised(entry, "title", locale).text,
                    )
                ),
                "interests/email/acknowledgement",
                reply_to=recipients.public_email or None,
                entry=entry,
                interest=interest,
                who=recipients.who,
                link=link,
                days=days,
            )
    return recipients


def _mail(to: str, subject: str, template: str, reply_to: str | None = None, **context: Any) -> None:
    text = render_template(f"{template}.txt", **context)
    html = render_template(f"{template}.html", **context)
    send_mail(to, subject, text, html, reply_to=reply_to)


def may_see_counts(user: Any, entry: Entry) -> bool:
    return is_editor(user, entry.organisation) or can_moderate(user, entry.organisation)


def count_for(user: Any, entry: Entry) -> int | None:
    """How many interests the entry has received (kept ones), for its editors and moderators only."""
    if entry.kind not in INTEREST_KINDS or not may_see_counts(user, entry):
        return None
    return db.session.scalar(select(func.count()).select_from(Interest).where(Interest.entry_id == entry.id)) or 0


def counts_by_entry(entry_ids: Iterable[int]) -> dict[int, int]:
    """entry id -> number of interests kept (aggregate only: no personal data leaves here)."""
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Interest.entry_id, func.count()).where(Interest.entry_id.in_(ids)).group_by(Interest.entry_id)
    ).all()
    return {int(entry_id): int(count) for entry_id, count in rows}


def purge_expired(days: int) -> int:
    """Delete interests older than `days`; returns how many went (the caller commits)."""
    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(Interest).where(Interest.created_at < cutoff).execution_options(synchronize_session=False)
    )
    return rowcount(result)


def interest_url_values(entry: Entry) -> dict[str, str]:
    return {"kind_path": KIND_PATHS[entry.kind], "slug": entry.slug}
