"""Alert forms: save a search (address, frequency, language, consent), change or stop it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.alerts.services import CONSENT_TEXT
from portal.auth.forms import language_choices
from portal.forms import Form, SelectField, mailing_address_field
from portal.models.alert import AlertFrequency


def frequency_choices() -> list[tuple[str, str]]:
    return [
        (AlertFrequency.DAILY.value, str(_l("Every day (only when there is something new)"))),
        (AlertFrequency.WEEKLY.value, str(_l("Once a week (only when there is something new)"))),
    ]


class _SearchFields(Form):
    """Which search is saved: the page's query string and scope, carried through the form."""

    search = HiddenField()  # cut to 4,000 characters when read (SavedSearch.from_query_string)
    tenant = HiddenField(validators=[Length(max=60)])
    kind = HiddenField(validators=[Length(max=20)])
    frequency = RadioField(
        _l("How often"), choices=frequency_choices, default=AlertFrequency.WEEKLY.value,
        validators=[DataRequired(message=_l("Choose how often."))],
    )  # fmt: skip
    locale = SelectField(_l("Language of the messages"), choices=language_choices)


class AlertForm(_SearchFields):
    email = mailing_address_field()
    consent = BooleanField(CONSENT_TEXT, validators=[DataRequired(message=_l("Tick the box to give your consent."))])
    submit = SubmitField(_l("Get alerts"))


class OwnAddressAlertForm(_SearchFields):
    """Signed in with a confirmed address: one click, no confirmation mail."""

    submit = SubmitField(_l("Get alerts at my address"))


class ChangeAlertForm(Form):
    """One per alert on the manage page (prefixed with the alert's id: ids stay unique)."""

    frequency = RadioField(_l("How often"), choices=frequency_choices)
    locale = SelectField(_l("Language of the messages"), choices=language_choices)
    save = SubmitField(_l("Save the changes"))
    stop = SubmitField(_l("Stop this alert"))


class StopAllForm(Form):
    stop_all = SubmitField(_l("Stop all my alerts"))
