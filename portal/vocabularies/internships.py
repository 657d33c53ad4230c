"""Internships and other opportunities as Italian rules describe them: types, maximum durations,
who pays the allowance, and the regional minimum allowance kept as data
(data/internship_minimums.toml, with each act and the date of the last check)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

DATA = Path(__file__).parent / "data" / "internship_minimums.toml"

OPPORTUNITY_TYPES = {
    "tirocinio_formativo": _l("Extracurricular internship for training and orientation"),
    "tirocinio_inserimento": _l("Extracurricular internship for (re)entry into work"),
    "tirocinio_inclusione": _l("Social-inclusion internship (State-Regions agreement of 22 January 2015)"),
    "tirocinio_curricolare": _l("Curricular internship (part of a course of study)"),
    "lavoro": _l("Job offer"),
    "borsa_lavoro": _l("Work grant (borsa lavoro)"),
    "volontariato": _l("Volunteering"),
}
INTERNSHIPS = frozenset(
    {"tirocinio_formativo", "tirocinio_inserimento", "tirocinio_inclusione", "tirocinio_curricolare"}
)
# Checked against the regional minimum allowance (extracurricular internships only).
WITH_REGIONAL_MINIMUM = frozenset({"tirocinio_formativo", "tirocinio_inserimento"})

# Longest duration in months: 12 for extracurricular internships (Linee guida of 25 May 2017),
# 24 for people with disabilities; 24 for inclusion internships (Accordo of 22 January 2015).
MAX_MONTHS = {"tirocinio_formativo": 12, "tirocinio_inserimento": 12, "tirocinio_inclusione": 24}
MAX_MONTHS_DISABILITY = 24

PROGRAMMES = {
    "": _l("None"),
    "garanzia_giovani": _l("Garanzia Giovani (Youth Guarantee)"),
    "gol": _l("GOL – Garanzia di occupabilità dei lavoratori"),
}

ALLOWANCE_PAYERS = {
    "host": _l("The host organisation"),
    "promoter": _l("The promoting body"),
    "programme": _l("A public programme (e.g. Garanzia Giovani, regional funds)"),
    "project": _l("The project"),
    "social_services": _l("The social or health services"),
}

CONTRACT_TYPES = {
    "indeterminato": _l("Permanent (tempo indeterminato)"),
    "determinato": _l("Fixed-term (tempo determinato)"),
    "apprendistato": _l("Apprenticeship (apprendistato)"),
    "somministrazione": _l("Agency work (somministrazione)"),
    "stagionale": _l("Seasonal"),
    "altro": _l("Other"),
}


@dataclass(frozen=True)
class Minimum:
    """The lowest allowance allowed, and the rule it comes from."""

    amount: int
    act: str
    region: str | None  # None: the region has no entry, the national floor applies


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(DATA.read_text("utf-8"))


def minimum_allowance(region: str | None, hours_per_week: int | None = None, meals: bool = False,
                      public_host: bool = False) -> Minimum:  # fmt: skip
    """The regional minimum for an extracurricular internship (national floor if the region is not listed)."""
    table = _table()
    rule = table.get("region", {}).get(region or "")
    if rule is None:
        return Minimum(int(table["national"]["amount"]), table["national"]["act"], None)
    amount = int(rule.get("meals_amount", rule["amount"]) if meals else rule["amount"])
    part_time = hours_per_week is not None and hours_per_week <= int(rule.get("part_time_max_hours", 0))
    if part_time and "part_time_amount" in rule:
        amount = min(amount, int(rule["part_time_amount"]))
    if part_time and "part_time_factor" in rule:
        amount = round(amount * float(rule["part_time_factor"]))
    if public_host and "public_host_amount" in rule:
        amount = min(amount, int(rule["public_host_amount"]))
    return Minimum(amount, rule["act"], region)


def checked_on() -> date:
    """When the table of minimums was last checked against the regions' acts."""
    value = _table()["checked_on"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def max_months(opportunity_type: str | None, for_disabled_people: bool = False) -> int | None:
    limit = MAX_MONTHS.get(opportunity_type or "")
    if limit and for_disabled_people:
        return max(limit, MAX_MONTHS_DISABILITY)
    return limit
