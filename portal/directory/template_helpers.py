"""Labels and URLs the directory templates need (registered app-wide: tenant pages use them too)."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l

from portal.directory import bp
from portal.directory import vocabulary as voc
from portal.directory.kinds import detail_url
from portal.projects import short_names

FACET_TITLES = {
    "kind": _l("Type"),
    "province": _l("Province"),
    "comune": _l("Municipality"),
    "sector": _l("Sector"),
    "tenants": _l("Project"),
    "targets": _l("Who it is for"),
    "cost": _l("Cost"),
    "status": _l("Deadline"),
}


@bp.app_template_global()
def kind_label(kind: str) -> str:
    return str(voc.KINDS.get(kind, kind))


@bp.app_template_global()
def kind_singular(kind: str) -> str:
    return str(voc.KIND_SINGULAR.get(kind, kind))


@bp.app_template_global()
def facet_title(name: str) -> str:
    return str(FACET_TITLES.get(name, name))


@bp.app_template_global()
def facet_label(name: str, value: str) -> str:

    if name == "tenants":
        if "tenant_short_names" not in g:
            g.tenant_short_names = short_names()
        return g.tenant_short_names.get(value, value)
    if name == "province":
        return voc.PROVINCES.get(value, value)
    tables = {
        "kind": voc.KINDS,
        "sector": voc.ATECO_SECTIONS,
        "targets": voc.TARGET_GROUPS,
        "cost": voc.COST,
        "status": voc.STATUS,
    }
    return str(tables.get(name, {}).get(value, value))


@bp.app_template_global()
def vocabulary_label(table: str, value: str) -> str:
    return str(getattr(voc, table).get(value, value))


@bp.app_template_global()
def entry_url(kind: str, slug: str) -> str:
    return detail_url(kind, slug)


@bp.app_template_global()
def page_url(number: int) -> str:
    """The current search with another page number (filters kept)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return _this_page(args)


@bp.app_template_global()
def search_url(**overrides: str) -> str:
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args.update({k: [v] for k, v in overrides.items()})
    args.pop("page", None)
    return _this_page(args)


def _this_page(args: dict[str, Any]) -> str:
    """The current endpoint and path values with other query arguments."""
    return url_for(request.endpoint or "directory.search", **(request.view_args or {}), **args)
