"""The rules an entry must follow beyond its form's fields: what each type of opportunity needs,
internship durations and the regional minimum allowance, age ranges. Services call
`entry_problems` before saving (the web forms and, later, the API), so a rule is written once.

Each problem is {field: message} in the reader's language; an empty dict means the data is fine.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.directory.facts import euros
from portal.formatting import format_date
from portal.models import Organisation
from portal.models.directory import OrganisationKind
from portal.vocabularies import internships
from portal.vocabularies.places import region_of

Problems = dict[str, Any]

# The fields that belong to each type of opportunity: the others are emptied on save, so an
# internship turned into a job offer does not keep showing an allowance.
TYPE_FIELDS = {
    "internship": {"programme", "promoter", "host", "host_public_body", "duration_months", "hours_per_week",
                   "monthly_allowance", "allowance_paid_by", "meal_vouchers"},
    "lavoro": {"programme", "contract_type", "ccnl", "l68_reserved", "hours_per_week", "monthly_allowance"},
    "borsa_lavoro": {"promoter", "duration_months", "hours_per_week", "monthly_allowance", "allowance_paid_by"},
    "volontariato": {"duration_months", "hours_per_week"},
}  # fmt: skip
TYPED_FIELDS = set().union(*TYPE_FIELDS.values())


def fields_for(opportunity_type: str | None) -> set[str]:
    if opportunity_type in internships.INTERNSHIPS:
        return TYPE_FIELDS["internship"]
    return TYPE_FIELDS.get(opportunity_type or "", set())


def keep_type_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Empty what does not belong to the chosen type of opportunity."""
    wanted = fields_for(data.get("opportunity_type"))
    return {k: (v if k not in TYPED_FIELDS or k in wanted else None) for k, v in data.items()}


def entry_problems(kind: str, data: dict[str, Any], organisation: Organisation) -> Problems:
    problems: Problems = {}
    low, high = data.get("age_min"), data.get("age_max")
    if low is not None and high is not None and low > high:
        problems["age_max"] = _l("The highest age cannot be lower than the lowest.")
    for start, end in (("start_date", "end_date"), ("starts_at", "ends_at")):
        if data.get(start) and data.get(end) and data[end] < data[start]:
            problems[end] = _l("The end cannot come before the start.")
    if kind == "opportunity":
        problems.update(_opportunity_problems(data, organisation))
    return problems


def _required(data: dict[str, Any], problems: Problems, **messages: Any) -> None:
    for field, message in messages.items():
        if data.get(field) in (None, "") and field not in problems:
            problems[field] = message


def _opportunity_problems(data: dict[str, Any], organisation: Organisation) -> Problems:
    kind = data.get("opportunity_type")
    problems: Problems = {}
    if kind in internships.INTERNSHIPS:
        _required(data, problems, promoter=_l("Name the promoting body (soggetto promotore)."),
                  duration_months=_l("Enter the duration in months."))  # fmt: skip
        limit = internships.max_months(kind, region_of(data.get("province")), data.get("target_groups") or [])
        months = data.get("duration_months")
        if months and kind in internships.WITH_REGIONAL_MINIMUM and months < internships.MIN_MONTHS:
            problems["duration_months"] = _l("An extracurricular internship lasts at least %(months)d months.",
                                             months=internships.MIN_MONTHS)  # fmt: skip
        elif limit and months and months > limit and kind in internships.FIXED_MAX_MONTHS:
            problems["duration_months"] = _l("For these people this type of internship lasts at most %(months)d "
                                             "months.", months=limit)  # fmt: skip
        elif limit and months and months > limit:
            problems["duration_months"] = _l("For these people, in this region, this type of internship lasts at "
                                             "most %(months)d months, extensions included.", months=limit)  # fmt: skip
    if kind in internships.WITH_REGIONAL_MINIMUM:
        _required(data, problems, hours_per_week=_l("Enter the hours per week."),
                  monthly_allowance=_l("An extracurricular internship must pay a monthly allowance: enter it."))  # fmt: skip
        problem = _below_regional_minimum(data, organisation)
        if problem:
            problems.setdefault("monthly_allowance", problem)
    if kind == "borsa_lavoro":
        _required(data, problems, monthly_allowance=_l("Enter the monthly amount of the grant."),
                  duration_months=_l("Enter how many months the grant lasts."))  # fmt: skip
    if kind == "lavoro":
        _required(data, problems, contract_type=_l("Choose the type of contract."))
    if data.get("monthly_allowance") and kind in internships.INTERNSHIPS | {"borsa_lavoro"}:
        _required(data, problems, allowance_paid_by=_l("Say who pays the allowance."))
    return problems


def _below_regional_minimum(data: dict[str, Any], organisation: Organisation) -> Any:
    amount = data.get("monthly_allowance")
    if amount is None:
        return None
    region = region_of(data.get("province"))
    minimum = internships.minimum_allowance(
        region, data.get("hours_per_week"), bool(data.get("meal_vouchers")),
        public_host=_public_host(data, organisation),
    )  # fmt: skip
    if amount >= minimum.amount:
        return None
    values = {
        "amount": euros(minimum.amount),
        "act": minimum.act,
        "checked": format_date(internships.checked_on(), "long"),
    }
    if minimum.region is None:
        return _l("The allowance must be at least %(amount)s a month, the national floor (%(act)s). The portal "
                  "does not hold the rule of Regione %(region)s, which may ask for more: check it before "
                  "publishing. Social-inclusion internships follow other rules.",
                  region=region or "—", **values)  # fmt: skip
    return _l("Under the rules of Regione %(region)s the allowance of this internship must be at least %(amount)s "
              "a month (%(act)s; checked on %(checked)s). Social-inclusion internships follow other rules.",
              region=minimum.region, **values)  # fmt: skip


PUBLIC_KINDS = frozenset({OrganisationKind.PUBLIC_BODY, OrganisationKind.CPI})


def _public_host(data: dict[str, Any], organisation: Organisation) -> bool:
    """Whether a public administration hosts the intern: the organisation itself unless another host is named."""
    if data.get("host"):
        return bool(data.get("host_public_body"))
    return organisation.kind in PUBLIC_KINDS
