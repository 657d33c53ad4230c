"""Alert pages: save a search, confirm it, manage every alert of an address, one-click stop,
and the alert's private feed. Thin: parse, call portal.alerts.services, render."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.alerts import bp, feed, services
from portal.alerts.forms import AlertForm, ChangeAlertForm, OwnAddressAlertForm, StopAllForm
from portal.alerts.saved_search import SavedSearch
from portal.directory.kinds import KIND_PATHS
from portal.extensions import csrf
from portal.lifecycle.data import ended_message, is_ended
from portal.models.alert import AlertStatus
from portal.projects import all_projects
from portal.templating import current_locale, link_problem
from portal.throttle import mail_form_limit
from portal.tokens import TokenError


def _search_of(form) -> SavedSearch:
    tenant = next((t for t in all_projects() if t.slug == form.tenant.data), None) if form.tenant.data else None
    if (form.tenant.data and tenant is None) or (form.kind.data and form.kind.data not in KIND_PATHS):
        abort(404)
    return SavedSearch.from_query_string(form.search.data or "", tenant, form.kind.data or None)


def _own_address() -> bool:
    return bool(current_user.is_authenticated and current_user.is_confirmed)


@bp.route("/new", methods=["GET", "POST"])
@mail_form_limit
def new():
    """The form, reached from "Get alerts" on any search or listing (which carry no form: they stay
    cacheable). Signed-in people with a confirmed address save in one click, or give another address."""
    scope = {"search": request.args.get("search", ""), "tenant": request.args.get("tenant", ""),
             "kind": request.args.get("kind", ""), "locale": current_locale()}  # fmt: skip
    own = OwnAddressAlertForm(**scope) if _own_address() else None
    other = AlertForm(prefix="other" if own else "", **scope)
    search = _search_of(other)
    if search.tenant is not None and is_ended(search.tenant):
        network = SavedSearch.from_query_string(other.search.data or "", None, other.kind.data or None)
        page = render_template("alerts/ended.html", message=ended_message(search.tenant, services.NEW_ALERTS),
                               network_url=network.url(url_for))  # fmt: skip
        return page, 409 if request.method == "POST" else 200
    if own is not None and "other-email" not in request.form and own.validate_on_submit():
        services.subscribe(search, current_user.email, own.locale.data, own.frequency.data, "one-click",
                           user=current_user)  # fmt: skip
        flash(_("Alert saved: new entries matching this search will reach %(email)s.", email=current_user.email),
              "success")  # fmt: skip
        return redirect(search.url(url_for))
    if (own is None or "other-email" in request.form) and other.validate_on_submit():
        services.subscribe(search, other.email.data, other.locale.data, other.frequency.data, "web-form",
                           user=current_user)  # fmt: skip
        return render_template("alerts/check_email.html", email=other.email.data, search=search)
    return render_template("alerts/new.html", form=own or other, other_form=other if own else None, search=search,
                           other_open="other-email" in request.form)  # fmt: skip


def _link_problem():
    return link_problem(_("This link is not valid or has expired."), url_for("directory.search"), _("Go to the search"))


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
    stop_all_form = StopAllForm()
    if stop_all_form.stop_all.data and stop_all_form.validate_on_submit():
        services.stop_all(alert)
        flash(_("All your alerts are stopped. You will receive nothing more."), "success")
        return redirect(url_for("alerts.manage", token=token))
    forms = {each.id: ChangeAlertForm(prefix=f"a{each.id}", frequency=each.frequency.value, locale=each.locale)
             for each in alerts}  # fmt: skip
    for each in alerts:
        form = forms[each.id]
        if form.stop.data and form.validate_on_submit():
            services.stop(each)
            flash(_("The alert is stopped."), "success")
            return redirect(url_for("alerts.manage", token=token))
        if form.save.data:
            if form.validate_on_submit():
                services.change(each, form.frequency.data, form.locale.data)
                flash(_("The alert has been changed."), "success")
                return redirect(url_for("alerts.manage", token=token))
            flash(_("The alert could not be changed: choose a frequency and a language from the lists."), "error")
    rows = [(each, services.saved_search(each), forms[each.id], services.feed_token(each)) for each in alerts]
    return render_template("alerts/manage.html", rows=rows, stop_all_form=stop_all_form,
                           pending=AlertStatus.PENDING, email=alert.email)  # fmt: skip


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The one-click address opened in a browser (or by a client without RFC 8058): the page that
    manages the alert, with its stop button; a GET never stops anything."""
    return redirect(url_for("alerts.manage", token=token))


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
