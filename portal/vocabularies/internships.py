"""Internships and other opportunities as Italian rules describe them: types, maximum durations,
who pays the allowance, and the regional minimum allowance kept as data
(data/internship_minimums.toml, with each act and the date of the last check)."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.vocabularies.people import DISABILITY, DISADVANTAGED_GROUPS

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

# Longest durations in months that do not depend on the region: inclusion internships up to 24
# (Accordo Stato-Regioni of 22 January 2015); curricular ones up to 12, 24 for people with
# disabilities (D.M. 142/1998, art. 7: 4 months at school, 6 in vocational training, 12 at
# university). Extracurricular internships: the region's rule in the table (national guidelines
# of 25 May 2017: 12 months, 24 for people with disabilities, where the region says no less).
FIXED_MAX_MONTHS = {"tirocinio_inclusione": (24, 24), "tirocinio_curricolare": (12, 24)}
# Extracurricular internships last at least 2 months (national guidelines of 25 May 2017; one
# month with a seasonal host, which the portal does not know: it asks for 2).
MIN_MONTHS = 2

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


def _rule(region: str | None) -> tuple[dict[str, Any], str | None]:
    """The region's rule, or the national one (and None) for a region not in the table."""
    table = _table()
    rule = table.get("region", {}).get(region or "")
    return (rule, region) if rule is not None else (table["national"], None)


def _reductions(rule: dict[str, Any], hours: int | None, meals: bool, public_host: bool) -> list[int]:
    """Every lower amount the rule allows in this case. They are alternatives, never stacked:
    an internship with meal vouchers and part-time hours may pay the lowest of the two."""
    base = int(rule["amount"])
    found = []
    if meals and "meals_amount" in rule:
        found.append(int(rule["meals_amount"]))
    if hours is not None:
        if "proportional_floor" in rule and hours < int(rule["full_time_hours"]):
            found.append(max(int(rule["proportional_floor"]), math.ceil(base * hours / int(rule["full_time_hours"]))))
        if "part_time_amount" in rule and hours <= int(rule["part_time_max_hours"]):
            found.append(int(rule["part_time_amount"]))
        low, high = rule.get("part_time_band", (0, 0))
        if "part_time_factor" in rule and low <= hours <= high:
            found.append(math.ceil(base * float(rule["part_time_factor"])))
    if public_host and "public_host_amount" in rule:
        found.append(int(rule["public_host_amount"]))
    return found


def minimum_allowance(region: str | None, hours_per_week: int | None = None, meals: bool = False,
                      public_host: bool = False) -> Minimum:  # fmt: skip
    """The regional minimum for an extracurricular internship (national floor if the region is not listed)."""
    rule, listed = _rule(region)
    amount = min([int(rule["amount"]), *_reductions(rule, hours_per_week, meals, public_host)])
    return Minimum(amount, rule["act"], listed)


def checked_on() -> date:
    """When the table of minimums was last checked against the regions' acts."""
    value = _table()["checked_on"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def max_months(
    opportunity_type: str | None, region: str | None = None, target_groups: Iterable[str] = ()
) -> int | None:
    """The longest an internship of this type may last in this region for these people."""
    groups = set(target_groups)
    disabled = DISABILITY in groups
    if opportunity_type in FIXED_MAX_MONTHS:
        usual, for_disabled = FIXED_MAX_MONTHS[opportunity_type]
        return for_disabled if disabled else usual
    if opportunity_type not in WITH_REGIONAL_MINIMUM:
        return None
    rule, _listed = _rule(region)
    limits = rule.get("max_months", _table()["national"]["max_months"])
    if disabled:
        return int(limits["disabled"])
    usual = int(limits.get(opportunity_type, limits["usual"]))
    if groups & DISADVANTAGED_GROUPS:
        return max(usual, int(limits.get("disadvantaged", usual)))
    return usual
