"""Licences a project may choose for its open data (SPDX identifiers); the Italian guidelines
on open data (AgID) recommend CC BY 4.0 as the default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str  # SPDX
    name: str
    url: str


LICENCES = {
    licence.id: licence
    for licence in (
        Licence("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
                "https://creativecommons.org/licenses/by/4.0/"),
        Licence("CC0-1.0", "Creative Commons Zero 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
        Licence("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0 International",
                "https://creativecommons.org/licenses/by-sa/4.0/"),
        Licence("IODL-2.0", "Italian Open Data License 2.0", "https://www.dati.gov.it/iodl/2.0/"),
    )
}  # fmt: skip
DEFAULT_LICENCE = "CC-BY-4.0"
