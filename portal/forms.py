"""Form pieces shared by features."""

from __future__ import annotations

from typing import Any

from disposable_email_domains import blocklist as disposable_domains
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import EmailField, HiddenField, IntegerField
from wtforms import SelectField as _SelectField
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError
from wtforms.widgets import Select as _Select

from portal.errors import DomainError
from portal.form_messages import translations
from portal.routing import MAX_ID
from portal.security import UNUSABLE


class Select(_Select):
    """WTForms' select, its plain options written in one f-string: WTForms formats each option's
    attributes through `Markup.format`, most of a long form's rendering (107 provinces, ATECO).
    The output is the same: `<option selected value="…">label</option>`."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        attribute = escape(value).replace(Markup('"'), Markup("&quot;"))
        selected = " selected" if choice.selected else ""
        return Markup(f'<option{selected} value="{attribute}">{escape(choice.label or choice.value)}</option>')


class SelectField(_SelectField):
    """The select field every form uses (see Select)."""

    widget = Select()


CONTROL_CHARACTERS = _l("Remove the control characters from this field: they cannot be saved.")


def printable_text(_form, field) -> None:
    """No C0 control character (other than tab and newlines) or lone surrogate in what was typed:
    feeds, calendars and the database could not carry it."""
    if any(isinstance(value, str) and UNUSABLE.search(value) for value in field.raw_data or []):
        raise ValidationError(CONTROL_CHARACTERS)


DISPOSABLE = _l("This looks like a temporary address: enter an address you will still read in the coming weeks.")


def not_disposable(_form, field) -> None:
    """Refuse throw-away mailbox domains (the community list of disposable-email-domains):
    alerts and newsletters must reach a mailbox the person keeps."""
    labels = (field.data or "").rsplit("@", 1)[-1].strip().lower().rstrip(".").split(".")
    if any(".".join(labels[i:]) in disposable_domains for i in range(len(labels) - 1)):  # a.b.mailinator.com too
        raise ValidationError(DISPOSABLE)


def mailing_address_field(label: Any = None) -> EmailField:
    """The address of someone who asks to receive mail (newsletter, alerts): required, valid,
    not a throw-away mailbox."""
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
            not_disposable,
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class Form(FlaskForm):
    """Every form of the portal: CSRF (Flask-WTF), WTForms' messages in our catalogue, and no
    control characters in any field."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return translations

    def validate(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        extra = {name: [*(extra_validators or {}).get(name, []), printable_text] for name in self._fields}
        return super().validate(extra_validators=extra)


class VersionedForm(Form):
    """Carries the row's version so a stale save is detected, not silently applied.

    A missing or non-numeric version reads as None, which the services treat as stale:
    a form posted without it cannot skip the check and overwrite a newer change."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        value = str(self.version.data or "")
        return int(value) if value.isdigit() and int(value) <= MAX_ID else None


def id_field(**kwargs: Any) -> IntegerField:
    """A hidden-ish integer id that fits the database's integer columns."""
    return IntegerField(validators=[NumberRange(min=1, max=MAX_ID, message=_l("Not a valid choice."))], **kwargs)


def error_text(errors: list[Any]) -> str:
    """Field errors joined for a flash message (they may be lazy strings)."""
    return " ".join(str(error) for error in errors)


def show_domain_errors(form: FlaskForm, exc: DomainError) -> None:
    """Put a service's field errors on the form's fields (others become form-level errors)."""
    for name, message in (exc.fields or {"": exc.message}).items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), str(message)]
        else:
            form.form_errors.append(str(message))
