"""ISTAT's comuni (code, name, province, region) and the provinces derived from them."""

from __future__ import annotations

import csv
import difflib
import math
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


@cache
def _by_folded_name() -> dict[str, list[Comune]]:
    """Folded name → the comuni called so (a few names exist in more than one province)."""
    found: dict[str, list[Comune]] = {}
    for comune in _all().values():
        found.setdefault(fold(comune.name), []).append(comune)
    return found


def find_comune(name: str, province: str | None = None) -> Comune | None:
    """The comune called `name` (in `province` if given), however it was typed; None if there is none."""
    candidates = _by_folded_name().get(fold(name or ""), [])
    matches = [c for c in candidates if c.province == province] if province else candidates
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


COORDINATES = Path(__file__).parent / "data" / "comuni_coordinates.csv"
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


@cache
def _coordinates() -> dict[str, tuple[float, float]]:
    """ISTAT code → (latitude, longitude) in degrees: the comune's centroid (data/SOURCES.md)."""
    with COORDINATES.open(encoding="utf-8", newline="") as handle:
        return {r["istat_code"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(handle)}


def coordinates(code: str | None) -> tuple[float, float] | None:
    """Where a comune is (its centroid), or None when the file does not have it."""
    return _coordinates().get(code or "")


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points, in km."""
    return haversine_radians(*map(math.radians, (*a, *b)))


def haversine_radians(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The same, from coordinates already in radians (the matching copy keeps them so)."""
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(code_a: str | None, code_b: str | None) -> float | None:
    """Centroid to centroid, in km; 0 for the same comune; None when either is not known."""
    if code_a and code_a == code_b and coordinates(code_a):
        return 0.0
    a, b = coordinates(code_a), coordinates(code_b)
    return haversine_km(a, b) if a and b else None
