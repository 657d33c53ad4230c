"""Readable names for the values used before the official vocabularies, shown to editors next
to a field an upgrade left "to be completed" (migration 0006)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OLD_VALUES = {
    # organisation kinds
    "cooperative": _l("cooperative (type not stated)"),
    "association": _l("association"),
    # opportunity types
    "tirocinio_extracurricolare": _l("extracurricular internship (formative or for (re)entry: not stated)"),
    # target groups
    "donne": _l("women"),
    "migranti": _l("migrants"),
    "detenuti": _l("people in prison or formerly in prison"),
    "disoccupati-lunga-durata": _l("long-term unemployed people"),
    "giovani": _l("young people"),
    "rifugiati": _l("refugees and asylum seekers"),
    "sostegno-reddito": _l("people on income support"),
}
DUPLICATE = "duplicate:"  # migration 0006 marks a code another organisation already had


def old_value_label(value: str) -> str:
    """The old value as its editors would recognise it; lists are kept as "a, b"."""
    if value.startswith(DUPLICATE):
        return str(_l("%(code)s (already used by another organisation)", code=value.removeprefix(DUPLICATE)))
    return ", ".join(str(OLD_VALUES.get(part, part)) for part in value.split(", "))
