"""The invitation link: choose a password, and the account exists with its role."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal.auth.services import find_user_by_email
from portal.extensions import limiter
from portal.invitations import bp, services
from portal.invitations.forms import AcceptInvitationForm
from portal.templating import link_problem
from portal.throttle import config_limit, only_posts
from portal.tokens import TokenError


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_PASSWORD_RESET"), exempt_when=only_posts)
def accept(token: str):
    try:
        invitation = services.invitation_for_token(token)
    except TokenError as exc:
        message = (
            _("This invitation has expired: ask who invited you for a new one.")
            if exc.expired
            else _("This invitation is not valid or has already been used.")
        )
        return link_problem(message, url_for("auth.login"), _("Log in"))
    existing = find_user_by_email(invitation.email)
    form = AcceptInvitationForm(data={"name": invitation.name} if request.method == "GET" else None)
    if existing is not None:  # an account was made meanwhile: no password to choose
        del form.password, form.confirm
    if form.validate_on_submit():
        try:
            services.accept(invitation, form.name.data, form.password.data if existing is None else "")
        except TokenError:
            return link_problem(_("This invitation is not valid or has already been used."),
                                url_for("auth.login"), _("Log in"))  # fmt: skip
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your role is active. Log in to start."), "success")
        return redirect(url_for("auth.login"))
    return render_template(
        "invitations/accept.html",
        form=form,
        invitation=invitation,
        existing=existing is not None,
        role=services.role_label(invitation.role),
    )
