"""Account forms; validated on the server, messages in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.forms import Form, SelectField
from portal.i18n import LANGUAGE_NAMES

MIN_PASSWORD = 10


def _password_not_trivial(_form, field) -> None:
    value = field.data or ""
    if value.lower() in {"password123", "1234567890", "qwertyuiop", "passwordpassword"} or len(set(value)) < 4:
        raise ValidationError(_l("Choose a less predictable password."))


def email_field(label=_l("E-mail address")) -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("The password must be at least %(num)d characters long.", num=MIN_PASSWORD),
            ),
            _password_not_trivial,
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def language_choices():
    return list(LANGUAGE_NAMES.items())


class RegisterForm(Form):
    name = StringField(
        _l("Name and surname"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password, confirm = new_password_fields()
    locale = SelectField(_l("Preferred language"), choices=language_choices())
    accept_privacy = BooleanField(
        _l("I have read the privacy policy"),
        validators=[DataRequired(message=_l("You must accept the privacy policy to create an account."))],
    )
    submit = SubmitField(_l("Create account"))


class LoginForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class EmailOnlyForm(Form):
    email = email_field()
    submit = SubmitField(_l("Send"))


class ResetPasswordForm(Form):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Set the new password"))
