"""A change proposed for review, as a coordinator reads it: only the fields that change, each
with its form label and its old and new value in words (vocabulary labels, dates, yes/no)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.directory import vocabulary as voc
from portal.directory.facts import euros
from portal.formatting import format_date, format_datetime
from portal.models import Entry, Organisation
from portal.projects import all_projects
from portal.templating import current_locale
from portal.vocabularies import ateco

# Fields whose codes have labels; internal ones (comune_code) are not shown.
LABELLED = {
    "opportunity_type": voc.OPPORTUNITY_TYPES, "programme": voc.PROGRAMMES, "allowance_paid_by": voc.ALLOWANCE_PAYERS,
    "contract_type": voc.CONTRACT_TYPES, "access_route": voc.ACCESS_ROUTES, "certificate": voc.CERTIFICATES,
    "kind": voc.ORGANISATION_KINDS, "headcount_band": voc.HEADCOUNT_BANDS, "target_groups": voc.TARGET_GROUPS,
    "languages": voc.LANGUAGES, "accreditations": voc.ACCREDITATIONS, "province": voc.PROVINCES,
}  # fmt: skip
HIDDEN = frozenset({"comune_code"})
EUROS = frozenset({"monthly_allowance"})


def field_label(row: Entry | Organisation, name: str) -> str:
    """The label of the field in the row's form ("Tipo", "Indennità mensile…")."""
    from portal.directory.forms import FORMS, OrganisationForm

    form_class = FORMS.get(row.kind, OrganisationForm) if isinstance(row, Entry) else OrganisationForm
    unbound = getattr(form_class, name, None)
    return str(unbound.args[0]) if unbound is not None and getattr(unbound, "args", None) else name


def _one(name: str, value: Any) -> str:
    value = value.value if isinstance(value, Enum) else value
    if name == "tenant_ids":
        projects = short_names_by_id()
        return ", ".join(projects.get(v, str(v)) for v in value)
    if isinstance(value, list):
        return ", ".join(_one(name, item) for item in value)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "long")
    if name == "ateco_code":
        return ateco.label(value, current_locale())
    if name in EUROS and isinstance(value, int):
        return euros(value)
    return str(LABELLED.get(name, {}).get(value, value))


def display(name: str, value: Any) -> str:
    return "—" if value in (None, "", []) else _one(name, value)


def short_names_by_id() -> dict[int, str]:
    return {tenant.id: tenant.short_name for tenant in all_projects()}


def proposed_changes(row: Entry | Organisation, proposal: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, now, proposed) for every field the proposal changes."""
    changes = []
    for name, new in proposal.items():
        if name in HIDDEN:
            continue
        old = [t.id for t in row.tenants] if name == "tenant_ids" else getattr(row, name, None)
        old = old.value if isinstance(old, Enum) else old
        if display(name, old) != display(name, new):
            changes.append((field_label(row, name), display(name, old), display(name, new)))
    return changes


def english_left_behind(row: Entry | Organisation, proposal: dict[str, Any]) -> list[str]:
    """The labels of the texts whose Italian the proposal changes while their English version, which
    exists, stays as it was: English readers would go on reading the older English text."""
    from portal.bilingual import SUFFIX, english_of, translatable_fields

    behind = []
    for name in translatable_fields(row):
        english = name + SUFFIX
        if name not in proposal or english not in proposal:
            continue
        now_en, proposed_en = english_of(getattr(row, english, None)), english_of(proposal[english])
        italian_changes = display(name, getattr(row, name, None)) != display(name, proposal[name])
        if italian_changes and now_en and proposed_en == now_en:
            behind.append(field_label(row, name))
    return behind
