"""The accessibility feedback form: who writes (name optional), where, and what the barrier is."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.accessibility.services import CONSENT_TEXT
from portal.forms import Form, mailing_address_field

DESCRIPTION_MAX = 4000


def web_address(_form, field) -> None:
    """A full http(s) address, like the one in the browser's address bar."""
    parts = urlsplit((field.data or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in field.data.strip()):
        raise ValidationError(_l("Enter the full address of the page, starting with https://"))


class FeedbackForm(Form):
    name = StringField(
        _l("Name and surname (optional)"),
        validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = mailing_address_field()
    page_url = URLField(
        _l("Address of the page"),
        validators=[DataRequired(message=_l("Enter the address of the page with the problem.")), Length(max=500),
                    web_address],
        description=_l("Copy it from the browser's address bar, for example https://crocevia.example/ciao/"),
        render_kw={"inputmode": "url"},
    )  # fmt: skip
    description = TextAreaField(
        _l("What does not work"),
        validators=[
            DataRequired(message=_l("Describe the problem you met.")),
            Length(max=DESCRIPTION_MAX, message=_l("Write at most %(max)d characters.", max=DESCRIPTION_MAX)),
        ],
        description=_l("For example: what you were trying to do, what happened, which device and assistive technology you use."),
        render_kw={"rows": 6, "maxlength": DESCRIPTION_MAX},
    )  # fmt: skip
    consent = BooleanField(CONSENT_TEXT, validators=[DataRequired(message=_l("Tick the box to give your consent."))])
    submit = SubmitField(_l("Send the report"))
