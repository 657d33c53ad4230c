"""Newsletter forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import BooleanField, DateTimeLocalField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.auth.forms import language_choices
from portal.directory.forms import CheckboxList
from portal.forms import Form, SelectField, VersionedForm, mailing_address_field
from portal.newsletters.subscriptions import CONSENT_TEXT
from portal.timezone import rome_to_utc


class SubscribeForm(Form):
    email = mailing_address_field()
    locale = SelectField(_l("Language of the newsletter"), choices=language_choices())
    consent = BooleanField(CONSENT_TEXT, validators=[DataRequired(message=_l("Tick the box to give your consent."))])
    submit = SubmitField(_l("Subscribe"))


class ManageSubscriptionForm(Form):
    locale = SelectField(_l("Language of the newsletter"), choices=language_choices())
    save_language = SubmitField(_l("Change language"))
    unsubscribe = SubmitField(_l("Unsubscribe"))


class IssueForm(VersionedForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(message=_l("Enter a subject.")), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=50_000)])
    digest = CheckboxList(_l("Digest: what the project published since the last issue"))
    submit = SubmitField(_l("Save draft"))


class ScheduleForm(Form):
    when = DateTimeLocalField(_l("Send on (Italian time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    send_now = SubmitField(_l("Send now"))
    schedule = SubmitField(lazy_pgettext("send a newsletter later", "Schedule"))

    def validate_when(self, field) -> None:
        from portal.models.base import utcnow

        if self.schedule.data and not field.data:
            raise ValidationError(_l("Choose the date and time."))
        if self.schedule.data and rome_to_utc(field.data) < utcnow():
            # a typo in the year must not send the issue at once without asking
            raise ValidationError(_l("This moment is already past: choose a future date and time, or use “Send now”."))

    def moment(self):
        from portal.models.base import utcnow

        return utcnow() if self.send_now.data or not self.when.data else rome_to_utc(self.when.data)


class ActionForm(Form):
    submit = SubmitField(_l("Confirm"))
