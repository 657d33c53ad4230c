"""Hub views."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for

from portal.hub import bp
from portal.kpi.services import network_totals
from portal.lifecycle.data import current_and_past
from portal.projects import all_projects
from portal.timezone import rome_today


@bp.get("/")
def index():
    current, past = current_and_past(all_projects())
    return render_template("hub/index.html", tenants=current, past_tenants=past, totals=network_totals(rome_today()))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/projects.css")
def project_colours():
    """Each project's colour for the hub's cards (no inline styles under our CSP)."""
    css = "\n".join(f".project-{t.slug} {{ --tenant-primary: {t.primary_colour}; }}" for t in all_projects())
    return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=300"})
