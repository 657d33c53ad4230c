"""The moderation queue of coordinators and admins: entries, organisations and the
organisations asking to work with a project."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.directory import moderation_bp, services
from portal.directory.forms import LinkReviewForm, ReviewForm
from portal.errors import Conflict, Invalid, require
from portal.extensions import login_manager
from portal.forms import MAX_ID


@moderation_bp.before_request
def require_a_moderator():
    """Every URL under /directory/moderation/: signed in, and a coordinator or an admin.
    Which rows each coordinator may review is checked by the services."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(services.can_review_anything(current_user))
    return None


@moderation_bp.get("/")
def queue():
    rows = services.moderation_queue(current_user)
    return render_template(
        "directory/moderation.html",
        rows=rows,
        submitters=services.submitters_of(rows),
        links=services.pending_links(current_user),
        form=ReviewForm(),
        link_form=LinkReviewForm(),
    )


def _shown_version() -> int | None:
    """The version of the row the queue page showed (pages older than this field send none)."""
    value = request.form.get("version", "")
    return int(value) if value.isdigit() and int(value) <= MAX_ID else None


def _review(row):
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            if form.approve.data:
                services.approve(current_user, row, _shown_version())
                flash(_("Approved and published."), "success")
            else:
                services.reject(current_user, row, form.reason.data or "", _shown_version())
                flash(_("Rejected: the partner will see your reason."), "success")
        except (Conflict, Invalid) as exc:
            flash(str(exc), "error")
    else:
        flash(_("Please correct the highlighted fields."), "error")
    return redirect(url_for("directory.moderation.queue"))


@moderation_bp.post("/entries/<int:entry_id>")
def review_entry(entry_id: int):
    return _review(services.entry(entry_id))


@moderation_bp.post("/organisations/<int:org_id>")
def review_organisation(org_id: int):
    return _review(services.organisation(org_id))


@moderation_bp.post("/organisations/<int:org_id>/projects/<int:tenant_id>")
def review_link(org_id: int, tenant_id: int):
    org, tenant = services.organisation(org_id), services.tenant(tenant_id)
    form = LinkReviewForm()
    if form.validate_on_submit():
        try:
            services.review_link(current_user, org, tenant, approve=bool(form.approve.data))
        except Conflict as exc:
            flash(str(exc), "error")
        else:
            flash(
                _("%(org)s now works with %(project)s.", org=org.name, project=tenant.short_name)
                if form.approve.data
                else _("The request has been declined."),
                "success",
            )
    return redirect(url_for("directory.moderation.queue"))
