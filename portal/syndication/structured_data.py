"""schema.org JSON-LD for detail pages: JobPosting (internships, jobs, grants, volunteering),
Event, Course with its CourseInstance, Organization. Only what the row states is said; the
templates put it in `<script type="application/ld+json">` through `tojson`, which escapes
`<`, `>` and `&`, so no text can close the script."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from portal.directory.kinds import detail_url
from portal.directory.vocabulary import CERTIFICATES
from portal.models import Entry, Event, Opportunity, Organisation, TrainingOffer
from portal.timezone import ROME
from portal.urls import public_url
from portal.vocabularies import internships
from portal.vocabularies.organisations import public_fiscal_code

Data = dict[str, Any]
CONTEXT = "https://schema.org"
FULL_TIME_HOURS = 36


def _compact(data: Data) -> Data:
    """Leave out what the row does not say."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _address(row: Entry | Organisation) -> Data:
    return _compact({"@type": "PostalAddress", "streetAddress": row.address, "addressLocality": row.comune,
                     "addressRegion": row.province, "addressCountry": "IT"})  # fmt: skip


def _place(row: Entry, name: str | None = None) -> Data:
    return _compact({"@type": "Place", "name": name, "address": _address(row)})


def organization(org: Organisation) -> Data:
    return _compact({
        "@type": "Organization", "name": org.name, "url": detail_url("organisation", org.slug, build=public_url),
        "sameAs": org.website, "email": org.email, "telephone": org.phone, "description": org.description,
        "address": _address(org), "taxID": public_fiscal_code(org.fiscal_code), "vatID": org.vat_number,
    })  # fmt: skip


def _employment_type(entry: Opportunity) -> str:
    kind = entry.opportunity_type.value if entry.opportunity_type else ""
    if kind in internships.INTERNSHIPS:
        return "INTERN"
    if kind == "volontariato":
        return "VOLUNTEER"
    if kind == "lavoro" and entry.hours_per_week:
        return "FULL_TIME" if entry.hours_per_week >= FULL_TIME_HOURS else "PART_TIME"
    return "OTHER"


def _end_of_day(day) -> str:
    return datetime.combine(day, time(23, 59), ROME).isoformat()


def job_posting(entry: Opportunity) -> Data:
    salary = None
    if entry.monthly_allowance:
        salary = {"@type": "MonetaryAmount", "currency": "EUR",
                  "value": {"@type": "QuantitativeValue", "value": entry.monthly_allowance, "unitText": "MONTH"}}  # fmt: skip
    return _compact({
        "@type": "JobPosting", "title": entry.title, "description": entry.description,
        "datePosted": entry.published_at.date().isoformat() if entry.published_at else None,
        "validThrough": _end_of_day(entry.deadline) if entry.deadline else None,
        "hiringOrganization": organization(entry.organisation), "jobLocation": _place(entry),
        "employmentType": _employment_type(entry), "baseSalary": salary,
        "totalJobOpenings": entry.places, "workHours": entry.hours,
        "identifier": {"@type": "PropertyValue", "name": "Crocevia", "value": f"opportunity-{entry.id}"},
    })  # fmt: skip


def _attendance(entry: Event) -> str:
    if entry.online_url and (entry.venue or entry.address):
        return "https://schema.org/MixedEventAttendanceMode"
    if entry.online_url:
        return "https://schema.org/OnlineEventAttendanceMode"
    return "https://schema.org/OfflineEventAttendanceMode"


def event(entry: Event) -> Data:
    location: list[Data] = [_place(entry, entry.venue)] if (entry.venue or entry.comune) else []
    if entry.online_url:
        location.append({"@type": "VirtualLocation", "url": entry.online_url})
    return _compact({
        "@type": "Event", "name": entry.title, "description": entry.description,
        "startDate": entry.starts_at.astimezone(ROME).isoformat() if entry.starts_at else None,
        "endDate": entry.ends_at.astimezone(ROME).isoformat() if entry.ends_at else None,
        "eventStatus": "https://schema.org/EventScheduled", "eventAttendanceMode": _attendance(entry),
        "location": location[0] if len(location) == 1 else location, "organizer": organization(entry.organisation),
        "isAccessibleForFree": entry.is_free, "maximumAttendeeCapacity": entry.capacity,
    })  # fmt: skip


def course(entry: TrainingOffer) -> Data:
    instance = _compact({
        "@type": "CourseInstance", "courseMode": "online" if entry.online else "onsite",
        "startDate": entry.start_date.isoformat() if entry.start_date else None,
        "endDate": entry.end_date.isoformat() if entry.end_date else None,
        "location": None if entry.online else _place(entry),
        "courseWorkload": f"PT{entry.total_hours}H" if entry.total_hours else None,
    })  # fmt: skip
    offers: Data | None = None
    if entry.is_free:
        offers = {"@type": "Offer", "price": 0, "priceCurrency": "EUR", "category": "Free"}
    elif entry.cost:
        offers = {"@type": "Offer", "category": "Paid", "description": entry.cost}
    return _compact({
        "@type": "Course", "name": entry.title, "description": entry.description,
        "provider": organization(entry.organisation), "hasCourseInstance": instance, "offers": offers,
        "inLanguage": entry.languages, "educationalLevel": f"EQF {entry.eqf_level}" if entry.eqf_level else None,
        "about": entry.subject_area,
        "educationalCredentialAwarded": str(CERTIFICATES[entry.certificate]) if entry.certificate in CERTIFICATES
        else None,
    })  # fmt: skip


def structured_data(row: Entry | Organisation) -> Data:
    if isinstance(row, Organisation):
        data = organization(row)
    elif isinstance(row, Opportunity):
        data = job_posting(row)
    elif isinstance(row, Event):
        data = event(row)
    elif isinstance(row, TrainingOffer):
        data = course(row)
    else:
        return {}
    url = detail_url("organisation", row.slug, build=public_url) if isinstance(row, Organisation) else None
    return {"@context": CONTEXT, **data, "url": url or detail_url(row.kind, row.slug, build=public_url)}
