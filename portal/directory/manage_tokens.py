"""Coordinators issue and revoke the API tokens of an organisation of their projects
(under /directory/manage/, guarded once for the whole blueprint; each organisation is then
checked by the token services: a coordinator of one of its projects, or an admin)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.api import services as tokens
from portal.directory import manage_bp, services
from portal.errors import Conflict, Invalid
from portal.forms import Form


class TokenForm(Form):
    name = StringField(
        "", validators=[DataRequired(message="name"), Length(max=80)], filters=[lambda v: v.strip() if v else v]
    )
    submit = SubmitField()


class RevokeForm(Form):
    submit = SubmitField()


def _page(org, form, secret: str | None = None):
    return render_template("directory/api_tokens.html", org=org, form=form, revoke_form=RevokeForm(),
                           tokens=tokens.tokens_of(current_user, org), secret=secret)  # fmt: skip


@manage_bp.get("/organisations/<int:org_id>/tokens")
def api_tokens(org_id: int):
    return _page(services.organisation_to_moderate(current_user, org_id), TokenForm())


@manage_bp.post("/organisations/<int:org_id>/tokens")
def create_api_token(org_id: int):
    org = services.organisation_to_moderate(current_user, org_id)
    form = TokenForm()
    if not form.validate_on_submit():
        flash(str(tokens.NAME_NEEDED), "error")
        return _page(org, form), 422
    try:
        secret, _token = tokens.create_token(current_user, org, form.name.data or "")
    except Invalid as exc:
        flash(str(exc), "error")
        return _page(org, form), 422
    # Shown in this answer only (never in a flash message, which travels in the session cookie).
    return _page(org, TokenForm(formdata=None), secret=secret)


@manage_bp.post("/tokens/<int:token_id>/revoke")
def revoke_api_token(token_id: int):
    form = RevokeForm()
    token = None
    if form.validate_on_submit():
        try:
            token = tokens.revoke_token(current_user, token_id)
        except Conflict as exc:
            flash(str(exc), "error")
        else:
            flash(_("The token has been revoked: its system can no longer write."), "success")
    org_id = token.organisation_id if token else tokens.organisation_id_of(token_id)
    return redirect(url_for("directory.manage.api_tokens", org_id=org_id))
