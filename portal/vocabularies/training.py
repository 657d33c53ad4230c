"""Training offers: EQF levels and the certificates Italian courses issue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

EQF_LEVELS = tuple(range(1, 9))

CERTIFICATES = {
    "attestato_frequenza": _l("Certificate of attendance (attestato di frequenza)"),
    "attestato_competenze": _l("Certificate of competences (attestato di validazione delle competenze)"),
    "qualifica_regionale": _l("Regional vocational qualification (qualifica professionale regionale)"),
    "abilitazione": _l("Licence or qualification required by law (e.g. food safety, forklift)"),
    "cils": _l("CILS – Italian as a foreign language (Università per Stranieri di Siena)"),
    "celi": _l("CELI – Italian as a foreign language (Università per Stranieri di Perugia)"),
    "plida": _l("PLIDA – Italian as a foreign language (Società Dante Alighieri)"),
    "none": _l("No certificate"),
}
ITALIAN_CERTIFICATES = frozenset({"cils", "celi", "plida"})
