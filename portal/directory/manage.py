"""Partner editors and coordinators edit the directory from the browser."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.directory import bp, services
from portal.directory.forms import FORMS, EditorForm, OrganisationForm
from portal.directory.permissions import can_create_organisations, can_moderate, is_editor, require
from portal.directory.search import KIND_PATHS
from portal.extensions import db
from portal.models import Entry, Organisation, Tenant
from portal.tenant_site.services import StaleEdit

STALE = _l("Someone else saved this in the meantime. Their version is shown below: copy your changes again and save.")
SAVED_FOR_REVIEW = _l("Saved. A coordinator of the project will review it before it is published.")


def _tenant_choices(limit_to: list[Tenant] | None = None) -> list[tuple[int, str]]:
    tenants = limit_to if limit_to is not None else db.session.scalars(select(Tenant).order_by(Tenant.position))
    return [(t.id, t.short_name) for t in tenants]


@bp.get("/directory/manage/")
@login_required
def manage_index():
    organisations = services.organisations_edited_by(current_user)
    return render_template("directory/manage_index.html", organisations=organisations, kind_paths=KIND_PATHS,
                           can_create=can_create_organisations(current_user))


@bp.route("/directory/manage/organisations/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    require(can_create_organisations(current_user))
    form = OrganisationForm()
    form.tenant_ids.choices = _tenant_choices()
    if form.validate_on_submit():
        org = services.create_organisation(current_user, form.to_data())
        flash(_("The organisation has been registered."), "success")
        return redirect(url_for("directory.organisation", slug=org.slug))
    return render_template("directory/edit_organisation.html", form=form, org=None)


def _load_org(org_id: int) -> Organisation:
    return db.get_or_404(Organisation, org_id)


@bp.route("/directory/manage/organisations/<int:org_id>", methods=["GET", "POST"])
@login_required
def edit_organisation(org_id: int):
    org = _load_org(org_id)
    require(is_editor(current_user, org) or can_moderate(current_user, org))
    form = OrganisationForm(obj=org, data={"tenant_ids": [t.id for t in org.tenants], **services.editable_data(org)})
    form.tenant_ids.choices = _tenant_choices()
    if request.method == "GET":
        form.version.data = org.version
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, org, form.to_data(), form.expected_version())
        except StaleEdit:
            flash(str(STALE), "error")
            return redirect(url_for("directory.edit_organisation", org_id=org.id))
        flash(str(SAVED_FOR_REVIEW) if org.awaits_review else _("The organisation has been saved."), "success")
        return redirect(url_for("directory.organisation", slug=org.slug))
    return render_template("directory/edit_organisation.html", form=form, org=org,
                           editors=services.editors_of(org), editor_form=EditorForm(),
                           can_review=can_moderate(current_user, org))


@bp.post("/directory/manage/organisations/<int:org_id>/editors")
@login_required
def add_editor(org_id: int):
    org = _load_org(org_id)
    require(can_moderate(current_user, org))
    form = EditorForm()
    if form.validate_on_submit():
        if services.add_editor(current_user, org, form.email.data) is None:
            flash(_("There is no account with this e-mail address. Ask the person to register first."), "error")
        else:
            flash(_("The editor has been added."), "success")
    else:
        flash(" ".join(form.email.errors) or _("Please correct the highlighted fields."), "error")
    return redirect(url_for("directory.edit_organisation", org_id=org.id))


@bp.route("/directory/manage/organisations/<int:org_id>/<kind>/new", methods=["GET", "POST"])
@login_required
def new_entry(org_id: int, kind: str):
    org = _load_org(org_id)
    if kind not in FORMS:
        abort(404)
    require(is_editor(current_user, org))
    form = FORMS[kind](tenant_ids=[t.id for t in org.tenants])
    form.is_new = True
    form.tenant_ids.choices = _tenant_choices(org.tenants)
    if form.validate_on_submit():
        entry = services.create_entry(current_user, org, kind, form.to_data())
        flash(str(SAVED_FOR_REVIEW) if entry.awaits_review else _("Published."), "success")
        return redirect(url_for("directory.entry", kind_path=KIND_PATHS[kind], slug=entry.slug))
    return render_template("directory/edit_entry.html", form=form, org=org, entry=None, kind=kind)


@bp.route("/directory/manage/entries/<int:entry_id>", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int):
    entry = db.first_or_404(select(Entry).where(Entry.id == entry_id))
    org = entry.organisation
    require(is_editor(current_user, org))
    form = FORMS[entry.kind](obj=entry, data={"tenant_ids": [t.id for t in entry.tenants],
                                              **services.editable_data(entry)})
    form.tenant_ids.choices = _tenant_choices(org.tenants)
    if request.method == "GET":
        form.version.data = entry.version
        _localise_event_times(form, entry)
    if form.validate_on_submit():
        try:
            services.update_entry(current_user, entry, form.to_data(), form.expected_version())
        except StaleEdit:
            flash(str(STALE), "error")
            return redirect(url_for("directory.edit_entry", entry_id=entry.id))
        flash(str(SAVED_FOR_REVIEW), "success")
        return redirect(url_for("directory.entry", kind_path=KIND_PATHS[entry.kind], slug=entry.slug))
    return render_template("directory/edit_entry.html", form=form, org=org, entry=entry, kind=entry.kind)


def _localise_event_times(form, entry: Entry) -> None:
    """Stored UTC, edited in Italian time."""
    from portal.timezone import ROME

    for name in ("starts_at", "ends_at"):
        field = getattr(form, name, None)
        if field is not None and field.data and field.data.tzinfo is not None:
            field.data = field.data.astimezone(ROME).replace(tzinfo=None)
