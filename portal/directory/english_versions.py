"""The optional English versions on the directory's forms: one group, "English version
(optional)", after the Italian fields. Each English field takes the label, widget and length
limit of its Italian field; left empty, the Italian is shown to English readers.

Kept apart from forms.py (the forms only call `add_english_versions`), so the Italian fields and
their order can change without touching this."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.bilingual import ENTRY_FIELDS, KIND_FIELDS, ORGANISATION_FIELDS, SUFFIX

LEGEND = _l("English version (optional)")
HELP = _l("Optional. Leave empty and English readers see the Italian text, marked as such.")
LABELS = {
    "title": _l("Title in English"),
    "description": _l("Description in English"),
    "contact_hours": _l("Opening hours in English"),
    "hours": _l("Days and hours in English"),
    "requirements": _l("Requirements in English"),
    "how_to_apply": _l("How to apply in English"),
    "schedule": _l("Schedule in English"),
    "eligibility": _l("Who may enrol in English"),
    "how_to_register": _l("How to register in English"),
    "intern_profiles": _l("Profiles it can host in English"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _limit(unbound: Any) -> int:
    """The Italian field's maximum length (its Length validator)."""
    for validator in unbound.kwargs.get("validators", []):
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            return int(validator.max)
    raise ValueError(f"{unbound} has no length limit to copy")


class EnglishLength:
    """At most `limit` characters, said as an English version's limit (with how many were given)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.field_flags = {"maxlength": limit}

    def __call__(self, _form: Any, field: Any) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                _l("The English version can be at most %(max)d characters long (this one has %(length)d).",
                   max=self.limit, length=length)
            )  # fmt: skip


def english_field(italian: Any, label: Any) -> Any:
    """The English twin of an unbound Italian field: same kind of widget, same limit, optional."""
    kind = TextAreaField if italian.field_class is TextAreaField else StringField
    return kind(label, validators=[Optional(), EnglishLength(_limit(italian))], filters=[_strip], description=HELP)


def english_names(form_class: Any) -> tuple[str, ...]:
    """The English fields a directory form gets (those whose Italian field it has)."""
    if hasattr(form_class, "kind") and hasattr(form_class, "legal_form"):
        candidates: tuple[str, ...] = ORGANISATION_FIELDS
    else:
        candidates = ENTRY_FIELDS + tuple(name for names in KIND_FIELDS.values() for name in names)
    return tuple(name for name in candidates if hasattr(form_class, name))


def add_english_versions(form_class: Any) -> None:
    """Give `form_class` its English fields and the section that shows them."""
    names = english_names(form_class)
    for name in names:
        setattr(form_class, name + SUFFIX, english_field(getattr(form_class, name), LABELS[name]))
    form_class.SECTIONS = (*form_class.SECTIONS, (LEGEND, tuple(name + SUFFIX for name in names)))
    if "FIELDS" in vars(form_class):
        form_class.FIELDS = tuple(name for _legend, group in form_class.SECTIONS for name in group)
