"""Admin forms: validated on the server like every other."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from portal.directory.forms import CheckboxList, _strip
from portal.forms import Form, SelectField
from portal.i18n import LANGUAGE_NAMES
from portal.models.company import InvitedRole

ROLE_CHOICES = (
    (InvitedRole.COORDINATOR.value, _l("Coordinator of a project")),
    (InvitedRole.MEMBER.value, _l("Member of a project")),
    (InvitedRole.PARTNER_EDITOR.value, _l("Partner editor of an organisation")),
)


def _optional_id(value: object) -> int | None:
    return int(str(value)) if str(value or "").isdigit() else None


class RoleFields:
    role = SelectField(_l("Role"), choices=lambda: [(k, str(v)) for k, v in ROLE_CHOICES],
                       validators=[DataRequired(message=_l("Choose the role."))])  # fmt: skip
    tenant_id = SelectField(_l("Project (for coordinators and members)"), coerce=_optional_id,
                            validators=[Optional()], validate_choice=False)  # fmt: skip
    organisation_id = SelectField(_l("Organisation (for partner editors)"), coerce=_optional_id,
                                  validators=[Optional()], validate_choice=False)  # fmt: skip


class GrantForm(RoleFields, Form):
    submit = SubmitField(_l("Give the role"))


class InviteForm(RoleFields, Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter the e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False),
        ],
        filters=[_strip],
    )
    name = StringField(_l("Name and surname"), validators=[Optional(), Length(max=120)], filters=[_strip])
    locale = SelectField(_l("Language of the invitation"), choices=lambda: list(LANGUAGE_NAMES.items()))
    submit = SubmitField(_l("Send the invitation"))


class ActionForm(Form):
    """One-button actions (disable, enable, resend, reset, revoke): the CSRF token is the form."""

    submit = SubmitField(_l("Confirm"))


class RevokeForm(Form):
    tenant_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    organisation_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    submit = SubmitField(_l("Remove"))


class SettingsForm(Form):
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Length(max=254),
                    Email(message=_l("Enter a valid e-mail address, like name@example.it."), check_deliverability=False)],
        filters=[_strip],
    )  # fmt: skip
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)], filters=[_strip])
    contact_address = StringField(_l("Address"), validators=[Optional(), Length(max=200)], filters=[_strip])
    features = CheckboxList(_l("Sections of the space"), choices=[("pages", _l("Pages")), ("news", _l("News")),
                                                                  ("newsletter", _l("Newsletter"))])  # fmt: skip
    position = IntegerField(_l("Position on the hub"),
                            validators=[DataRequired(message=_l("Enter a number from %(min)d to %(max)d.", min=1,
                                                                max=1000)),
                                        NumberRange(min=1, max=1000, message=_l("Enter a number from %(min)d to "
                                                                                "%(max)d.", min=1, max=1000))])  # fmt: skip
    submit = SubmitField(_l("Save"))

    def to_data(self) -> dict:
        return {
            "contacts": {"email": self.contact_email.data or "", "phone": self.contact_phone.data or "",
                         "address": self.contact_address.data or ""},
            "features": self.features.data or [],
            "position": self.position.data,
        }  # fmt: skip
