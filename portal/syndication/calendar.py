"""iCalendar (RFC 5545) for events and training courses, built with `icalendar`.

Each entry is one VEVENT whose UID never changes (kind and database id on the portal's host),
whose SEQUENCE is the row's version (it grows with every change), and whose DTSTAMP and
LAST-MODIFIED are the row's last change, so a subscribed phone sees a change arrive. A
withdrawn entry stays for a while with STATUS:CANCELLED instead of vanishing silently. Times
are UTC ("Z"): every client shows them in its own zone; X-WR-TIMEZONE names Europe/Rome for
those that display a calendar's home zone. A course is an all-day span from its first to its
last day (its timetable is in the description).

An opportunity's or a course's deadline (deadline_vevent) is a VEVENT of its own: an all-day
event on the last day to apply or enrol, with a reminder the morning before, and a UID of its
own ("...-deadline@host") so that it never replaces the course's own calendar entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import Response, request
from flask_babel import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from portal.directory.kinds import detail_url
from portal.feeds import xml_text
from portal.models import Entry, Event, Opportunity, TrainingOffer
from portal.models.directory import Status
from portal.urls import public_host, public_url

PRODID = "-//Crocevia//Portale delle reti di inclusione//IT"
REFRESH = timedelta(hours=6)
REMINDER = timedelta(hours=-15)  # from the deadline's midnight: 9:00 the day before


def calendar_uid(entry: Entry) -> str:
    return f"crocevia-{entry.kind}-{entry.id}@{public_host()}"


def deadline_uid(entry: Entry) -> str:
    """Distinct from calendar_uid: a course's deadline and the course are two calendar entries."""
    return f"crocevia-{entry.kind}-{entry.id}-deadline@{public_host()}"


def deadline_of(entry: Entry) -> date | None:
    """The last day to apply (an opportunity) or to enrol (a course); None when there is none.
    A course's closes_on may be its last day of lessons, which is no deadline: not used here."""
    if isinstance(entry, Opportunity):
        return entry.closes_on
    if isinstance(entry, TrainingOffer):
        return entry.enrolment_deadline
    return None


def _location(entry: Entry) -> str:
    venue = entry.venue if isinstance(entry, Event) else None
    place = f"{entry.comune} ({entry.province})" if entry.comune else ""
    return ", ".join(part for part in (venue, entry.address, place) if part)


def _description(entry: Entry, url: str) -> str:
    parts = [entry.description.strip()]
    if isinstance(entry, TrainingOffer) and entry.schedule:
        parts.append(entry.schedule)
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def _when(entry: Entry, component: VEvent) -> bool:
    """DTSTART/DTEND; False when the entry has no date to put in a calendar."""
    if isinstance(entry, Event) and entry.starts_at:
        component.add("dtstart", entry.starts_at)
        if entry.ends_at and entry.ends_at > entry.starts_at:
            component.add("dtend", entry.ends_at)
        component.add("transp", "OPAQUE")
        return True
    if isinstance(entry, TrainingOffer) and entry.start_date:
        last = entry.end_date if entry.end_date and entry.end_date >= entry.start_date else entry.start_date
        component.add("dtstart", entry.start_date)
        component.add("dtend", last + timedelta(days=1))  # DTEND of a date is exclusive
        component.add("transp", "TRANSPARENT")  # a course's span does not make the whole day busy
        return True
    return False


def vevent(entry: Entry) -> VEvent | None:
    component = VEvent()
    if not _when(entry, component):
        return None
    component.add("uid", calendar_uid(entry))
    return _common(entry, component, entry.title, _description(entry, _url(entry)))


def deadline_vevent(entry: Entry) -> VEvent | None:
    """An all-day event on the entry's deadline with a reminder; None when it has no deadline."""
    day = deadline_of(entry)
    if day is None:
        return None
    component = VEvent()
    component.add("uid", deadline_uid(entry))
    component.add("dtstart", day)
    component.add("dtend", day + timedelta(days=1))  # DTEND of a date is exclusive
    component.add("transp", "TRANSPARENT")
    if isinstance(entry, TrainingOffer):
        summary, lead = _("Enrolment deadline: %(title)s", title=entry.title), _("Last day to enrol.")
    else:
        summary, lead = _("Deadline: %(title)s", title=entry.title), _("Last day to apply.")
    _common(entry, component, summary, f"{lead}\n\n{_url(entry)}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", xml_text(summary))
    alarm.add("trigger", REMINDER)
    component.add_component(alarm)
    return component


def _url(entry: Entry) -> str:
    return detail_url(entry.kind, entry.slug, build=public_url)


def _common(entry: Entry, component: VEvent, summary: str, description: str) -> VEvent:
    """The properties every VEVENT of an entry carries (its UID and dates are set by the caller)."""
    url = _url(entry)
    component.add("dtstamp", entry.updated_at)
    component.add("created", entry.created_at)
    component.add("last-modified", entry.updated_at)
    component.add("sequence", max(entry.version - 1, 0))
    component.add("summary", xml_text(summary))
    component.add("description", xml_text(description))
    component.add("url", url)
    component.add("class", "PUBLIC")
    component.add("status", "CANCELLED" if entry.status == Status.WITHDRAWN else "CONFIRMED")
    location = _location(entry)
    if location:
        component.add("location", xml_text(location))
    organisation = entry.organisation
    component.add("organizer", f"mailto:{organisation.email}" if organisation.email else url,
                  parameters={"CN": organisation.name})  # fmt: skip
    return component


def calendar_response(
    name: str, entries: list[Entry], filename: str, build: Callable[[Entry], VEvent | None] | None = None
) -> Response:
    """A calendar of `entries`, one VEVENT each made by `build` (default: vevent)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")  # an X- property: written as the duration text
    for entry in entries:
        component = (build or vevent)(entry)
        if component is not None:
            calendar.add_component(component)
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.add_etag()
    response.make_conditional(request)
    return response
