"""Typed SQLAlchemy 2.0 models; importing this package registers them all."""

from portal.models.alert import Alert
from portal.models.api import ApiToken, IdempotentRequest
from portal.models.background import JobSchedule, MailStatus, QueuedMail
from portal.models.company import CompanyRegistration, Invitation
from portal.models.content import NewsPost, Page
from portal.models.directory import AuditEvent, Entry, Event, Opportunity, Organisation, SearchOutbox, TrainingOffer
from portal.models.interest import Interest
from portal.models.kpi import InternshipOutcome, Outcome
from portal.models.newsletter import Delivery, Issue, Subscription
from portal.models.tenant import Membership, Role, Tenant
from portal.models.user import User

__all__ = [
    "Alert",
    "ApiToken",
    "IdempotentRequest",
    "AuditEvent",
    "CompanyRegistration",
    "Invitation",
    "Delivery",
    "JobSchedule",
    "MailStatus",
    "QueuedMail",
    "Entry",
    "Event",
    "Interest",
    "InternshipOutcome",
    "Issue",
    "Subscription",
    "Membership",
    "NewsPost",
    "Opportunity",
    "Outcome",
    "Organisation",
    "Page",
    "Role",
    "SearchOutbox",
    "Tenant",
    "TrainingOffer",
    "User",
]
