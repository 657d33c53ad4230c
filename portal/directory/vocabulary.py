"""Controlled vocabularies of the directory, with labels in the user's language (the official
lists themselves live in portal/vocabularies/)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.vocabularies.internships import (  # noqa: F401 - the directory's labels, in one place
    ALLOWANCE_PAYERS,
    CONTRACT_TYPES,
    OPPORTUNITY_TYPES,
    PROGRAMMES,
)
from portal.vocabularies.organisations import ACCREDITATIONS, HEADCOUNT_BANDS, ORGANISATION_KINDS  # noqa: F401
from portal.vocabularies.people import ACCESS_ROUTES, TARGET_GROUPS  # noqa: F401
from portal.vocabularies.places import provinces
from portal.vocabularies.training import CERTIFICATES  # noqa: F401

# Sigla -> name, from ISTAT's list of comuni (107 provinces and metropolitan cities).
PROVINCES = provinces()

KINDS = {
    "organisation": _l("Organisations"),
    "opportunity": _l("Opportunities"),
    "training": _l("Training"),
    "event": _l("Events"),
}
KIND_SINGULAR = {
    "organisation": _l("Organisation"),
    "opportunity": _l("Opportunity"),
    "training": _l("Training offer"),
    "event": _l("Event"),
}

COST = {"free": _l("Free"), "paid": _l("Paid")}
STATUS = {"open": _l("Still open"), "closed": _l("Closed (archive)")}
# Search facets residents ask for (search_index.contract.OPPORTUNITY_GROUPS, DEADLINE_WINDOWS).
OPPORTUNITY_GROUPS = {
    "tirocinio": _l("Internship (tirocinio)"),
    "borsa_lavoro": _l("Work grant (borsa lavoro)"),
    "lavoro": _l("Job offer"),
    "volontariato": _l("Volunteering"),
}
ALLOWANCE = {"paid": _l("Paid (allowance or pay)"), "unpaid": _l("Unpaid")}
DEADLINE_WINDOWS = {"week": _l("Within a week"), "month": _l("Within a month")}
LANGUAGES = {
    "it": _l("Italian"),
    "en": _l("English"),
    "fr": _l("French"),
    "ar": _l("Arabic"),
    "es": _l("Spanish"),
    "uk": _l("Ukrainian"),
    "ro": _l("Romanian"),
}


def choices(mapping: dict) -> list[tuple[str, str]]:
    return list(mapping.items())
