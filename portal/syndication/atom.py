"""Atom feeds (RFC 4287) of new directory entries and of a project's news. Entry ids are tag
URIs on the portal's host (kind and database id), so they stay when a title or address changes."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from portal.bilingual import localised
from portal.directory.kinds import detail_url
from portal.feeds import Feed, FeedEntry, atom_response
from portal.models import Entry, Tenant
from portal.models.base import utcnow
from portal.models.content import NewsPost
from portal.templating import current_locale
from portal.urls import public_host, public_url

SUMMARY_LENGTH = 400
TAG_YEAR = 2026  # the year of the tag URIs' authority: never changes


def tag_id(kind: str, number: int) -> str:
    return f"tag:{public_host()},{TAG_YEAR}:{kind}:{number}"


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def entries_feed(
    title: str, feed_id: str, self_url: str, alternate_url: str, entries: list[Entry], tenant: Tenant | None
) -> Response:
    locale = current_locale()  # the feed's language: English titles and descriptions where entries have them
    items = [
        FeedEntry(
            id=tag_id(entry.kind, entry.id),
            title=localised(entry, "title", locale).text,
            link=detail_url(entry.kind, entry.slug, build=public_url),
            updated=entry.updated_at,
            published=entry.published_at,
            summary=f"{entry.organisation.name} · {entry.comune} — {_summary(localised(entry, 'description', locale).text)}",
        )
        for entry in entries
    ]
    feed = Feed(
        id=feed_id,
        title=title,
        self_url=self_url,
        alternate_url=alternate_url,
        author_name=tenant.short_name if tenant else "Crocevia",
        author_uri=public_url("tenant_site.home", tenant=tenant.slug) if tenant else public_url("hub.index"),
        language=current_locale(),
        updated=max((entry.updated_at for entry in entries), default=utcnow()),
        subtitle=_("New opportunities, training and events"),
    )
    return atom_response(feed, items)


def news_feed(tenant: Tenant, posts: list[NewsPost]) -> Response:
    home = public_url("tenant_site.news.index", tenant=tenant.slug)
    items = [
        FeedEntry(
            id=tag_id(f"news-{tenant.slug}", post.id),
            title=post.title,
            link=public_url("tenant_site.news.detail", tenant=tenant.slug, slug=post.slug),
            updated=post.updated_at,
            published=post.published_at,
            summary=post.summary,
            content_html=post.body_html,
        )
        for post in posts
    ]
    feed = Feed(
        id=home,
        title=_("News of %(name)s", name=tenant.short_name),
        self_url=public_url("tenant_site.news.feed", tenant=tenant.slug),
        alternate_url=home,
        author_name=tenant.short_name,
        author_uri=public_url("tenant_site.home", tenant=tenant.slug),
        language=tenant.default_locale,
        updated=max((post.updated_at for post in posts), default=tenant.updated_at),
    )
    return atom_response(feed, items)
