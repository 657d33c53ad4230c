"""Directory forms: every field validated on the server, messages in the user's language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from stdnum.it import codicefiscale, iva
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.directory import vocabulary as voc
from portal.forms import Form, VersionedForm
from portal.timezone import rome_to_utc, rome_today


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def http_url(_form, field) -> None:
    if field.data:
        parts = urlsplit(field.data.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(_l("Enter a web address starting with http:// or https://."))


def italian_vat(_form, field) -> None:
    if field.data and not iva.is_valid(field.data):
        raise ValidationError(_l("This is not a valid Italian VAT number (11 digits)."))


def italian_fiscal_code(_form, field) -> None:
    value = (field.data or "").strip().upper()
    if value and not (codicefiscale.is_valid(value) or iva.is_valid(value)):
        raise ValidationError(_l("This is not a valid Italian fiscal code (16 characters, or 11 digits)."))


def not_in_the_past(form, field) -> None:
    if field.data and getattr(form, "is_new", False) and field.data < rome_today():
        raise ValidationError(_l("The date is already past."))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def province_field() -> SelectField:
    """Required, with no province chosen by default (a new entry starts from its organisation's)."""
    return SelectField(
        _l("Province"),
        default="",
        validators=[DataRequired(message=_l("Choose the province."))],
        choices=lambda: [("", str(_l("Choose the province")))] + sorted(voc.PROVINCES.items(), key=lambda p: p[1]),
    )


def _ateco_choices() -> list[tuple[str, str]]:
    """Built for each form, so the labels are in the reader's language."""
    return [("", "—")] + [(code, f"{code} – {label}") for code, label in voc.ATECO_SECTIONS.items()]


class SavableForm(VersionedForm):
    submit = SubmitField(_l("Save"))


class OrganisationForm(SavableForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=200)], filters=[_strip]
    )
    kind = SelectField(_l("Kind of organisation"), choices=voc.choices(voc.ORGANISATION_KINDS))
    legal_form = StringField(_l("Legal form"), validators=[Optional(), Length(max=80)], filters=[_strip])
    vat_number = StringField(_l("VAT number (partita IVA)"), validators=[Optional(), italian_vat], filters=[_strip])
    fiscal_code = StringField(
        _l("Fiscal code"),
        validators=[Optional(), italian_fiscal_code],
        filters=[_strip, lambda v: v.upper() if v else v],
    )
    ateco_section = SelectField(_l("Economic sector (ATECO section)"), default="", choices=_ateco_choices)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)], filters=[_strip])
    comune = StringField(
        _l("Municipality (comune)"),
        validators=[DataRequired(message=_l("Enter the municipality.")), Length(max=100)],
        filters=[_strip],
    )
    province = province_field()
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300), http_url], filters=[_strip])
    email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
        ],
        filters=[_strip],
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], filters=[_strip])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    hosts_interns = BooleanField(_l("Available to host interns"))
    intern_places = IntegerField(
        _l("Internship places"), validators=[Optional(), NumberRange(min=0, max=500)], default=0
    )
    tenant_ids = CheckboxList(_l("Projects it works with"), coerce=int)

    FIELDS = (
        "name",
        "kind",
        "legal_form",
        "vat_number",
        "fiscal_code",
        "ateco_section",
        "address",
        "comune",
        "province",
        "website",
        "email",
        "phone",
        "description",
        "hosts_interns",
        "intern_places",
        "tenant_ids",
    )

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return cls.FIELDS

    def to_data(self) -> dict:
        data = {name: getattr(self, name).data for name in self.FIELDS}
        data["intern_places"] = data["intern_places"] or 0
        data["legal_form"], data["vat_number"] = data["legal_form"] or "", data["vat_number"] or ""
        return data


class EntryForm(SavableForm):
    """Fields every kind of entry has."""

    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)], filters=[_strip]
    )
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(message=_l("Write the text.")), Length(max=10000)]
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)], filters=[_strip])
    comune = StringField(
        _l("Municipality (comune)"),
        validators=[DataRequired(message=_l("Enter the municipality.")), Length(max=100)],
        filters=[_strip],
    )
    province = province_field()
    target_groups = CheckboxList(_l("Who it is for"), choices=voc.choices(voc.TARGET_GROUPS))
    tenant_ids = CheckboxList(_l("Projects"), coerce=int)

    COMMON = ("title", "description", "address", "comune", "province", "target_groups", "tenant_ids")
    SPECIFIC: tuple[str, ...] = ()

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return cls.COMMON + cls.SPECIFIC

    def to_data(self) -> dict:
        data = {name: getattr(self, name).data for name in self.COMMON + self.SPECIFIC}
        return {k: ("" if v is None and k in ("address",) else v) for k, v in data.items()}


class OpportunityForm(EntryForm):
    opportunity_type = SelectField(_l("Type"), choices=voc.choices(voc.OPPORTUNITY_TYPES))
    hours = StringField(_l("Hours"), validators=[Optional(), Length(max=120)], filters=[_strip])
    duration = StringField(_l("Duration"), validators=[Optional(), Length(max=120)], filters=[_strip])
    allowance = StringField(_l("Allowance or pay"), validators=[Optional(), Length(max=120)], filters=[_strip])
    requirements = TextAreaField(_l("Requirements"), validators=[Optional(), Length(max=5000)])
    places = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=1, max=1000)])
    deadline = DateField(_l("Application deadline"), validators=[Optional(), not_in_the_past])
    how_to_apply = TextAreaField(
        _l("How to apply"), validators=[DataRequired(message=_l("Explain how to apply.")), Length(max=3000)]
    )
    SPECIFIC = (
        "opportunity_type",
        "hours",
        "duration",
        "allowance",
        "requirements",
        "places",
        "deadline",
        "how_to_apply",
    )


class TrainingForm(EntryForm):
    subject_area = StringField(_l("Subject area"), validators=[Optional(), Length(max=120)], filters=[_strip])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    total_hours = IntegerField(_l("Total hours"), validators=[Optional(), NumberRange(min=1, max=5000)])
    schedule = StringField(
        lazy_pgettext("training timetable", "Schedule"), validators=[Optional(), Length(max=200)], filters=[_strip]
    )
    online = BooleanField(_l("Online"))
    is_free = BooleanField(_l("Free of charge"))
    cost = StringField(_l("Cost"), validators=[Optional(), Length(max=120)], filters=[_strip])
    eligibility = TextAreaField(_l("Who may enrol"), validators=[Optional(), Length(max=3000)])
    seats = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=5000)])
    enrolment_deadline = DateField(_l("Enrolment deadline"), validators=[Optional(), not_in_the_past])
    languages = CheckboxList(_l("Languages"), choices=voc.choices(voc.LANGUAGES))
    SPECIFIC = (
        "subject_area",
        "start_date",
        "end_date",
        "total_hours",
        "schedule",
        "online",
        "is_free",
        "cost",
        "eligibility",
        "seats",
        "enrolment_deadline",
        "languages",
    )

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end cannot come before the start."))


class EventForm(EntryForm):
    starts_at = DateTimeLocalField(
        _l("Starts (Italian time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Enter when it starts."))],
    )
    ends_at = DateTimeLocalField(_l("Ends (Italian time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)], filters=[_strip])
    online_url = StringField(_l("Online link"), validators=[Optional(), Length(max=300), http_url], filters=[_strip])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000)])
    is_free = BooleanField(_l("Free of charge"), default=True)
    how_to_register = TextAreaField(_l("How to register"), validators=[Optional(), Length(max=3000)])
    SPECIFIC = ("starts_at", "ends_at", "venue", "online_url", "capacity", "is_free", "how_to_register")

    def validate_starts_at(self, field) -> None:
        if field.data and getattr(self, "is_new", False) and field.data.date() < rome_today():
            raise ValidationError(_l("The date is already past."))

    def validate_ends_at(self, field) -> None:
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError(_l("The end cannot come before the start."))

    def to_data(self) -> dict:
        data = super().to_data()
        for name in ("starts_at", "ends_at"):
            data[name] = rome_to_utc(data[name]) if data[name] else None
        return data


FORMS = {"opportunity": OpportunityForm, "training": TrainingForm, "event": EventForm}


class ReviewForm(Form):
    reason = TextAreaField(_l("Reason (shown to the partner)"), validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve and publish"))
    reject = SubmitField(_l("Reject"))


class LinkReviewForm(Form):
    approve = SubmitField(_l("Accept in the project"))
    decline = SubmitField(_l("Decline"))


class EditorForm(Form):
    email = EmailField(
        _l("E-mail address of the account"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Add editor"))
