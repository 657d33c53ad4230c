"""Public views of a project's space: home, pages, the directory slice, theme and assets."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, g, render_template, request, send_from_directory

from portal.directory.search import highlights, run_search
from portal.errors import NotFound
from portal.templating import current_locale, render_tenant_template
from portal.tenant_site import bp, services


@bp.get("/")
def home():
    return render_tenant_template(
        "tenant_site/home.html",
        view=services.find_page(g.tenant, services.HOME, current_locale()),
        latest_news=services.latest_news(g.tenant, 3),
        highlights=highlights(g.tenant),
    )


@bp.get("/theme.css")
def theme():
    css = render_template("tenant_site/theme.css", tenant=g.tenant)
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/assets/<path:filename>")
def asset(filename: str):
    folder = Path(current_app.config["TENANTS_DIR"]) / g.tenant.slug / "static"
    return send_from_directory(folder, filename, max_age=3600)


@bp.get("/directory/")
@bp.get("/search")
def directory_slice():
    """The project's slice of the network directory: its partners, and what is for its people or territory."""
    return render_tenant_template("directory/search.html", page=run_search(request.args, tenant=g.tenant))


@bp.get("/<page_slug>")
def page(page_slug: str):
    view = services.find_page(g.tenant, page_slug, current_locale()) if page_slug != services.HOME else None
    if view is None:
        raise NotFound()
    return render_tenant_template("tenant_site/page.html", view=view)
