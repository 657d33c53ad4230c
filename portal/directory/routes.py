"""Public directory: overview, listings per kind, detail pages, network search."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from portal.directory import bp, services
from portal.directory.kinds import KIND_PATHS, PATH_KINDS
from portal.directory.permissions import can_moderate, is_editor
from portal.directory.search import run_search
from portal.errors import NotFound
from portal.models.directory import Status
from portal.timezone import rome_today


@bp.get("/directory/")
def index():
    return render_template(
        "directory/index.html",
        counts=services.open_counts(rome_today()),
        kind_paths=KIND_PATHS,
        can_review=services.can_review_anything(current_user),
    )


@bp.get("/directory/<kind_path>/")
def listing(kind_path: str):
    kind = PATH_KINDS.get(kind_path)
    if kind is None:
        raise NotFound()
    return render_template("directory/search.html", page=run_search(request.args, kind=kind))


@bp.get("/search")
def search():
    return render_template("directory/search.html", page=run_search(request.args))


@bp.get("/directory/organisations/<slug>")
def organisation(slug: str):
    org = services.viewable_organisation(current_user, slug)
    today = rome_today()
    entries = [e for e in org.entries if e.status == Status.PUBLISHED]
    return render_template(
        "directory/organisation.html",
        org=org,
        today=today,
        open_entries=[e for e in entries if e.is_open(today)],
        archived_entries=[e for e in entries if not e.is_open(today)],
        can_edit=is_editor(current_user, org),
        can_review=can_moderate(current_user, org),
    )


@bp.get("/directory/<kind_path>/<slug>")
def entry(kind_path: str, slug: str):
    kind = PATH_KINDS.get(kind_path)
    if kind is None or kind == "organisation":
        raise NotFound()
    from portal.interests import services as interests  # (portal.interests imports this package)

    row = services.viewable_entry(current_user, kind, slug)
    today = rome_today()
    return render_template(
        "directory/entry.html",
        entry=row,
        today=today,
        contact=interests.contact_of(row, today) if row.is_open(today) else None,
        interest_count=interests.count_for(current_user, row),
        interest_days=current_app.config["INTEREST_RETENTION_DAYS"],
        can_edit=is_editor(current_user, row.organisation),
        history=services.history(row) if can_moderate(current_user, row.organisation) else [],
    )
