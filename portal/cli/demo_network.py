"""The demo network: for each project, fictitious organisations and about forty entries written
for its territory and the people it serves, legally plausible (internship allowances at or above
the regional minimum, real comuni, ATECO 2025 codes, deadlines spread over the coming months and
some closed). Nothing here is a fact about a real body: every organisation is invented and says
so, and no real partner of a project is given seats, activities or offers.

The same generators feed `flask demo load --size N` (synthetic entries for benchmarks).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from stdnum import luhn

from portal.vocabularies import ateco, internships
from portal.vocabularies.people import CEFR_LEVELS
from portal.vocabularies.places import Comune, find_comune

FICTITIOUS = "Organizzazione fittizia, inserita come esempio nei dati dimostrativi."
DEMO_ENTRY = "Scheda dimostrativa con dati fittizi."


@dataclass(frozen=True)
class Territory:
    slug: str
    places: tuple[tuple[str, str], ...]  # (comune, province) as ISTAT writes them
    targets: tuple[str, ...]
    ended_on: date | None = None  # a concluded project: its entries are all in the past
    note: str = ""  # added to every entry's description
    ages: tuple[int, int] | None = None  # the age range its seed gives for the people it serves

    def comuni(self) -> list[Comune]:
        found = [find_comune(name, province) for name, province in self.places]
        missing = [place for place, comune in zip(self.places, found, strict=True) if comune is None]
        assert not missing, f"not ISTAT comuni: {missing}"
        return [c for c in found if c is not None]


TERRITORIES = (
    Territory("asti-est", (("Asti", "AT"),),
              ("servizi-sociali", "neet", "over-50", "disabilita-l68", "svantaggiati-l381")),
    # The ALICE seed names no region for its PIT 2 area: its demo places are examples, chosen in
    # provinces no other project covers, and every entry says so.
    Territory("alice", (("Bologna", "BO"), ("Firenze", "FI"), ("Genova", "GE"), ("Bari", "BA"), ("Napoli", "NA")),
              # its seed: work grants for disadvantaged people aged 18-40 followed by the social services
              ("servizi-sociali", "svantaggiati-l381", "dipendenze", "giovani-16-29"), ages=(18, 40),
              note="Il luogo è solo un esempio: il progetto non indica in quale regione si trovi la sua area."),
    # Only the comuni each seed names as its area: Civitavecchia (WORK-IN), Paullo and Cesano Boscone (CIAO!).
    Territory("work-in", (("Civitavecchia", "RM"),),
              ("adi-sfl", "svantaggiati-l381", "servizi-sociali", "over-50")),
    Territory("ciao", (("Paullo", "MI"), ("Cesano Boscone", "MI")),
              ("donne-violenza", "giovani-16-29", "neet"), ended_on=date(2021, 12, 31)),
    Territory("vicenza", (("Vicenza", "VI"),),
              ("protezione-internazionale", "giovani-16-29", "servizi-sociali")),
)  # fmt: skip


@dataclass(frozen=True)
class OrgTemplate:
    name: str
    kind: str
    legal_form: str
    ateco: str
    headcount: str
    accreditations: tuple[str, ...] = ()
    profiles: str = ""  # what interns do there (empty: does not host interns)
    roles: tuple[str, ...] = ()


ORGANISATIONS = (
    OrgTemplate("Trattoria del Borgo", "company", "S.r.l.", "56.1", "10-49", (), "cucina, servizio in sala",
                ("in cucina", "nel servizio in sala")),
    OrgTemplate("Forno Aurora", "company", "S.n.c.", "10.7", "1-9", (), "panificazione, vendita al banco",
                ("nel laboratorio di panificazione", "nella vendita al banco")),
    OrgTemplate("Cooperativa sociale Il Ponte", "social_coop_b", "Società cooperativa sociale", "81.2", "50-249",
                ("albo_381",), "pulizie, cura del verde",
                ("nei servizi di pulizia", "nella cura del verde")),
    OrgTemplate("Cooperativa sociale Girasole", "social_coop_a", "Società cooperativa sociale", "88.1", "10-49",
                ("albo_381",), "nell'assistenza familiare", ("nell'assistenza familiare",)),
    OrgTemplate("Logistica Levante", "company", "S.r.l.", "52.1", "50-249", (), "magazzino, carico e scarico merci",
                ("in magazzino", "nel carico e scarico merci")),
    OrgTemplate("Market Buona Spesa", "company", "S.p.A.", "47.1", "50-249", (), "reparto alimentari, cassa",
                ("nel reparto alimentari", "alla cassa")),
    OrgTemplate("Officina Ruota Libera", "company", "S.r.l.s.", "95.3", "1-9", (), "in officina meccanica",
                ("in officina meccanica",)),
    OrgTemplate("Sartoria Filo Dritto", "company", "S.a.s.", "14.2", "1-9", (), "in sartoria",
                ("in sartoria",)),
    OrgTemplate("Centro di formazione Nuove Competenze", "training_body", "Associazione riconosciuta", "85.5",
                "10-49", ("formazione", "servizi_lavoro")),
    OrgTemplate("Associazione Porte Aperte", "third_sector", "Associazione di promozione sociale", "94.9", "1-9",
                ("runts",)),
)  # fmt: skip
TRAINING_BODY, ASSOCIATION = 8, 9

TASKS = {
    "in cucina": "preparazione delle verdure, cottura dei primi piatti, riordino della cucina",
    "nel servizio in sala": "accoglienza dei clienti, servizio ai tavoli, preparazione della sala",
    "nel laboratorio di panificazione": "impasto, formatura e cottura del pane, pulizia del laboratorio",
    "nella vendita al banco": "vendita al banco, confezionamento, cura dell'esposizione",
    "nei servizi di pulizia": "pulizia di uffici e spazi comuni, uso corretto dei prodotti, lavoro in squadra",
    "nella cura del verde": "sfalcio, potature leggere, cura delle aiuole e dei parchi",
    "nell'assistenza familiare": "aiuto nelle attività quotidiane di persone anziane, compagnia, piccole commissioni",
    "in magazzino": "ricevimento delle merci, preparazione degli ordini, inventario",
    "nel carico e scarico merci": "movimentazione delle merci, controllo delle bolle, ordine del magazzino",
    "nel reparto alimentari": "rifornimento degli scaffali, controllo delle scadenze, assistenza alla clientela",
    "alla cassa": "operazioni di cassa, relazione con il pubblico, chiusura della cassa",
    "in officina meccanica": "tagliandi, cambio gomme, piccole riparazioni",
    "in sartoria": "riparazioni, orli, stiro e preparazione dei capi",
}
ROLES = tuple(TASKS)
CCNL = {"56.1": "CCNL Turismo - Pubblici esercizi", "47.1": "CCNL Commercio e terziario",
        "52.1": "CCNL Logistica, trasporto merci e spedizione", "81.2": "CCNL Cooperative sociali",
        "10.7": "CCNL Panificazione", "95.3": "CCNL Metalmeccanica artigianato", "88.1": "CCNL Cooperative sociali",
        "14.2": "CCNL Tessile abbigliamento artigianato"}  # fmt: skip

COURSES = (  # (title, subject, hours, certificate, EQF, Italian reached)
    ("Italiano per il lavoro, livello A2", "lingua italiana", 100, "cils", None, "A2"),
    ("Italiano per la cittadinanza, livello B1", "lingua italiana", 120, "plida", None, "B1"),
    ("Igiene degli alimenti (HACCP)", "igiene alimentare", 12, "abilitazione", None, None),
    ("Sicurezza sul lavoro: formazione generale e specifica", "sicurezza sul lavoro", 12, "attestato_frequenza",
     None, None),
    ("Conduzione di carrelli elevatori", "logistica", 12, "abilitazione", None, None),
    ("Competenze digitali di base", "informatica", 40, "attestato_competenze", 2, None),
    ("Operatore socio-sanitario", "assistenza", 1000, "qualifica_regionale", 3, None),
    ("Assistente familiare", "assistenza", 200, "attestato_competenze", 2, None),
    ("Orientamento al lavoro e bilancio delle competenze", "orientamento", 16, "attestato_frequenza", None, None),
    ("Educazione finanziaria e gestione del bilancio familiare", "educazione finanziaria", 12, "attestato_frequenza",
     None, None),
    ("Cucina di base per la ristorazione", "cucina", 150, "attestato_competenze", 3, None),
    ("Cura del verde e giardinaggio", "giardinaggio", 80, "attestato_competenze", 2, None),
    ("Riparazioni sartoriali", "sartoria", 60, "attestato_frequenza", None, None),
    ("Scrivere il curriculum e prepararsi al colloquio", "orientamento", 8, "none", None, None),
)  # fmt: skip
# (timetable, hours per session, sessions per week): a course's sessions and weeks follow from its hours.
SCHEDULES = (("lunedì e mercoledì, 9:00-12:00", 3, 2), ("martedì e giovedì, 14:30-17:30", 3, 2),
             ("dal lunedì al venerdì, 9:00-13:00", 4, 5))  # fmt: skip
GOL_STARTED = date(2022, 1, 1)  # Garanzia di occupabilità dei lavoratori (PNRR): nothing earlier is GOL
EVENTS = (
    "Giornata di incontro con le imprese del territorio",
    "Laboratorio: il curriculum e il colloquio di lavoro",
    "Incontro informativo sui tirocini",
    "Sportello aperto: orientamento individuale",
    "Presentazione dei corsi di italiano",
    "Incontro sui diritti e i doveri nel lavoro",
    "Open day del centro di formazione",
    "Laboratorio di ricerca del lavoro online",
    "Incontro informativo: cercare casa in affitto",
    "Festa di fine corso e consegna degli attestati",
)


@dataclass
class DemoOrganisation:
    key: str  # "<tenant>:<template index>"
    tenant: str
    fields: dict[str, Any]
    roles: tuple[str, ...] = ()


@dataclass
class DemoEntry:
    tenant: str
    organisation: str  # DemoOrganisation.key
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


def fictitious_vat(number: int, office: str = "001") -> str:
    """A partita IVA with a valid check digit. Digits 8-10 are the tax office's code, the ISTAT
    code of its province (001 Torino, 005 Asti, 015 Milano, 024 Vicenza, 058 Roma)."""
    base = f"{number % 10_000_000 or 1:07d}{office}"
    return base + luhn.calc_check_digit(base)


def fictitious_fiscal_code(number: int, office: str = "001") -> str:
    """The 11-digit fiscal code of a non-profit body (they start with 9; digits 8-10 the office,
    as for a VAT number), with a valid check digit."""
    base = f"9{number % 1_000_000:06d}{office}"
    return base + luhn.calc_check_digit(base)


def organisations(territory: Territory, serial: int) -> list[DemoOrganisation]:
    comuni = territory.comuni()
    out = []
    for index, template in enumerate(ORGANISATIONS):
        comune = comuni[index % len(comuni)]
        number = serial * 100 + index + 1
        non_profit = template.kind in ("third_sector", "training_body")
        office = comune.code[:3]  # the province's ISTAT code
        vat = "" if non_profit else fictitious_vat(number, office)
        assert ateco.code(template.ateco), template.ateco
        out.append(DemoOrganisation(f"{territory.slug}:{index}", territory.slug, {
            "name": f"{template.name} – {comune.name}",
            "kind": template.kind, "legal_form": template.legal_form, "ateco_code": template.ateco,
            "headcount_band": template.headcount, "accreditations": list(template.accreditations),
            "vat_number": vat, "fiscal_code": fictitious_fiscal_code(number, office) if non_profit else vat,
            "comune": comune.name, "comune_code": comune.code, "province": comune.province,
            "hosts_interns": bool(template.profiles), "intern_places": 2 if template.profiles else 0,
            "intern_profiles": template.profiles,
            "description": f"{FICTITIOUS} Settore: {ateco.label(template.ateco, 'it')}.",
            "email": f"info.{territory.slug}.{index}@example.org",
        }, template.roles))  # fmt: skip
    return out


def _closing_days(rng: random.Random, territory: Territory, today: date, number: int) -> date:
    if territory.ended_on:  # a concluded project: everything closed before its end
        return territory.ended_on - timedelta(days=rng.randint(20, 480))
    if number % 7 == 3:  # about one in seven already closed (the archive)
        return today - timedelta(days=rng.randint(5, 90))
    return today + timedelta(days=rng.randint(10, 180))


def _allowance(territory_region: str | None, kind: str, hours: int, meals: bool, rng: random.Random) -> int:
    minimum = internships.minimum_allowance(territory_region, hours, meals).amount
    if kind in internships.WITH_REGIONAL_MINIMUM:
        return max(minimum, 500 if territory_region is None else 0) + 50 * rng.randint(0, 3)
    return 400 + 50 * rng.randint(0, 2)  # inclusion internships and work grants: a support, not a wage


OPPORTUNITY_PLAN = ("tirocinio_formativo",) * 5 + ("tirocinio_inserimento",) * 4 + ("tirocinio_inclusione",) * 4 + (
    "borsa_lavoro",) * 3 + ("lavoro",) * 3 + ("volontariato",)  # fmt: skip
TITLES = {
    "tirocinio_formativo": "Tirocinio formativo {role}",
    "tirocinio_inserimento": "Tirocinio di inserimento lavorativo {role}",
    "tirocinio_inclusione": "Tirocinio di inclusione sociale {role}",
    "borsa_lavoro": "Borsa lavoro {role}",
    "lavoro": "Offerta di lavoro {role}",
    "volontariato": "Volontariato nell'accoglienza",
}


YOUNG = frozenset({"neet", "giovani-16-29"})


def _groups(rng: random.Random, territory: Territory, count: int = 2) -> list[str]:
    """Target groups that can go together: never young people and people over 50 at once."""
    chosen = rng.sample(territory.targets, k=min(count, len(territory.targets)))
    if YOUNG & set(chosen) and "over-50" in chosen:
        chosen.remove("over-50")
    return sorted(chosen)


def _eligibility(rng: random.Random, territory: Territory, targets: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"target_groups": targets, "permit_accepted": True,
                            "access_route": rng.choice(["direct", "project", "cpi"])}  # fmt: skip
    if territory.ages:
        data.update(age_min=territory.ages[0], age_max=territory.ages[1])
    elif YOUNG & set(targets):
        data.update(age_min=18, age_max=29)
    elif "over-50" in targets:
        data["age_min"] = 50
    if territory.slug == "vicenza":
        data["italian_level"] = "A2"
    return data


def _opportunity_text(kind: str, org: DemoOrganisation, role: str, territory: Territory) -> str:
    tasks = TASKS.get(role, "accoglienza delle persone")
    if kind == "lavoro":
        lines = (f"{org.fields['name']} cerca una persona da assumere {role}: {tasks}.",
                 "Nelle prime settimane è previsto l'affiancamento di una persona esperta.")  # fmt: skip
    else:
        lines = (f"{org.fields['name']} offre un percorso {role}: {tasks}.",
                 "Durante il percorso la persona è affiancata da una figura tutor dell'organizzazione.")  # fmt: skip
    return " ".join(p for p in (*lines, territory.note, DEMO_ENTRY) if p)


def _course_calendar(hours: int, rng: random.Random) -> dict[str, Any]:
    timetable, per_session, per_week = rng.choice(SCHEDULES)
    sessions = -(-hours // per_session)
    return {"schedule": timetable, "sessions": sessions, "weeks": -(-sessions // per_week)}


def opportunities(
    territory: Territory, orgs: list[DemoOrganisation], today: date, rng: random.Random
) -> list[DemoEntry]:
    hosts = [o for o in orgs if o.roles]
    out = []
    for number, kind in enumerate(OPPORTUNITY_PLAN):
        org = hosts[number % len(hosts)]
        role = org.roles[number % len(org.roles)]
        comune = find_comune(org.fields["comune"], org.fields["province"])
        assert comune is not None
        region = comune.region if territory.slug != "alice" else None
        hours = rng.choice([20, 25, 30, 36]) if kind != "volontariato" else 6
        meals = org.fields["ateco_code"] == "56.1"
        targets = _groups(rng, territory)
        fields: dict[str, Any] = {
            "title": f"{TITLES[kind].format(role=role)} – {comune.name}",
            "opportunity_type": kind, "comune": comune.name, "comune_code": comune.code, "province": comune.province,
            "description": _opportunity_text(kind, org, role, territory),
            "how_to_apply": "Scrivere all'indirizzo dell'organizzazione indicando il titolo della scheda, oppure "
                            "chiedere un appuntamento al personale del progetto.",
            "places": rng.randint(1, 3), "hours_per_week": hours, "deadline": _closing_days(rng, territory, today, number),
            **_eligibility(rng, territory, targets),
        }  # fmt: skip
        if kind in internships.INTERNSHIPS:
            months = 12 if kind == "tirocinio_inclusione" else rng.choice([3, 4, 6])
            fields.update(promoter=orgs[TRAINING_BODY].fields["name"], duration_months=months, meal_vouchers=meals,
                          monthly_allowance=_allowance(region, kind, hours, meals, rng),
                          allowance_paid_by="social_services" if kind == "tirocinio_inclusione" else "host",
                          did_required=kind == "tirocinio_inserimento")  # fmt: skip
            if kind == "tirocinio_inclusione":
                fields["target_groups"] = sorted({*targets, "servizi-sociali"})
        elif kind == "borsa_lavoro":
            fields.update(duration_months=6, monthly_allowance=_allowance(region, kind, hours, False, rng),
                          allowance_paid_by="project" if territory.slug == "alice" else "programme",
                          promoter=orgs[TRAINING_BODY].fields["name"])  # fmt: skip
        elif kind == "lavoro":
            contract = ("determinato", "apprendistato", "indeterminato")[number % 3]
            fields.update(contract_type=contract, ccnl=CCNL.get(org.fields["ateco_code"], "CCNL Commercio e terziario"),
                          monthly_allowance=1100 + 100 * rng.randint(0, 5), l68_reserved=number % 3 == 0,
                          programme="gol" if number % 2 and fields["deadline"] >= GOL_STARTED else None)  # fmt: skip
            if fields["l68_reserved"]:
                fields["target_groups"] = sorted({*targets, "disabilita-l68"})
        else:
            org = orgs[ASSOCIATION]
            fields.update(duration_months=6, description=(
                f"{org.fields['name']} cerca persone volontarie per l'accoglienza allo sportello: ascolto, "
                f"informazioni, aiuto con i moduli. {territory.note} {DEMO_ENTRY}").replace("  ", " "))  # fmt: skip
        out.append(DemoEntry(territory.slug, org.key, "opportunity", fields))
    return out


def courses(territory: Territory, orgs: list[DemoOrganisation], today: date, rng: random.Random) -> list[DemoEntry]:
    school = orgs[TRAINING_BODY]
    comune = find_comune(school.fields["comune"], school.fields["province"])
    assert comune is not None
    out = []
    for number, (title, subject, hours, certificate, eqf, reached) in enumerate(COURSES):
        closes = _closing_days(rng, territory, today, number + 1)
        calendar = _course_calendar(hours, rng)
        fields = {
            "title": f"{title} – {comune.name}", "subject_area": subject, "comune": comune.name,
            "comune_code": comune.code, "province": comune.province,
            "description": f"Corso di {subject} di {hours} ore in {calendar['sessions']} incontri. {territory.note} "
                           f"{DEMO_ENTRY}".replace("  ", " "),
            "enrolment_deadline": closes, "start_date": closes + timedelta(days=10),
            "end_date": closes + timedelta(days=10 + 7 * calendar["weeks"] - 3), "total_hours": hours,
            "sessions": calendar["sessions"], "schedule": calendar["schedule"],
            "is_free": True, "seats": rng.choice([12, 15, 20]), "certificate": certificate, "eqf_level": eqf,
            "italian_level_reached": reached, "languages": ["it"],
            "eligibility": "Persone maggiorenni; per i corsi di italiano si fa prima un breve test di livello.",
            **_eligibility(rng, territory, _groups(rng, territory, 1)),
        }  # fmt: skip
        if reached:  # an Italian course asks for the level below the one it leads to
            below = CEFR_LEVELS.index(reached) - 1
            fields["italian_level"] = CEFR_LEVELS[below] if below >= 0 else None
        if certificate == "qualifica_regionale":
            fields.update(qualification="Licenza media", age_min=18, did_required=True)
        out.append(DemoEntry(territory.slug, school.key, "training", fields))
    return out


def events(territory: Territory, orgs: list[DemoOrganisation], today: date, rng: random.Random) -> list[DemoEntry]:
    from portal.timezone import rome_to_utc

    out = []
    for number, title in enumerate(EVENTS):
        org = orgs[(TRAINING_BODY, ASSOCIATION)[number % 2]]
        comune = find_comune(org.fields["comune"], org.fields["province"])
        assert comune is not None
        day = _closing_days(rng, territory, today, number + 2)
        starts = rome_to_utc(datetime.combine(day, time(rng.choice([10, 15, 17]))))
        out.append(DemoEntry(territory.slug, org.key, "event", {
            "title": f"{title} – {comune.name}", "comune": comune.name, "comune_code": comune.code,
            "province": comune.province, "venue": org.fields["name"],
            "description": f"Incontro aperto e gratuito. {territory.note} {DEMO_ENTRY}".replace("  ", " "),
            "starts_at": starts, "ends_at": starts + timedelta(hours=2), "is_free": True,
            "capacity": rng.choice([20, 30, 50]), "how_to_register": "Iscrizione libera fino a esaurimento posti.",
            "target_groups": _groups(rng, territory, 1),
        }))  # fmt: skip
    return out


def network(today: date, seed: int = 2026) -> tuple[list[DemoOrganisation], list[DemoEntry]]:
    """Every project's demo organisations and entries (deterministic for a given day and seed)."""
    rng = random.Random(seed)
    all_orgs: list[DemoOrganisation] = []
    all_entries: list[DemoEntry] = []
    for serial, territory in enumerate(TERRITORIES, start=1):
        orgs = organisations(territory, serial)
        all_orgs += orgs
        all_entries += opportunities(territory, orgs, today, rng)
        all_entries += courses(territory, orgs, today, rng)
        all_entries += events(territory, orgs, today, rng)
    return all_orgs, all_entries


def synthetic_entry(rng: random.Random, sentences: list[str], number: int, today: date) -> dict[str, Any]:
    """One more entry in the style of the demo network, for benchmarks (bulk-inserted, so flat)."""
    territory = rng.choice(TERRITORIES)
    comune = rng.choice(territory.comuni())
    role = rng.choice(ROLES)
    kind = rng.choice(["opportunity", "opportunity", "training", "event"])
    closes = today + timedelta(days=rng.randint(-60, 120))
    item: dict[str, Any] = {"kind": kind, "comune": comune.name, "comune_code": comune.code,
                            "province": comune.province, "closes_on": closes,
                            "target_groups": _groups(rng, territory)}  # fmt: skip
    body = " ".join(rng.sample(sentences, k=min(3, len(sentences))))
    if kind == "opportunity":
        opportunity_type = rng.choice(OPPORTUNITY_PLAN)
        item.update(title=f"{TITLES[opportunity_type].format(role=role)} – {comune.name}",
                    opportunity_type=opportunity_type, deadline=closes)  # fmt: skip
    elif kind == "training":
        course = rng.choice(COURSES)
        item.update(title=f"{course[0]} – {comune.name}", subject_area=course[1], total_hours=course[2])
    else:
        item.update(title=f"{rng.choice(EVENTS)} – {comune.name}")
    item["description"] = f"{body} Attività: {TASKS[role]}. Rif. {number}."
    return item


def corpus_sentences(tenants_dir: Path) -> list[str]:
    """Italian sentences from the projects' own pages, to give synthetic text a real vocabulary."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(tenants_dir.glob("*/pages/*.it.md")))
    text = re.sub(r"\+\+\+.*?\+\+\+|[#*\[\]()]|https?://\S+", " ", text, flags=re.S)
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+", text) if 40 < len(s.strip()) < 300]
