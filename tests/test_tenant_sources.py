"""Every project fact in tenants/<slug>/ is traceable to the project's own seed text.

Each tenant folder has a `sources.toml`:

    seed = "000_77c8c6f6dec25e79.txt"   # a file in ../shared/seeds/

    [[fact]]
    kind = "partner"                     # partner, phone, address, email, date, place, figure, claim
    value = "Confcooperative Asti Alessandria"   # exactly as tenant.toml or a page shows it
    quote = "…"                          # verbatim words of the seed that support it

Optional `[[context]]` entries (value, source) record facts that come from the law rather than
from the seed (e.g. a measure abolished since); they are not project facts and are not checked
against the seed.

The checks: the seed exists; every quote is in the seed (whitespace collapsed); every value is
what the portal shows; every partner in tenant.toml, every phone number, e-mail address and street
address in tenant.toml or a page, every date of [facts.period] and [lifecycle], and every value of
[funding], is a fact of the right kind.
No fixtures: this reads files only.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TENANTS = ROOT / "tenants"
SEEDS = ROOT.parent / "shared" / "seeds"
KINDS = {"partner", "phone", "address", "email", "date", "place", "figure", "claim", "funding"}
SLUGS = sorted(p.name for p in TENANTS.iterdir() if (p / "tenant.toml").is_file())

# Italian phone numbers: landlines (0…), mobiles (3…), toll-free and shared-cost (8…), with an
# optional +39 / 0039, digits grouped by spaces, dots, dashes or slashes: "800 88 33 11",
# "800.88.33.11", "+39 0141 123456", "06 1234567", "0141/123456", "347 123 4567".
PHONE = re.compile(
    r"(?<![\w+.,/-])"
    r"(?:(?:\+|00)39[\s.\-]*)?"
    r"(?:\(?0\d{1,3}\)?|3\d{2}|8\d{2})"
    r"(?:[\s.\-/]?\d{2,4}){1,4}"
    r"(?![\w])"
)
MIN_PHONE_DIGITS = 6  # shorter runs are postcodes, years or counts
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A street word (any case), an optional particle, a capitalised name of one or more words, and an
# optional house number: "Via del Collegio Romano 1", "via Roma 12", "Piazza San Secondo",
# "Corso Vittorio Alfieri 2/b", "viale 4 Novembre". "La Strada scs", "corso di lingua" or
# "via e-mail" are not addresses: the name must start with a capital letter.
STREET_WORDS = r"(?i:via|viale|piazzale|piazza|corso|largo|vicolo|strada)"
PARTICLE = r"(?:del|della|dello|delle|dei|degli|dell['’]|di|d['’]|de|San|Sant['’]|Santa|Santo)"
NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.]*"
ADDRESS = re.compile(
    rf"(?<![\w'’]){STREET_WORDS}\s+"
    rf"(?:{PARTICLE}\s*)?"
    rf"(?:\d{{1,2}}\s+)?{NAME_WORD}"
    rf"(?:\s+(?:{PARTICLE}\s*)?{NAME_WORD})*"
    r"(?:,?\s*(?:n\.\s*)?\d+[a-zA-Z]?(?:/\w+)?(?!\d))?"
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("gennaio", "january"),
            ("febbraio", "february"),
            ("marzo", "march"),
            ("aprile", "april"),
            ("maggio", "may"),
            ("giugno", "june"),
            ("luglio", "july"),
            ("agosto", "august"),
            ("settembre", "september"),
            ("ottobre", "october"),
            ("novembre", "november"),
            ("dicembre", "december"),
        ],
        start=1,
    )
    for name in names
}
MONTH = "|".join(MONTHS)
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})[°º]?\s+({MONTH})\s+(\d{{4}})\b", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def collapse(text: str) -> str:
    return " ".join(text.split())


def digits(phone: str) -> str:
    """Digits only, without the Italian country code."""
    number = re.sub(r"\D", "", phone)
    if re.match(r"\s*(?:\+|00)39", phone):
        number = number[2:] if phone.lstrip().startswith("+") else number[4:]
    return number


def phones_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in PHONE.finditer(text) if len(digits(m.group(0))) >= MIN_PHONE_DIGITS]


def emails_in(text: str) -> list[str]:
    return [m.group(0).rstrip(".") for m in EMAIL.finditer(text)]


def addresses_in(text: str) -> list[str]:
    return [collapse(m.group(0)).rstrip(",") for m in ADDRESS.finditer(text)]


def dates_in(text: str) -> set[str]:
    """Dates as ISO strings (YYYY-MM-DD), plus bare years (YYYY) not part of a full date."""
    found: set[str] = set()
    rest = text
    for pattern, order in (
        (DAY_MONTH_YEAR, "dmy"),
        (MONTH_DAY_YEAR, "mdy"),
        (NUMERIC_DATE, "dmy"),
        (ISO_DATE, "ymd"),
    ):
        for match in pattern.finditer(rest):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"]
            month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
            found.add(f"{int(parts['y']):04d}-{month_number:02d}-{int(parts['d']):02d}")
        rest = pattern.sub(" ", rest)
    found.update(YEAR.findall(rest))
    return found


def strings_of(value) -> list[str]:
    """Every string in a parsed TOML value (what the portal may show), comments excluded."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # ISTAT codes of a zone's comuni are data, not shown text
        return [s for key, item in value.items() if key != "comuni" for s in strings_of(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_of(item)]
    return []


class Project:
    def __init__(self, slug: str) -> None:
        self.slug = slug
        folder = TENANTS / slug
        self.config = tomllib.loads((folder / "tenant.toml").read_text(encoding="utf-8"))
        self.pages = {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "pages").glob("*.md"))}
        sources_file = folder / "sources.toml"
        self.sources = tomllib.loads(sources_file.read_text(encoding="utf-8")) if sources_file.is_file() else {}
        self.facts = self.sources.get("fact", [])

    def texts(self) -> dict[str, str]:
        """Where each piece of shown text comes from -> the text."""
        shown = {f"tenant.toml #{n}": s for n, s in enumerate(strings_of(self.config))}
        shown.update({f"pages/{name}": text for name, text in self.pages.items()})
        return shown

    def values(self, kind: str) -> list[str]:
        return [fact.get("value", "") for fact in self.facts if fact.get("kind") == kind]

    def seed_text(self) -> str:
        return (SEEDS / self.sources["seed"]).read_text(encoding="utf-8")


def _plain(text: str) -> str:
    """Markdown emphasis removed, whitespace collapsed: text as a reader sees it."""
    return collapse(text.replace("**", ""))


@functools.cache
def load(slug: str) -> Project:
    return Project(slug)


each_project = pytest.mark.parametrize("slug", SLUGS)


def test_the_seeds_folder_and_the_five_projects_are_there():
    assert SEEDS.is_dir(), f"seed folder {SEEDS} is missing"
    assert SLUGS == ["alice", "asti-est", "ciao", "vicenza", "work-in"]


@each_project
def test_sources_file_names_an_existing_seed(slug):
    project = load(slug)
    assert (TENANTS / project.slug / "sources.toml").is_file(), (
        f"{project.slug}: tenants/{project.slug}/sources.toml is missing"
    )
    seed = project.sources.get("seed")
    assert seed, f'{project.slug}: sources.toml has no `seed = "<file name>"`'
    assert (SEEDS / seed).is_file(), f"{project.slug}: seed file {seed!r} not found in {SEEDS}"
    assert project.facts, f"{project.slug}: sources.toml lists no [[fact]]"


@each_project
def test_every_fact_is_well_formed_and_quoted_verbatim_from_the_seed(slug):
    project = load(slug)
    seed = collapse(project.seed_text())
    problems = []
    for number, fact in enumerate(project.facts, start=1):
        label = f"{project.slug}: fact #{number} ({fact.get('value')!r})"
        if fact.get("kind") not in KINDS:
            problems.append(f"{label}: kind {fact.get('kind')!r} is not one of {sorted(KINDS)}")
        if not isinstance(fact.get("value"), str) or not fact["value"].strip():
            problems.append(f"{label}: value is missing")
        quote = fact.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            problems.append(f"{label}: quote is missing")
        elif collapse(quote) not in seed:
            problems.append(f"{label}: quote {quote!r} is not a verbatim part of seed {project.sources['seed']}")
    for number, entry in enumerate(project.sources.get("context", []), start=1):
        if not entry.get("value") or not entry.get("source"):
            problems.append(f"{project.slug}: [[context]] #{number} needs a value and a source")
    assert not problems, "\n".join(problems)


@each_project
def test_every_fact_value_is_what_the_portal_shows(slug):
    project = load(slug)
    shown = " \n ".join(_plain(text) for text in project.texts().values())
    shown_phones = {digits(p) for text in project.texts().values() for p in phones_in(text)}
    problems = []
    for fact in project.facts:
        value = fact.get("value", "")
        if fact.get("kind") == "phone":
            if digits(value) not in shown_phones:
                problems.append(f"{project.slug}: phone fact {value!r} is not shown in tenant.toml or any page")
        elif collapse(value) not in shown:
            problems.append(
                f"{project.slug}: {fact.get('kind')} fact {value!r} is not written like that in tenant.toml or any page"
            )
    assert not problems, "\n".join(problems)


@each_project
def test_every_partner_is_a_partner_fact(slug):
    project = load(slug)
    facts = set(project.values("partner"))
    missing = [
        f'{project.slug}: partner {partner.get("name")!r} in tenant.toml has no [[fact]] kind = "partner" '
        f"with that exact value in sources.toml"
        for partner in project.config.get("partners", [])
        if partner.get("name") not in facts
    ]
    assert not missing, "\n".join(missing)


@each_project
def test_every_phone_number_is_a_phone_fact(slug):
    project = load(slug)
    facts = {digits(value) for value in project.values("phone")}
    missing = [
        f'{project.slug}: phone number {phone!r} in {where} has no [[fact]] kind = "phone" in sources.toml'
        for where, text in project.texts().items()
        for phone in phones_in(text)
        if digits(phone) not in facts
    ]
    assert not missing, "\n".join(missing)


@each_project
def test_every_email_address_is_an_email_fact(slug):
    project = load(slug)
    facts = {value.lower() for value in project.values("email")}
    missing = [
        f'{project.slug}: e-mail address {address!r} in {where} has no [[fact]] kind = "email" in sources.toml'
        for where, text in project.texts().items()
        for address in emails_in(text)
        if address.lower() not in facts
    ]
    assert not missing, "\n".join(missing)


@each_project
def test_every_street_address_is_an_address_fact(slug):
    project = load(slug)
    facts = [collapse(value) for value in project.values("address")]
    missing = [
        f'{project.slug}: street address {address!r} in {where} is not part of any [[fact]] kind = "address" '
        f"in sources.toml"
        for where, text in project.texts().items()
        for address in addresses_in(text)
        if not any(address in fact for fact in facts)
    ]
    assert not missing, "\n".join(missing)


@each_project
def test_date_facts_are_dates_that_their_quote_gives(slug):
    project = load(slug)
    problems = []
    for value, fact in ((f.get("value", ""), f) for f in project.facts if f.get("kind") == "date"):
        dates = dates_in(value)
        if len(dates) != 1:
            problems.append(f"{project.slug}: date fact {value!r} should hold exactly one date or year")
        elif not dates <= dates_in(fact.get("quote", "")):
            problems.append(
                f"{project.slug}: date fact {value!r} is not a date given by its quote {fact.get('quote')!r}"
            )
    assert not problems, "\n".join(problems)


@each_project
def test_the_period_holds_dates_that_are_date_facts_or_nothing(slug):
    project = load(slug)
    period = (project.config.get("facts") or {}).get("period")
    if period is None:
        return
    facts = {found for value in project.values("date") for found in dates_in(value)}
    texts = period.items() if isinstance(period, dict) else [("", period)]
    problems = []
    for locale, text in texts:
        dates = dates_in(str(text))
        if not dates:
            problems.append(
                f"{project.slug}: [facts.period] {locale} {text!r} holds no date; give dates from the seed or remove it"
            )
        for found in sorted(dates - facts):
            problems.append(
                f'{project.slug}: [facts.period] {locale} {text!r}: date {found} has no [[fact]] kind = "date" '
                f"in sources.toml"
            )
    assert not problems, "\n".join(problems)


def test_the_detectors_find_what_they_must_and_nothing_else():
    text = "Numero verde 800 88 33 11 o 800.88.33.11; tel. +39 0141 123456, 06 1234567, 0141/123456, 347 123 4567."
    assert [digits(p) for p in phones_in(text)] == [
        "800883311",
        "800883311",
        "0141123456",
        "061234567",
        "0141123456",
        "3471234567",
    ]
    not_phones = "00186 Roma, 16.07.2020 - 31.12.2021, 150-200 persone, 30/50 utenti, il 75%, 2019, 18 e 40 anni"
    assert phones_in(not_phones) == []
    assert emails_in("Scrivere a info@esempio.it.") == ["info@esempio.it"]
    assert addresses_in("Sede in via Roma 12, poi Piazza San Secondo e Via del Collegio Romano 1 – 00186 Roma.") == [
        "via Roma 12",
        "Piazza San Secondo",
        "Via del Collegio Romano 1",
    ]
    assert addresses_in("La Cooperativa La Strada scs, un corso di lingua italiana, via e-mail o via posta.") == []
    assert dates_in("Dal 16 luglio 2020 al 31 dicembre 2021") == {"2020-07-16", "2021-12-31"}
    assert dates_in("From 16 July 2020 to 31.12.2021; in 2019") == {"2020-07-16", "2021-12-31", "2019"}
    assert dates_in("Finanziato dal PON Inclusione") == set()


@each_project
def test_every_zone_is_a_place_fact_and_its_comuni_exist(slug):
    from portal.vocabularies.places import comune

    project = load(slug)
    places = set(project.values("place"))
    zones = project.config.get("facts", {}).get("zones", [])
    assert zones, f"{slug}: no [[facts.zones]]"
    for zone in zones:
        assert zone["name"]["it"] in places, f'{slug}: zone {zone["name"]["it"]!r} has no kind = "place" fact'
        assert all(comune(code) for code in zone.get("comuni", [])), f"{slug}: unknown ISTAT code in {zone}"


@each_project
def test_lifecycle_dates_are_date_facts(slug):
    """[lifecycle] start and end (TOML dates) are dates the seed gives: no invented period."""
    project = load(slug)
    lifecycle = project.config.get("lifecycle") or {}
    facts = {found for value in project.values("date") for found in dates_in(value)}
    missing = [
        f'{slug}: [lifecycle] {key} = {lifecycle[key]} has no [[fact]] kind = "date" in sources.toml'
        for key in ("start", "end")
        if key in lifecycle and str(lifecycle[key]) not in facts
    ]
    assert not missing, "\n".join(missing)


@each_project
def test_funding_values_are_funding_facts(slug):
    """Programme, funder and CUP in [funding] each have a kind = "funding" fact (the EU flag too needs one)."""
    project = load(slug)
    funding = project.config.get("funding") or {}
    facts = set(project.values("funding"))
    missing = [
        f'{slug}: [funding] {key} = {funding[key]!r} has no [[fact]] kind = "funding" with that value in sources.toml'
        for key in ("programme", "funder", "cup")
        if key in funding and funding[key] not in facts
    ]
    if funding.get("eu_cohesion_funds") and not any("europe" in v.lower() for v in facts):
        missing.append(f'{slug}: [funding] eu_cohesion_funds needs a kind = "funding" fact that names the EU funds')
    assert not missing, "\n".join(missing)
