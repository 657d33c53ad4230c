"""Auth views: thin; the work is in services."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp, services
from portal.auth.forms import EmailOnlyForm, LoginForm, RegisterForm, ResetPasswordForm
from portal.extensions import limiter
from portal.security import safe_next_url
from portal.templating import link_problem
from portal.tenant_hosts import home_url
from portal.throttle import config_limit, mail_form_limit, only_posts, posted_account_key
from portal.tokens import TokenError


@bp.route("/register", methods=["GET", "POST"])
@mail_form_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.profile"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = str(request.cookies.get("lang") or "it")
    if form.validate_on_submit():
        services.register(form.email.data, form.name.data, form.password.data, form.locale.data)
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        services.confirm(token)
    except TokenError as exc:
        message = _("This confirmation link has expired.") if exc.expired else _("This confirmation link is not valid.")
        return link_problem(message, url_for("auth.resend_confirmation"), _("Send a new confirmation link"))
    flash(_("Your e-mail address is confirmed. You can now log in."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@mail_form_limit
def resend_confirmation():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/resend_confirmation.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_LOGIN"), exempt_when=only_posts)
@limiter.limit(config_limit("RATELIMIT_LOGIN_PER_ACCOUNT"), key_func=posted_account_key, exempt_when=only_posts)
def login():
    next_url = safe_next_url(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("workspace.index"))
    form = LoginForm(next=next_url or "")
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if result.user is not None and result.unconfirmed:
            services.send_confirmation(result.user)
            flash(_("Your e-mail address is not confirmed yet. We have sent you a new confirmation link."), "warning")
        elif result.user is not None:
            session.clear()  # a session made before signing in is not carried over (fixation)
            login_user(result.user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=result.user.name), "success")
            landing = "admin.index" if result.user.is_admin else "workspace.index"
            return redirect(safe_next_url(form.next.data) or url_for(landing))
        elif result.disabled:
            flash(
                _(
                    "This account has been disabled by the portal's administrators. Write to them if you "
                    "think this is a mistake."
                ),
                "error",
            )
        else:
            flash(_("E-mail address or password is wrong."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """GET asks for confirmation (a link cannot sign anyone out); POST signs out."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    services.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have logged out on every device."), "info")
    return redirect(home_url())


@bp.route("/forgot-password", methods=["GET", "POST"])
@mail_form_limit
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(config_limit("RATELIMIT_PASSWORD_RESET"), exempt_when=only_posts)
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except TokenError as exc:
        message = (
            _("This reset link has expired.")
            if exc.expired
            else _("This reset link is not valid or has already been used.")
        )
        return link_problem(message, url_for("auth.forgot_password"), _("Ask for a new link"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_new_password(user, form.password.data)
        logout_user()
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
