"""Tenants (the five project spaces) and the memberships that give roles in them."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import Timestamped, str_enum
from portal.tenancy import TenantScoped


class Tenant(Timestamped, Model):
    """A project space. Its content lives in tenants/<slug>/ and is synced here."""

    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    # Localised texts are {"it": ..., "en": ...}; `text()` picks the right one.
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    short_name: Mapped[str] = mapped_column(String(60))
    description: Mapped[dict[str, str]] = mapped_column(JSON)
    territory: Mapped[dict[str, str]] = mapped_column(JSON)
    default_locale: Mapped[str] = mapped_column(String(5), default="it")
    colours: Mapped[dict[str, str]] = mapped_column(JSON)
    contacts: Mapped[dict[str, Any]] = mapped_column(JSON)
    partners: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    features: Mapped[list[str]] = mapped_column(JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    logo: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    # The licence of the project's open data (SPDX id, portal/vocabularies/licences.py; tenant.toml).
    open_data_licence: Mapped[str] = mapped_column(String(20), default="CC-BY-4.0", server_default="CC-BY-4.0")
    # tenant.toml [lifecycle], [funding], [accessibility] as validated by `tenants sync` (dates as
    # ISO strings): read through portal/lifecycle/data.py and portal/accessibility/statement.py.
    lifecycle: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    funding: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    accessibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # What the project set out to achieve, as its seed states it ([targets] of tenant.toml; portal/kpi/targets.py).
    targets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The [privacy] section of tenant.toml: what the project's art. 13 notice says (portal/privacy/notice.py).
    privacy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))

    def text(self, field: str, locale: str) -> str:
        """A localised field in `locale`, falling back to Italian."""
        values: dict[str, str] = getattr(self, field) or {}
        return values.get(locale) or values.get("it") or ""

    @property
    def primary_colour(self) -> str:
        return (self.colours or {}).get("primary", "#0066cc")

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class Role(enum.StrEnum):
    """Roles inside a tenant; platform admin is a flag on the user."""

    COORDINATOR = "coordinator"
    MEMBER = "member"


class Membership(TenantScoped, Timestamped, Model):
    """A user's role in one tenant."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    note: Mapped[str] = mapped_column(Text, default="")
