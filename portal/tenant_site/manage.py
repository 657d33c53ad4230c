"""Coordinators' views: edit pages and news, manage members (login + coordinator role)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.errors import Invalid, StaleEdit
from portal.markup import render_markdown
from portal.models import Role
from portal.slugs import slugify
from portal.templating import current_locale
from portal.tenant_site import bp, services
from portal.tenant_site.forms import MARKDOWN_HELP, DeleteForm, MemberForm, NewsForm, PageForm, RemoveMemberForm
from portal.tenant_site.permissions import require_coordinator



@bp.before_request
def _manage_needs_coordinator():
    """Every /<tenant>/manage/ URL: signed in (else login), then coordinator (else 403)."""
    from flask import request

    if request.endpoint and request.endpoint.startswith("tenant_site.manage"):
        if not current_user.is_authenticated:
            from portal.extensions import login_manager

            return login_manager.unauthorized()
        require_coordinator(current_user, g.tenant)
    return None


def _render_editor(template: str, form, **context):
    preview_html = render_markdown(form.body.data) if form.preview.data else None
    return render_template(template, form=form, preview_html=preview_html, form_help=MARKDOWN_HELP, **context)


@bp.get("/manage/")
@login_required
def manage_index():
    return render_template("tenant_site/manage_index.html", pages=services.all_pages(g.tenant),
                           news=services.all_news(g.tenant))


@bp.route("/manage/pages/<page_slug>/<locale>", methods=["GET", "POST"])
@login_required
def manage_page(page_slug: str, locale: str):
    if locale not in ("it", "en") or slugify(page_slug) != page_slug:
        abort(404)
    page = services.get_page_for_edit(current_user, g.tenant, page_slug, locale)
    if page is None and services.find_page(g.tenant, page_slug, "it") is None:
        abort(404)  # new language versions only for existing pages; new pages via manage_new_page
    form = PageForm(obj=page, data={"body": page.body_md, "version": page.version} if page else None)
    if form.validate_on_submit() and not form.preview.data:
        try:
            services.save_page(current_user, g.tenant, page_slug, locale, form.title.data, form.body.data,
                               form.expected_version(), form.in_menu.data)
        except StaleEdit:
            flash(str(StaleEdit()), "error")
            return redirect(url_for("tenant_site.manage_page", page_slug=page_slug, locale=locale))
        flash(_("The page has been saved."), "success")
        target = "tenant_site.home" if page_slug == services.HOME else "tenant_site.page"
        return redirect(url_for(target, **({} if page_slug == services.HOME else {"page_slug": page_slug})))
    return _render_editor("tenant_site/edit_page.html", form, page=page, page_slug=page_slug, locale=locale)


@bp.route("/manage/pages/new", methods=["GET", "POST"])
@login_required
def manage_new_page():
    form = PageForm()
    if form.validate_on_submit() and not form.preview.data:
        slug = services.unique_page_slug(g.tenant, form.title.data)
        services.save_page(current_user, g.tenant, slug, "it", form.title.data, form.body.data, None, form.in_menu.data)
        flash(_("The page has been created."), "success")
        return redirect(url_for("tenant_site.page", page_slug=slug))
    return _render_editor("tenant_site/edit_page.html", form, page=None, page_slug=None, locale="it")


@bp.route("/manage/news/new", methods=["GET", "POST"])
@login_required
def manage_new_news():
    form = NewsForm(locale=current_locale())
    if form.validate_on_submit() and not form.preview.data:
        post = services.save_news(current_user, g.tenant, None, title=form.title.data, summary=form.summary.data or "",
                                  body_md=form.body.data, locale=form.locale.data, publish=form.publish.data)
        flash(_("The news item has been saved."), "success")
        return redirect(url_for("tenant_site.news_detail", slug=post.slug))
    return _render_editor("tenant_site/edit_news.html", form, post=None)


@bp.route("/manage/news/<int:news_id>", methods=["GET", "POST"])
@login_required
def manage_news(news_id: int):
    post = services.get_news_for_edit(current_user, g.tenant, news_id)
    if post is None:
        abort(404)
    form = NewsForm(obj=post, data={"body": post.body_md, "version": post.version, "publish": post.is_published})
    if form.validate_on_submit() and not form.preview.data:
        try:
            services.save_news(current_user, g.tenant, post, title=form.title.data, summary=form.summary.data or "",
                               body_md=form.body.data, locale=form.locale.data, publish=form.publish.data,
                               expected_version=form.expected_version())
        except StaleEdit:
            flash(str(StaleEdit()), "error")
            return redirect(url_for("tenant_site.manage_news", news_id=news_id))
        flash(_("The news item has been saved."), "success")
        return redirect(url_for("tenant_site.news_detail", slug=post.slug))
    return _render_editor("tenant_site/edit_news.html", form, post=post)


@bp.post("/manage/news/<int:news_id>/delete")
@login_required
def manage_delete_news(news_id: int):
    post = services.get_news_for_edit(current_user, g.tenant, news_id)
    if post is None:
        abort(404)
    if DeleteForm().validate_on_submit():
        services.delete_news(current_user, g.tenant, post)
        flash(_("The news item has been deleted."), "success")
    return redirect(url_for("tenant_site.manage_index"))


@bp.route("/manage/members", methods=["GET", "POST"])
@login_required
def manage_members():
    form = MemberForm()
    if form.validate_on_submit():
        try:
            services.set_member(current_user, g.tenant, form.email.data, Role(form.role.data))
        except Invalid as exc:
            flash(str(exc), "error")
        else:
            flash(_("The member list has been updated."), "success")
            return redirect(url_for("tenant_site.manage_members"))
    return render_template("tenant_site/manage_members.html", form=form,
                           members=services.members(g.tenant))


@bp.post("/manage/members/remove")
@login_required
def manage_remove_member():
    form = RemoveMemberForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.remove_member(current_user, g.tenant, form.membership_id.data)
    except Invalid as exc:
        flash(str(exc), "error")
    else:
        flash(_("The member list has been updated."), "success")
    return redirect(url_for("tenant_site.manage_members"))
