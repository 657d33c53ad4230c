"""A listing as CSV, with the page's own filters: what a coordinator opens in a spreadsheet
(column names and labels in the reader's language; cells safe from formula injection)."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from portal.csv_export import csv_response
from portal.directory import vocabulary as voc
from portal.directory.kinds import detail_url
from portal.formatting import format_date
from portal.models import Entry, Organisation
from portal.urls import public_url


def _row(row: Entry | Organisation) -> list[str]:
    if isinstance(row, Organisation):
        url = detail_url("organisation", row.slug, build=public_url)
        return [str(voc.KIND_SINGULAR["organisation"]), row.name, row.name, row.comune, row.province, "", "", url]
    groups = ", ".join(str(voc.TARGET_GROUPS.get(code, code)) for code in row.target_groups or [])
    closes = format_date(row.closes_on, "dd/MM/yyyy") if row.closes_on else ""
    url = detail_url(row.kind, row.slug, build=public_url)
    return [str(voc.KIND_SINGULAR[row.kind]), row.title, row.organisation.name, row.comune, row.province, groups,
            closes, url]  # fmt: skip


def listing_csv(rows: list[Entry | Organisation], filename: str) -> Response:
    header = [_("Type"), _("Title"), _("Organisation"), _("Municipality"), _("Province"), _("Who it is for"),
              _("Open until"), _("Address on the portal")]  # fmt: skip
    return csv_response(filename, header, (_row(row) for row in rows))
