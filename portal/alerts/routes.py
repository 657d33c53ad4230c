"""Alert pages: save a search, confirm it, manage every alert of an address, one-click stop,
and the alert's private feed. Thin: parse, call portal.alerts.services, render."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.alerts import bp, feed, services
from portal.alerts.forms import AlertForm, ChangeAlertForm, OwnAddressAlertForm, StopAlertForm, StopAllForm
from portal.alerts.saved_search import SavedSearch
from portal.extensions import csrf
from portal.models.alert import AlertStatus
from portal.projects import all_projects
from portal.templating import current_locale
from portal.throttle import mail_form_limit
from portal.tokens import TokenError


def _search_of(form) -> SavedSearch:
    tenant = next((t for t in all_projects() if t.slug == form.tenant.data), None) if form.tenant.data else None
    if form.tenant.data and tenant is None:
        abort(404)
    return SavedSearch.from_query_string(form.search.data or "", tenant, form.kind.data or None)


def _own_address() -> bool:
    return bool(current_user.is_authenticated and current_user.is_confirmed)


@bp.route("/new", methods=["GET", "POST"])
@mail_form_limit
def new():
    """The form, reached from "Get alerts" on any search or listing (which carry no form: they stay cacheable)."""
    source = request.form if request.method == "POST" else request.args
    form_class = OwnAddressAlertForm if _own_address() and "email" not in source else AlertForm
    form = form_class(
        search=request.args.get("search", ""), tenant=request.args.get("tenant", ""),
        kind=request.args.get("kind", ""), locale=current_locale(),
    )  # fmt: skip
    search = _search_of(form)
    if form.validate_on_submit():
        if isinstance(form, OwnAddressAlertForm):
            services.subscribe(search, current_user.email, form.locale.data, form.frequency.data, "one-click",
                               user=current_user)  # fmt: skip
            flash(_("Alert saved: new entries matching this search will reach %(email)s.", email=current_user.email),
                  "success")  # fmt: skip
            return redirect(search.url(url_for))
        services.subscribe(
            search, form.email.data, form.locale.data, form.frequency.data, "web-form", user=current_user
        )
        return render_template("alerts/check_email.html", email=form.email.data, search=search)
    other = AlertForm(formdata=None, search=form.search.data, tenant=form.tenant.data, kind=form.kind.data,
                      locale=form.locale.data) if isinstance(form, OwnAddressAlertForm) else None  # fmt: skip
    return render_template("alerts/new.html", form=form, other_form=other, search=search)


def _link_problem():
    return render_template(
        "auth/link_problem.html",
        message=_("This link is not valid or has expired."),
        action_url=url_for("directory.search"),
        action_label=_("Go to the search"),
    ), 400


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        alert = services.confirm(token)
    except TokenError:
        return _link_problem()
    flash(_("Your alert is active. You will receive a message when something new matches the search."), "success")
    return redirect(url_for("alerts.manage", token=services.manage_token(alert)))


@bp.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str):
    """Every alert of the address the token's alert belongs to: change each, stop one or all."""
    try:
        alert = services.alert_for(services.MANAGE, token)
    except TokenError:
        return _link_problem()
    alerts = services.alerts_of(alert)
    stop_all_form, stop_form = StopAllForm(), StopAlertForm()
    change_form = ChangeAlertForm()
    if stop_all_form.stop_all.data and stop_all_form.validate_on_submit():
        services.stop_all(alert)
        flash(_("All your alerts are stopped. You will receive nothing more."), "success")
        return redirect(url_for("alerts.manage", token=token))
    if stop_form.stop.data and stop_form.validate_on_submit():
        services.stop(_chosen(alerts, stop_form.alert_id.data))
        flash(_("The alert is stopped."), "success")
        return redirect(url_for("alerts.manage", token=token))
    if change_form.save.data and change_form.validate_on_submit():
        services.change(_chosen(alerts, change_form.alert_id.data), change_form.frequency.data, change_form.locale.data)
        flash(_("The alert has been changed."), "success")
        return redirect(url_for("alerts.manage", token=token))
    rows = [
        (
            a,
            services.saved_search(a),
            ChangeAlertForm(formdata=None, alert_id=str(a.id), frequency=a.frequency.value, locale=a.locale),
            services.feed_token(a),
        )  # fmt: skip
        for a in alerts
    ]
    return render_template("alerts/manage.html", rows=rows, stop_all_form=stop_all_form,
                           pending=AlertStatus.PENDING, email=alert.email)  # fmt: skip


def _chosen(alerts, alert_id: str | None):
    """One of the address's alerts, by the id in the form; 404 for any other."""
    chosen = next((a for a in alerts if str(a.id) == alert_id), None)
    if chosen is None:
        abort(404)
    return chosen


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """RFC 8058 one-click: a mail client POSTs here without session or CSRF token."""
    try:
        alert = services.alert_for(services.MANAGE, token)
    except TokenError:
        return Response("invalid or expired link\n", status=400, mimetype="text/plain")
    services.stop(alert)
    return Response("unsubscribed\n", mimetype="text/plain")


@bp.get("/feed/<token>.atom")
def alert_feed(token: str):
    try:
        alert = services.alert_for(services.FEED, token)
    except TokenError:
        return Response("invalid link\n", status=404, mimetype="text/plain")
    if alert.status != AlertStatus.CONFIRMED:
        return Response("this alert is not active\n", status=410, mimetype="text/plain")
    return feed.alert_feed(alert, services.saved_search(alert))
