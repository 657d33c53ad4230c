"""Coordinators run their space: pages, news and members. Everything here hangs on the
`manage` child blueprint, whose one guard requires a coordinator of the tenant."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.errors import BadRequest, Invalid, NotFound, StaleEdit, require
from portal.extensions import login_manager
from portal.markup import MARKDOWN_HELP, render_markdown
from portal.models import Role
from portal.roles import can_manage_tenant
from portal.slugs import slugify
from portal.templating import current_locale, render_tenant_template
from portal.tenant_site import manage_bp, services
from portal.tenant_site.forms import (
    DeleteForm,
    EnglishPageForm,
    MemberForm,
    NewsForm,
    PageForm,
    RemoveMemberForm,
)


@manage_bp.before_request
def require_a_coordinator_of_the_space():
    """Every URL under /<tenant>/manage/, nested blueprints included: signed in (else the
    login page), then a coordinator of this tenant or an admin (else 403)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(can_manage_tenant(current_user, g.tenant))
    return None


def _render_editor(template: str, form, **context):
    preview_html = render_markdown(form.body.data) if form.preview.data else None
    if preview_html is not None and getattr(form, "body_en", None) is not None and form.body_en.data:
        preview_html += render_markdown(form.body_en.data)
    return render_tenant_template(template, form=form, preview_html=preview_html, form_help=MARKDOWN_HELP, **context)


def _with_version(form, row):
    """The version the page shows; on POST only what the browser sent counts."""
    if row is not None and request.method == "GET":
        form.version.data = row.version
    return form


@manage_bp.get("/")
def index():
    return render_tenant_template(
        "tenant_site/manage_index.html",
        pages=services.all_pages(g.tenant),
        news=services.all_news(g.tenant),
        outdated=services.outdated_translations(g.tenant),
        untranslated=services.pages_without_english(g.tenant),
    )


@manage_bp.route("/pages/<page_slug>/<locale>", methods=["GET", "POST"])
def page(page_slug: str, locale: str):
    if locale not in ("it", "en") or slugify(page_slug) != page_slug:
        raise NotFound()
    existing = services.get_page_for_edit(current_user, g.tenant, page_slug, locale)
    if existing is None and services.find_page(g.tenant, page_slug, "it") is None:
        raise NotFound()  # new language versions only for existing pages; new pages via new_page
    form_class = EnglishPageForm if locale == "en" else PageForm
    form = _with_version(form_class(obj=existing, data={"body": existing.body_md} if existing else None), existing)
    if form.validate_on_submit() and not form.preview.data:
        try:
            services.save_page(
                current_user,
                g.tenant,
                page_slug,
                locale,
                form.title.data,
                form.body.data,
                form.expected_version() if existing else None,
                form.in_menu.data,
            )
        except StaleEdit as exc:
            flash(str(exc), "error")
            return redirect(url_for("tenant_site.manage.page", page_slug=page_slug, locale=locale))
        flash(_("The page has been saved."), "success")
        if page_slug == services.HOME:
            return redirect(url_for("tenant_site.home"))
        return redirect(url_for("tenant_site.page", page_slug=page_slug))
    return _render_editor("tenant_site/edit_page.html", form, page=existing, page_slug=page_slug, locale=locale)


@manage_bp.post("/pages/<page_slug>/<locale>/delete")
def delete_page_version(page_slug: str, locale: str):
    """Remove a page's English version: English readers see the Italian again."""
    if DeleteForm().validate_on_submit():
        try:
            services.delete_page_version(current_user, g.tenant, page_slug, locale)
        except Invalid as exc:
            flash(str(exc), "error")
        else:
            flash(_("The English version has been deleted: the page is shown in Italian."), "success")
    return redirect(url_for("tenant_site.manage.index"))


@manage_bp.route("/pages/new", methods=["GET", "POST"])
def new_page():
    form = PageForm()
    if form.validate_on_submit() and not form.preview.data:
        slug = services.unique_page_slug(g.tenant, form.title.data)
        services.save_page(current_user, g.tenant, slug, "it", form.title.data, form.body.data, None, form.in_menu.data)
        flash(_("The page has been created."), "success")
        return redirect(url_for("tenant_site.page", page_slug=slug))
    return _render_editor("tenant_site/edit_page.html", form, page=None, page_slug=None, locale="it")


@manage_bp.route("/news/new", methods=["GET", "POST"])
def new_news():
    form = NewsForm(locale=current_locale())
    if form.validate_on_submit() and not form.preview.data:
        post = services.save_news(
            current_user,
            g.tenant,
            None,
            title=form.title.data,
            summary=form.summary.data or "",
            body_md=form.body.data,
            locale=form.locale.data,
            publish=form.publish.data,
            english=form.english_data(),
        )
        flash(_("The news item has been saved."), "success")
        return redirect(url_for("tenant_site.news.detail", slug=post.slug))
    return _render_editor("tenant_site/edit_news.html", form, post=None)


def _news_or_404(news_id: int):
    post = services.get_news_for_edit(current_user, g.tenant, news_id)
    if post is None:
        raise NotFound()
    return post


@manage_bp.route("/news/<int:news_id>", methods=["GET", "POST"])
def news(news_id: int):
    post = _news_or_404(news_id)
    form = _with_version(
        NewsForm(obj=post, data={"body": post.body_md, "body_en": post.body_md_en, "publish": post.is_published}), post
    )
    if form.validate_on_submit() and not form.preview.data:
        try:
            services.save_news(
                current_user,
                g.tenant,
                post,
                title=form.title.data,
                summary=form.summary.data or "",
                body_md=form.body.data,
                locale=form.locale.data,
                publish=form.publish.data,
                english=form.english_data(),
                expected_version=form.expected_version(),
            )
        except StaleEdit as exc:
            flash(str(exc), "error")
            return redirect(url_for("tenant_site.manage.news", news_id=news_id))
        flash(_("The news item has been saved."), "success")
        return redirect(url_for("tenant_site.news.detail", slug=post.slug))
    return _render_editor("tenant_site/edit_news.html", form, post=post)


@manage_bp.post("/news/<int:news_id>/delete")
def delete_news(news_id: int):
    post = _news_or_404(news_id)
    if DeleteForm().validate_on_submit():
        services.delete_news(current_user, g.tenant, post)
        flash(_("The news item has been deleted."), "success")
    return redirect(url_for("tenant_site.manage.index"))


@manage_bp.route("/members", methods=["GET", "POST"])
def members():
    form = MemberForm()
    if form.validate_on_submit():
        try:
            services.set_member(current_user, g.tenant, form.email.data, Role(form.role.data))
        except Invalid as exc:
            flash(str(exc), "error")
        else:
            flash(_("The member list has been updated."), "success")
            return redirect(url_for("tenant_site.manage.members"))
    return render_tenant_template("tenant_site/manage_members.html", form=form, members=services.members(g.tenant))


@manage_bp.post("/members/remove")
def remove_member():
    form = RemoveMemberForm()
    if not form.validate_on_submit():
        raise BadRequest()
    try:
        services.remove_member(current_user, g.tenant, form.membership_id.data)
    except Invalid as exc:
        flash(str(exc), "error")
    else:
        flash(_("The member list has been updated."), "success")
    return redirect(url_for("tenant_site.manage.members"))
