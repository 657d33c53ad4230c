"""Privacy views: thin; the notice is portal.privacy.notice, the rights portal.privacy.services."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal.privacy import account_bp, bp, services, tenant_bp
from portal.privacy.forms import AddressRequestForm, DeleteAccountForm, EraseAddressForm, ExportForm
from portal.privacy.notice import build_notice
from portal.roles import can_manage_tenant
from portal.templating import current_locale, link_problem, render_tenant_template
from portal.tenant_hosts import home_url
from portal.throttle import mail_form_limit
from portal.tokens import TokenError


def _json_download(data: dict, filename: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})  # fmt: skip


@bp.get("/info/privacy")
def notice():
    """The portal operator's notice (network-wide data: accounts, alerts, interests, directory)."""
    can_complete = bool(current_user.is_authenticated and current_user.is_admin)
    return render_template("privacy/notice.html", notice=build_notice(None, current_locale()),
                           can_complete=can_complete)  # fmt: skip


@tenant_bp.get("/")
def tenant_notice():
    """A project's notice, from the [privacy] section of its tenant.toml."""
    return render_tenant_template("privacy/notice.html", notice=build_notice(g.tenant, current_locale()),
                                  can_complete=can_manage_tenant(current_user, g.tenant))  # fmt: skip


@bp.route("/privacy/request", methods=["GET", "POST"])
@mail_form_limit
def request_link():
    """Anyone, no account: one answer whatever the portal holds for the address typed."""
    form = AddressRequestForm()
    if form.validate_on_submit():
        services.request_address_link(form.email.data)
        return render_template("privacy/request_sent.html", hours=_link_hours())
    return render_template("privacy/request.html", form=form, hours=_link_hours())


def _link_hours() -> int:
    return int(current_app.config["PRIVACY_LINK_MAX_AGE"] // 3600)


def _address_or_problem(token: str) -> str | tuple[str, int]:
    try:
        return services.address_of_token(token)
    except TokenError as exc:
        message = _("This link has expired.") if exc.expired else _("This link is not valid.")
        return link_problem(message, url_for("privacy.request_link"), _("Ask for a new link"))


@bp.route("/privacy/held/<token>", methods=["GET", "POST"])
def held(token: str):
    """What is held for the address the link was mailed to, and a button to erase all of it."""
    address = _address_or_problem(token)
    if not isinstance(address, str):
        return address
    form = EraseAddressForm()
    if form.validate_on_submit():
        services.erase_address(address)
        return render_template("privacy/erased.html")
    page = render_template("privacy/held.html", held=services.held_for(address), email=address, form=form,
                           token=token)  # fmt: skip
    return page, 200, {"Cache-Control": "private, no-store"}  # it names the person's data: never shared


@bp.get("/privacy/held/<token>/data.json")
def held_json(token: str):
    address = _address_or_problem(token)
    if not isinstance(address, str):
        return address
    return _json_download(services.export_for_address(address), "crocevia-data.json")


@account_bp.get("/privacy")
@login_required
def account_privacy():
    return render_template("privacy/account.html", export_form=ExportForm(), delete_form=DeleteAccountForm(),
                           handed=services.handed_over_counts(current_user))  # fmt: skip


@account_bp.post("/privacy/export")
@login_required
def account_export():
    """A POST (a link cannot make the download happen, and it is audited)."""
    form = ExportForm()
    if not form.validate_on_submit():
        return redirect(url_for("privacy_account.account_privacy"))
    return _json_download(services.export_account(current_user), "crocevia-account.json")


@account_bp.post("/privacy/delete")
@login_required
def account_delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user._get_current_object(), form.password.data)
        except services.WrongPassword:
            form.password.errors.append(_("The password is wrong: your account has not been deleted."))
        except services.LastAdmin:
            form.understood.errors.append(_("This is the last platform administrator account: make another "
                                            "account an administrator first, then delete this one."))  # fmt: skip
        else:
            logout_user()
            session.clear()
            flash(_("Your account has been deleted. What you published stays with its organisation or project, "
                    "without your name."), "success")  # fmt: skip
            return redirect(home_url())
    return render_template("privacy/account.html", export_form=ExportForm(), delete_form=form,
                           handed=services.handed_over_counts(current_user)), 422  # fmt: skip
