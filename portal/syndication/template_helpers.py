"""What pages say about their other formats: `<link rel="alternate">` for feed readers and
calendar apps (with the page's own filters), visible links, and JSON-LD."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask_babel import gettext as _

from portal.directory.kinds import PATH_KINDS
from portal.directory.search import page_args
from portal.syndication import bp
from portal.syndication.selection import CALENDAR_KINDS, FEED_KINDS
from portal.syndication.structured_data import structured_data

ATOM, ICAL = "application/atom+xml", "text/calendar"
NOT_FILTERS = ("page", "sort", "lang")


def _filters(kind: str | None = None) -> dict[str, Any]:
    args = {k: v for k, v in page_args().items() if k not in NOT_FILTERS}
    if kind:
        args["kind"] = [kind]
    return args


def _directory_links(kinds: list[str], tenant: str | None, args: dict[str, Any]) -> list[tuple[str, str, str]]:
    if tenant:
        feed, calendar = "tenant_site.syndication.tenant_feed", "tenant_site.syndication.tenant_calendar"
        args = {**args, "tenant": tenant}
    else:
        feed, calendar = "syndication.network_feed", "syndication.network_calendar"
    links = []
    if set(kinds) & set(FEED_KINDS):
        links.append((ATOM, _("New in the directory (Atom feed)"), url_for(feed, **args)))
    carried = set(kinds) & set(CALENDAR_KINDS)
    if carried:
        label = {frozenset({"event"}): _("Events (calendar)"), frozenset({"training"}): _("Courses (calendar)")}.get(
            frozenset(carried), _("Events and courses (calendar)"))  # fmt: skip
        links.append((ICAL, label, url_for(calendar, **args)))
    return links


@bp.app_template_global()
def alternate_links() -> list[tuple[str, str, str]]:
    """(type, title, href) of this page's feeds and calendars; empty where there are none."""
    endpoint = request.endpoint or ""
    tenant = g.get("tenant")
    if endpoint == "directory.listing":
        kind = PATH_KINDS.get((request.view_args or {}).get("kind_path", ""))
        return _directory_links([kind] if kind else [], None, _filters(kind))
    asked = request.args.getlist("kind") or list(FEED_KINDS)
    if endpoint in ("hub.index", "directory.index"):  # the whole network
        return _directory_links(list(FEED_KINDS), None, {})
    if endpoint == "directory.search":
        return _directory_links(asked, None, _filters())
    if tenant is None:
        return []
    news = (ATOM, _("News of %(name)s", name=tenant.short_name), url_for("tenant_site.news.feed", tenant=tenant.slug))
    if endpoint == "tenant_site.directory_slice":
        return _directory_links(asked, tenant.slug, _filters())
    if endpoint == "tenant_site.home":
        return [*_directory_links(list(FEED_KINDS), tenant.slug, {}), news]
    if endpoint.startswith("tenant_site.news."):
        return [news]
    return []


@bp.app_template_global()
def export_url() -> str | None:
    """The CSV of the list on this page, with its filters (None where the page is not a list)."""
    endpoint = request.endpoint or ""
    args: dict[str, Any] = {k: v for k, v in page_args().items() if k not in ("page", "lang")}
    if endpoint == "directory.listing":
        return url_for("syndication.listing_export", kind_path=(request.view_args or {})["kind_path"], **args)
    if endpoint == "directory.search":
        return url_for("syndication.network_export", **args)
    if endpoint == "tenant_site.directory_slice":
        return url_for("tenant_site.syndication.tenant_export", tenant=g.tenant.slug, **args)
    return None


@bp.app_template_global()
def json_ld(row: Any) -> dict[str, Any]:
    return structured_data(row)


@bp.app_template_global()
def entry_deadline(entry: Any):
    """The last day to apply or enrol, for the "add the deadline to your calendar" link (or None)."""
    from portal.syndication.calendar import deadline_of

    return deadline_of(entry)
