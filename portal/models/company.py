"""Companies offering themselves to host interns (ALICE's "anagrafe delle imprese"), and the
invitations that create an account with a role on acceptance.

Network-wide rows, like organisations: a registration names the projects it wants to work
with as data (`tenant_ids`), not as a tenant_id, so it is not TenantScoped.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import DoubleOptIn, Timestamped, UTCDateTime, str_enum


class RegistrationStatus(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"  # the contact has not opened the confirmation link yet
    PENDING = "pending"  # confirmed: waits for a coordinator of one of its projects
    VERIFIED = "verified"  # an organisation was created (or joined)
    REJECTED = "rejected"


class CompanyRegistration(DoubleOptIn, Timestamped, Model):
    """What a company typed in the public form; never shown publicly nor indexed."""

    __tablename__ = "company_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus, 20), default=RegistrationStatus.UNCONFIRMED, index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    fiscal_code: Mapped[str] = mapped_column(String(16), default="", index=True)
    vat_number: Mapped[str] = mapped_column(String(11), default="")
    legal_form: Mapped[str] = mapped_column(String(20), default="")
    ateco_code: Mapped[str] = mapped_column(String(8), default="")
    comune: Mapped[str] = mapped_column(String(100), default="")
    comune_code: Mapped[str | None] = mapped_column(String(6))
    province: Mapped[str] = mapped_column(String(2), default="")
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), index=True)
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    intern_places: Mapped[int] = mapped_column(Integer, default=0)
    intern_profiles: Mapped[str] = mapped_column(Text, default="")
    intern_period: Mapped[str] = mapped_column(String(200), default="")
    tenant_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The organisation that already holds the fiscal code or VAT number: a request to join it.
    existing_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # In the confirmation link with the id: a link names this row only.
    token_key: Mapped[str] = mapped_column(String(24), default=lambda: secrets.token_urlsafe(12))

    @property
    def joins_existing(self) -> bool:
        return self.existing_organisation_id is not None


class InvitedRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    MEMBER = "member"
    PARTNER_EDITOR = "partner_editor"


class Invitation(Timestamped, Model):
    """An account to be created, with a role, when the invited person sets a password."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    role: Mapped[InvitedRole] = mapped_column(str_enum(InvitedRole, 20))
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    token_key: Mapped[str] = mapped_column(String(24), default=lambda: secrets.token_urlsafe(12))

    def describe(self) -> dict[str, Any]:
        return {"email": self.email, "role": self.role.value, "tenant_id": self.tenant_id,
                "organisation_id": self.organisation_id}  # fmt: skip
