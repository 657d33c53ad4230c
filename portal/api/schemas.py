"""The API's schemas (marshmallow): they shape every answer and parse every query, and the
OpenAPI document is generated from them (openapi.py), so the two cannot disagree."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, fields, post_load, validate

from portal.directory.kinds import detail_url
from portal.models.directory import OpportunityType, OrganisationKind
from portal.urls import public_url
from portal.vocabularies import ateco
from portal.vocabularies.internships import ALLOWANCE_PAYERS, CONTRACT_TYPES, PROGRAMMES
from portal.vocabularies.organisations import HEADCOUNT_BANDS, public_fiscal_code
from portal.vocabularies.people import ACCESS_ROUTES, CEFR_LEVELS, TARGET_GROUPS

MAX_PER_PAGE = 100
MAX_PAGE = 100_000


def _codes(mapping: dict[str, Any]) -> validate.OneOf:
    return validate.OneOf([code for code in mapping if code])


# Optional English versions beside the Italian texts (portal/bilingual.py).
ENGLISH_VERSION = _l("The English version; empty when there is none (the Italian text applies).")


class ListArgs(Schema):
    """The filters of every list (those that do not apply to a collection are ignored)."""

    class Meta:
        unknown = RAISE

    project = fields.String(metadata={"description": _l("A project's slug: its partners and what is for its territory.")},
                            validate=validate.Length(max=40))  # fmt: skip
    province = fields.String(validate=validate.Regexp(r"^[A-Za-z]{2}$"),
                             metadata={"description": _l("Province code (sigla), e.g. VI.")})  # fmt: skip
    comune = fields.String(
        validate=validate.Regexp(r"^\d{6}$"), metadata={"description": _l("ISTAT code of the comune.")}
    )
    sector = fields.String(validate=validate.OneOf([s.code for s in ateco.sections()]),
                           metadata={"description": _l("ATECO 2025 section of the organisation (A–V).")})  # fmt: skip
    target_group = fields.String(validate=_codes(TARGET_GROUPS), metadata={"description": _l("Who it is for.")})
    open_only = fields.Boolean(load_default=True, metadata={"description": _l("Leave out closed entries (default).")})
    updated_since = fields.AwareDateTime(default_timezone=None, metadata={
        "description": _l("Only rows changed at or after this moment (ISO 8601 with a time zone).")})  # fmt: skip
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1), metadata={
        "description": _l("Rows per page; more than %(max)d is answered with %(max)d.", max=MAX_PER_PAGE)})  # fmt: skip
    lang = fields.String(validate=validate.OneOf(["it", "en"]), metadata={"description": _l("Language of the labels.")})

    @post_load
    def cap(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        data["per_page"] = min(data["per_page"], MAX_PER_PAGE)
        return data


class DetailArgs(Schema):
    class Meta:
        unknown = RAISE

    lang = fields.String(validate=validate.OneOf(["it", "en"]))


class Problem(Schema):
    """An error (RFC 9457 problem details); `errors` says what is wrong with each field."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class Reference(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class PlaceFields(Schema):
    address = fields.String(required=True)
    comune = fields.String(required=True)
    comune_code = fields.String(allow_none=True, required=True, metadata={"description": _l("ISTAT code.")})
    province = fields.String(required=True)


def _projects(row: Any) -> list[str]:
    return [tenant.slug for tenant in row.tenants]


def _link(build: Any, description: Any = "") -> fields.Function:
    return fields.Function(
        build, required=True, metadata={"type": "string", "format": "uri", "description": description}
    )


def _projects_field() -> fields.Function:
    return fields.Function(_projects, required=True, metadata={"type": "array", "items": {"type": "string"},
                                                               "description": _l("Slugs of the projects it is shown in.")})  # fmt: skip


class ProjectSchema(Schema):
    id = fields.String(attribute="slug", required=True, metadata={"description": _l("The project's slug.")})
    short_name = fields.String(required=True)
    name = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    description = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    url = _link(lambda t: public_url("tenant_site.home", tenant=t.slug))
    calendar = _link(
        lambda t: public_url("tenant_site.syndication.tenant_calendar", tenant=t.slug), _l("iCalendar feed.")
    )
    feed = _link(lambda t: public_url("tenant_site.syndication.tenant_feed", tenant=t.slug), _l("Atom feed."))


class OrganisationSchema(PlaceFields):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    legal_form = fields.String()
    fiscal_code = fields.Function(lambda o: public_fiscal_code(o.fiscal_code), metadata={
        "type": "string", "description": _l("A body's 11-digit fiscal code; a person's code is never published.")})  # fmt: skip
    vat_number = fields.String()
    ateco_code = fields.String(metadata={"description": _l("ATECO 2025 code of the main activity.")})
    sector = fields.Function(lambda o: ateco.section_of(o.ateco_code),
                             metadata={"type": "string", "description": _l("ATECO 2025 section.")})  # fmt: skip
    headcount_band = fields.String(metadata={"enum": ["", *HEADCOUNT_BANDS]})
    website = fields.String()
    email = fields.String()
    phone = fields.String()
    description = fields.String()
    hosts_interns = fields.Boolean()
    intern_places = fields.Integer()
    intern_profiles = fields.String()
    description_en = fields.String(metadata={"description": ENGLISH_VERSION})
    intern_profiles_en = fields.String(metadata={"description": ENGLISH_VERSION})
    projects = _projects_field()
    url = _link(lambda o: detail_url("organisation", o.slug, build=public_url), _l("Its page on the portal."))
    updated_at = fields.AwareDateTime(required=True)


class EntrySchema(PlaceFields):
    """What every entry has."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    organisation = fields.Nested(Reference, required=True)
    target_groups = fields.List(fields.String(validate=_codes(TARGET_GROUPS)), required=True)
    projects = _projects_field()
    closes_on = fields.Date(allow_none=True, metadata={"description": _l("After this day it is closed (archived).")})
    # Who to contact about it (empty: the organisation's contacts apply).
    contact_place = fields.String()
    contact_hours = fields.String()
    contact_phone = fields.String()
    contact_email = fields.String()
    apply_url = fields.String(metadata={"description": _l("The partner's application page, if any.")})
    title_en = fields.String(metadata={"description": ENGLISH_VERSION})
    description_en = fields.String(metadata={"description": ENGLISH_VERSION})
    contact_hours_en = fields.String(metadata={"description": ENGLISH_VERSION})
    url = _link(lambda e: detail_url(e.kind, e.slug, build=public_url), _l("Its page on the portal."))
    published_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime(required=True)


class EligibilityFields(Schema):
    age_min = fields.Integer(allow_none=True)
    age_max = fields.Integer(allow_none=True)
    did_required = fields.Boolean(
        allow_none=True, metadata={"description": _l("Registration with a Centro per l'Impiego.")}
    )
    permit_accepted = fields.Boolean(allow_none=True, metadata={"description": _l("Open to residence-permit holders.")})
    italian_level = fields.String(allow_none=True, validate=validate.OneOf(CEFR_LEVELS))
    qualification = fields.String(allow_none=True)
    access_route = fields.String(allow_none=True, validate=_codes(ACCESS_ROUTES))


class OpportunitySchema(EntrySchema, EligibilityFields):
    opportunity_type = fields.Enum(OpportunityType, by_value=True, allow_none=True)
    programme = fields.String(allow_none=True, validate=_codes(PROGRAMMES))
    promoter = fields.String(allow_none=True, metadata={"description": _l("The promoting body (soggetto promotore).")})
    host = fields.String(
        allow_none=True, metadata={"description": _l("The host (soggetto ospitante), when not the organisation.")}
    )
    duration_months = fields.Integer(allow_none=True)
    hours_per_week = fields.Integer(allow_none=True)
    hours = fields.String(allow_none=True)
    hours_en = fields.String(allow_none=True, metadata={"description": ENGLISH_VERSION})
    monthly_allowance = fields.Integer(allow_none=True, metadata={"description": _l("Euro a month, gross.")})
    allowance_paid_by = fields.String(allow_none=True, validate=_codes(ALLOWANCE_PAYERS))
    meal_vouchers = fields.Boolean(allow_none=True)
    contract_type = fields.String(allow_none=True, validate=_codes(CONTRACT_TYPES))
    ccnl = fields.String(allow_none=True)
    l68_reserved = fields.Boolean(allow_none=True, metadata={"description": _l("Reserved under Law 68/1999.")})
    requirements = fields.String(allow_none=True)
    requirements_en = fields.String(allow_none=True, metadata={"description": ENGLISH_VERSION})
    places = fields.Integer(allow_none=True)
    deadline = fields.Date(allow_none=True)
    how_to_apply = fields.String(allow_none=True)
    how_to_apply_en = fields.String(allow_none=True, metadata={"description": ENGLISH_VERSION})


class TrainingSchema(EntrySchema, EligibilityFields):
    subject_area = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    total_hours = fields.Integer(allow_none=True)
    sessions = fields.Integer(allow_none=True)
    schedule = fields.String(allow_none=True)
    schedule_en = fields.String(allow_none=True, metadata={"description": ENGLISH_VERSION})
    online = fields.Boolean(allow_none=True)
    is_free = fields.Boolean(allow_none=True)
    cost = fields.String(allow_none=True)
    seats = fields.Integer(allow_none=True)
    enrolment_deadline = fields.Date(allow_none=True)
    languages = fields.List(fields.String(), allow_none=True)
    eqf_level = fields.Integer(allow_none=True)
    certificate = fields.String(allow_none=True)
    italian_level_reached = fields.String(allow_none=True, validate=validate.OneOf(CEFR_LEVELS))
    eligibility = fields.String(allow_none=True)
    eligibility_en = fields.String(allow_none=True, metadata={"description": ENGLISH_VERSION})
    calendar = _link(lambda e: public_url("syndication.entry_calendar", kind_path="training", slug=e.slug),
                     _l("The course as an iCalendar file."))  # fmt: skip


class EventSchema(EntrySchema):
    starts_at = fields.AwareDateTime(allow_none=True)
    ends_at = fields.AwareDateTime(allow_none=True)
    venue = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    is_free = fields.Boolean(allow_none=True)
    how_to_register = fields.String(allow_none=True)
    how_to_register_en = fields.String(allow_none=True, metadata={"description": ENGLISH_VERSION})
    calendar = _link(lambda e: public_url("syndication.entry_calendar", kind_path="events", slug=e.slug),
                     _l("The event as an iCalendar file."))  # fmt: skip


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """{"items": [...], "page", "per_page", "total", "pages"} for one collection."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
            "pages": fields.Integer(required=True),
        },
        name=name,
    )
