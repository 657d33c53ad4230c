"""The "Show interest" form: as little as needed, validated on the server."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.forms import Form, mailing_address_field
from portal.interests.services import CONSENT_TEXT


class InterestForm(Form):
    name = StringField(
        _l("Name and surname"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = mailing_address_field()
    phone = TelField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^\+?[\d\s./()-]{6,}$", message=_l("Enter a phone number with digits only, like 0141 123456.")),
        ],
        render_kw={"autocomplete": "tel"},
    )
    message = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(message=_l("Write a few words about yourself and why you are interested.")),
            Length(max=2000),
        ],  # fmt: skip
        description=_l("For example: who you are, what you can do, when you can be reached."),
        render_kw={"rows": 5},
    )
    consent = BooleanField(CONSENT_TEXT, validators=[DataRequired(message=_l("Tick the box to give your consent."))])
    submit = SubmitField(_l("Send"))
