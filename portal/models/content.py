"""Tenant content: Markdown pages and news posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.base import Timestamped, UTCDateTime
from portal.tenancy import TenantScoped


class Page(TenantScoped, Timestamped, Model):
    """One language version of a page of a tenant (`home` is the space's home page)."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=100)
    in_menu: Mapped[bool] = mapped_column(default=True)
    # Hash of the tenant folder's file last synced; edited_in_browser stops sync overwriting.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    edited_in_browser: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    # When the title or text last changed (not the menu flag): coordinators compare the English
    # version's with the Italian's to see which translations are older (portal/bilingual.py).
    text_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}


class NewsPost(TenantScoped, Timestamped, Model):
    """A news item of a tenant, with its own URL."""

    __tablename__ = "news_post"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(5), default="it")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    # An optional English version of a post written in Italian (empty title: none; portal/bilingual.py),
    # and when each language's text last changed, so coordinators see translations left behind.
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    summary_en: Mapped[str] = mapped_column(String(400), default="", server_default="")
    body_md_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    en_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
