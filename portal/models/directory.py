"""Network-wide directory rows. They are shared by every project: links to
tenants are data (affiliations), not a tenant_id, so they are not TenantScoped."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text, and_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.extensions import Model, db
from portal.models.base import Timestamped, UTCDateTime, str_enum
from portal.models.tenant import Tenant


class LinkStatus(enum.StrEnum):
    """An organisation's link to a project: asked for, or accepted by that project."""

    PENDING = "pending"
    APPROVED = "approved"


organisation_tenant = Table(
    "organisation_tenant",
    db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("tenant_id", ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True),
    # Only an approved link puts the organisation in the project's slice, search and digest;
    # a link asked by someone who does not coordinate the project waits for its coordinators.
    Column(
        "status",
        str_enum(LinkStatus, 20),
        nullable=False,
        default=LinkStatus.APPROVED,
        server_default=LinkStatus.APPROVED.value,
    ),
    Column("requested_by_id", ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    Column("requested_at", UTCDateTime, nullable=True),
    Column("reviewed_by_id", ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    Column("reviewed_at", UTCDateTime, nullable=True),
)
organisation_editor = Table(
    "organisation_editor",
    db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)
entry_tenant = Table(
    "entry_tenant",
    db.metadata,
    Column("entry_id", ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True),
    Column("tenant_id", ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Status(enum.StrEnum):
    DRAFT = "draft"  # saved by its editors without submitting: never public, in search or in the review queue
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # taken back by its organisation: off every page, cancelled in calendars


class Moderated(Timestamped):
    """Publishing workflow: a partner's new entry or change waits for a coordinator.

    A change to a published row is kept in `pending_changes` (the public keeps seeing
    the published text) until approved; a new row is `pending` until approved.
    """

    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.PENDING, index=True)
    # none_as_null: "no pending change" is SQL NULL, not the JSON value null, so
    # `IS NULL` / `IS NOT NULL` mean what they say on every backend.
    pending_changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    # Fields an upgrade could not fill from older data, with what was there ({field: old value}):
    # shown to the row's editors as "to be completed" until they save the field.
    to_complete: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))
    if TYPE_CHECKING:
        id: int  # every moderated model has one

    @property
    def object_type(self) -> str:
        """How audit events name the row: "organisation" here; entries say their kind."""
        return "organisation"

    @property
    def awaits_review(self) -> bool:
        return self.status == Status.PENDING or bool(self.pending_changes)


class OrganisationKind(enum.StrEnum):
    """Labels and the legal references are in portal/vocabularies/organisations.py."""

    COMPANY = "company"
    SOCIAL_COOP_A = "social_coop_a"
    SOCIAL_COOP_B = "social_coop_b"
    THIRD_SECTOR = "third_sector"
    PUBLIC_BODY = "public_body"
    TRAINING_BODY = "training_body"
    CPI = "cpi"
    OTHER = "other"


class Organisation(Moderated, Model):
    """A company, cooperative, association or public body of the network."""

    __tablename__ = "organisation"
    __mapper_args__ = {"version_id_col": Moderated.version}
    # One organisation per fiscal code and per VAT number (empty: not given).
    __table_args__ = (
        Index("uq_organisation_fiscal_code", "fiscal_code", unique=True,
              sqlite_where=text("fiscal_code != ''"), postgresql_where=text("fiscal_code != ''")),
        Index("uq_organisation_vat_number", "vat_number", unique=True,
              sqlite_where=text("vat_number != ''"), postgresql_where=text("vat_number != ''")),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    legal_form: Mapped[str] = mapped_column(String(80), default="")
    vat_number: Mapped[str] = mapped_column(String(11), default="")
    fiscal_code: Mapped[str] = mapped_column(String(16), default="")
    # ATECO 2025 code of the main activity: a section ("C"), division ("10") or group ("10.7").
    ateco_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    comune: Mapped[str] = mapped_column(String(100), default="")
    comune_code: Mapped[str | None] = mapped_column(String(6))  # ISTAT
    province: Mapped[str] = mapped_column(String(2), default="", index=True)
    headcount_band: Mapped[str] = mapped_column(String(10), default="")
    accreditations: Mapped[list[str]] = mapped_column(JSON, default=list)
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    hosts_interns: Mapped[bool] = mapped_column(default=False)
    intern_places: Mapped[int] = mapped_column(default=0)
    intern_profiles: Mapped[str] = mapped_column(Text, default="")
    # --- English versions (optional; empty: the Italian is shown, marked lang="it"; portal/bilingual.py)
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    intern_profiles_en: Mapped[str] = mapped_column(Text, default="", server_default="")

    # The projects that accepted the organisation (read-only: links change through the services).
    tenants: Mapped[list[Tenant]] = relationship(
        secondary=organisation_tenant,
        order_by=Tenant.position,
        viewonly=True,
        secondaryjoin=and_(
            organisation_tenant.c.tenant_id == Tenant.id, organisation_tenant.c.status == LinkStatus.APPROVED
        ),
    )
    entries: Mapped[list[Entry]] = relationship(back_populates="organisation", cascade="all, delete-orphan")

    @validates("kind")
    def _as_enum(self, _key: str, value: str) -> OrganisationKind:
        """A plain string (a form, the API) becomes the enum at once, not only after a reload."""
        return OrganisationKind(value)


class Entry(Moderated, Model):
    """What organisations publish; one table, one subclass per kind."""

    __tablename__ = "entry"
    __mapper_args__ = {"polymorphic_on": "kind", "with_polymorphic": "*", "version_id_col": Moderated.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(String(200), default="")
    comune: Mapped[str] = mapped_column(String(100), default="")
    comune_code: Mapped[str | None] = mapped_column(String(6), index=True)  # ISTAT
    province: Mapped[str] = mapped_column(String(2), default="", index=True)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_free: Mapped[bool | None] = mapped_column()
    # Who may take part (opportunities and training; portal/vocabularies/people.py).
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    did_required: Mapped[bool | None] = mapped_column()  # registered with a Centro per l'Impiego (DID)
    permit_accepted: Mapped[bool | None] = mapped_column()  # open to holders of a residence permit
    italian_level: Mapped[str | None] = mapped_column(String(2))  # CEFR level required
    qualification: Mapped[str | None] = mapped_column(String(200))
    access_route: Mapped[str | None] = mapped_column(String(20))
    # After this day (Europe/Rome) the entry leaves the listings and is shown as archived.
    closes_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The day its organisation closed it before its deadline ("places filled"): from that day it
    # is shown as closed and left out of the listings and of the search for open entries.
    closed_early_on: Mapped[date | None] = mapped_column(Date)
    # The deadline its editors were last reminded of, a week before (portal/directory/notifications.py).
    deadline_reminder_for: Mapped[date | None] = mapped_column(Date)
    # Who to contact about it and how (empty: the organisation's, then the project's, are shown).
    contact_place: Mapped[str] = mapped_column(String(200), default="")
    contact_hours: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # The partner's own application page: the entry's action becomes "Apply" there.
    apply_url: Mapped[str] = mapped_column(String(300), default="")
    # --- English versions (optional; empty: the Italian is shown, marked lang="it"; portal/bilingual.py).
    # The same length limits as the Italian fields; kind-specific ones are nullable like their kind's fields.
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_hours_en: Mapped[str] = mapped_column(String(200), default="", server_default="")

    organisation: Mapped[Organisation] = relationship(back_populates="entries")
    tenants: Mapped[list[Tenant]] = relationship(secondary=entry_tenant, order_by=Tenant.position)

    @property
    def object_type(self) -> str:
        return self.kind

    def compute_closes_on(self) -> date | None:
        return None

    def effective_closes_on(self) -> date | None:
        """Its own last day, or the day before it was closed early if that comes first."""
        natural = self.compute_closes_on()
        if self.closed_early_on is None:
            return natural
        early = self.closed_early_on - timedelta(days=1)
        return early if natural is None or early < natural else natural

    def is_open(self, today: date) -> bool:
        return self.closes_on is None or self.closes_on >= today


class OpportunityType(enum.StrEnum):
    """Labels, maximum durations and allowance rules: portal/vocabularies/internships.py."""

    FORMATIVE_INTERNSHIP = "tirocinio_formativo"
    ENTRY_INTERNSHIP = "tirocinio_inserimento"
    INCLUSION_INTERNSHIP = "tirocinio_inclusione"
    CURRICULAR_INTERNSHIP = "tirocinio_curricolare"
    JOB = "lavoro"
    WORK_GRANT = "borsa_lavoro"
    VOLUNTEERING = "volontariato"


class Opportunity(Entry):
    __mapper_args__ = {"polymorphic_identity": "opportunity"}

    opportunity_type: Mapped[OpportunityType | None] = mapped_column(str_enum(OpportunityType), nullable=True)
    programme: Mapped[str | None] = mapped_column(String(20), nullable=True)  # Garanzia Giovani, GOL
    promoter: Mapped[str | None] = mapped_column(String(200), nullable=True)  # soggetto promotore
    host: Mapped[str | None] = mapped_column(
        String(200), nullable=True
    )  # soggetto ospitante (default: the organisation)
    host_public_body: Mapped[bool | None] = mapped_column(nullable=True)  # the named host is a public administration
    duration_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hours_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hours: Mapped[str | None] = mapped_column(String(120), nullable=True)  # when: "Mon-Fri 9-13"
    monthly_allowance: Mapped[int | None] = mapped_column(Integer, nullable=True)  # euro, gross
    allowance_paid_by: Mapped[str | None] = mapped_column(String(20), nullable=True)
    meal_vouchers: Mapped[bool | None] = mapped_column(nullable=True)
    contract_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    ccnl: Mapped[str | None] = mapped_column(String(120), nullable=True)
    l68_reserved: Mapped[bool | None] = mapped_column(nullable=True)  # collocamento mirato, Law 68/1999
    requirements: Mapped[str | None] = mapped_column(Text, nullable=True)
    places: Mapped[int | None] = mapped_column(Integer, nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    how_to_apply: Mapped[str | None] = mapped_column(Text, nullable=True)
    hours_en: Mapped[str | None] = mapped_column(String(120), nullable=True)
    requirements_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    how_to_apply_en: Mapped[str | None] = mapped_column(Text, nullable=True)

    @validates("opportunity_type")
    def _as_enum(self, _key: str, value: str | None) -> OpportunityType | None:
        """A plain string (a form, the API) becomes the enum at once, not only after a reload."""
        return OpportunityType(value) if value else None

    def compute_closes_on(self) -> date | None:
        return self.deadline


class TrainingOffer(Entry):
    __mapper_args__ = {"polymorphic_identity": "training"}

    subject_area: Mapped[str | None] = mapped_column(String(120), nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    total_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    schedule: Mapped[str | None] = mapped_column(String(200), nullable=True)
    online: Mapped[bool | None] = mapped_column(nullable=True)
    cost: Mapped[str | None] = mapped_column(String(120), nullable=True)
    eligibility: Mapped[str | None] = mapped_column(Text, nullable=True)
    seats: Mapped[int | None] = mapped_column(Integer, nullable=True)
    enrolment_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    languages: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    sessions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    eqf_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    certificate: Mapped[str | None] = mapped_column(String(30), nullable=True)
    italian_level_reached: Mapped[str | None] = mapped_column(String(2), nullable=True)  # CEFR
    schedule_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    eligibility_en: Mapped[str | None] = mapped_column(Text, nullable=True)

    def compute_closes_on(self) -> date | None:
        return self.enrolment_deadline or self.end_date


class Event(Entry):
    __mapper_args__ = {"polymorphic_identity": "event"}

    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    venue: Mapped[str | None] = mapped_column(String(200), nullable=True)
    online_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    how_to_register: Mapped[str | None] = mapped_column(Text, nullable=True)
    how_to_register_en: Mapped[str | None] = mapped_column(Text, nullable=True)

    def compute_closes_on(self) -> date | None:
        from portal.timezone import rome_date

        moment = self.ends_at or self.starts_at
        return rome_date(moment) if moment else None


def organisation_of(row: Moderated) -> Organisation:
    """The organisation a directory row belongs to (itself, for an organisation)."""
    if isinstance(row, Organisation):
        return row
    assert isinstance(row, Entry)
    return row.organisation


class AuditEvent(Model):
    """Who changed what, when: every directory change leaves one."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    # When the retention job emptied `changes` and `note` (AUDIT_DETAILS_RETENTION_MONTHS): the event stays.
    details_cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SearchOutbox(Model):
    """A change the search index has not applied yet; written in the same transaction."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(40))  # "<kind>:<id>", or "*" for a full rebuild
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
