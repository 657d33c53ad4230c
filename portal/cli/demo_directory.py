"""Demo directory: believable organisations and offers for each project (fictional
companies beside the projects' real partners), plus a synthetic generator for benchmarks."""
from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from stdnum import luhn


# (tenant, name, kind, legal form, ATECO, comune, province, hosts interns, description)
ORGANISATIONS = [
    ("asti-est", "In.coop.casa", "cooperative", "Società cooperativa", "L", "Asti", "AT", False,
     "Cooperativa di abitazione, capofila del partenariato di accompagnamento sociale di Asti Est."),
    ("asti-est", "Cooperativa La Strada", "cooperative", "Cooperativa sociale", "Q", "Asti", "AT", True,
     "Cooperativa sociale che cura orientamento, colloqui individuali e accompagnamento al lavoro."),
    ("asti-est", "Officina Meccanica Tanaro", "company", "S.r.l.", "C", "Asti", "AT", True,
     "Piccola officina di manutenzione industriale: accoglie tirocinanti nel reparto montaggio."),
    ("asti-est", "Panificio San Secondo", "company", "S.n.c.", "C", "Asti", "AT", True,
     "Forno artigianale del quartiere, produzione di pane e grissini."),
    ("alice", "Cooperativa Sociale Orizzonti del PIT", "cooperative", "Cooperativa sociale di tipo B", "N", "Potenza", "PZ", True,
     "Servizi di pulizia e manutenzione del verde affidati dai Comuni dell'area; inserimento lavorativo."),
    ("alice", "Ristorante Il Borgo Antico", "company", "S.r.l.", "I", "Potenza", "PZ", True,
     "Ristorazione tradizionale: disponibile ad accogliere tirocinanti in cucina e in sala."),
    ("alice", "Laboratorio territoriale di orientamento di Avigliano", "public_body", "Servizio comunale", "O", "Avigliano", "PZ", False,
     "Uno dei quattro laboratori di ALICE: colloqui, bilancio delle competenze, counselling."),
    ("work-in", "Cooperativa Sociale Alicenova", "cooperative", "Cooperativa sociale", "Q", "Civitavecchia", "RM", False,
     "Capofila dell'ATS che realizza WORK-IN; tutoraggio dei tirocinanti e rapporti con le aziende."),
    ("work-in", "Cooperativa Sociale Il Cammino", "cooperative", "Cooperativa sociale", "Q", "Civitavecchia", "RM", False,
     "Partner dell'ATS di WORK-IN: orientamento e bilancio delle competenze."),
    ("work-in", "Logistica Portuale Tirrenica", "company", "S.p.A.", "H", "Civitavecchia", "RM", True,
     "Movimentazione merci nel porto di Civitavecchia: magazzino, inventario, carico e scarico."),
    ("work-in", "Hotel Marina Traiana", "company", "S.r.l.", "I", "Civitavecchia", "RM", True,
     "Albergo sul lungomare con ristorante: accoglienza, piani, cucina."),
    ("ciao", "A.S.S.E.MI. – Azienda Sociale Sud Est Milano", "public_body", "Azienda speciale consortile", "Q", "San Donato Milanese", "MI", False,
     "Ente capofila di CIAO!: servizio sociale professionale e contrasto alla povertà nel Sud-est Milano."),
    ("ciao", "AFOL Metropolitana", "public_body", "Azienda speciale", "P", "Milano", "MI", False,
     "Agenzia metropolitana per la formazione, l'orientamento e il lavoro."),
    ("ciao", "Sartoria Sociale Melograno", "cooperative", "Cooperativa sociale", "C", "Corsico", "MI", True,
     "Laboratorio di sartoria che forma donne in uscita da situazioni di fragilità."),
    ("ciao", "Supermercati Lambro", "company", "S.r.l.", "G", "San Giuliano Milanese", "MI", True,
     "Catena di supermercati di quartiere: reparti, cassa, magazzino."),
    ("vicenza", "Sportello Lavoro Autonomia Vicenza", "association", "Associazione", "S", "Vicenza", "VI", False,
     "Sportello di orientamento al lavoro per rifugiati: curriculum, riconoscimento dei titoli, ricerca di lavoro."),
    ("vicenza", "Conceria Agno Pelli", "company", "S.p.A.", "C", "Arzignano", "VI", True,
     "Conceria del distretto di Arzignano: operai di rifinizione e magazzino."),
    ("vicenza", "Cooperativa Edile Berica", "cooperative", "Cooperativa di produzione e lavoro", "F", "Vicenza", "VI", True,
     "Ristrutturazioni e manutenzioni edili; cerca manovali e apprendisti."),
]

# (tenant, organisation, kind, title, comune, province, days until it closes (negative: archived), extra)
ENTRIES = [
    ("asti-est", "Officina Meccanica Tanaro", "opportunity", "Tirocinio di inclusione sociale in officina meccanica", "Asti", "AT", 30,
     {"opportunity_type": "tirocinio_inclusione", "duration": "6 mesi", "hours": "25 ore settimanali", "allowance": "500 € al mese",
      "places": 2, "target_groups": ["sostegno-reddito", "disoccupati-lunga-durata"],
      "description": "Affiancamento ai manutentori nel montaggio e nella manutenzione di macchinari. Il tirocinio è seguito da un tutor del progetto Asti Est.",
      "requirements": "Interesse per il lavoro manuale; non serve esperienza.", "how_to_apply": "Fissa un colloquio allo sportello di Asti Est."}),
    ("asti-est", "Panificio San Secondo", "opportunity", "Tirocinio extracurricolare come aiuto panettiere", "Asti", "AT", 20,
     {"opportunity_type": "tirocinio_extracurricolare", "duration": "4 mesi", "hours": "dalle 4 alle 10", "allowance": "450 € al mese",
      "places": 1, "target_groups": ["giovani"], "description": "Impasto, cottura e confezionamento di pane e grissini nel forno del quartiere.",
      "how_to_apply": "Invia il curriculum allo sportello di Asti Est o passa il martedì pomeriggio."}),
    ("asti-est", "Cooperativa La Strada", "event", "Incontro: scrivere il curriculum e prepararsi al colloquio", "Asti", "AT", 12,
     {"venue": "Sala di quartiere, Asti Est", "capacity": 25, "is_free": True, "target_groups": ["disoccupati-lunga-durata", "over-50"],
      "description": "Un pomeriggio pratico per scrivere il curriculum, la lettera di presentazione e simulare un colloquio.",
      "how_to_register": "Iscrizione libera allo sportello."}),
    ("asti-est", "Cooperativa La Strada", "training", "Corso di sicurezza sul lavoro (base)", "Asti", "AT", -15,
     {"subject_area": "Sicurezza", "total_hours": 8, "is_free": True, "schedule": "due mattine", "seats": 20,
      "description": "Formazione generale sulla sicurezza nei luoghi di lavoro, con attestato valido per i tirocini."}),
    ("alice", "Cooperativa Sociale Orizzonti del PIT", "opportunity", "Borsa lavoro nella manutenzione del verde pubblico", "Potenza", "PZ", 25,
     {"opportunity_type": "borsa_lavoro", "duration": "6 mesi", "hours": "20 ore settimanali", "allowance": "600 € al mese", "places": 4,
      "target_groups": ["detenuti", "giovani", "donne"],
      "description": "Borsa lavoro del progetto ALICE per persone tra i 18 e i 40 anni seguite dai servizi sociali: cura di parchi e aiuole comunali.",
      "how_to_apply": "Su segnalazione dei servizi sociali del Comune di residenza."}),
    ("alice", "Ristorante Il Borgo Antico", "opportunity", "Tirocinio formativo in cucina", "Potenza", "PZ", 40,
     {"opportunity_type": "tirocinio_extracurricolare", "duration": "3 mesi", "allowance": "500 € al mese", "places": 1,
      "target_groups": ["giovani"], "description": "Preparazione dei piatti della tradizione lucana con lo chef, igiene e ordine della cucina.",
      "how_to_apply": "Chiedi al laboratorio di orientamento più vicino."}),
    ("alice", "Laboratorio territoriale di orientamento di Avigliano", "training", "Laboratorio di orientamento e bilancio delle competenze", "Avigliano", "PZ", 18,
     {"subject_area": "Orientamento", "total_hours": 24, "is_free": True, "schedule": "martedì e giovedì 15-18", "seats": 15,
      "target_groups": ["giovani", "donne"], "description": "Percorso in piccolo gruppo per riconoscere le proprie competenze e costruire un piano di inserimento lavorativo."}),
    ("work-in", "Logistica Portuale Tirrenica", "opportunity", "Tirocinio di inclusione come addetto di magazzino", "Civitavecchia", "RM", 35,
     {"opportunity_type": "tirocinio_inclusione", "duration": "6 mesi", "hours": "30 ore settimanali", "allowance": "600 € al mese",
      "places": 3, "target_groups": ["sostegno-reddito"],
      "description": "Ricevimento merci, inventario e preparazione delle spedizioni nel porto. Tutoraggio delle cooperative Alicenova e Il Cammino.",
      "requirements": "Disponibilità a turni diurni.", "how_to_apply": "Tramite l'assistente sociale che ti segue."}),
    ("work-in", "Hotel Marina Traiana", "opportunity", "Tirocinio extracurricolare come addetto ai piani", "Civitavecchia", "RM", 28,
     {"opportunity_type": "tirocinio_extracurricolare", "duration": "5 mesi", "allowance": "550 € al mese", "places": 2,
      "target_groups": ["sostegno-reddito", "donne"], "description": "Riassetto delle camere e della biancheria in un albergo sul lungomare.",
      "how_to_apply": "Colloquio di orientamento con gli operatori di WORK-IN."}),
    ("work-in", "Cooperativa Sociale Alicenova", "event", "Giornata di incontro tra imprese e tirocinanti", "Civitavecchia", "RM", 9,
     {"venue": "Aula consiliare, Civitavecchia", "capacity": 80, "is_free": True, "target_groups": ["sostegno-reddito"],
      "description": "Le aziende del territorio presentano i tirocini; gli operatori spiegano contratti e incentivi per chi assume.",
      "how_to_register": "Scrivi a workin@crocevia.example."}),
    ("ciao", "Sartoria Sociale Melograno", "training", "Laboratorio di sartoria per donne", "Corsico", "MI", 21,
     {"subject_area": "Sartoria", "total_hours": 120, "is_free": True, "schedule": "lunedì, mercoledì e venerdì 9-13", "seats": 10,
      "target_groups": ["donne"], "languages": ["it", "ar", "fr"],
      "description": "Cucito, riparazioni e piccola produzione in un laboratorio che forma donne in uscita da situazioni di fragilità."}),
    ("ciao", "Supermercati Lambro", "opportunity", "Tirocinio come addetto al reparto ortofrutta", "San Giuliano Milanese", "MI", 33,
     {"opportunity_type": "tirocinio_extracurricolare", "duration": "6 mesi", "allowance": "600 € al mese", "places": 2,
      "target_groups": ["giovani", "donne"], "description": "Allestimento del reparto, rotazione della merce e servizio ai clienti.",
      "how_to_apply": "Tramite l'équipe di CIAO! del tuo ambito."}),
    ("ciao", "AFOL Metropolitana", "event", "Comunità di pratica: inclusione e lavoro nel Sud-est Milano", "San Donato Milanese", "MI", 14,
     {"venue": "Sede A.S.S.E.MI.", "capacity": 60, "is_free": True, "description": "Incontro di operatori pubblici e del terzo settore sui percorsi di capacitazione."}),
    ("ciao", "AFOL Metropolitana", "opportunity", "Volontariato nell'accoglienza del centro per l'impiego", "Milano", "MI", -3,
     {"opportunity_type": "volontariato", "duration": "3 mesi", "target_groups": ["giovani"],
      "description": "Aiuto all'accoglienza delle persone che arrivano al centro per l'impiego.", "how_to_apply": "Iscrizioni chiuse."}),
    ("vicenza", "Sportello Lavoro Autonomia Vicenza", "training", "Italiano per il lavoro", "Vicenza", "VI", 26,
     {"subject_area": "Lingua italiana", "total_hours": 60, "is_free": True, "schedule": "sabato mattina", "seats": 18,
      "target_groups": ["rifugiati", "migranti"], "languages": ["it", "en", "fr"],
      "description": "Il lessico dei mestieri più richiesti, i canali per cercare lavoro e la preparazione al colloquio di selezione."}),
    ("vicenza", "Conceria Agno Pelli", "opportunity", "Offerta di lavoro: operaio addetto alla rifinizione", "Arzignano", "VI", 45,
     {"opportunity_type": "lavoro", "duration": "tempo determinato 12 mesi", "hours": "tempo pieno su turni", "places": 3,
      "target_groups": ["rifugiati", "migranti"], "description": "Rifinizione e controllo qualità delle pelli conciate.",
      "requirements": "Italiano di base; disponibilità a turni.", "how_to_apply": "Prenota un colloquio allo sportello lavoro."}),
    ("vicenza", "Cooperativa Edile Berica", "opportunity", "Tirocinio come manovale edile", "Vicenza", "VI", 30,
     {"opportunity_type": "tirocinio_extracurricolare", "duration": "6 mesi", "allowance": "500 € al mese", "places": 2,
      "target_groups": ["rifugiati"], "description": "Supporto alle squadre nei cantieri di ristrutturazione, con corso sicurezza incluso.",
      "how_to_apply": "Tramite lo sportello di orientamento al lavoro."}),
    ("vicenza", "Sportello Lavoro Autonomia Vicenza", "event", "Riconoscimento dei titoli di studio: sportello aperto", "Vicenza", "VI", 7,
     {"venue": "Sportello di orientamento, Vicenza", "capacity": 30, "is_free": True, "target_groups": ["rifugiati", "migranti"],
      "description": "Consulenze individuali per avviare il riconoscimento di diplomi e lauree ottenuti all'estero."}),
]


def valid_vat(seed: int) -> str:
    """A checksum-valid partita IVA (fictional: a demo company's)."""
    base = f"{seed % 10_000_000 or 1:07d}" + "005"  # digits 8-10: province office code
    return base + luhn.calc_check_digit(base)


def entry_dates(kind: str, closes: date) -> dict:
    if kind == "opportunity":
        return {"deadline": closes}
    if kind == "training":
        return {"enrolment_deadline": closes, "start_date": closes + timedelta(days=7),
                "end_date": closes + timedelta(days=60)}
    start = datetime(closes.year, closes.month, closes.day, 15, 0, tzinfo=UTC)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


# --- synthetic data for benchmarks ------------------------------------------------

COMUNI = [("Asti", "AT"), ("Nizza Monferrato", "AT"), ("Canelli", "AT"), ("Alessandria", "AL"), ("Casale Monferrato", "AL"),
          ("Torino", "TO"), ("Potenza", "PZ"), ("Avigliano", "PZ"), ("Melfi", "PZ"), ("Matera", "MT"),
          ("Civitavecchia", "RM"), ("Santa Marinella", "RM"), ("Tolfa", "RM"), ("Allumiere", "RM"), ("Roma", "RM"),
          ("Viterbo", "VT"), ("Tarquinia", "VT"), ("Milano", "MI"), ("San Donato Milanese", "MI"), ("Corsico", "MI"),
          ("Paullo", "MI"), ("Peschiera Borromeo", "MI"), ("Rozzano", "MI"), ("Vicenza", "VI"), ("Arzignano", "VI"),
          ("Bassano del Grappa", "VI"), ("Schio", "VI"), ("Thiene", "VI"), ("Padova", "PD"), ("Verona", "VR"),
          ("Bologna", "BO"), ("Firenze", "FI"), ("Napoli", "NA"), ("Bari", "BA"), ("Palermo", "PA"), ("Genova", "GE")]
ROLES = ["addetto di magazzino", "aiuto cuoco", "cameriere di sala", "operaio metalmeccanico", "saldatore", "elettricista",
         "idraulico", "giardiniere", "manutentore del verde", "addetto alle pulizie", "assistente familiare", "badante",
         "operatore socio-sanitario", "educatore", "mediatore culturale", "sarta", "panettiere", "pasticcere", "barista",
         "commesso", "cassiere", "magazziniere", "autista", "carrellista", "muratore", "imbianchino", "falegname",
         "tecnico informatico", "segretario", "receptionist", "addetto ai piani", "lavapiatti", "bracciante agricolo",
         "viticoltore", "operatore di call center", "impiegato amministrativo", "contabile", "grafico", "fotografo",
         "meccanico", "carrozziere", "gommista", "tappezziere", "conciatore", "calzolaio", "parrucchiere", "estetista",
         "animatore", "bibliotecario", "custode", "portiere", "addetto alla logistica", "operatore ecologico"]
ACTIVITIES = ["accoglienza dei clienti", "preparazione degli ordini", "controllo della qualità", "gestione dell'inventario",
              "cura degli spazi verdi", "assistenza alle persone anziane", "riparazioni e manutenzioni",
              "confezionamento dei prodotti", "servizio ai tavoli", "pulizia degli ambienti", "tenuta dei registri",
              "uso del computer e della posta elettronica", "relazione con il pubblico", "lavoro di squadra",
              "sicurezza sul lavoro", "cucina tradizionale", "vendita al banco", "riordino del magazzino"]
SUBJECTS = ["informatica di base", "lingua italiana", "lingua inglese", "sicurezza sul lavoro", "HACCP e igiene alimentare",
            "contabilità", "saldatura", "sartoria", "cucina", "pasticceria", "giardinaggio", "assistenza familiare",
            "educazione finanziaria", "orientamento al lavoro", "competenze digitali", "patente del muletto"]


def corpus_sentences(tenants_dir: Path) -> list[str]:
    """Italian sentences from the projects' own pages, to give synthetic text a real vocabulary."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(tenants_dir.glob("*/pages/*.it.md")))
    text = re.sub(r"\+\+\+.*?\+\+\+|[#*\[\]()]|https?://\S+", " ", text, flags=re.S)
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+", text) if 40 < len(s.strip()) < 300]


def synthetic_entry(rng: random.Random, sentences: list[str], number: int) -> dict:
    kind = rng.choice(["opportunity", "opportunity", "training", "event"])
    comune, province = rng.choice(COMUNI)
    role = rng.choice(ROLES)
    if kind == "opportunity":
        title = f"{rng.choice(['Tirocinio come', 'Tirocinio di inclusione:', 'Offerta di lavoro:', 'Borsa lavoro:'])} {role} a {comune}"
    elif kind == "training":
        title = f"Corso di {rng.choice(SUBJECTS)} a {comune}"
    else:
        title = f"{rng.choice(['Incontro', 'Laboratorio', 'Giornata', 'Presentazione'])} su {rng.choice(ACTIVITIES)} a {comune}"
    body = " ".join(rng.sample(sentences, k=min(3, len(sentences))))
    body += f" Attività: {', '.join(rng.sample(ACTIVITIES, 3))}. Rif. {number}."
    return {"kind": kind, "title": title, "description": body, "comune": comune, "province": province,
            "closes_in": rng.randint(-60, 120)}
