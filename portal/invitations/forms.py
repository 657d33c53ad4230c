"""The form behind an invitation link: name and a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.auth.forms import new_password_fields
from portal.forms import Form


class AcceptInvitationForm(Form):
    name = StringField(
        _l("Name and surname"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Create my account"))
