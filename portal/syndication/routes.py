"""Calendars, feeds, sitemap and robots.txt: parse the request, pick the rows, render."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from portal.directory import services
from portal.directory.kinds import PATH_KINDS
from portal.errors import NotFound
from portal.models import Tenant
from portal.syndication import bp, selection, sitemap, tenant_bp
from portal.syndication.atom import entries_feed
from portal.syndication.calendar import calendar_response, deadline_vevent, vevent
from portal.syndication.export import listing_csv
from portal.urls import public_url


def _public_self(drop: tuple[str, ...] = ()) -> str:
    """This request's URL, filters included (in a fixed order), on the public address."""
    args = {k: sorted(v) for k, v in sorted(request.args.to_dict(flat=False).items()) if k not in drop}
    return public_url(request.endpoint or "", **(request.view_args or {}), **args)


def _listing_url(tenant: Tenant | None) -> str:
    args = request.args.to_dict(flat=False)
    if tenant is not None:
        return public_url("tenant_site.directory_slice", tenant=tenant.slug, **args)
    return public_url("directory.search", **args)


def _calendar(tenant: Tenant | None):
    query = selection.feed_query(request.args, tenant, selection.CALENDAR_KINDS, calendar=True)
    entries = selection.published_entries(query) + selection.withdrawn_entries(query)
    owner = tenant.short_name if tenant else "Crocevia"
    name = _("%(name)s: events and courses", name=owner)
    return calendar_response(name, entries, f"{tenant.slug if tenant else 'crocevia'}.ics")


def _feed(tenant: Tenant | None):
    query = selection.feed_query(request.args, tenant, selection.FEED_KINDS, calendar=False)
    owner = tenant.short_name if tenant else "Crocevia"
    title = _("%(name)s: new in the directory", name=owner)
    return entries_feed(title, _public_self(drop=("lang",)), _public_self(), _listing_url(tenant),
                        selection.published_entries(query), tenant)  # fmt: skip


def _export(tenant: Tenant | None, kind: str | None = None):
    rows = selection.published_rows(selection.export_query(request.args, tenant, kind))
    return listing_csv(rows, f"{tenant.slug if tenant else 'crocevia'}-{kind or 'directory'}.csv")


@bp.get("/directory/export.csv")
def network_export():
    return _export(None)


@bp.get("/directory/<kind_path>/export.csv")
def listing_export(kind_path: str):
    kind = PATH_KINDS.get(kind_path)
    if kind is None:
        raise NotFound()
    return _export(None, kind)


@tenant_bp.get("/export.csv")
def tenant_export():
    return _export(g.tenant)


@bp.get("/directory/calendar.ics")
def network_calendar():
    return _calendar(None)


@bp.get("/directory/feed.atom")
def network_feed():
    return _feed(None)


def _dated_entry(kind_path: str, slug: str, kinds, build):
    """The entry a calendar file is about (published, or withdrawn after it was: then cancelled),
    404 when its kind has no such date or it has none."""
    kind = PATH_KINDS.get(kind_path)
    if kind is None or kind not in kinds:
        raise NotFound()
    entry = services.calendar_entry(kind, slug)
    if build(entry) is None:
        raise NotFound()
    return entry


@bp.get("/directory/<kind_path>/<slug>/calendar.ics")
def entry_calendar(kind_path: str, slug: str):
    entry = _dated_entry(kind_path, slug, selection.CALENDAR_KINDS, vevent)
    return calendar_response(entry.title, [entry], f"{entry.slug}.ics")


@bp.get("/directory/<kind_path>/<slug>/deadline.ics")
def entry_deadline_calendar(kind_path: str, slug: str):
    """The deadline of an opportunity or a course as an all-day calendar entry with a reminder."""
    entry = _dated_entry(kind_path, slug, selection.DEADLINE_KINDS, deadline_vevent)
    name = _("Deadline: %(title)s", title=entry.title)
    return calendar_response(name, [entry], f"{entry.slug}-deadline.ics", build=deadline_vevent)


@bp.get("/sitemap.xml")
def sitemap_xml():
    return sitemap.sitemap_response()


@bp.get("/robots.txt")
def robots_txt():
    return sitemap.robots_response()


@tenant_bp.get("/calendar.ics")
def tenant_calendar():
    return _calendar(g.tenant)


@tenant_bp.get("/feed.atom")
def tenant_feed():
    return _feed(g.tenant)
