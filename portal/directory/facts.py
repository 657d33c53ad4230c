"""What an entry's page states about it, as (label, text) pairs in the reader's language: the
templates list them, so the wording of "6 months", "€ 800 a month" or "from 18 to 29" is
decided once, here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.bilingual import marked
from portal.directory import vocabulary as voc
from portal.formatting import format_currency, format_date, format_time
from portal.models import Entry, Opportunity, TrainingOffer
from portal.templating import current_locale
from portal.timezone import rome_date
from portal.vocabularies import internships
from portal.vocabularies.legacy import old_value_label

Facts = list[tuple[str, str]]


def _label(table: dict[str, Any], value: str | None) -> str:
    return str(table.get(value or "", value or ""))


def euros(amount: int) -> str:
    """Whole euros as the reader's language writes them ("1.200 €", "€1,200"): pages and messages alike."""
    return format_currency(amount, whole=True)


def _months(count: int) -> str:
    return ngettext("%(num)d month", "%(num)d months", count)


DAY = "EEEE d MMMM y"  # "sabato 5 dicembre 2026", "Saturday 5 December 2026"
HOUR = "HH:mm"  # 16:00 in both languages: never seconds, never a time zone


def when(starts: datetime, ends: datetime | None) -> str:
    """ "sabato 5 dicembre 2026, 16:00–18:00" (Italian time); across days both dates are written."""
    first = f"{format_date(starts, DAY)}, {format_time(starts, HOUR)}"
    if ends is None:
        return first
    if rome_date(ends) == rome_date(starts):
        return f"{first}–{format_time(ends, HOUR)}"
    return f"{first} – {format_date(ends, DAY)}, {format_time(ends, HOUR)}"


def opportunity_facts(entry: Opportunity) -> Facts:
    facts: Facts = []
    add = facts.append
    if entry.deadline:
        add((str(_l("Application deadline")), format_date(entry.deadline, "long")))
    if entry.places:
        add((str(_l("Places")), str(entry.places)))
    if entry.programme:
        add((str(_l("Programme")), _label(voc.PROGRAMMES, entry.programme)))
    kind = entry.opportunity_type.value if entry.opportunity_type else ""
    if entry.promoter and (kind in internships.INTERNSHIPS or kind == "borsa_lavoro"):
        add((str(_l("Promoting body (soggetto promotore)")), entry.promoter))
    if kind in internships.INTERNSHIPS:
        add((str(_l("Host (soggetto ospitante)")), entry.host or entry.organisation.name))
    if entry.duration_months:
        add((str(_l("Duration")), _months(entry.duration_months)))
    if entry.hours_per_week:
        add((str(_l("Hours per week")), str(entry.hours_per_week)))
    if entry.hours:
        add((str(_l("Days and hours")), marked(entry, "hours", current_locale())))
    if entry.monthly_allowance:
        label = _l("Pay per month (gross)") if kind == "lavoro" else _l("Allowance per month (gross)")
        add((str(label), euros(entry.monthly_allowance)))
        if entry.allowance_paid_by:
            add((str(_l("Who pays the allowance")), _label(voc.ALLOWANCE_PAYERS, entry.allowance_paid_by)))
    if entry.meal_vouchers:
        add((str(_l("Meals")), str(_l("Meal vouchers or canteen"))))
    if entry.contract_type:
        add((str(_l("Contract")), _label(voc.CONTRACT_TYPES, entry.contract_type)))
    if entry.ccnl:
        add((str(_l("National collective agreement (CCNL)")), entry.ccnl))
    if entry.l68_reserved:
        add((str(_l("Collocamento mirato")), str(_l("Reserved for people registered under Law 68/1999"))))
    return facts


def training_facts(entry: TrainingOffer) -> Facts:
    facts: Facts = []
    add = facts.append
    if entry.subject_area:
        add((str(_l("Subject area")), entry.subject_area))
    if entry.start_date:
        dates = format_date(entry.start_date, "long")
        if entry.end_date:
            dates += " – " + format_date(entry.end_date, "long")
        add((str(_l("Dates")), dates))
    if entry.enrolment_deadline:
        add((str(_l("Enrolment deadline")), format_date(entry.enrolment_deadline, "long")))
    if entry.total_hours:
        add((str(_l("Total hours")), str(entry.total_hours)))
    if entry.sessions:
        add((str(_l("Sessions")), str(entry.sessions)))
    if entry.schedule:
        add((str(_l("Schedule")), marked(entry, "schedule", current_locale())))
    if entry.is_free or entry.cost:  # neither: the organisation did not say, so neither does the page
        add((str(_l("Cost")), str(_l("Free")) if entry.is_free else str(entry.cost)))
    if entry.online:
        add((str(_l("Online")), str(_l("Yes"))))
    if entry.seats:
        add((str(_l("Seats")), str(entry.seats)))
    if entry.eqf_level:
        add((str(_l("EQF level")), str(entry.eqf_level)))
    if entry.certificate:
        add((str(_l("Certificate issued")), _label(voc.CERTIFICATES, entry.certificate)))
    if entry.italian_level_reached:
        add((str(_l("Italian level reached")), entry.italian_level_reached))
    if entry.languages:
        add((str(_l("Languages")), ", ".join(_label(voc.LANGUAGES, code) for code in entry.languages)))
    return facts


def place_facts(entry: Entry) -> Facts:
    """Where: the street address with the comune, when the organisation gave one."""
    if not entry.address:
        return []
    where = f"{entry.address}, {entry.comune} ({entry.province})" if entry.comune else entry.address
    return [(str(_l("Address")), where)]


def _ages(low: int | None, high: int | None) -> str | None:
    if low and high and low == high:
        return str(ngettext("%(num)d year old", "%(num)d years old", low))
    if low and high:
        return str(_l("From %(min)d to %(max)d years old", min=low, max=high))
    if low:
        return str(_l("From %(min)d years old", min=low))
    if high:
        return str(_l("Up to %(max)d years old", max=high))
    return None


def eligibility_facts(entry: Entry) -> Facts:
    """Who may take part, as stated by the organisation ("not stated" is left out)."""
    facts: Facts = []
    add = facts.append
    groups = [_label(voc.TARGET_GROUPS, code) for code in entry.target_groups or []]
    old_groups = (entry.to_complete or {}).get("target_groups")
    if old_groups:  # what the upgrade could not map is still said, as the organisation wrote it
        groups.append(old_value_label(old_groups))
    if groups:
        add((str(_l("Who it is for")), ", ".join(groups)))
    ages = _ages(entry.age_min, entry.age_max)
    if ages:
        add((str(_l("Age")), ages))
    if entry.did_required is not None:
        add((str(_l("Registration with a Centro per l'Impiego (DID)")),
             str(_l("Required") if entry.did_required else _l("Not required"))))  # fmt: skip
    if entry.permit_accepted is not None:
        add((str(_l("Open to people with a residence permit")), str(_l("Yes") if entry.permit_accepted else _l("No"))))
    if entry.italian_level:
        add((str(_l("Italian required")), str(_l("level %(level)s or higher", level=entry.italian_level))))
    if entry.qualification:
        add((str(_l("Qualification required")), entry.qualification))
    if entry.access_route:
        add((str(_l("How to take part")), _label(voc.ACCESS_ROUTES, entry.access_route)))
    return facts
