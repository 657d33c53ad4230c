"""The signed-in person's area: thin, the sections come from the services."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from portal.directory.forms import CloseEarlyForm, DuplicateForm, WithdrawForm
from portal.timezone import rome_today
from portal.workspace import bp, services


@bp.get("/la-mia-area")
@login_required
def index():
    today = rome_today()
    projects = services.coordinator_section(current_user)
    return render_template(
        "workspace/index.html",
        partner=services.partner_section(current_user, today),
        projects=projects,
        waiting=services.waiting_total(current_user) if projects else 0,
        resident=services.resident_section(current_user),
        admin=current_user.is_admin,
        publishes=services.publishes(current_user),
        withdraw_form=WithdrawForm(formdata=None),
        close_form=CloseEarlyForm(formdata=None),
        duplicate_form=DuplicateForm(formdata=None),
    )
