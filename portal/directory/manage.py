"""Partner editors and coordinators edit the directory from the browser."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.directory import manage_bp, services
from portal.directory.forms import FORMS, CloseEarlyForm, DuplicateForm, EditorForm, OrganisationForm, WithdrawForm
from portal.directory.kinds import KIND_PATHS, detail_url
from portal.directory.permissions import can_create_organisations, can_moderate, coordinated_tenant_ids
from portal.errors import Conflict, Invalid, NotFound, ProjectEnded, StaleEdit, require
from portal.extensions import login_manager
from portal.forms import error_text, show_domain_errors
from portal.lifecycle.data import is_ended
from portal.models import Tenant
from portal.models.directory import Status
from portal.projects import all_projects
from portal.timezone import ROME, rome_today

SAVED_FOR_REVIEW = _l("Saved. A coordinator of the project will review it before it is published.")
DRAFT_SAVED = _l("The draft has been saved. It is not visible to the public and no one reviews it until you submit it.")
STALE_KEPT = _l(
    "What you typed is still in the form below: open the entry in another tab to compare it with the "
    "saved version, then save again to keep yours."
)
LINKS_REQUESTED = _l("The projects you do not coordinate have been asked to accept the organisation.")


@manage_bp.before_request
def require_someone_who_publishes():
    """Every URL under /directory/manage/: signed in (else the login page), and a partner
    editor of some organisation, a coordinator or an admin (else 403). Which organisation
    and entry each person may touch is checked by the services."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(services.publishes_in_the_directory(current_user))
    return None


def _tenant_choices(limit_to: list[Tenant] | None = None) -> list[tuple[int, str]]:
    tenants = limit_to if limit_to is not None else all_projects()
    return [(t.id, t.short_name) for t in tenants]


def _initial_data(form_class, row, **extra) -> dict:
    """What the edit form starts from: the saved values, then the proposal waiting for review
    (so an editor continues their own change instead of overwriting it unknowingly)."""
    data = {name: getattr(row, name) for name in form_class.field_names() if hasattr(row, name)}
    data.update(extra)
    data.update(services.editable_data(row))
    for name in ("starts_at", "ends_at"):  # stored UTC, edited in Italian time
        if data.get(name) is not None and data[name].tzinfo is not None:
            data[name] = data[name].astimezone(ROME).replace(tzinfo=None)
    return data


def _versioned(form, row):
    """The version the page shows; on POST only what the browser sent counts."""
    if request.method == "GET":
        form.version.data = row.version
    return form


@manage_bp.get("/")
def index():
    from portal.interests.services import (
        counts_by_entry as interest_counts_by_entry,  # (portal.interests imports this package)
    )

    organisations = services.organisations_edited_by(current_user)
    can_review = services.can_review_anything(current_user)
    return render_template(
        "directory/manage_index.html",
        organisations=organisations,
        interest_counts=interest_counts_by_entry(e.id for org in organisations for e in org.entries),
        kind_paths=KIND_PATHS,
        can_create=can_create_organisations(current_user),
        can_review=can_review,
        waiting=len(services.moderation_queue(current_user)) if can_review else 0,
    )


@manage_bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    require(can_create_organisations(current_user))
    form = OrganisationForm(tenant_ids=sorted(coordinated_tenant_ids(current_user)))
    form.tenant_ids.choices = _tenant_choices()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, form.to_data())
        except Invalid as exc:
            show_domain_errors(form, exc)
        else:
            flash(_("The organisation has been registered."), "success")
            if services.pending_link_ids(org):
                flash(str(LINKS_REQUESTED), "info")
            return redirect(url_for("directory.organisation", slug=org.slug))
    return render_template("directory/edit_organisation.html", form=form, org=None)


@manage_bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def edit_organisation(org_id: int):
    org = services.organisation_for_edit(current_user, org_id)
    pending = services.pending_link_ids(org)
    form = _versioned(
        OrganisationForm(data=_initial_data(OrganisationForm, org, tenant_ids=[t.id for t in org.tenants] + pending)),
        org,
    )
    form.tenant_ids.choices = _tenant_choices()
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, org, form.to_data(), form.expected_version())
        except StaleEdit as exc:
            flash(str(exc), "error")
            return redirect(url_for("directory.manage.edit_organisation", org_id=org_id))
        except Invalid as exc:
            show_domain_errors(form, exc)
        else:
            flash(str(SAVED_FOR_REVIEW) if org.awaits_review else _("The organisation has been saved."), "success")
            if set(services.pending_link_ids(org)) - set(pending):
                flash(str(LINKS_REQUESTED), "info")
            return redirect(url_for("directory.organisation", slug=org.slug))
    return render_template(
        "directory/edit_organisation.html",
        form=form,
        org=org,
        pending_link_ids=pending,
        editors=services.editors_of(org),
        editor_form=EditorForm(),
        can_review=can_moderate(current_user, org),
    )


@manage_bp.post("/organisations/<int:org_id>/editors")
def add_editor(org_id: int):
    org = services.organisation_to_moderate(current_user, org_id)
    form = EditorForm()
    if form.validate_on_submit():
        if services.add_editor(current_user, org, form.email.data) is None:
            flash(_("There is no account with this e-mail address. Ask the person to register first."), "error")
        else:
            flash(_("The editor has been added."), "success")
    else:
        flash(error_text(form.email.errors) or _("Please correct the highlighted fields."), "error")
    return redirect(url_for("directory.manage.edit_organisation", org_id=org.id))


def _preview(kind: str, org, form, entry=None):
    """The entry as the form would publish it, on an unsaved copy: nothing is written."""
    return services.preview_entry(current_user, kind, org, form.to_data(), entry)


@manage_bp.route("/organisations/<int:org_id>/<kind>/new", methods=["GET", "POST"])
def new_entry(org_id: int, kind: str):
    if kind not in FORMS:
        raise NotFound()
    org = services.organisation_for_new_entries(current_user, org_id)
    # Where it takes place starts from the organisation's own address.
    form = FORMS[kind](
        tenant_ids=[t.id for t in org.tenants if not is_ended(t)],
        province=org.province,
        comune=org.comune,
        address=org.address,
    )
    form.is_new = True
    form.tenant_ids.choices = _tenant_choices(org.tenants)
    preview = None
    action = form.action() if request.method == "POST" else None
    try:
        if action == "submit" and form.validate_on_submit():
            entry = services.create_entry(current_user, org, kind, form.to_data())
            flash(str(SAVED_FOR_REVIEW) if entry.awaits_review else _("Published."), "success")
            return redirect(detail_url(kind, entry.slug))
        if action == "draft" and form.validate_as_draft():
            entry = services.create_draft(current_user, org, kind, form.to_data())
            flash(str(DRAFT_SAVED), "success")
            return redirect(url_for("directory.manage.edit_entry", entry_id=entry.id))
        if action == "preview" and form.validate_as_draft():
            preview = _preview(kind, org, form)
    except (Invalid, ProjectEnded) as exc:
        show_domain_errors(form, exc)
    return render_template("directory/edit_entry.html", form=form, org=org, entry=None, kind=kind, preview=preview)


@manage_bp.route("/entries/<int:entry_id>", methods=["GET", "POST"])
def edit_entry(entry_id: int):
    entry = services.entry_for_edit(current_user, entry_id)
    org = entry.organisation
    form_class = FORMS[entry.kind]
    form = _versioned(
        form_class(data=_initial_data(form_class, entry, tenant_ids=[t.id for t in entry.tenants])), entry
    )
    form.is_new = entry.status == Status.DRAFT  # a draft's dates are checked as a new entry's
    form.tenant_ids.choices = _tenant_choices(org.tenants)
    preview = None
    action = form.action() if request.method == "POST" else None
    try:
        if action == "submit" and form.validate_on_submit():
            services.update_entry(current_user, entry, form.to_data(), form.expected_version())
            flash(str(SAVED_FOR_REVIEW) if entry.awaits_review else _("Published."), "success")
            return redirect(detail_url(entry.kind, entry.slug))
        if action == "draft" and form.validate_as_draft():
            services.save_draft(current_user, entry, form.to_data(), form.expected_version())
            flash(str(DRAFT_SAVED), "success")
            return redirect(url_for("directory.manage.edit_entry", entry_id=entry_id))
        if action == "preview" and form.validate_as_draft():
            preview = _preview(entry.kind, org, form, entry)
    except StaleEdit as exc:
        # Nothing of theirs is lost: the form keeps what they typed, now against the saved version.
        entry = services.entry_for_edit(current_user, entry_id)
        form.version.data = entry.version
        flash(str(exc), "error")
        flash(str(STALE_KEPT), "info")
    except ProjectEnded as exc:  # before Conflict: it is one
        show_domain_errors(form, exc)
    except Conflict as exc:
        flash(str(exc), "error")
    except Invalid as exc:
        show_domain_errors(form, exc)
    return render_template(
        "directory/edit_entry.html",
        form=form,
        org=org,
        entry=entry,
        kind=entry.kind,
        preview=preview,
        today=rome_today(),
        withdraw_form=_with_version(WithdrawForm(formdata=None), entry),
        close_form=_with_version(CloseEarlyForm(formdata=None), entry),
        duplicate_form=DuplicateForm(formdata=None),
    )


def _with_version(form, row):
    form.version.data = row.version
    return form


@manage_bp.post("/entries/<int:entry_id>/withdraw")
def withdraw_entry(entry_id: int):
    entry = services.entry(entry_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw_entry(current_user, entry, form.expected_version())
        except (StaleEdit, Conflict) as exc:
            flash(str(exc), "error")
        else:
            flash(_("The entry has been withdrawn: it no longer appears anywhere on the portal."), "success")
            return redirect(url_for("workspace.index"))
    return redirect(url_for("directory.manage.edit_entry", entry_id=entry_id))


@manage_bp.post("/entries/<int:entry_id>/close")
def close_entry(entry_id: int):
    """ "Places filled": closed before its deadline, still shown as closed."""
    entry = services.entry(entry_id)
    form = CloseEarlyForm()
    if form.validate_on_submit():
        try:
            services.close_entry_early(current_user, entry, form.expected_version(), rome_today())
        except (StaleEdit, Conflict) as exc:
            flash(str(exc), "error")
        else:
            flash(_("The entry is closed: it stays visible as closed and no longer appears among open entries."),
                  "success")  # fmt: skip
            return redirect(url_for("workspace.index"))
    return redirect(url_for("workspace.index"))


@manage_bp.post("/entries/<int:entry_id>/duplicate")
def duplicate_entry(entry_id: int):
    """A copy for next season, as a new draft its editors then adjust."""
    entry = services.entry(entry_id)
    form = DuplicateForm()
    if not form.validate_on_submit():
        flash(_("The page had expired: please try again."), "error")
        return redirect(url_for("workspace.index"))
    copy = services.duplicate_entry(current_user, entry)
    flash(_("A copy has been saved as a draft, without the dates of the earlier entry: enter the new dates, "
            "check the texts, then submit it."), "success")  # fmt: skip
    return redirect(url_for("directory.manage.edit_entry", entry_id=copy.id))
