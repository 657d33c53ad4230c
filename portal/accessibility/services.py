"""Accessibility feedback: a person reports a barrier on a site; the site's people receive it.

The report goes (through the mail queue, in the request's transaction) to the coordinators of the
project whose space it is about, or to the platform admins for the hub (and for a space that has
no coordinator yet), with Reply-To the person, who gets an acknowledgement. Nothing is stored
but the queued mail. Services never commit.
"""

from __future__ import annotations

from email.utils import formataddr
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.errors import Conflict, TooMany
from portal.mail import send_templated_mail
from portal.roles import coordinators_of, platform_admins
from portal.throttle import allow

CONSENT_TEXT = _l(
    "I agree that the portal passes my name, e-mail address and report to the people responsible for this site, "
    "so that they can answer me and remove the barrier."
)
BUSY = _l("This site has received many reports in a short time. Please try again in an hour.")
NOBODY = _l("Nobody can receive reports for this site yet. Please use the AgID form linked on the statement.")


def recipients(tenant: Any | None) -> list[tuple[str, str]]:
    """(address, language) of who answers for the site: the project's coordinators, else the admins."""
    people = coordinators_of([tenant.id]) if tenant is not None else []
    if not people:
        people = platform_admins()
    return [(person.email, person.locale or "it") for person in people]


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def site_name(tenant: Any | None) -> str:
    return tenant.short_name if tenant is not None else "Crocevia"


def send_feedback(
    tenant: Any | None, *, name: str, email: str, page_url: str, description: str, locale: str, statement_url: str
) -> None:
    """Mail the report to the site's people and acknowledge it to the person (limited per site and address)."""
    addresses = recipients(tenant)
    if not addresses:
        raise Conflict(NOBODY)
    if not allow("RATELIMIT_ACCESSIBILITY_PER_SITE", "accessibility-site", f"site:{site_name(tenant)}"):
        raise TooMany(BUSY)
    report = {
        "name": _one_line(name),
        "email": email.strip().lower(),
        "page_url": _one_line(page_url),
        "description": description.strip(),
    }
    site = site_name(tenant)
    for address, language in addresses:
        with force_locale(language):
            send_templated_mail(
                address,
                str(_l("Accessibility report about %(site)s", site=site)),
                "accessibility/email/to_site",
                reply_to=formataddr((report["name"], report["email"])) if report["name"] else report["email"],
                site=site,
                report=report,
                statement_url=statement_url,
            )
    if allow("RATELIMIT_MAIL_PER_ADDRESS", "accessibility", report["email"]):
        with force_locale(locale):
            send_templated_mail(
                report["email"],
                str(_l("We have received your accessibility report about %(site)s", site=site)),
                "accessibility/email/acknowledgement",
                site=site,
                report=report,
                statement_url=statement_url,
            )
