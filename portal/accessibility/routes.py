"""The statement page and the feedback form, the same views for the hub and for each project space."""

from __future__ import annotations

from flask import g, request, url_for
from flask_login import current_user

from portal.accessibility import bp, services, tenant_bp
from portal.accessibility.forms import FeedbackForm
from portal.accessibility.statement import AGID_FORM_URL, statement_for
from portal.roles import can_manage_tenant
from portal.templating import current_locale, render_tenant_template
from portal.throttle import mail_form_limit
from portal.timezone import rome_today
from portal.urls import public_url


def _endpoint(name: str) -> str:
    return f"tenant_site.accessibility.{name}" if g.get("tenant") is not None else f"accessibility.{name}"


def _answers_for_site(tenant) -> bool:
    """Coordinators of the space (and admins), or admins for the hub: they see the overdue warning."""
    if tenant is not None:
        return can_manage_tenant(current_user, tenant)
    return bool(current_user.is_authenticated and current_user.is_admin)


def statement():
    tenant = g.get("tenant")
    today = rome_today()
    return render_tenant_template(
        "accessibility/statement.html",
        statement=statement_for(tenant),
        today=today,
        site=services.site_name(tenant),
        feedback_url=url_for(_endpoint("feedback")),
        agid_form_url=AGID_FORM_URL,
        show_warning=_answers_for_site(tenant),
    )


@mail_form_limit
def feedback():
    tenant = g.get("tenant")
    form = FeedbackForm()
    if request.method == "GET" and not form.page_url.data:
        form.page_url.data = request.args.get("pagina", "")[:500]
    if form.validate_on_submit():
        services.send_feedback(
            tenant,
            name=form.name.data or "",
            email=form.email.data,
            page_url=form.page_url.data,
            description=form.description.data,
            locale=current_locale(),
            statement_url=public_url(_endpoint("statement"), **({"tenant": tenant.slug} if tenant else {})),
        )
        return render_tenant_template(
            "accessibility/sent.html", site=services.site_name(tenant), statement_url=url_for(_endpoint("statement"))
        )
    return render_tenant_template(
        "accessibility/feedback.html",
        form=form,
        site=services.site_name(tenant),
        statement_url=url_for(_endpoint("statement")),
    )


for blueprint in (bp, tenant_bp):
    blueprint.add_url_rule("", "statement", statement, methods=["GET"])
    blueprint.add_url_rule("/segnalazione", "feedback", feedback, methods=["GET", "POST"])


@bp.app_template_global()
def accessibility_overdue(tenant) -> bool:
    """For coordinators' and admins' pages: the site's statement missed its yearly review."""
    return statement_for(tenant).overdue(rome_today())
