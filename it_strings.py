"""Italian for the strings added by helper h1 (issue 16 review fixes). Fill with
.venv/bin/python portal/translations/fill_catalogs.py it it_strings.py"""

IT = {
    "%(km)d km from you: %(comune)s (%(province)s).": "A %(km)d km da lei: %(comune)s (%(province)s).",
    "%(span)s: check that your age fits.": "%(span)s: verifichi che la sua età rientri.",
    "%(span)s: your age fits.": "%(span)s: la sua età rientra.",
    "Beyond the %(km)d km you said you can travel.": "Oltre i %(km)d km che ha indicato di poter percorrere.",
    "Counted in a straight line from the centre of your comune to the centre of the entry's comune.": "La distanza è misurata in linea d'aria dal centro del suo comune al centro del comune dell'offerta.",
    "Criteria not stated: %(what)s. Ask the organisation before applying.": "Criteri non indicati: %(what)s. Chieda all'organizzazione prima di candidarsi.",
    "Does any of these apply to you?": "Si trova in una o più di queste situazioni?",
    "From %(low)d to %(high)d years of age": "Dai %(low)d ai %(high)d anni",
    "From %(low)d years of age": "Dai %(low)d anni",
    "How many hours a week can you give?": "Quante ore alla settimana può dedicare?",
    "How old are you?": "Quanti anni ha?",
    "How well do you speak Italian?": "Quanto bene parla l'italiano?",
    "I am registered for targeted employment of people with disabilities (Law 68/1999)": "Ho l'iscrizione al collocamento mirato delle persone con disabilità (legge 68/1999)",
    "I have made the DID (the declaration that I am available to work) at a Centro per l'Impiego, the public "
    "employment office": "Ho fatto la DID (la dichiarazione di immediata disponibilità al lavoro) presso un Centro per l'Impiego, "
    "l'ufficio pubblico per il lavoro",
    "I receive the ADI (Assegno di inclusione, the inclusion allowance) or the SFL (Supporto per la formazione e il "
    "lavoro, support for training and work)": "Ricevo l'ADI (Assegno di inclusione) o il SFL (Supporto per la formazione e il lavoro)",
    "Near you: %(km)d km (%(comune)s).": "Vicino a lei: %(km)d km (%(comune)s).",
    "None of these situations": "Nessuna di queste situazioni",
    "None of your answers rules it out.": "Nessuna delle sue risposte la esclude.",
    "Reserved for people who made the DID (the declaration that they are available to work) at a Centro per "
    "l'Impiego.": "Riservato a chi ha fatto la DID (la dichiarazione di immediata disponibilità al lavoro) presso un Centro "
    "per l'Impiego.",
    "Reserved for people who made the DID (the declaration that they are available to work) at a Centro per "
    "l'Impiego: check that you did.": "Riservato a chi ha fatto la DID (la dichiarazione di immediata disponibilità al lavoro) presso un Centro "
    "per l'Impiego: verifichi di averla fatta.",
    "Reserved for people who made the DID at a Centro per l'Impiego — you said you did.": "Riservato a chi ha fatto la DID presso un Centro per l'Impiego: lei ha indicato di averla fatta.",
    "Some paths are reserved for people in these situations. Choose all that apply, or “none of these situations”.": "Alcuni percorsi sono riservati a chi si trova in queste situazioni. Scelga tutte quelle che la riguardano, "
    "oppure «Nessuna di queste situazioni».",
    "The answer to “%(name)s” contains characters that cannot be used.": "La risposta a «%(name)s» contiene caratteri che non si possono usare.",
    "The answer to “%(name)s” is too long.": "La risposta a «%(name)s» è troppo lunga.",
    "The answer to “%(name)s” must be a list of choices.": "La risposta a «%(name)s» deve essere un elenco di scelte.",
    "The answer to “%(name)s” must be text.": "La risposta a «%(name)s» deve essere un testo.",
    "The form has no question called %(names)s.": "Il modulo non ha domande chiamate %(names)s.",
    "The levels (A1 is the first, C2 the highest) are those of the Common European Framework of Reference for "
    "Languages (CEFR), which courses and employers use.": "I livelli (A1 il primo, C2 il più alto) sono quelli del Quadro comune europeo di riferimento per le lingue "
    "(QCER), usati da corsi e datori di lavoro.",
    "Up to %(high)d years of age": "Fino a %(high)d anni",
    "Up to 15 km": "Fino a 15 km",
    "Up to 30 km": "Fino a 30 km",
    "Up to 5 km": "Fino a 5 km",
    "Up to 60 km": "Fino a 60 km",
    "What are you looking for?": "Che cosa cerca?",
    "Which sectors interest you?": "Quali settori le interessano?",
    "Without your comune, distances cannot be measured: the results use your province and region instead. Add your "
    "comune to see the distance in km.": "Senza il comune non è possibile misurare le distanze: i risultati usano la provincia e la regione. "
    "Indichi il comune per vedere la distanza in km.",
    "You asked for the list many times in a short while. Wait a minute, then try again.": "Ha chiesto l'elenco molte volte in poco tempo. Attenda un minuto, poi riprovi.",
    "Your answers are too long to be read. Shorten the comune's name, or choose fewer sectors, and try again.": "Le sue risposte sono troppo lunghe per essere lette. Abbrevi il nome del comune o scelga meno settori, "
    "poi riprovi.",
    "who may take part": "chi può partecipare",
    "If you make the DID at a Centro per l'Impiego: %(more)s.": "Facendo la DID presso un Centro per l'Impiego: %(more)s.",
    "Young people not in education or work (NEET), registered with a Centro per l'Impiego": (
        "Giovani che non studiano né lavorano (NEET), con iscrizione a un Centro per l'Impiego"
    ),
    "Holders of international protection, registered with a Centro per l'Impiego": (
        "Titolari di protezione internazionale, con iscrizione a un Centro per l'Impiego"
    ),
    "People with disabilities under Law 68/1999, registered with a Centro per l'Impiego": (
        "Persone con disabilità (legge 68/1999), con iscrizione a un Centro per l'Impiego"
    ),
    "Unemployed adults registered with a Centro per l'Impiego": (
        "Persone adulte disoccupate, con iscrizione a un Centro per l'Impiego"
    ),
    "Receive e-mail alerts for this search": "Ricevere avvisi per e-mail su questa ricerca",
    "You chose “none of these situations” and also a situation: the results use the situations you chose.": (
        "Ha scelto «Nessuna di queste situazioni» e anche una situazione: i risultati usano le situazioni scelte."
    ),
}
