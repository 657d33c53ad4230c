"""WTForms' own messages, translated in the portal's catalogue.

WTForms ships an Italian catalogue, but it leaves some messages in English ("'x' is not a
valid choice for this field.") and gets agreement wrong in others; forms use this module's
translations instead (see portal.forms.Form), so every message a person can see is ours.
The markers below only tell `pybabel extract` which messages to put in the catalogue.
"""

from __future__ import annotations

from flask_babel import get_translations


def _(message: str) -> str:
    return message


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


WTFORMS_MESSAGES = (
    _("Field must be equal to %(other_name)s."),
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
    _("Field must be between %(min)d and %(max)d characters long."),
    _("Number must be at least %(min)s."),
    _("Number must be at most %(max)s."),
    _("Number must be between %(min)s and %(max)s."),
    _("This field is required."),
    _("Invalid input."),
    _("Invalid email address."),
    _("Invalid URL."),
    _("Invalid Choice: could not coerce."),
    _("Not a valid choice."),
    _("Invalid choice(s): one or more data inputs could not be coerced."),
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
    _("Not a valid datetime value."),
    _("Not a valid date value."),
    _("Not a valid time value."),
    _("Not a valid integer value."),
    _("Not a valid decimal value."),
    _("Not a valid float value."),
)


class PortalTranslations:
    """The `translations` object WTForms asks (gettext/ngettext without formatting:
    WTForms fills the placeholders itself)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


translations = PortalTranslations()
