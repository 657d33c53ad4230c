"""The Atom feed of a project's sent issues."""

from __future__ import annotations

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.feeds import Feed, FeedEntry, atom_response
from portal.models import Tenant
from portal.models.newsletter import Issue
from portal.urls import public_url


def newsletter_feed(tenant: Tenant, issues: list[Issue], locale: str) -> Response:
    home = public_url("tenant_site.newsletter.index", tenant=tenant.slug)
    with force_locale(locale):
        title = _("Newsletter of %(name)s", name=tenant.short_name)
    feed = Feed(
        id=home,
        title=title,
        self_url=public_url("tenant_site.newsletter.feed", tenant=tenant.slug),
        alternate_url=home,
        author_name=tenant.short_name,
        author_uri=public_url("tenant_site.home", tenant=tenant.slug),
        language=tenant.default_locale,
        updated=(issues[0].sent_at if issues else None) or tenant.updated_at,
    )
    entries = []
    for issue in issues:
        url = public_url("tenant_site.newsletter.issue", tenant=tenant.slug, issue_id=issue.id)
        entries.append(
            FeedEntry(
                id=url,
                title=issue.subject,
                link=url,
                updated=issue.sent_at or issue.updated_at,
                published=issue.sent_at,
                content_html=issue.body_html,
            )
        )
    return atom_response(feed, entries)
