"""The way to national services, kept as data: where to make the DID, which portal lists the
Centri per l'Impiego of a province, the regional job portal, SIISL, Garanzia Giovani and GOL.

One TOML file per region in data/national_services/ (and national.toml for what holds
everywhere); every fact has an https `url`, a `source` and the day it was `checked_on`. The files
are validated when first loaded: a missing or malformed key raises NationalServicesError naming
the file and the key, so a bad edit fails at start-up and in the tests, not on a resident's page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal.vocabularies import places

DATA = Path(__file__).parent / "data" / "national_services"
NATIONAL_FILE = "national.toml"
# The national facts every page may use (keys of [facts] in national.toml).
NATIONAL_KEYS = ("did", "myanpal", "siisl", "inps", "garanzia_giovani", "gol")
LOCALES = ("it", "en")


class NationalServicesError(ValueError):
    """A national-services data file is missing a key or has a malformed value."""


@dataclass(frozen=True)
class Fact:
    """One link to an official service, with where it comes from and when it was checked."""

    name: dict[str, str]  # locale -> name
    url: str
    source: str
    checked_on: date
    to_verify: bool

    def label(self, locale: str) -> str:
        return self.name.get(locale) or self.name["it"]


@dataclass(frozen=True)
class Province:
    code: str  # sigla, as in comuni.csv
    name: str
    cpi: tuple[Fact, ...]  # where to find its Centri per l'Impiego


@dataclass(frozen=True)
class Region:
    name: str  # as ISTAT writes it
    file: str
    portal: tuple[Fact, ...]  # the regional job portal(s)
    provinces: dict[str, Province]


@dataclass(frozen=True)
class Catalogue:
    national: dict[str, Fact]
    regions: dict[str, Region]  # by ISTAT name

    def province(self, code: str | None) -> Province | None:
        region = self.region_of(code)
        return region.provinces.get(code or "") if region else None

    def region_of(self, province: str | None) -> Region | None:
        name = places.region_of(province)
        return self.regions.get(name) if name else None

    def facts(self) -> list[tuple[str, Fact]]:
        """Every fact with where it is (for checks): "national.toml did", "veneto.toml VI cpi 1"."""
        found = [(f"{NATIONAL_FILE} {key}", fact) for key, fact in self.national.items()]
        for region in self.regions.values():
            found += [(f"{region.file} portal {n}", fact) for n, fact in enumerate(region.portal, 1)]
            for province in region.provinces.values():
                found += [(f"{region.file} {province.code} cpi {n}", fact) for n, fact in enumerate(province.cpi, 1)]
        return found


def is_https_url(value: object) -> bool:
    """An absolute https URL with a host name and no spaces or credentials."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    host = parts.hostname or ""
    return parts.scheme == "https" and "." in host and parts.username is None and not host.startswith(".")


def _require(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise NationalServicesError(f"{where}: missing key '{key}'")
    value = table[key]
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise NationalServicesError(f"{where}: '{key}' is malformed ({value!r})")
    return value


def _fact(table: object, where: str) -> Fact:
    if not isinstance(table, dict):
        raise NationalServicesError(f"{where}: expected a table of name, url, source, checked_on, to_verify")
    name = _require(table, "name", dict, where)
    for locale in LOCALES:
        _require(name, locale, str, f"{where}.name")
    url, source = _require(table, "url", str, where), _require(table, "source", str, where)
    for key, value in (("url", url), ("source", source)):
        if not is_https_url(value):
            raise NationalServicesError(f"{where}: '{key}' is not an https URL ({value!r})")
    checked_on = _require(table, "checked_on", date, where)
    to_verify = _require(table, "to_verify", bool, where)
    return Fact({k: name[k] for k in LOCALES}, url, source, checked_on, to_verify)


def _facts(value: object, where: str) -> tuple[Fact, ...]:
    if not isinstance(value, list) or not value:
        raise NationalServicesError(f"{where}: expected at least one fact ([[...]] tables)")
    return tuple(_fact(item, f"{where}[{n}]") for n, item in enumerate(value, 1))


def parse_region(text: str, file: str) -> Region:
    """One region's file; raises NationalServicesError on a missing or malformed key."""
    data = _load_toml(text, file)
    name = _require(data, "region", str, file)
    if name not in {places.region_of(code) for code in places.provinces()}:
        raise NationalServicesError(f"{file}: region '{name}' is not a region as ISTAT names it")
    portal = _facts(data.get("portal"), f"{file} portal")
    provinces: dict[str, Province] = {}
    for code, table in _require(data, "provinces", dict, file).items():
        where = f"{file} provinces.{code}"
        if places.region_of(code) != name:
            raise NationalServicesError(f"{where}: not a province of {name}")
        if not isinstance(table, dict):
            raise NationalServicesError(f"{where}: expected a table")
        provinces[code] = Province(code, _require(table, "name", str, where), _facts(table.get("cpi"), f"{where}.cpi"))
    return Region(name, file, portal, provinces)


def parse_national(text: str, file: str = NATIONAL_FILE) -> dict[str, Fact]:
    facts = _require(_load_toml(text, file), "facts", dict, file)
    return {key: _fact(facts.get(key), f"{file} facts.{key}") if key in facts else _missing(file, key)
            for key in NATIONAL_KEYS}  # fmt: skip


def _missing(file: str, key: str) -> Fact:
    raise NationalServicesError(f"{file}: missing key 'facts.{key}'")


def _load_toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise NationalServicesError(f"{file}: {error}") from error


def load(folder: Path = DATA) -> Catalogue:
    """Read and validate every file of `folder` (national.toml and one file per region)."""
    national_path = folder / NATIONAL_FILE
    if not national_path.is_file():
        raise NationalServicesError(f"{national_path}: missing")
    national = parse_national(national_path.read_text("utf-8"))
    regions: dict[str, Region] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == NATIONAL_FILE:
            continue
        region = parse_region(path.read_text("utf-8"), path.name)
        if region.name in regions:
            raise NationalServicesError(f"{path.name}: {region.name} is also in {regions[region.name].file}")
        regions[region.name] = region
    return Catalogue(national, regions)


@cache
def catalogue() -> Catalogue:
    """The repository's data, loaded and validated once per process."""
    return load()
