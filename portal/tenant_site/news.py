"""A project's news: /<tenant>/news/ and one page per post."""

from __future__ import annotations

from flask import current_app, g
from flask_login import current_user

from portal.errors import NotFound
from portal.roles import can_manage_tenant
from portal.templating import render_tenant_template
from portal.tenant_site import news_bp, services

NEWS_FEED_SIZE = 30


@news_bp.get("/")
def index():
    pagination = services.news_pagination(g.tenant, current_app.config["NEWS_PER_PAGE"])
    return render_tenant_template("tenant_site/news_index.html", pagination=pagination)


@news_bp.get("/feed.atom")
def feed():
    from portal.syndication.atom import news_feed

    return news_feed(g.tenant, services.latest_news(g.tenant, NEWS_FEED_SIZE))


@news_bp.get("/<slug>")
def detail(slug: str):
    post = services.find_news(g.tenant, slug, include_drafts=can_manage_tenant(current_user, g.tenant))
    if post is None:
        raise NotFound()
    return render_tenant_template("tenant_site/news_detail.html", post=post)
