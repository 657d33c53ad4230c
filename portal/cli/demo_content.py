"""Demo news for each space: fictional but consistent with each project's activities.

Each entry: (days ago, slug, language, title, summary, Markdown body).
"""

DEMO_NEWS = {
    "asti-est": [
        (
            3,
            "sportello-curriculum-asti-est",
            "it",
            "Sportello curriculum: il martedì pomeriggio",
            "Aiuto gratuito per scrivere il curriculum e prepararsi ai colloqui.",
            "Ogni **martedì dalle 14 alle 17** gli operatori del progetto aiutano chi abita ad Asti Est a scrivere "
            "o aggiornare il curriculum, a preparare una lettera di presentazione e a simulare un colloquio.\n\n"
            "Non serve prenotare: porta, se li hai, i documenti dei lavori e dei corsi fatti.",
        ),
        (
            12,
            "gruppo-incontro-novembre",
            "it",
            "Gruppo di incontro: raccontare la propria esperienza",
            "Un pomeriggio per conoscersi e scambiare esperienze di ricerca del lavoro.",
            "Il gruppo si incontra una volta al mese. È un momento per conoscere altre persone del quartiere, "
            "raccontare come sta andando la propria ricerca e trovare nuove idee insieme.",
        ),
    ],
    "alice": [
        (
            2,
            "laboratori-orientamento-aperti",
            "it",
            "Aperti i quattro laboratori di orientamento",
            "Colloqui, bilancio delle competenze e counselling nelle sedi comunali dell'area PIT 2.",
            "I quattro **laboratori territoriali di orientamento** sono aperti nelle sedi comunali dei servizi "
            "per il lavoro. Si accede su appuntamento o su invio dei servizi sociali.",
        ),
        (
            20,
            "anagrafe-imprese-nuove-adesioni",
            "it",
            "Anagrafe delle imprese: dodici nuove adesioni",
            "Altre imprese del territorio si rendono disponibili ad accogliere tirocinanti.",
            "Dodici nuove imprese hanno aderito all'**anagrafe delle imprese** di ALICE: artigiani, cooperative, "
            "commercio e ristorazione. Le imprese interessate possono scrivere al progetto.",
        ),
    ],
    "work-in": [
        (
            4,
            "nuovi-tirocini-civitavecchia",
            "it",
            "Nuovi tirocini di inclusione a Civitavecchia",
            "Cinque aziende del porto e del commercio accolgono tirocinanti del progetto.",
            "Sono partiti cinque **tirocini di inclusione sociale** in aziende della logistica portuale, della "
            "ristorazione e del commercio. Ogni tirocinante è seguito da un tutor del progetto e da un tutor aziendale.",
        ),
        (
            15,
            "incontro-imprese-incentivi",
            "it",
            "Incontro con le imprese: incentivi per chi assume",
            "Gli operatori spiegano contratti e incentivi alle aziende che ospitano tirocinanti.",
            "Un incontro dedicato alle aziende del territorio: come si attiva un tirocinio, quali incentivi sono "
            "previsti dalla legge per chi assume al termine del percorso.",
        ),
        (
            30,
            "work-in-english-summary",
            "en",
            "WORK-IN in brief, in English",
            "A short English summary of the project for partners and residents.",
            "WORK-IN helps people on income support in Civitavecchia find work through personal plans and internships.",
        ),
    ],
    "ciao": [
        (
            5,
            "laboratori-capacitazione-donne",
            "it",
            "Laboratori di capacitazione per donne",
            "Percorsi in piccolo gruppo per riconoscere i propri talenti e prepararsi al lavoro.",
            "Partono nuovi **gruppi di capacitazione** per donne: otto incontri per lavorare su competenze, "
            "fiducia in sé e ricerca del lavoro. Le attività si svolgono a San Donato Milanese e a Corsico.",
        ),
        (
            18,
            "comunita-di-pratica-incontro",
            "it",
            "La comunità di pratica si incontra",
            "Operatori pubblici e del terzo settore a confronto sui percorsi di inclusione.",
            "Gli operatori dei partner si sono incontrati per confrontare strumenti e buone prassi: "
            "un passo verso un modello di intervento condiviso tra gli ambiti.",
        ),
    ],
    "vicenza": [
        (
            6,
            "corso-italiano-lavoro-iscrizioni",
            "it",
            "Italiano per il lavoro: aperte le iscrizioni",
            "Un corso sul lessico dei mestieri più richiesti e sul colloquio di selezione.",
            "Sono aperte le iscrizioni al **corso di italiano per il lavoro**: lessico dei mestieri, canali per "
            "cercare lavoro, preparazione al colloquio. Il corso è gratuito.",
        ),
        (
            25,
            "riconoscimento-titoli-come-fare",
            "it",
            "Riconoscimento dei titoli di studio: come iniziare",
            "Allo sportello ti aiutiamo a preparare i documenti per il riconoscimento.",
            "Se hai un diploma o una laurea ottenuti nel tuo Paese, allo sportello di orientamento ti aiutiamo "
            "a capire quale procedura seguire e quali documenti servono.",
        ),
    ],
}
