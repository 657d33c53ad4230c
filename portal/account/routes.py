"""Profile, language and password of the signed-in user."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from portal.account import bp, services
from portal.account.forms import ChangePasswordForm, ProfileForm
from portal.models.tenant import Role


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    memberships = services.memberships_of(current_user)
    reviews = any(membership.role == Role.COORDINATOR for membership, _tenant in memberships)
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.locale.data,
                                review_digest=form.review_digest.data if reviews else None)  # fmt: skip
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form, memberships=memberships, reviews=reviews)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if services.change_password(current_user, form.current.data, form.password.data):
            login_user(current_user._get_current_object())  # this session keeps going
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("account.profile"))
        form.current.errors.append(_("The current password is wrong."))
    return render_template("account/change_password.html", form=form)
