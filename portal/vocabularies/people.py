"""Who an entry is for: the controlled list of target groups used in Italian labour-inclusion
practice, with the rule that defines each where there is one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TARGET_GROUPS = {
    "neet": _l("Young people not in education, employment or training (NEET)"),
    "giovani-16-29": _l("Young people aged 16 to 29"),
    "over-50": _l("People over 50"),
    "disabilita-l68": _l("People with disabilities (Law 68/1999)"),
    "donne-violenza": _l("Women who have suffered violence"),
    "dipendenze": _l("People with addictions"),
    "protezione-internazionale": _l("Holders of international or special protection"),
    "adi-sfl": _l("Recipients of ADI or SFL (inclusion allowance, training and work support)"),
    "servizi-sociali": _l("People followed by social services"),
    "svantaggiati-l381": _l("Disadvantaged people (Law 381/1991, art. 4)"),
}

DISABILITY = "disabilita-l68"
# Disadvantaged under the national internship guidelines of 25 May 2017 (Law 381/1991 art. 4,
# international protection, victims of violence): regions allow them longer internships.
DISADVANTAGED_GROUPS = frozenset({"svantaggiati-l381", "dipendenze", "protezione-internazionale", "donne-violenza"})

# The codes used before the controlled list, and what each becomes. Only equivalences are mapped;
# a code mapped to None (a wider or different group: "young people" had no age range, "refugees
# and asylum seekers" were more than holders of protection, "income support" more than ADI/SFL)
# is kept in a note for its editors ("to be completed").
LEGACY_TARGET_GROUPS: dict[str, str | None] = {
    "over-50": "over-50",
    "disabilita": "disabilita-l68",
    "giovani": None,
    "rifugiati": None,
    "sostegno-reddito": None,
    "donne": None,
    "migranti": None,
    "detenuti": None,
    "disoccupati-lunga-durata": None,
}

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")

ACCESS_ROUTES = {
    "direct": _l("Apply directly to the organisation"),
    "project": _l("Through the project's staff"),
    "cpi": _l("Through the Centro per l'Impiego (public employment centre)"),
}
