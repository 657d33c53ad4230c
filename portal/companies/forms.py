"""The public registration form and the coordinators' review forms."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.directory.forms import (
    CheckboxList,
    PlaceFields,
    _compact_fiscal_code,
    _compact_vat,
    _strip,
    italian_fiscal_code,
    italian_vat,
    province_field,
)
from portal.forms import Form, SelectField, not_disposable
from portal.vocabularies import ateco, legal_forms


def _one_line(value):
    """Line breaks and runs of spaces become one space (a name goes into mail subjects)."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _sections() -> list[tuple[str, str]]:
    locale = str(get_locale() or "it")
    return [("", str(_l("Choose the sector")))] + [(s.code, ateco.label(s.code, locale)) for s in ateco.sections()]


class CompanyRegistrationForm(PlaceFields, Form):
    name = StringField(_l("Company name"), validators=[DataRequired(message=_l("Enter the company name.")),
                                                      Length(max=200)], filters=[_one_line])  # fmt: skip
    fiscal_code = StringField(
        _l("Fiscal code"),
        validators=[DataRequired(message=_l("Enter the company's fiscal code.")), italian_fiscal_code],
        filters=[_strip, _compact_fiscal_code],
        description=_l("11 digits for a company; 16 characters for a sole proprietor."),
    )
    vat_number = StringField(_l("VAT number (partita IVA)"), validators=[Optional(), italian_vat],
                             filters=[_strip, _compact_vat],
                             description=_l("If different from the fiscal code."))  # fmt: skip
    legal_form = SelectField(_l("Legal form"), default="",
                             choices=lambda: [("", str(_l("Choose the legal form")))] + legal_forms.choices(),
                             validators=[DataRequired(message=_l("Choose the legal form."))])  # fmt: skip
    ateco_code = SelectField(_l("Sector of activity (ATECO 2025)"), default="", choices=_sections,
                             validators=[DataRequired(message=_l("Choose the sector of activity."))])  # fmt: skip
    comune = StringField(
        _l("Municipality (comune) of the registered office"),
        validators=[DataRequired(message=_l("Enter the municipality.")), Length(max=100)],
        filters=[_strip],
        render_kw={"list": "comuni-list", "autocomplete": "off"},
    )
    province = province_field()
    contact_name = StringField(_l("Contact person (name and surname)"),
                               validators=[DataRequired(message=_l("Enter the contact person's name.")),
                                           Length(max=120)], filters=[_one_line],
                               render_kw={"autocomplete": "name"})  # fmt: skip
    contact_email = EmailField(
        _l("Contact person's e-mail"),
        validators=[
            DataRequired(message=_l("Enter the contact person's e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
            not_disposable,
        ],
        filters=[_strip],
        description=_l("We send a link to this address: the registration goes ahead only once it is opened."),
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    contact_phone = StringField(_l("Contact person's phone"), validators=[Optional(), Length(max=40)],
                                filters=[_one_line], render_kw={"autocomplete": "tel"})  # fmt: skip
    intern_places = IntegerField(
        _l("How many interns it could host"),
        validators=[InputRequired(message=_l("Enter a number (0 if none for now).")),
                    NumberRange(min=0, max=500, message=_l("Enter a number from %(min)d to %(max)d.", min=0,
                                                           max=500))],
        default=1,
    )  # fmt: skip
    intern_profiles = TextAreaField(_l("Which profiles (roles, tasks)"), validators=[Optional(), Length(max=2000)],
                                    description=_l("For example: warehouse, kitchen help, office work."))  # fmt: skip
    intern_period = StringField(_l("When"), validators=[Optional(), Length(max=200)], filters=[_one_line],
                                description=_l("For example: from March 2027, or all year."))  # fmt: skip
    tenant_ids = CheckboxList(_l("Projects it wants to work with"), coerce=int)
    accept_privacy = BooleanField(
        _l("I have read the privacy notice"),
        validators=[DataRequired(message=_l("Read and accept the privacy notice to register."))],
    )
    submit = SubmitField(_l("Register the company"))

    SECTIONS = (
        (_l("The company"), ("name", "fiscal_code", "vat_number", "legal_form", "ateco_code", "comune", "province")),
        (_l("Contact person"), ("contact_name", "contact_email", "contact_phone")),
        (_l("Internships"), ("intern_places", "intern_profiles", "intern_period")),
    )  # fmt: skip

    def validate_tenant_ids(self, field: CheckboxList) -> None:
        """Required as a group (a `required` on each box would ask for every project)."""
        if not field.data:
            raise ValidationError(_l("Choose at least one project."))

    def validate_ateco_code(self, field: SelectField) -> None:
        found = ateco.code(field.data)
        if field.data and (found is None or found.level != "section"):
            raise ValidationError(_l("Choose one of the sectors listed."))

    def to_data(self) -> dict:
        names = [name for _legend, fields in self.SECTIONS for name in fields] + ["tenant_ids"]
        data = {name: getattr(self, name).data for name in names}
        for name in ("vat_number", "contact_phone", "intern_profiles", "intern_period"):
            data[name] = data[name] or ""
        return {**data, **self.place_data()}


class VerifyForm(Form):
    submit = SubmitField(_l("Verify and create the organisation"))


class RejectForm(Form):
    reason = TextAreaField(_l("Why it is declined"), validators=[DataRequired(message=_l("Say why.")),
                                                                 Length(max=2000)])  # fmt: skip
    submit = SubmitField(_l("Decline"))
