"""iCalendar (RFC 5545) for events and training courses, built with `icalendar`.

Each entry is one VEVENT whose UID never changes (kind and database id on the portal's host),
whose SEQUENCE is the row's version (it grows with every change), and whose DTSTAMP and
LAST-MODIFIED are the row's last change, so a subscribed phone sees a change arrive. A
withdrawn entry stays for a while with STATUS:CANCELLED instead of vanishing silently. Times
are UTC ("Z"): every client shows them in its own zone; X-WR-TIMEZONE names Europe/Rome for
those that display a calendar's home zone. A course is an all-day span from its first to its
last day (its timetable is in the description).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, request
from icalendar import Calendar
from icalendar import Event as VEvent

from portal.directory.kinds import detail_url
from portal.feeds import xml_text
from portal.models import Entry, Event, TrainingOffer
from portal.models.directory import Status
from portal.urls import public_host, public_url

PRODID = "-//Crocevia//Portale delle reti di inclusione//IT"
REFRESH = timedelta(hours=6)


def calendar_uid(entry: Entry) -> str:
    return f"crocevia-{entry.kind}-{entry.id}@{public_host()}"


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
    url = detail_url(entry.kind, entry.slug, build=public_url)
    component.add("uid", calendar_uid(entry))
    component.add("dtstamp", entry.updated_at)
    component.add("created", entry.created_at)
    component.add("last-modified", entry.updated_at)
    component.add("sequence", max(entry.version - 1, 0))
    component.add("summary", xml_text(entry.title))
    component.add("description", xml_text(_description(entry, url)))
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


def calendar_response(name: str, entries: list[Entry], filename: str) -> Response:
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
        component = vevent(entry)
        if component is not None:
            calendar.add_component(component)
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.add_etag()
    response.make_conditional(request)
    return response
