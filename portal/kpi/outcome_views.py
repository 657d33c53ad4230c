"""Partners record the placements of an internship offer (/directory/manage/entries/<id>/outcomes,
under the directory's partner guard; which entry each person may touch is checked by the service)."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.errors import Invalid, NotFound
from portal.forms import show_domain_errors
from portal.kpi import outcomes, outcomes_bp
from portal.kpi.forms import OutcomeForm, RemoveOutcomeForm
from portal.timezone import rome_today


def _form(entry, editing=None) -> OutcomeForm:
    projects = outcomes.projects_for(current_user, entry)
    data = None
    if editing is not None:
        data = {
            "outcome_id": editing.id,
            "tenant_id": editing.tenant_id,
            "placements": editing.placements,
            "started_on": editing.started_on,
            "ended_on": editing.ended_on,
            "outcome": editing.outcome.value,
        }
    form = OutcomeForm(data=data)
    form.tenant_id.choices = [(t.id, t.short_name) for t in projects]
    if editing is None and request.method == "GET" and projects:
        form.tenant_id.data = projects[0].id
    return form


SENT_FORMS = "outcome-forms-sent"
KEEP_SENT = 20


def _already_sent(form: OutcomeForm) -> bool:
    return bool(form.submission.data) and form.submission.data in session.get(SENT_FORMS, [])


def _remember_sent(form: OutcomeForm) -> None:
    if form.submission.data:
        session[SENT_FORMS] = [*session.get(SENT_FORMS, []), form.submission.data][-KEEP_SENT:]


@outcomes_bp.route("/entries/<int:entry_id>/outcomes", methods=["GET", "POST"])
def outcomes_page(entry_id: int):
    entry = outcomes.entry_for_outcomes(current_user, entry_id)
    rows = outcomes.outcomes_of(entry, current_user)
    editing = None
    edit_id = request.args.get("edit", "")
    if request.method == "GET" and edit_id:
        editing = next((row for row in rows if str(row.id) == edit_id), None)
        if editing is None:
            raise NotFound()
    form = _form(entry, editing)
    if form.validate_on_submit():
        if _already_sent(form):
            flash(_("These placements had already been saved: they are counted once."), "info")
            return redirect(url_for("directory.manage.outcomes.outcomes_page", entry_id=entry.id))
        try:
            outcomes.record(current_user, entry, form.to_data(), rome_today(), form.editing_id())
        except Invalid as exc:
            show_domain_errors(form, exc)
        else:
            _remember_sent(form)
            flash(_("The placements have been saved."), "success")
            return redirect(url_for("directory.manage.outcomes.outcomes_page", entry_id=entry.id))
    form.submission.data = secrets.token_urlsafe(12)  # a new key for the form shown now
    status = 422 if request.method == "POST" else 200
    return render_template(
        "kpi/outcomes.html",
        entry=entry,
        rows=rows,
        form=form,
        editing=editing or form.editing_id(),
        remove_form=RemoveOutcomeForm(),
        labels=outcomes.OUTCOME_LABELS,
        projects={t.id: t.short_name for t in outcomes.projects_for(current_user, entry)},
    ), status


@outcomes_bp.post("/entries/<int:entry_id>/outcomes/remove")
def remove_outcome(entry_id: int):
    entry = outcomes.entry_for_outcomes(current_user, entry_id)
    form = RemoveOutcomeForm()
    outcome_id = form.target_id() if form.validate_on_submit() else None
    if outcome_id is None:
        raise NotFound()
    outcomes.remove(current_user, entry, outcome_id)
    flash(_("The placements have been removed."), "success")
    return redirect(url_for("directory.manage.outcomes.outcomes_page", entry_id=entry.id))
