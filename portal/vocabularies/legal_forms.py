"""Legal forms of Italian businesses and bodies (codice civile, Law 381/1991, Codice del Terzo
settore), as a company chooses its own in the self-registration form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# code -> (abbreviation stored on the organisation, label, organisation kind it implies)
LEGAL_FORMS = {
    "individuale": ("Impresa individuale", _l("Sole proprietorship (impresa individuale)"), "company"),
    "snc": ("S.n.c.", _l("General partnership (S.n.c.)"), "company"),
    "sas": ("S.a.s.", _l("Limited partnership (S.a.s.)"), "company"),
    "srl": ("S.r.l.", _l("Limited liability company (S.r.l.)"), "company"),
    "srls": ("S.r.l.s.", _l("Simplified limited liability company (S.r.l.s.)"), "company"),
    "spa": ("S.p.A.", _l("Joint-stock company (S.p.A.)"), "company"),
    "sapa": ("S.a.p.a.", _l("Partnership limited by shares (S.a.p.a.)"), "company"),
    "coop": ("Società cooperativa", _l("Cooperative (società cooperativa)"), "company"),
    "coop_sociale_a": ("Cooperativa sociale di tipo A", _l("Social cooperative, type A"), "social_coop_a"),
    "coop_sociale_b": ("Cooperativa sociale di tipo B", _l("Social cooperative, type B"), "social_coop_b"),
    "consorzio": ("Consorzio", _l("Consortium (consorzio)"), "company"),
    "studio": ("Studio professionale", _l("Professional practice (studio professionale)"), "company"),
    "associazione": ("Associazione", _l("Association"), "third_sector"),
    "fondazione": ("Fondazione", _l("Foundation"), "third_sector"),
    "altro": ("", _l("Other legal form"), "other"),
}


def choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, (_abbr, label, _kind) in LEGAL_FORMS.items()]


def abbreviation(code: str) -> str:
    return LEGAL_FORMS[code][0] if code in LEGAL_FORMS else ""


def label(code: str) -> str:
    return str(LEGAL_FORMS[code][1]) if code in LEGAL_FORMS else code


def organisation_kind(code: str) -> str:
    return LEGAL_FORMS[code][2] if code in LEGAL_FORMS else "other"
