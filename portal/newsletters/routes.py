"""Newsletter pages of a project's space (/<tenant>/newsletter/...), public side."""

from __future__ import annotations

from flask import Response, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.errors import NotFound, ProjectEnded
from portal.extensions import csrf
from portal.models.newsletter import SubscriptionStatus
from portal.newsletters import public_bp, reports, subscriptions
from portal.newsletters.feed import newsletter_feed
from portal.newsletters.forms import ManageSubscriptionForm, SubscribeForm
from portal.templating import current_locale, link_problem, render_tenant_template
from portal.throttle import mail_form_limit
from portal.tokens import TokenError


@public_bp.route("/", methods=["GET", "POST"])
@mail_form_limit
def index():
    ended = subscriptions.ended_reason(g.tenant)
    form = None if ended else SubscribeForm(locale=current_locale())
    if form is not None and form.validate_on_submit():
        subscriptions.subscribe(g.tenant, form.email.data, form.locale.data, source="web-form", user=current_user)
        return render_tenant_template("newsletters/check_email.html", email=form.email.data)
    mine = subscriptions.subscription_of(g.tenant, current_user.email) if current_user.is_authenticated else None
    page = render_tenant_template("newsletters/index.html", form=form, issues=reports.sent_issues(g.tenant), mine=mine,
                                  ended=ended)  # fmt: skip
    return page, 409 if ended and request.method == "POST" else 200


@public_bp.post("/subscribe-me")
def subscribe_me():
    """Signed-in users subscribe in one click (their address is already confirmed)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("tenant_site.newsletter.index")))
    try:
        subscriptions.subscribe(
            g.tenant, current_user.email, current_user.locale or current_locale(), source="one-click", user=current_user
        )
    except ProjectEnded as exc:
        flash(str(exc), "error")
    else:
        flash(_("You are subscribed to the newsletter."), "success")
    return redirect(url_for("tenant_site.newsletter.index"))


def _link_problem():
    return link_problem(
        _("This link is not valid or has expired."),
        url_for("tenant_site.newsletter.index"),
        _("Go to the newsletter page"),
    )


@public_bp.get("/confirm/<token>")
def confirm(token: str):
    """The page says the subscription is on and, unlike the newsletter's page, offers no form."""
    try:
        subscription = subscriptions.confirm(g.tenant, token)
    except TokenError:
        return _link_problem()
    if subscription.status != SubscriptionStatus.CONFIRMED:  # left since: the page offers the form again
        return redirect(url_for("tenant_site.newsletter.index"))
    page = render_tenant_template(
        "newsletters/index.html", form=None, issues=reports.sent_issues(g.tenant), mine=subscription, confirmed=True
    )
    return page, 200, {"Cache-Control": "private, no-store"}  # it names the person's address: never shared


@public_bp.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str):
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
        return redirect(url_for("tenant_site.newsletter.manage", token=token))
    return render_tenant_template(
        "newsletters/manage.html",
        form=form,
        subscription=subscription,
        subscribed=subscription.status == SubscriptionStatus.CONFIRMED,
    )


@public_bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """RFC 8058 one-click: a mail client POSTs here without session or CSRF token."""
    try:
        subscription = subscriptions.subscription_for_manage_token(g.tenant, token)
    except TokenError:
        return Response("invalid or expired link\n", status=400, mimetype="text/plain")
    subscriptions.unsubscribe(g.tenant, subscription)
    return Response("unsubscribed\n", mimetype="text/plain")


@public_bp.get("/<int:issue_id>")
def issue(issue_id: int):
    sent = reports.sent_issue(g.tenant, issue_id)
    if sent is None:
        raise NotFound()
    return render_tenant_template("newsletters/issue.html", issue=sent)


@public_bp.get("/feed.atom")
def feed():
    return newsletter_feed(g.tenant, reports.sent_issues(g.tenant)[:30], current_locale())
