"""The "Show interest" form: as little as needed, validated on the server."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from portal.forms import Form
from portal.interests.services import CONSENT_TEXT

# Throw-away inbox services: a message sent from one cannot be answered a week later, and they are
# how spam bursts come. A short list of the best-known ones (no lookup, no dependency).
DISPOSABLE_DOMAINS = frozenset({
    "10minutemail.com", "discard.email", "dispostable.com", "emailondeck.com", "fakeinbox.com", "getnada.com",
    "guerrillamail.com", "guerrillamail.net", "guerrillamailblock.com", "mailinator.com", "maildrop.cc",
    "mailnesia.com", "mintemail.com", "mohmal.com", "sharklasers.com", "spam4.me", "temp-mail.org",
    "tempmail.com", "tempmailo.com", "throwawaymail.com", "trashmail.com", "trashmail.de", "yopmail.com",
    "yopmail.fr",
})  # fmt: skip
DISPOSABLE = _l("Use an address you will read in the coming weeks: the answer will arrive there.")


def not_disposable(_form, field) -> None:
    domain = (field.data or "").rsplit("@", 1)[-1].strip().lower()
    if domain in DISPOSABLE_DOMAINS:
        raise ValidationError(DISPOSABLE)


class InterestForm(Form):
    name = StringField(
        _l("Name and surname"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
            not_disposable,
        ],
        render_kw={"autocomplete": "email"},
    )
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
