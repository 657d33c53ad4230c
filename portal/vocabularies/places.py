"""ISTAT's comuni (code, name, province, region) and the provinces derived from them."""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "comuni.csv"


@dataclass(frozen=True)
class Comune:
    code: str  # ISTAT code, 6 digits
    name: str
    province: str  # sigla automobilistica
    province_name: str
    region: str


def fold(text: str) -> str:
    """Compare names as people type them: no accents, apostrophes or case ("Sant'Angelo" = "santangelo")."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if c.isalnum())
    return letters.casefold()


@cache
def _all() -> dict[str, Comune]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = [Comune(r["istat_code"], r["name"], r["province_code"], r["province_name"], r["region_name"])
                for r in csv.DictReader(handle)]  # fmt: skip
    return {c.code: c for c in rows}


@cache
def _by_province() -> dict[str, list[Comune]]:
    grouped: dict[str, list[Comune]] = {}
    for comune in _all().values():
        grouped.setdefault(comune.province, []).append(comune)
    return {p: sorted(cs, key=lambda c: fold(c.name)) for p, cs in grouped.items()}


@cache
def provinces() -> dict[str, str]:
    """Sigla → name, in alphabetical order of name ("Valle d'Aosta/Vallée d'Aoste" for AO)."""
    names = {c.province: c.province_name for c in _all().values()}
    return dict(sorted(names.items(), key=lambda item: fold(item[1])))


def comune(code: str | None) -> Comune | None:
    return _all().get(code or "")


def comuni_in(province: str) -> list[Comune]:
    return _by_province().get(province, [])


def region_of(province: str | None) -> str | None:
    comuni = _by_province().get(province or "")
    return comuni[0].region if comuni else None


def find_comune(name: str, province: str | None = None) -> Comune | None:
    """The comune called `name` (in `province` if given), however it was typed; None if there is none."""
    wanted = fold(name or "")
    candidates = comuni_in(province) if province else list(_all().values())
    matches = [c for c in candidates if fold(c.name) == wanted]
    return matches[0] if len(matches) == 1 else None


def similar_comuni(name: str, province: str | None = None, limit: int = 3) -> list[Comune]:
    """The closest names, for "did you mean": those that begin with what was typed ("Calliano" for
    Calliano Monferrato), then those spelt alike."""
    candidates = comuni_in(province) if province else list(_all().values())
    by_key = {fold(c.name): c for c in candidates}
    typed = fold(name or "")
    if not typed:
        return []
    starting = [key for key in by_key if key.startswith(typed) and key != typed] if len(typed) >= 4 else []
    alike = difflib.get_close_matches(typed, list(by_key), n=limit, cutoff=0.7)
    keys = list(dict.fromkeys(starting[:limit] + alike))[:limit]
    return [by_key[key] for key in keys]
