"""Directory forms: every field validated on the server, messages in the user's language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from stdnum.it import codicefiscale, iva
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.directory import vocabulary as voc
from portal.directory.rules import keep_type_fields
from portal.forms import Form, SelectField, VersionedForm
from portal.timezone import rome_to_utc, rome_today
from portal.vocabularies import ateco, people, training
from portal.vocabularies.organisations import compact_fiscal_code, compact_vat_number
from portal.vocabularies.places import Comune, comuni_in, find_comune, similar_comuni


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def http_url(_form, field) -> None:
    if field.data:
        parts = urlsplit(field.data.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(_l("Enter a web address starting with http:// or https://."))


def _compact_vat(value: str | None) -> str | None:
    return compact_vat_number(value) if value else value


def _compact_fiscal_code(value: str | None) -> str | None:
    return compact_fiscal_code(value) if value else value


def _typed(field) -> bool:
    """Something was typed (even what compacts to nothing, like "IT")."""
    return bool(field.raw_data and str(field.raw_data[0]).strip())


def italian_vat(_form, field) -> None:
    if _typed(field) and not iva.is_valid(field.data or ""):
        raise ValidationError(_l("This is not a valid Italian VAT number (11 digits)."))


def italian_fiscal_code(_form, field) -> None:
    value = (field.data or "").strip().upper()
    if _typed(field) and not (codicefiscale.is_valid(value) or iva.is_valid(value)):
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


def _ateco_choices() -> dict[str, list[tuple[str, str]]]:
    """ATECO 2025 grouped by section, built for each form so the labels are in the reader's language."""
    return {"": [("", str(_l("Choose the main activity")))], **ateco.grouped_choices(str(get_locale() or "it"))}


def _blank(label: Any) -> list[tuple[str, str]]:
    return [("", str(label))]


def _optional(value: Any) -> Any:
    """A select's empty choice is None once saved."""
    return None if value in ("", None) else value


def optional_int(value: Any) -> int | None:
    return None if value in ("", None) else int(value)


def tri_state(value: Any) -> bool | None:
    """Yes / no / not stated."""
    if value in (True, "yes"):
        return True
    if value in (False, "no"):
        return False
    return None


def yes_no_field(label: Any, yes: Any, no: Any | None = None, description: Any = "") -> SelectField:
    def choices() -> list[tuple[str, str]]:  # built per request, in the reader's language
        return [("", str(_l("Not stated"))), ("yes", str(yes))] + ([("no", str(no))] if no else [])

    return SelectField(label, choices=choices, coerce=tri_state, default="", description=description)


def optional_select(label: Any, mapping: dict[str, Any], blank: Any = None, description: Any = "") -> SelectField:
    return SelectField(label, choices=lambda: _blank(blank or _l("Not stated")) + [(k, str(v)) for k, v in mapping.items() if k],
                       coerce=_optional, default="", validators=[Optional()], description=description)  # fmt: skip


def cefr_field(label: Any) -> SelectField:
    return optional_select(label, {level: level for level in people.CEFR_LEVELS})


# The date picker sends ISO dates; typed by hand (or by a browser without one) Italian dates
# come as 15/01/2027, 15.01.2027 or 15-01-2027: all are accepted.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M"]


FIRST_YEAR, LAST_YEAR = 1900, 2200


def plausible_year(_form, field) -> None:
    """A date the portal can convert and show (year 1 or 9999 is a typo, not an event)."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


class TrimmedDateField(DateField):
    """A date typed with spaces around it is still a date."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([str(value).strip() for value in valuelist])


DATE_HELP = _l("Day, month and year, for example 31/01/2027.")
DATETIME_HELP = _l("Day, month, year and time, for example 31/01/2027 16:00.")


def date_field(label: Any, *validators: Any) -> DateField:
    return TrimmedDateField(label, format=DATE_FORMATS, validators=[Optional(), plausible_year, *validators],
                            description=DATE_HELP)  # fmt: skip


def count_field(label: Any, low: int, high: int, description: Any = "") -> IntegerField:
    message = _l("Enter a number from %(min)d to %(max)d.", min=low, max=high)
    return IntegerField(label, validators=[Optional(), NumberRange(min=low, max=high, message=message)],
                        description=description)  # fmt: skip


class SavableForm(VersionedForm):
    submit = SubmitField(_l("Save"))


class DraftableForm(SavableForm):
    """An entry's form: besides submitting, it can be saved as a draft or previewed, both with
    the fields still to fill left empty (what is filled in must still be valid)."""

    save_draft = SubmitField(_l("Save as draft"))
    preview = SubmitField(_l("Preview the public page"))

    def action(self) -> str:
        return "preview" if self.preview.data else "draft" if self.save_draft.data else "submit"

    def validate_as_draft(self) -> bool:
        """Like validate_on_submit, except that a required field left empty is no error yet."""
        if not self.is_submitted():
            return False
        self.validate()
        for field in self:
            if field.flags.required and not _typed(field):
                field.errors = []
        return not self.errors


class PlaceFields:
    """A comune from ISTAT's list, in the chosen province: however it is typed, it is saved as
    ISTAT writes it, with its code."""

    comune: StringField
    province: SelectField
    found_comune: Comune | None = None

    def validate_comune(self, field: StringField) -> None:
        province = self.province.data or None
        found = find_comune(field.data or "", province)
        if found:
            self.found_comune = found
            return
        elsewhere = find_comune(field.data or "")
        similar = ", ".join(c.name for c in similar_comuni(field.data or "", province))
        if elsewhere and province and similar:  # "Trevignano" in Rome: Trevignano Romano, not Treviso's
            raise ValidationError(_l("There is no comune with this name in the province. Did you mean: %(names)s? "
                                     "(%(comune)s is in the province of %(province)s.)", names=similar,
                                     comune=elsewhere.name, province=elsewhere.province_name))  # fmt: skip
        if elsewhere and province:
            raise ValidationError(_l("%(comune)s is in the province of %(province)s: choose that province.",
                                     comune=elsewhere.name, province=elsewhere.province_name))  # fmt: skip
        if similar:
            raise ValidationError(_l("There is no comune with this name in the province. Did you mean: %(names)s?",
                                     names=similar))  # fmt: skip
        raise ValidationError(_l("There is no comune with this name in the province: check the spelling."))

    def comune_options(self) -> list[str]:
        """Names for the field's suggestion list: the comuni of the chosen province."""
        return [c.name for c in comuni_in(self.province.data or "")]

    def place_data(self) -> dict[str, Any]:
        found = self.found_comune
        return {"comune": found.name, "comune_code": found.code} if found else {}


class OrganisationForm(PlaceFields, SavableForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=200)], filters=[_strip]
    )
    kind = SelectField(_l("Kind of organisation"), default="",
                       choices=lambda: _blank(_l("Choose the kind")) + voc.choices(voc.ORGANISATION_KINDS),
                       validators=[DataRequired(message=_l("Choose the kind of organisation."))])  # fmt: skip
    legal_form = StringField(_l("Legal form (e.g. S.r.l., S.p.A., association)"),
                             validators=[Optional(), Length(max=80)], filters=[_strip])  # fmt: skip
    vat_number = StringField(_l("VAT number (partita IVA)"), validators=[Optional(), italian_vat],
                             filters=[_strip, _compact_vat])  # fmt: skip
    fiscal_code = StringField(_l("Fiscal code"), validators=[Optional(), italian_fiscal_code],
                              filters=[_strip, _compact_fiscal_code])  # fmt: skip
    ateco_code = SelectField(_l("Main activity (ATECO 2025)"), default="", choices=_ateco_choices,
                             validate_choice=False,  # validate_ateco_code says what is wrong, once
                             description=_l("ISTAT's classification of economic activities, in force since 2025."))  # fmt: skip
    headcount_band = optional_select(_l("People working there"), voc.HEADCOUNT_BANDS)
    accreditations = CheckboxList(_l("Accreditations and registers"), choices=voc.choices(voc.ACCREDITATIONS))
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)], filters=[_strip])
    comune = StringField(
        _l("Municipality (comune)"),
        validators=[DataRequired(message=_l("Enter the municipality.")), Length(max=100)],
        filters=[_strip],
        render_kw={"list": "comuni-list", "autocomplete": "off"},
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
    intern_profiles = TextAreaField(_l("Which profiles it can host (roles, tasks)"),
                                    validators=[Optional(), Length(max=2000)])  # fmt: skip
    tenant_ids = CheckboxList(_l("Projects it works with"), coerce=int)

    SECTIONS = (
        (_l("The organisation"), ("name", "kind", "legal_form", "vat_number", "fiscal_code", "ateco_code",
                                  "headcount_band", "accreditations", "description")),
        (_l("Where and how to reach it"), ("address", "comune", "province", "website", "email", "phone")),
        (_l("Internships"), ("hosts_interns", "intern_places", "intern_profiles")),
        (_l("Projects"), ("tenant_ids",)),
    )  # fmt: skip
    FIELDS = tuple(name for _legend, names in SECTIONS for name in names)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return cls.FIELDS

    def validate_ateco_code(self, field: SelectField) -> None:
        if field.data and not ateco.code(field.data):
            raise ValidationError(_l("This is not an ATECO 2025 code."))

    def to_data(self) -> dict:
        data = {name: getattr(self, name).data for name in self.FIELDS}
        data["intern_places"] = data["intern_places"] or 0
        for name in ("legal_form", "vat_number", "ateco_code", "headcount_band", "intern_profiles"):
            data[name] = data[name] or ""
        data["accreditations"] = data["accreditations"] or []
        return {**data, **self.place_data()}


class ContactFields:
    """Who to contact about an entry and how; what is left empty is taken from the organisation,
    then from the project. An application link makes the entry's action "Apply"."""

    contact_place = StringField(_l("Where to go (desk, office, address)"), validators=[Optional(), Length(max=200)],
                                filters=[_strip],
                                description=_l("Leave empty to show the organisation's address."))  # fmt: skip
    contact_hours = StringField(_l("Opening hours"), validators=[Optional(), Length(max=200)], filters=[_strip],
                                description=_l("For example: Tuesday and Thursday, 9:00-12:00."))  # fmt: skip
    contact_phone = StringField(_l("Phone for this entry"), validators=[Optional(), Length(max=40)], filters=[_strip],
                                description=_l("Leave empty to show the organisation's phone."))  # fmt: skip
    contact_email = EmailField(
        _l("E-mail for this entry"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
        ],
        filters=[_strip],
        description=_l("Messages sent with “Show interest” go here (else to the organisation's e-mail)."),
    )
    apply_url = StringField(_l("Application page (link)"), validators=[Optional(), Length(max=300), http_url],
                            filters=[_strip],
                            description=_l("If people apply on your website, its address: the page then shows “Apply”."))  # fmt: skip
    CONTACT = ("contact_place", "contact_hours", "contact_phone", "contact_email", "apply_url")


class EntryForm(ContactFields, PlaceFields, DraftableForm):
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
        render_kw={"list": "comuni-list", "autocomplete": "off"},
    )
    province = province_field()
    target_groups = CheckboxList(_l("Who it is for"), choices=voc.choices(voc.TARGET_GROUPS))
    tenant_ids = CheckboxList(_l("Projects"), coerce=int)

    SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_l("Description"), ("title", "description")),
        (_l("Where"), ("address", "comune", "province")),
        (_l("Who it is for"), ("target_groups",)),
        (_l("Who to contact"), ContactFields.CONTACT),
        (_l("Projects"), ("tenant_ids",)),
    )

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(name for _legend, names in cls.SECTIONS for name in names)

    def to_data(self) -> dict:
        data = {name: getattr(self, name).data for name in self.field_names()}
        for name in ("address", *ContactFields.CONTACT):
            if name in data:
                data[name] = data[name] or ""
        return {**data, **self.place_data()}


class EligibilityFields:
    """Who may take part: opportunities and training."""

    age_min = count_field(_l("Minimum age"), 14, 99)
    age_max = count_field(_l("Maximum age"), 14, 99)
    did_required = yes_no_field(
        _l("Registration with a Centro per l'Impiego (DID)"), _l("Required"), _l("Not required")
    )
    permit_accepted = yes_no_field(_l("Open to people with a residence permit"), _l("Yes"), _l("No"))
    italian_level = cefr_field(_l("Italian required (CEFR level)"))
    qualification = StringField(_l("Qualification required"), validators=[Optional(), Length(max=200)],
                                filters=[_strip])  # fmt: skip
    access_route = optional_select(_l("How to take part"), voc.ACCESS_ROUTES)
    ELIGIBILITY = ("target_groups", "age_min", "age_max", "did_required", "permit_accepted", "italian_level",
                   "qualification", "access_route")  # fmt: skip


class OpportunityForm(EligibilityFields, EntryForm):
    opportunity_type = SelectField(_l("Type"), choices=lambda: [("", str(_l("Choose the type")))] + [
        (k, str(v)) for k, v in voc.OPPORTUNITY_TYPES.items()], default="",
        validators=[DataRequired(message=_l("Choose the type."))])  # fmt: skip
    programme = optional_select(_l("Programme"), voc.PROGRAMMES, blank=_l("None"))
    places = count_field(_l("Places"), 1, 1000)
    deadline = date_field(_l("Application deadline"), not_in_the_past)
    hours = StringField(_l("Days and hours"), validators=[Optional(), Length(max=120)], filters=[_strip],
                        description=_l("For example: Monday to Friday, 9:00-13:00."))  # fmt: skip
    hours_per_week = count_field(_l("Hours per week"), 1, 48)
    duration_months = count_field(_l("Duration in months"), 1, 36)
    promoter = StringField(_l("Promoting body (soggetto promotore)"), validators=[Optional(), Length(max=200)],
                           filters=[_strip],
                           description=_l("Who promotes the internship: e.g. a Centro per l'Impiego, an accredited body, "
                                          "a school or university, the social services."))  # fmt: skip
    host = StringField(_l("Host (soggetto ospitante), if not this organisation"),
                       validators=[Optional(), Length(max=200)], filters=[_strip])  # fmt: skip
    host_public_body = BooleanField(_l("The host named above is a public administration"))
    monthly_allowance = count_field(_l("Monthly allowance or pay (euro, gross)"), 0, 10000,
                                    description=_l("Extracurricular internships: at least the minimum of the region."))  # fmt: skip
    allowance_paid_by = optional_select(_l("Who pays the allowance"), voc.ALLOWANCE_PAYERS)
    meal_vouchers = BooleanField(_l("Meal vouchers or canteen"))
    contract_type = optional_select(_l("Contract"), voc.CONTRACT_TYPES)
    ccnl = StringField(_l("National collective agreement (CCNL)"), validators=[Optional(), Length(max=120)],
                       filters=[_strip])  # fmt: skip
    l68_reserved = BooleanField(_l("Reserved for people in the collocamento mirato (Law 68/1999)"))
    requirements = TextAreaField(_l("Requirements"), validators=[Optional(), Length(max=5000)])
    how_to_apply = TextAreaField(
        _l("How to apply"), validators=[DataRequired(message=_l("Explain how to apply.")), Length(max=3000)],
        description=_l("What to send (CV, a few lines about oneself), to whom and by when; "
                       "or the steps of the selection, such as an interview."),
    )  # fmt: skip
    SECTIONS = (
        (_l("Description"), ("title", "opportunity_type", "programme", "description")),
        (_l("Where"), ("address", "comune", "province")),
        (_l("When and how much"), ("places", "deadline", "hours", "hours_per_week", "duration_months")),
        (_l("Internships and work grants"), ("promoter", "host", "host_public_body", "monthly_allowance",
                                             "allowance_paid_by", "meal_vouchers")),
        (_l("Job offers"), ("contract_type", "ccnl", "l68_reserved")),
        (_l("Who it is for"), EligibilityFields.ELIGIBILITY + ("requirements",)),
        (_l("How to apply"), ("how_to_apply",)),
        (_l("Who to contact"), ContactFields.CONTACT),
        (_l("Projects"), ("tenant_ids",)),
    )  # fmt: skip

    def to_data(self) -> dict:
        return keep_type_fields(super().to_data())


class TrainingForm(EligibilityFields, EntryForm):
    subject_area = StringField(_l("Subject area"), validators=[Optional(), Length(max=120)], filters=[_strip])
    start_date = date_field(_l("Start date"))
    end_date = date_field(_l("End date"))
    total_hours = count_field(_l("Total hours"), 1, 5000)
    sessions = count_field(_l("Number of sessions"), 1, 1000)
    schedule = StringField(
        lazy_pgettext("training timetable", "Schedule"), validators=[Optional(), Length(max=200)], filters=[_strip]
    )
    online = BooleanField(_l("Online"))
    is_free = BooleanField(_l("Free of charge"))
    cost = StringField(_l("Cost"), validators=[Optional(), Length(max=120)], filters=[_strip])
    seats = count_field(_l("Seats"), 1, 5000)
    enrolment_deadline = date_field(_l("Enrolment deadline"), not_in_the_past)
    languages = CheckboxList(_l("Languages"), choices=voc.choices(voc.LANGUAGES))
    eqf_level = SelectField(_l("EQF level"), coerce=optional_int, default="", validators=[Optional()],
                            choices=lambda: _blank(_l("Not stated")) + [(str(n), str(n)) for n in training.EQF_LEVELS])  # fmt: skip
    certificate = optional_select(_l("Certificate issued"), voc.CERTIFICATES)
    italian_level_reached = cefr_field(_l("Italian level reached (Italian courses)"))
    eligibility = TextAreaField(_l("Who may enrol"), validators=[Optional(), Length(max=3000)])
    SECTIONS = (
        (_l("Description"), ("title", "subject_area", "description")),
        (_l("Where"), ("address", "comune", "province", "online")),
        (_l("When"), ("start_date", "end_date", "total_hours", "sessions", "schedule", "enrolment_deadline")),
        (_l("The course"), ("seats", "is_free", "cost", "languages", "eqf_level", "certificate",
                            "italian_level_reached")),
        (_l("Who may enrol"), EligibilityFields.ELIGIBILITY + ("eligibility",)),
        (_l("Who to contact"), ContactFields.CONTACT),
        (_l("Projects"), ("tenant_ids",)),
    )  # fmt: skip

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end cannot come before the start."))


class EventForm(EntryForm):
    starts_at = DateTimeLocalField(_l("Starts (Italian time)"), format=DATETIME_FORMATS, description=DATETIME_HELP,
                                   validators=[InputRequired(message=_l("Enter when it starts.")), plausible_year])  # fmt: skip
    ends_at = DateTimeLocalField(_l("Ends (Italian time)"), format=DATETIME_FORMATS, description=DATETIME_HELP,
                                 validators=[Optional(), plausible_year])  # fmt: skip
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)], filters=[_strip])
    online_url = StringField(_l("Online link"), validators=[Optional(), Length(max=300), http_url], filters=[_strip])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000)])
    is_free = BooleanField(_l("Free of charge"), default=True)
    how_to_register = TextAreaField(_l("How to register"), validators=[Optional(), Length(max=3000)])
    SECTIONS = (
        (_l("Description"), ("title", "description")),
        (_l("When and where"), ("starts_at", "ends_at", "venue", "address", "comune", "province", "online_url")),
        (_l("Taking part"), ("capacity", "is_free", "how_to_register", "target_groups")),
        (_l("Who to contact"), ContactFields.CONTACT),
        (_l("Projects"), ("tenant_ids",)),
    )

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


class WithdrawForm(VersionedForm):
    submit = SubmitField(_l("Withdraw this entry"))


class CloseEarlyForm(VersionedForm):
    submit = SubmitField(_l("Close it: places filled"))


class DuplicateForm(Form):
    submit = SubmitField(_l("Copy it as a new draft"))


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


# --- English versions (issue 15, point 5) ------------------------------------------------------
# One block, apart from the Italian fields above: each form gets an "English version (optional)"
# group (portal/directory/english_versions.py) after its own sections.
from portal.directory.english_versions import add_english_versions  # noqa: E402

for _form_class in (OrganisationForm, OpportunityForm, TrainingForm, EventForm):
    add_english_versions(_form_class)
# --- end of English versions -------------------------------------------------------------------
