"""Demo news for each space. Each item restates only what the project's own text says (its seed
in ../shared/seeds/), in the tense the seed allows (planned actions as planned, the concluded
CIAO! in the past and dated within its period), and ends by saying it is a demo item: no
opening hours, venues, counts or openings are invented.

Each entry: (when: days ago, or the publication date; slug, language, title, summary, Markdown body).
"""

from datetime import date

DEMO = "\n\n*Notizia dimostrativa, pubblicata con i dati di prova del portale.*"
DEMO_EN = "\n\n*Demo news item, published with the portal's sample data.*"

DEMO_NEWS: dict[str, list[tuple[int | date, str, str, str, str, str]]] = {
    "asti-est": [
        (
            3,
            "accompagnamento-sociale-asti-est",
            "it",
            "Che cosa prevede l'accompagnamento sociale",
            "Il programma per la zona est di Asti unisce alloggi, servizi e percorsi verso il lavoro.",
            "Il piano di accompagnamento sociale, all'interno del piano periferie, è pensato per chi abita nella "
            "**zona est di Asti**. Prevede percorsi individuali di orientamento e, dove utile, l'inserimento in "
            "tirocinio." + DEMO,
        ),
    ],
    "alice": [
        (
            2,
            "laboratori-orientamento-previsti",
            "it",
            "I laboratori di orientamento previsti dal progetto",
            "Colloqui, bilancio delle competenze e counselling nei laboratori territoriali.",
            "Il progetto prevede **laboratori territoriali di orientamento**, con colloqui individuali, bilancio "
            "delle competenze e counselling. Le sedi dei laboratori sono ancora da individuare." + DEMO,
        ),
        (
            20,
            "anagrafe-imprese",
            "it",
            "L'anagrafe delle imprese disponibili ad accogliere tirocini",
            "Uno degli strumenti previsti da ALICE per l'incrocio tra domanda e offerta di lavoro.",
            "Tra le azioni del progetto c'è un'**anagrafe delle imprese** disponibili ad accogliere persone in "
            "tirocinio, parte di un sistema federato di incrocio tra domanda e offerta." + DEMO,
        ),
    ],
    "work-in": [
        (
            4,
            "tirocini-di-inclusione-work-in",
            "it",
            "I tirocini di inclusione di WORK-IN",
            "Percorsi personalizzati nel Distretto 1 RM 4, con capofila il Comune di Civitavecchia.",
            "WORK-IN propone **tirocini di inclusione sociale** e percorsi personalizzati. Il progetto si rivolgeva "
            "alle persone beneficiarie del Reddito di cittadinanza, che è stato sostituito dal Supporto per la formazione "
            "e il lavoro (SFL, da settembre 2023) e dall'Assegno di inclusione (ADI, dal 2024)." + DEMO,
        ),
        (
            30,
            "work-in-english-summary",
            "en",
            "WORK-IN in brief, in English",
            "A short English summary of the project.",
            "WORK-IN offers inclusion internships and personal plans in District 1 RM 4, led by the Municipality of "
            "Civitavecchia. It was designed for recipients of the Reddito di cittadinanza, since replaced by the SFL "
            "(from September 2023) and the ADI (from 2024)." + DEMO_EN,
        ),
    ],
    "ciao": [
        (
            date(2021, 3, 15),
            "percorsi-di-capacitazione",
            "it",
            "I percorsi di capacitazione per donne e giovani",
            "Il progetto, concluso nel dicembre 2021, ha proposto percorsi per donne e giovani in condizione di "
            "vulnerabilità.",
            "CIAO! si è svolto dal 16 luglio 2020 al 31 dicembre 2021 nell'ambito Sud-est Milano. Ha proposto "
            "**percorsi di capacitazione** per donne e giovani in condizione di vulnerabilità." + DEMO,
        ),
        (
            date(2021, 10, 5),
            "comunita-di-pratica",
            "it",
            "La comunità di pratica tra i partner",
            "Operatrici e operatori pubblici e del terzo settore a confronto sui percorsi di inclusione.",
            "Tra le azioni del progetto c'è stata una **comunità di pratica** tra i partner pubblici e del terzo "
            "settore, per condividere strumenti e modi di lavorare." + DEMO,
        ),
    ],
    "vicenza": [
        (
            6,
            "sportello-orientamento-lavoro",
            "it",
            "Lo sportello di orientamento al lavoro",
            "Informazioni sulla formazione, curriculum e ricerca di offerte di lavoro.",
            "Presso lo **sportello di orientamento al lavoro** le persone accolte possono ricevere informazioni sulle "
            "opportunità formative, un aiuto per scrivere o aggiornare il curriculum e per cercare offerte di "
            "lavoro." + DEMO,
        ),
        (
            25,
            "riconoscimento-titoli-di-studio",
            "it",
            "Riconoscimento dei titoli di studio",
            "Assistenza per avviare la procedura di riconoscimento dei titoli ottenuti all'estero.",
            "Lo sportello offre assistenza per avviare la procedura di **riconoscimento dei titoli di studio** "
            "conseguiti nei Paesi di origine." + DEMO,
        ),
    ],
}
