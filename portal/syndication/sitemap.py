"""sitemap.xml (sitemaps.org 0.9, with xhtml:link hreflang alternates) and robots.txt.

Every public page once, on the public address, with its last change and its two language
versions (`?lang=it`, `?lang=en`: the portal serves both at the same address). Management,
moderation, account and sign-in pages are left out and disallowed in robots.txt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from flask import Response, current_app
from sqlalchemy import select

from portal.directory.kinds import KIND_PATHS, detail_url
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.models.content import NewsPost, Page
from portal.models.directory import Status
from portal.tenancy import tenant_scope
from portal.urls import public_url

PRIVATE_PREFIXES = ("/auth/", "/account/", "/directory/manage/", "/directory/moderation/", "/language/")
MAX_URLS = 50_000  # the protocol's limit for one file


@dataclass
class Location:
    url: str
    lastmod: datetime | None = None


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def _network() -> Iterator[Location]:
    yield Location(public_url("hub.index"))
    yield Location(public_url("directory.index"))
    for path in KIND_PATHS.values():
        yield Location(public_url("directory.listing", kind_path=path))
    organisations = select(Organisation).where(Organisation.status == Status.PUBLISHED).order_by(Organisation.id)
    for org in db.session.scalars(organisations):
        yield Location(detail_url("organisation", org.slug, build=public_url), org.updated_at)
    entries = (
        select(Entry)
        .join(Entry.organisation)
        .where(Entry.status == Status.PUBLISHED, Organisation.status == Status.PUBLISHED)
        .order_by(Entry.id)
    )
    for entry in db.session.scalars(entries):
        yield Location(detail_url(entry.kind, entry.slug, build=public_url), entry.updated_at)


def _project(tenant: Tenant) -> Iterator[Location]:
    with tenant_scope(tenant):
        pages = db.session.scalars(select(Page).where(Page.tenant_id == tenant.id).order_by(Page.position)).all()
        news = db.session.scalars(
            select(NewsPost).where(NewsPost.tenant_id == tenant.id, NewsPost.published_at.is_not(None))
        ).all()
    latest: dict[str, datetime] = {}
    for page in pages:  # one address per page, whichever languages it is written in
        latest[page.slug] = max(latest.get(page.slug, page.updated_at), page.updated_at)
    yield Location(public_url("tenant_site.home", tenant=tenant.slug), latest.pop("home", None))
    for slug, changed in latest.items():
        yield Location(public_url("tenant_site.page", tenant=tenant.slug, page_slug=slug), changed)
    yield Location(public_url("tenant_site.directory_slice", tenant=tenant.slug))
    yield Location(public_url("tenant_site.news.index", tenant=tenant.slug))
    for post in news:
        yield Location(public_url("tenant_site.news.detail", tenant=tenant.slug, slug=post.slug), post.updated_at)


def locations() -> Iterator[Location]:
    yield from _network()
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.position)):
        yield from _project(tenant)


def _url_element(location: Location, languages: tuple[str, ...]) -> str:
    lines = [f"<url><loc>{escape(location.url)}</loc>"]
    if location.lastmod:
        lines.append(f"<lastmod>{location.lastmod.date().isoformat()}</lastmod>")
    for lang in languages:
        lines.append(
            f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(_with_lang(location.url, lang))}/>'
        )
    lines.append(f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(location.url)}/>')
    return "".join(lines) + "</url>"


def sitemap_response() -> Response:
    languages = tuple(current_app.config["LANGUAGES"])
    body = ['<?xml version="1.0" encoding="UTF-8"?>\n',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n']  # fmt: skip
    for number, location in enumerate(locations()):
        if number >= MAX_URLS:
            break
        body.append(_url_element(location, languages) + "\n")
    body.append("</urlset>\n")
    return Response("".join(body), mimetype="application/xml")


def robots_response() -> Response:
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines.append("Disallow: /*/manage/")
    lines += ["", f"Sitemap: {public_url('syndication.sitemap_xml')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")
