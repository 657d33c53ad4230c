"""The next step outside the portal: which national and regional services an entry's or a
project's readers need (the DID and the Centro per l'Impiego, Garanzia Giovani or GOL, SIISL for
ADI/SFL, the regional internship rules). The links are data (portal/vocabularies/national_services.py);
this module only decides which of them apply. Templates: templates/national_services/_steps.html.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.directory import bp
from portal.models import Entry, Opportunity
from portal.models.directory import OpportunityType
from portal.vocabularies import internships, places
from portal.vocabularies.national_services import Fact, catalogue

ADI_SFL = "adi-sfl"
# Opportunity types whose readers are usually asked for the DID and helped by a Centro per l'Impiego.
WITH_DID = frozenset({OpportunityType.FORMATIVE_INTERNSHIP, OpportunityType.ENTRY_INTERNSHIP, OpportunityType.JOB})
PROGRAMMES = ("garanzia_giovani", "gol")


@dataclass(frozen=True)
class ProvinceOffices:
    """Where to find the Centri per l'Impiego of a province, and its region's job portal."""

    code: str
    name: str
    cpi: tuple[Fact, ...]
    portal: tuple[Fact, ...]


@dataclass(frozen=True)
class InternshipRules:
    region: str | None  # None: the national guidelines (region not listed)
    act: str
    amount: int | None  # minimum monthly allowance; None for inclusion internships
    portal: tuple[Fact, ...] = ()


@dataclass
class NextSteps:
    """What the partial shows; empty lists and None mean "does not apply"."""

    did: list[Fact] = field(default_factory=list)  # where to make the DID online
    offices: list[ProvinceOffices] = field(default_factory=list)
    offices_unknown: bool = False  # the DID applies but no province is known: "ask your region"
    programmes: list[tuple[str, Fact]] = field(default_factory=list)
    siisl: list[Fact] = field(default_factory=list)
    internship_rules: list[InternshipRules] = field(default_factory=list)
    inclusion_internship: bool = False

    def __bool__(self) -> bool:
        return bool(self.did or self.programmes or self.siisl or self.internship_rules or self.inclusion_internship)


def project_provinces(facts: Mapping[str, Any]) -> list[str]:
    """The provinces a project covers, from its tenant.toml facts: [facts] provinces and the
    provinces of the comuni its zones name, in that order, without repeats."""
    codes = list(facts.get("provinces") or [])
    for zone in facts.get("zones") or []:
        for code in zone.get("comuni") or []:
            comune = places.comune(code)
            if comune is not None:
                codes.append(comune.province)
    return list(dict.fromkeys(code for code in codes if code))


def _offices(provinces: Iterable[str]) -> list[ProvinceOffices]:
    data = catalogue()
    found = []
    for code in provinces:
        region, province = data.region_of(code), data.province(code)
        if region is not None and province is not None:
            found.append(ProvinceOffices(code, province.name, province.cpi, region.portal))
    return found


def _did(steps: NextSteps, provinces: list[str]) -> None:
    national = catalogue().national
    steps.did = [national["did"], national["myanpal"]]
    steps.offices = _offices(provinces)
    steps.offices_unknown = not steps.offices


def _siisl(steps: NextSteps) -> None:
    national = catalogue().national
    steps.siisl = [national["siisl"], national["inps"]]


def _rules(province: str | None) -> InternshipRules:
    region = places.region_of(province)
    minimum = internships.minimum_allowance(region)
    listed = catalogue().regions.get(minimum.region or "")
    return InternshipRules(minimum.region, minimum.act, minimum.amount, listed.portal if listed else ())


def for_entry(entry: Entry) -> NextSteps:
    """The steps outside the portal for the people an entry is for."""
    steps = NextSteps()
    provinces = [entry.province] if entry.province else []
    kind = entry.opportunity_type if isinstance(entry, Opportunity) else None
    if kind in WITH_DID or entry.did_required:
        _did(steps, provinces)
    if isinstance(entry, Opportunity) and entry.programme in PROGRAMMES:
        steps.programmes = [(entry.programme, catalogue().national[entry.programme])]
    if ADI_SFL in (entry.target_groups or []):
        _siisl(steps)
    if kind is not None and kind.value in internships.WITH_REGIONAL_MINIMUM:
        steps.internship_rules = [_rules(entry.province)]
    steps.inclusion_internship = kind == OpportunityType.INCLUSION_INTERNSHIP
    return steps


def for_project(facts: Mapping[str, Any]) -> NextSteps:
    """The steps outside the portal a project's home page explains, for its provinces."""
    steps = NextSteps()
    provinces = project_provinces(facts)
    _did(steps, provinces)
    steps.programmes = [(key, catalogue().national[key]) for key in PROGRAMMES]
    _siisl(steps)
    regions = list(dict.fromkeys(places.region_of(code) for code in provinces))
    steps.internship_rules = [_rules(next(c for c in provinces if places.region_of(c) == r)) for r in regions]
    return steps


@bp.app_template_global()
def entry_next_steps(entry: Entry) -> NextSteps:
    return for_entry(entry)


@bp.app_template_global()
def project_next_steps(tenant: Any) -> NextSteps:
    return for_project(tenant.facts or {})
