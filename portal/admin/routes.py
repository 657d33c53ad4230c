"""Admin pages: thin views over portal/admin/services.py, all behind one guard."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp, services
from portal.admin.forms import ActionForm, GrantForm, InviteForm, RevokeForm, SettingsForm
from portal.errors import BadRequest, Conflict, Invalid
from portal.extensions import login_manager
from portal.forms import show_domain_errors
from portal.models.company import InvitedRole
from portal.projects import all_projects


@bp.before_request
def require_a_platform_admin():
    """Every URL under /admin/: signed in (else the login page), and a platform admin (else 403)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    services.require_admin(current_user)
    return None


def _role_choices(form) -> None:
    form.tenant_id.choices = [("", _("No project"))] + [(t.id, t.short_name) for t in all_projects()]
    form.organisation_id.choices = [("", _("No organisation"))] + [(o.id, o.name) for o in services.all_organisations()]


def _targets(form):
    tenant = services.tenant(form.tenant_id.data) if form.tenant_id.data else None
    organisation = services.organisation(form.organisation_id.data) if form.organisation_id.data else None
    return InvitedRole(form.role.data), tenant, organisation


@bp.get("/")
def index():
    return render_template("admin/index.html", **services.dashboard(current_user))


@bp.get("/users")
def users():
    query = request.args.get("q", "")
    page = request.args.get("page", 1, type=int) or 1
    pagination = services.find_users(current_user, query, max(1, min(page, 10_000)))
    return render_template("admin/users.html", pagination=pagination, query=query)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    person = services.user(current_user, user_id)
    grant_form = GrantForm()
    _role_choices(grant_form)
    return _user_page(person, grant_form)


def _user_page(person, grant_form):
    return render_template(
        "admin/user.html",
        person=person,
        roles=services.roles_of(person),
        organisations=services.organisations_of(person),
        history=services.history(person),
        grant_form=grant_form,
        action_form=ActionForm(),
    )


def _back(user_id: int):
    return redirect(url_for("admin.user", user_id=user_id))


def _one_button(user_id: int, action, done: str):
    person = services.user(current_user, user_id)
    if not ActionForm().validate_on_submit():
        raise BadRequest()
    try:
        action(person)
    except (Conflict, Invalid) as exc:
        flash(str(exc), "error")
    else:
        flash(done, "success")
    return _back(user_id)


@bp.post("/users/<int:user_id>/disable")
def disable(user_id: int):
    return _one_button(user_id, lambda p: services.set_disabled(current_user, p, True),
                       _("The account is disabled: it cannot log in, and its sessions have ended."))  # fmt: skip


@bp.post("/users/<int:user_id>/enable")
def enable(user_id: int):
    return _one_button(user_id, lambda p: services.set_disabled(current_user, p, False),
                       _("The account is enabled again."))  # fmt: skip


@bp.post("/users/<int:user_id>/resend-confirmation")
def resend_confirmation(user_id: int):
    return _one_button(user_id, lambda p: services.resend_confirmation(current_user, p),
                       _("A new confirmation link has been sent."))  # fmt: skip


@bp.post("/users/<int:user_id>/password-reset")
def password_reset(user_id: int):
    return _one_button(user_id, lambda p: services.send_password_reset(current_user, p),
                       _("A password reset link has been sent."))  # fmt: skip


@bp.post("/users/<int:user_id>/roles")
def grant(user_id: int):
    person = services.user(current_user, user_id)
    form = GrantForm()
    _role_choices(form)
    if form.validate_on_submit():
        try:
            role, tenant, organisation = _targets(form)
            services.grant(current_user, person, role, tenant=tenant, organisation=organisation)
        except Invalid as exc:
            show_domain_errors(form, exc)
        else:
            flash(_("The role has been given."), "success")
            return _back(user_id)
    return _user_page(person, form), 422  # each error on its field


@bp.post("/users/<int:user_id>/roles/revoke")
def revoke(user_id: int):
    person = services.user(current_user, user_id)
    form = RevokeForm()
    if not form.validate_on_submit() or not (form.tenant_id.data or form.organisation_id.data):
        raise BadRequest()
    try:
        if form.tenant_id.data:
            services.revoke_project_role(current_user, person, services.tenant(form.tenant_id.data))
        else:
            services.revoke_editor(current_user, person, services.organisation(form.organisation_id.data))
    except Conflict as exc:
        flash(str(exc), "error")
    else:
        flash(_("The role has been removed."), "success")
    return _back(user_id)


@bp.route("/invitations", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    _role_choices(form)
    if form.validate_on_submit():
        try:
            role, tenant, organisation = _targets(form)
            sent = services.invite(current_user, form.email.data, form.name.data or "", role, tenant=tenant,
                                   organisation=organisation, locale=form.locale.data)  # fmt: skip
        except Invalid as exc:
            show_domain_errors(form, exc)
        else:
            flash(_("The invitation has been sent to %(email)s.", email=form.email.data) if sent
                  else str(services.ALREADY_HAS_ACCOUNT), "success")  # fmt: skip
            return redirect(url_for("admin.invite"))
    return render_template("admin/invite.html", form=form), 422 if form.errors else 200


@bp.get("/projects")
def projects():
    return render_template("admin/projects.html", projects=all_projects())


@bp.route("/projects/<int:tenant_id>", methods=["GET", "POST"])
def project(tenant_id: int):
    project = services.tenant(tenant_id)
    contacts = project.contacts or {}
    form = SettingsForm(data={"contact_email": contacts.get("email", ""), "contact_phone": contacts.get("phone", ""),
                              "contact_address": contacts.get("address", ""), "features": project.features,
                              "position": project.position} if request.method == "GET" else None)  # fmt: skip
    if form.validate_on_submit():
        changes = services.update_settings(current_user, project, form.to_data())
        flash(_("The settings have been saved.") if changes else _("Nothing has changed."), "success")
        return redirect(url_for("admin.project", tenant_id=tenant_id))
    return render_template("admin/project.html", project=project, form=form), 422 if form.errors else 200
