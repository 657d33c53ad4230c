"""Newsletter pages of a project's space (/<tenant>/newsletter/...), public side."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import csrf, db
from portal.models.newsletter import Issue, IssueStatus, Subscription, SubscriptionStatus
from portal.newsletters import reports, subscriptions
from portal.newsletters.forms import ManageSubscriptionForm, SubscribeForm
from portal.templating import current_locale
from portal.tenant_site import bp
from portal.tenant_site.services import menu_pages
from portal.throttle import mail_form_limit
from portal.tokens import TokenError


def _sent_issues():
    return reports.sent_issues(g.tenant)


def _my_subscription():
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(select(Subscription).where(Subscription.tenant_id == g.tenant.id,
                                                        Subscription.email == current_user.email))


@bp.route("/newsletter/", methods=["GET", "POST"])
@mail_form_limit
def newsletter():
    form = SubscribeForm(locale=current_locale())
    if form.validate_on_submit():
        subscriptions.subscribe(g.tenant, form.email.data, form.locale.data, source="web-form", user=current_user)
        return render_template("newsletters/check_email.html", email=form.email.data,
                               menu=menu_pages(g.tenant, current_locale()))
    return render_template("newsletters/index.html", form=form, issues=_sent_issues(),
                           mine=_my_subscription(), menu=menu_pages(g.tenant, current_locale()))


@bp.post("/newsletter/subscribe-me")
def newsletter_subscribe_me():
    """Signed-in users subscribe in one click (their address is already confirmed)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("tenant_site.newsletter")))
    subscriptions.subscribe(g.tenant, current_user.email, current_user.locale or current_locale(),
                            source="one-click", user=current_user)
    flash(_("You are subscribed to the newsletter."), "success")
    return redirect(url_for("tenant_site.newsletter"))


def _link_problem():
    return render_template("auth/link_problem.html", message=_("This link is not valid or has expired."),
                           action_url=url_for("tenant_site.newsletter"),
                           action_label=_("Go to the newsletter page")), 400


@bp.get("/newsletter/confirm/<token>")
def newsletter_confirm(token: str):
    try:
        subscriptions.confirm(g.tenant, token)
    except TokenError:
        return _link_problem()
    flash(_("Your subscription is confirmed. Thank you!"), "success")
    return redirect(url_for("tenant_site.newsletter"))


@bp.route("/newsletter/manage/<token>", methods=["GET", "POST"])
def newsletter_manage(token: str):
    try:
        subscription = subscriptions.subscription_for_manage_token(g.tenant, token)
    except TokenError:
        return _link_problem()
    form = ManageSubscriptionForm(locale=subscription.locale)
    if form.validate_on_submit():
        if form.unsubscribe.data:
            subscriptions.unsubscribe(g.tenant, subscription)
            flash(_("You have left the newsletter. You will receive nothing more."), "success")
        else:
            subscriptions.change_language(g.tenant, subscription, form.locale.data)
            flash(_("The language of the newsletter has been changed."), "success")
        return redirect(url_for("tenant_site.newsletter_manage", token=token))
    return render_template("newsletters/manage.html", form=form, subscription=subscription,
                           subscribed=subscription.status == SubscriptionStatus.CONFIRMED,
                           menu=menu_pages(g.tenant, current_locale()))


@bp.post("/newsletter/unsubscribe/<token>")
@csrf.exempt
def newsletter_unsubscribe(token: str):
    """RFC 8058 one-click: a mail client POSTs here without session or CSRF token."""
    try:
        subscription = subscriptions.subscription_for_manage_token(g.tenant, token)
    except TokenError:
        return Response("invalid or expired link\n", status=400, mimetype="text/plain")
    subscriptions.unsubscribe(g.tenant, subscription)
    return Response("unsubscribed\n", mimetype="text/plain")


@bp.get("/newsletter/<int:issue_id>")
def newsletter_issue(issue_id: int):
    issue = db.session.scalar(select(Issue).where(Issue.tenant_id == g.tenant.id, Issue.id == issue_id,
                                                  Issue.status == IssueStatus.SENT))
    if issue is None:
        abort(404)
    return render_template("newsletters/issue.html", issue=issue, menu=menu_pages(g.tenant, current_locale()))


@bp.get("/newsletter/feed.atom")
def newsletter_feed():
    from portal.newsletters.feed import newsletter_feed as build

    return build(g.tenant, _sent_issues()[:30], current_locale())
