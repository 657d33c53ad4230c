"""The coordinators' side, under the space's manage guard: registrations that chose this project."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.companies import manage_bp, services
from portal.companies.forms import RejectForm, VerifyForm
from portal.errors import Conflict, Invalid
from portal.templating import current_locale, render_tenant_template
from portal.vocabularies import ateco, legal_forms


@manage_bp.get("/")
def index():
    return render_tenant_template(
        "companies/manage_index.html", registrations=services.waiting_for(current_user, g.tenant)
    )


@manage_bp.get("/<int:registration_id>")
def detail(registration_id: int):
    registration = services.registration_for_review(current_user, g.tenant, registration_id)
    return _detail(registration, RejectForm())


def _detail(registration, reject_form: RejectForm):
    return render_tenant_template(
        "companies/manage_detail.html",
        registration=registration,
        existing=services.existing_organisation(registration),
        projects=services.project_names(registration),
        legal_form=legal_forms.label(registration.legal_form),
        sector=ateco.label(registration.ateco_code, current_locale()),
        verify_form=VerifyForm(),
        reject_form=reject_form,
        ended=services.ended_reason(g.tenant),
    )


@manage_bp.post("/<int:registration_id>/verify")
def verify(registration_id: int):
    registration = services.registration_for_review(current_user, g.tenant, registration_id)
    if VerifyForm().validate_on_submit():
        try:
            org = services.verify(current_user, g.tenant, registration)
        except (Conflict, Invalid) as exc:
            flash(str(exc), "error")
        else:
            flash(_("%(name)s is in the directory: its contact person is its editor.", name=org.name), "success")
    return redirect(url_for("tenant_site.manage.companies.index"))


@manage_bp.post("/<int:registration_id>/reject")
def reject(registration_id: int):
    registration = services.registration_for_review(current_user, g.tenant, registration_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject(current_user, g.tenant, registration, form.reason.data)
        except (Conflict, Invalid) as exc:
            flash(str(exc), "error")
        else:
            flash(_("The registration has been declined: the company has been told why."), "success")
            return redirect(url_for("tenant_site.manage.companies.index"))
        return redirect(url_for("tenant_site.manage.companies.detail", registration_id=registration_id))
    return _detail(registration, form), 422  # the reason's error is shown on its field
