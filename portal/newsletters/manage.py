"""Coordinators compose, preview, test, schedule and follow their project's newsletter
(/<tenant>/manage/newsletter/...; the tenant_site manage guard requires a coordinator)."""
from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from portal.extensions import db
from portal.models.newsletter import Delivery, Issue, IssueStatus, Subscription, SubscriptionStatus
from portal.newsletters import issues as service
from portal.newsletters.forms import ActionForm, IssueForm, ScheduleForm
from portal.newsletters.runner import wake_sender
from portal.templating import current_locale
from portal.tenant_site import bp
from portal.tenant_site.services import StaleEdit, menu_pages


def _issue_or_404(issue_id: int) -> Issue:
    issue = db.session.scalar(select(Issue).where(Issue.tenant_id == g.tenant.id, Issue.id == issue_id))
    if issue is None:
        abort(404)
    return issue


def _counts() -> dict[int, dict[str, int]]:
    rows = db.session.execute(select(Delivery.issue_id, Delivery.status, func.count())
                              .where(Delivery.tenant_id == g.tenant.id).group_by(Delivery.issue_id, Delivery.status))
    counts: dict[int, dict[str, int]] = {}
    for issue_id, status, number in rows:
        counts.setdefault(issue_id, {})[status.value] = number
    return counts


def _subscriber_history() -> list[tuple[str, int]]:
    """Confirmed subscribers at the end of each month, from confirmation and leaving dates."""
    events = []
    for confirmed, left in db.session.execute(select(Subscription.confirmed_at, Subscription.unsubscribed_at)
                                              .where(Subscription.tenant_id == g.tenant.id,
                                                     Subscription.confirmed_at.is_not(None))):
        events.append((confirmed.strftime("%Y-%m"), 1))
        if left:
            events.append((left.strftime("%Y-%m"), -1))
    history, total = [], 0
    for month in sorted({m for m, _ in events}):
        total += sum(delta for m, delta in events if m == month)
        history.append((month, total))
    return history[-12:]


@bp.get("/manage/newsletter/")
@login_required
def manage_newsletter():
    issues = db.session.scalars(select(Issue).where(Issue.tenant_id == g.tenant.id).order_by(Issue.id.desc())).all()
    totals = dict(db.session.execute(select(Subscription.status, func.count()).where(
        Subscription.tenant_id == g.tenant.id).group_by(Subscription.status)).all())
    return render_template("newsletters/manage_index.html", issues=issues, counts=_counts(), totals=totals,
                           statuses=SubscriptionStatus,
                           history=_subscriber_history(), menu=menu_pages(g.tenant, current_locale()))


@bp.get("/manage/newsletter/subscribers.csv")
@login_required
def manage_newsletter_export():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "status", "language", "consent_at", "consent_text_version", "consent_source",
                     "confirmed_at", "unsubscribed_at"])
    for s in db.session.scalars(select(Subscription).where(Subscription.tenant_id == g.tenant.id).order_by(Subscription.email)):
        writer.writerow([s.email, s.status.value, s.locale, s.consent_at and s.consent_at.isoformat(),
                         s.consent_text_version, s.consent_source, s.confirmed_at and s.confirmed_at.isoformat(),
                         s.unsubscribed_at and s.unsubscribed_at.isoformat()])
    filename = f"{g.tenant.slug}-subscribers.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _compose(issue: Issue | None):
    since = service.last_sent_at(g.tenant)
    candidates = service.digest_candidates(g.tenant, since)
    form = IssueForm(obj=issue, data={"body": issue.body_md, "version": issue.version,
                                      "digest": [b["key"] for b in issue.digest]} if issue else
                     {"digest": [b["key"] for b in candidates]})
    known = {b["key"]: b for b in (issue.digest if issue else []) + candidates}
    form.digest.choices = [(key, block["title"]) for key, block in known.items()]
    if form.validate_on_submit():
        try:
            saved = service.save_issue(current_user, g.tenant, issue, form.subject.data, form.body.data or "",
                                       form.digest.data, candidates, form.expected_version())
        except StaleEdit:
            flash(_("Someone else saved this in the meantime. Their version is shown below: copy your changes again and save."), "error")
            return redirect(request.path)
        flash(_("The draft has been saved."), "success")
        return redirect(url_for("tenant_site.manage_newsletter_issue", issue_id=saved.id))
    from portal.tenant_site.forms import MARKDOWN_HELP

    return render_template("newsletters/compose.html", form=form, issue=issue, form_help=MARKDOWN_HELP,
                           menu=menu_pages(g.tenant, current_locale()))


@bp.route("/manage/newsletter/new", methods=["GET", "POST"])
@login_required
def manage_newsletter_new():
    return _compose(None)


@bp.route("/manage/newsletter/<int:issue_id>/edit", methods=["GET", "POST"])
@login_required
def manage_newsletter_edit(issue_id: int):
    issue = _issue_or_404(issue_id)
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        abort(409)
    return _compose(issue)


@bp.get("/manage/newsletter/<int:issue_id>")
@login_required
def manage_newsletter_issue(issue_id: int):
    issue = _issue_or_404(issue_id)
    text, html = service.render_issue(g.tenant, issue, current_locale())
    return render_template("newsletters/issue_admin.html", issue=issue, preview_text=text, preview_html=html,
                           counts=_counts().get(issue.id, {}), schedule_form=ScheduleForm(), action_form=ActionForm(),
                           menu=menu_pages(g.tenant, current_locale()))


@bp.post("/manage/newsletter/<int:issue_id>/test")
@login_required
def manage_newsletter_test(issue_id: int):
    issue = _issue_or_404(issue_id)
    if ActionForm().validate_on_submit():
        service.test_send(current_user, g.tenant, issue, current_app.config["NEWSLETTER_FROM_DOMAIN"])
        flash(_("A test copy has been sent to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("tenant_site.manage_newsletter_issue", issue_id=issue.id))


@bp.post("/manage/newsletter/<int:issue_id>/schedule")
@login_required
def manage_newsletter_schedule(issue_id: int):
    issue = _issue_or_404(issue_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        flash(" ".join(form.when.errors) or _("Please correct the highlighted fields."), "error")
    elif service.schedule(current_user, g.tenant, issue, form.moment()):
        wake_sender()
        flash(_("The issue is on its way.") if form.send_now.data else _("The issue is scheduled."), "success")
    else:
        flash(_("This issue is already being sent or has been sent."), "info")
    return redirect(url_for("tenant_site.manage_newsletter_issue", issue_id=issue.id))


@bp.post("/manage/newsletter/<int:issue_id>/unschedule")
@login_required
def manage_newsletter_unschedule(issue_id: int):
    issue = _issue_or_404(issue_id)
    if ActionForm().validate_on_submit() and service.unschedule(current_user, g.tenant, issue):
        flash(_("The issue is a draft again."), "success")
    return redirect(url_for("tenant_site.manage_newsletter_issue", issue_id=issue.id))






@bp.app_template_global()
def issue_status_label(issue: Issue) -> str:
    from flask_babel import lazy_gettext as _l

    labels = {"draft": _l("Draft"), "scheduled": _l("Scheduled"), "sending": _l("Sending"), "sent": _l("Sent")}
    return str(labels[issue.status.value])
