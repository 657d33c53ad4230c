"""ATECO 2025 (ISTAT's edition of NACE Rev. 2.1, in force since 1 January 2025): sections,
divisions and groups with their descriptions."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "ateco2025.csv"


@dataclass(frozen=True)
class AtecoCode:
    code: str  # "C", "10", "10.7"
    level: str  # section, division or group
    description_it: str
    description_en: str
    section: str

    def description(self, locale: str) -> str:
        """English where NACE gives it (sections and divisions), else ISTAT's Italian."""
        text = self.description_en if locale == "en" and self.description_en else self.description_it
        return text[:1] + text[1:].lower() if text.isupper() else text


@cache
def codes() -> dict[str, AtecoCode]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {r["code"]: AtecoCode(r["code"], r["level"], r["description_it"], r["description_en"], r["section"])
                for r in csv.DictReader(handle)}  # fmt: skip


def code(value: str | None) -> AtecoCode | None:
    return codes().get(value or "")


def sections() -> list[AtecoCode]:
    return [c for c in codes().values() if c.level == "section"]


def section_of(value: str | None) -> str:
    """The section letter of any code ("" when unknown)."""
    found = code(value)
    return found.section if found else ""


def codes_in_section(section: str) -> list[str]:
    """Every code of a section (the letter itself, its divisions and groups)."""
    return [c.code for c in codes().values() if c.section == section]


def label(value: str | None, locale: str) -> str:
    found = code(value)
    return f"{found.code} – {found.description(locale)}" if found else (value or "")


def grouped_choices(locale: str) -> dict[str, list[tuple[str, str]]]:
    """For a select with one group per section: {section label: [(code, label), ...]}."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    titles = {s.code: label(s.code, locale) for s in sections()}
    for item in codes().values():
        indent = {"section": "", "division": "  ", "group": "    "}[item.level]
        grouped.setdefault(titles[item.section], []).append((item.code, indent + label(item.code, locale)))
    return grouped


# ATECO 2007 sections (what organisations had before) mapped to ATECO 2025. Section J of 2007
# ("information and communication") was split into J (publishing, broadcasting) and K
# (telecommunications, IT): it cannot be mapped and is left for the editor to complete.
SECTIONS_2007_TO_2025 = {
    **{letter: letter for letter in "ABCDEFGHI"},
    "K": "L", "L": "M", "M": "N", "N": "O", "O": "P", "P": "Q", "Q": "R", "R": "S", "S": "T", "T": "U", "U": "V",
}  # fmt: skip
