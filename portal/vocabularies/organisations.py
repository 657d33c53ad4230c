"""Kinds of organisation in the network, and the few facts about each that partners need."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from stdnum.it import codicefiscale, iva

ORGANISATION_KINDS = {
    "company": _l("Company"),
    "social_coop_a": _l("Social cooperative, type A (care, health and education services; Law 381/1991)"),
    "social_coop_b": _l("Social cooperative, type B (work integration; Law 381/1991)"),
    "third_sector": _l("Third-sector body (association, foundation, ETS)"),
    "public_body": _l("Public body"),
    "training_body": _l("Accredited training body"),
    "cpi": _l("Centro per l'Impiego (public employment centre)"),
    "other": _l("Other organisation"),
}
# Kinds used before, and what each becomes (None: to be completed by the editor).
LEGACY_KINDS: dict[str, str | None] = {
    "company": "company",
    "public_body": "public_body",
    "other": "other",
    "cooperative": None,  # a social cooperative of type A or B, or another cooperative: not known
    "association": None,  # third sector or not: not known
}

HEADCOUNT_BANDS = {
    "1-9": _l("1 to 9 people"),
    "10-49": _l("10 to 49 people"),
    "50-249": _l("50 to 249 people"),
    "250+": _l("250 people or more"),
}

ACCREDITATIONS = {
    "servizi_lavoro": _l("Accredited by the Region for employment services"),
    "formazione": _l("Accredited by the Region for vocational training"),
    "albo_381": _l("Listed in the regional register of social cooperatives"),
    "runts": _l("Listed in the national register of the third sector (RUNTS)"),
}


def compact_fiscal_code(value: str) -> str:
    """A fiscal code as it is stored: 16 characters for a person, 11 digits for a body (an
    "IT" prefix, spaces and dashes dropped, letters in capitals)."""
    code = codicefiscale.compact(value or "")
    return iva.compact(code) if iva.is_valid(code) else code


def compact_vat_number(value: str) -> str:
    """A partita IVA as it is stored: 11 digits, without the "IT" prefix or spaces."""
    return iva.compact(value or "")


def public_fiscal_code(code: str) -> str:
    """The fiscal code as open data may carry it: a body's 11 digits, never a person's 16
    characters (a sole trader's code says their name, birth date and place)."""
    return code if len(code or "") == 11 and code.isdigit() else ""
