"""The moderation queue of coordinators and admins."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.directory import bp, services
from portal.directory.forms import ReviewForm
from portal.directory.permissions import coordinated_tenant_ids, require
from portal.extensions import db
from portal.models import Entry, Organisation


@bp.get("/directory/moderation/")
@login_required
def moderation_queue():
    require(current_user.is_admin or bool(coordinated_tenant_ids(current_user)))
    return render_template("directory/moderation.html", rows=services.moderation_queue(current_user),
                           form=ReviewForm())


def _review(row, redirect_to: str):
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or _("Please correct the highlighted fields."), "error")
        return redirect(redirect_to)
    try:
        if form.approve.data:
            services.approve(current_user, row)
            flash(_("Approved and published."), "success")
        else:
            services.reject(current_user, row, form.reason.data)
            flash(_("Rejected: the partner will see your reason."), "success")
    except services.ReviewRefused as exc:
        flash(_("You cannot review what you submitted yourself: another coordinator must do it.")
              if str(exc) == "own" else _("There is nothing waiting for review here."), "error")
    return redirect(redirect_to)


@bp.post("/directory/moderation/entries/<int:entry_id>")
@login_required
def review_entry(entry_id: int):
    row = db.first_or_404(select(Entry).where(Entry.id == entry_id))
    return _review(row, url_for("directory.moderation_queue"))


@bp.post("/directory/moderation/organisations/<int:org_id>")
@login_required
def review_organisation(org_id: int):
    return _review(db.get_or_404(Organisation, org_id), url_for("directory.moderation_queue"))
