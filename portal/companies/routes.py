"""The public side: a company registers itself, its contact person confirms the address."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from portal.companies import bp, services
from portal.companies.forms import CompanyRegistrationForm
from portal.errors import Invalid
from portal.forms import show_domain_errors
from portal.templating import current_locale, link_problem
from portal.throttle import mail_form_limit
from portal.tokens import TokenError


@bp.route("/register", methods=["GET", "POST"])
@mail_form_limit
def register():
    form = CompanyRegistrationForm()
    form.tenant_ids.choices = [(t.id, t.short_name) for t in services.open_projects()]
    if form.validate_on_submit():
        try:
            registration = services.register(form.to_data(), current_locale())
        except Invalid as exc:
            show_domain_errors(form, exc)
        else:
            return render_template("companies/check_email.html", email=registration.contact_email)
    return render_template("companies/register.html", form=form), 422 if form.errors else 200


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        registration = services.confirm(token)
    except TokenError as exc:
        message = (
            _("This confirmation link has expired: register the company again.")
            if exc.expired
            else _("This confirmation link is not valid.")
        )
        return link_problem(message, url_for("companies.register"), _("Register the company"))
    return render_template(
        "companies/confirmed.html", registration=registration, projects=services.project_names(registration)
    )
