"""Coordinators compose, preview, test, schedule and follow their project's newsletter
(/<tenant>/manage/newsletter/...: nested under the space's manage guard, which requires a coordinator)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.csv_export import csv_response
from portal.errors import Conflict, NotFound, ProjectEnded, StaleEdit
from portal.forms import error_text
from portal.jobs.runner import wake
from portal.markup import MARKDOWN_HELP
from portal.models.newsletter import Issue, IssueStatus, SubscriptionStatus
from portal.newsletters import issues as service
from portal.newsletters import manage_bp, reports
from portal.newsletters.forms import ActionForm, IssueForm, ScheduleForm
from portal.templating import current_locale, render_tenant_template


def _issue_or_404(issue_id: int) -> Issue:
    issue = reports.issue_of(g.tenant, issue_id)
    if issue is None:
        raise NotFound()
    return issue


@manage_bp.get("/")
def index():
    return render_tenant_template(
        "newsletters/manage_index.html",
        issues=reports.issues_of(g.tenant),
        counts=reports.delivery_counts(g.tenant),
        totals=reports.subscriber_totals(g.tenant),
        statuses=SubscriptionStatus,
        history=reports.subscriber_history(g.tenant),
    )


@manage_bp.get("/subscribers.csv")
def export():
    from portal.privacy.services import record_export

    rows = list(reports.subscriber_export_rows(g.tenant))
    record_export(current_user, "newsletter-subscribers", g.tenant, len(rows))
    response = csv_response(f"{g.tenant.slug}-subscribers.csv", reports.SUBSCRIBER_EXPORT_HEADER, rows)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _compose(issue: Issue | None):
    since = service.last_sent_at(g.tenant)
    candidates = service.digest_candidates(g.tenant, since)
    form = IssueForm(
        obj=issue,
        data={"body": issue.body_md, "digest": [b["key"] for b in issue.digest]}
        if issue
        else {"digest": [b["key"] for b in candidates]},
    )
    if issue is not None and request.method == "GET":
        form.version.data = issue.version  # on POST only what the browser sent counts
    known = {b["key"]: b for b in (issue.digest if issue else []) + candidates}
    form.digest.choices = [(key, block["title"]) for key, block in known.items()]
    if form.validate_on_submit():
        try:
            saved = service.save_issue(
                current_user,
                g.tenant,
                issue,
                form.subject.data,
                form.body.data or "",
                form.digest.data,
                candidates,
                form.expected_version(),
            )
        except StaleEdit as exc:
            flash(str(exc), "error")
            return redirect(request.path)
        except ProjectEnded as exc:
            flash(str(exc), "error")
            return redirect(url_for("tenant_site.manage.newsletter.index"))
        flash(_("The draft has been saved."), "success")
        return redirect(url_for("tenant_site.manage.newsletter.issue", issue_id=saved.id))
    return render_tenant_template("newsletters/compose.html", form=form, issue=issue, form_help=MARKDOWN_HELP)


@manage_bp.route("/new", methods=["GET", "POST"])
def new():
    try:
        service.require_composer_open(g.tenant)
    except ProjectEnded as exc:
        flash(str(exc), "error")
        return redirect(url_for("tenant_site.manage.newsletter.index"))
    return _compose(None)


@manage_bp.route("/<int:issue_id>/edit", methods=["GET", "POST"])
def edit(issue_id: int):
    issue = _issue_or_404(issue_id)
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        raise Conflict(_("This issue is already being sent or has been sent."))
    return _compose(issue)


@manage_bp.get("/<int:issue_id>")
def issue(issue_id: int):
    issue = _issue_or_404(issue_id)
    text, html = service.render_issue(g.tenant, issue, current_locale())
    return render_tenant_template(
        "newsletters/issue_admin.html",
        issue=issue,
        preview_text=text,
        preview_html=html,
        counts=reports.delivery_counts(g.tenant).get(issue.id, {}),
        schedule_form=ScheduleForm(),
        action_form=ActionForm(),
    )


@manage_bp.post("/<int:issue_id>/test")
def test_send(issue_id: int):
    issue = _issue_or_404(issue_id)
    if ActionForm().validate_on_submit():
        service.test_send(current_user, g.tenant, issue, current_app.config["NEWSLETTER_FROM_DOMAIN"])
        flash(_("A test copy has been sent to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("tenant_site.manage.newsletter.issue", issue_id=issue.id))


@manage_bp.post("/<int:issue_id>/schedule")
def schedule(issue_id: int):
    issue = _issue_or_404(issue_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        flash(error_text(form.when.errors) or _("Please correct the highlighted fields."), "error")
        return redirect(url_for("tenant_site.manage.newsletter.issue", issue_id=issue.id))
    try:
        scheduled = service.schedule(current_user, g.tenant, issue, form.moment())
    except ProjectEnded as exc:
        flash(str(exc), "error")
    else:
        _say_scheduled(scheduled, form.send_now.data)
    return redirect(url_for("tenant_site.manage.newsletter.issue", issue_id=issue.id))


def _say_scheduled(scheduled: bool, now: bool) -> None:
    if scheduled:
        wake("newsletter-send-due")
        flash(_("The issue is on its way.") if now else _("The issue is scheduled."), "success")
    else:
        flash(_("This issue is already being sent or has been sent."), "info")


@manage_bp.post("/<int:issue_id>/unschedule")
def unschedule(issue_id: int):
    issue = _issue_or_404(issue_id)
    if ActionForm().validate_on_submit() and service.unschedule(current_user, g.tenant, issue):
        flash(_("The issue is a draft again."), "success")
    return redirect(url_for("tenant_site.manage.newsletter.issue", issue_id=issue.id))


@manage_bp.app_template_global()
def issue_status_label(issue: Issue) -> str:
    from flask_babel import lazy_gettext as _l

    labels = {"draft": _l("Draft"), "scheduled": _l("Scheduled"), "sending": _l("Sending"), "sent": _l("Sent")}
    return str(labels[issue.status.value])
