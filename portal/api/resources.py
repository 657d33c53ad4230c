"""The collections the API answers, each with its schema: routes and the OpenAPI document
are both built from this table."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from portal.api.schemas import EventSchema, OpportunitySchema, OrganisationSchema, TrainingSchema


@dataclass(frozen=True)
class Collection:
    name: str  # the URL segment
    kind: str | None  # the entry kind, None for organisations
    schema: type[Schema]
    title: object  # a lazy string
    description: object


COLLECTIONS = {
    c.name: c
    for c in (
        Collection("organisations", None, OrganisationSchema, _l("Organisations"),
                   _l("Companies, cooperatives, third-sector and public bodies of the network.")),
        Collection("opportunities", "opportunity", OpportunitySchema, _l("Opportunities"),
                   _l("Internships, jobs, work grants and volunteering.")),
        Collection("training", "training", TrainingSchema, _l("Training"),
                   _l("Courses, with hours, level, certificate and dates.")),
        Collection("events", "event", EventSchema, _l("Events"), _l("Meetings, open days and workshops.")),
    )
}  # fmt: skip
