"""Profile and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.auth.forms import language_choices, new_password_fields
from portal.forms import Form, SelectField


class ProfileForm(Form):
    name = StringField(
        _l("Name and surname"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Preferred language"), choices=language_choices())
    review_digest = BooleanField(_l("Send me once a day a summary of what waits for my review"))
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(Form):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Change password"))
