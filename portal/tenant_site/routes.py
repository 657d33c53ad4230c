"""Public views of a project's space."""
from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, g, render_template, send_from_directory
from flask_login import current_user

from portal.extensions import db
from portal.templating import current_locale, render_tenant_template
from portal.tenant_site import bp, services
from portal.tenant_site.permissions import can_manage_tenant


@bp.get("/")
def home():
    locale = current_locale()
    view = services.find_page(g.tenant, services.HOME, locale)
    latest = db.session.scalars(services.published_news(g.tenant).limit(3)).all()
    return render_tenant_template("tenant_site/home.html", view=view, latest_news=latest,
                                  menu=services.menu_pages(g.tenant, locale))


@bp.get("/news/")
def news_index():
    pagination = db.paginate(services.published_news(g.tenant), per_page=current_app.config["NEWS_PER_PAGE"],
                             max_per_page=50, error_out=True)
    return render_tenant_template("tenant_site/news_index.html", pagination=pagination,
                                  menu=services.menu_pages(g.tenant, current_locale()))


@bp.get("/news/<slug>")
def news_detail(slug: str):
    include_drafts = can_manage_tenant(current_user, g.tenant)
    post = services.find_news(g.tenant, slug, include_drafts=include_drafts)
    if post is None:
        abort(404)
    return render_tenant_template("tenant_site/news_detail.html", post=post,
                                  menu=services.menu_pages(g.tenant, current_locale()))


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


@bp.get("/<page_slug>")
def page(page_slug: str):
    if page_slug == services.HOME:
        abort(404)
    view = services.find_page(g.tenant, page_slug, current_locale())
    if view is None:
        abort(404)
    return render_tenant_template("tenant_site/page.html", view=view,
                                  menu=services.menu_pages(g.tenant, current_locale()))



@bp.get("/directory/")
@bp.get("/search")
def directory_slice():
    """The project's slice of the network directory: its partners, and what is for its people or territory."""
    from flask import request

    from portal.directory.search import run_search

    return render_tenant_template("directory/search.html", page=run_search(request.args, tenant=g.tenant),
                                  menu=services.menu_pages(g.tenant, current_locale()))
