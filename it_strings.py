"""Italian translations of helper h4's strings (issue 14 points 1 and 4): project life cycle,
funding and EU visibility; the accessibility statement and its feedback form.
Filled with: .venv/bin/python portal/translations/fill_catalogs.py it it_strings.py"""

IT = {
    # life cycle and funding
    "Planned": "Previsto",
    "Running": "In corso",
    "Ended": "Concluso",
    "From %(start)s to %(end)s": "Dal %(start)s al %(end)s",
    "Since %(start)s": "Dal %(start)s",
    "Until %(end)s": "Fino al %(end)s",
    "Funding programme": "Programma di finanziamento",
    "Funded by": "Ente finanziatore",
    "Unique project code": "Codice unico di progetto",
    "Unique project code (CUP): %(cup)s.": "Codice unico di progetto (CUP): %(cup)s.",
    "Funding of the European Union": "Finanziamento dell'Unione europea",
    "Co-funded by the European Union": "Cofinanziato dall'Unione europea",
    "%(project)s is co-funded by the European Union through the programme %(programme)s.": (
        "%(project)s è cofinanziato dall'Unione europea nell'ambito del programma %(programme)s."
    ),
    "%(project)s is co-funded by the European Union.": "%(project)s è cofinanziato dall'Unione europea.",
    "Past projects": "Progetti conclusi",
    "These projects have ended: their spaces stay online as an archive.": (
        "Questi progetti si sono conclusi: i loro spazi restano online come archivio."
    ),
    "This project ended on %(date)s. Its space stays online as an archive: its pages, news and past newsletters can still be read, but it no longer sends newsletters or publishes new entries.": (
        "Questo progetto si è concluso il %(date)s. Il suo spazio resta online come archivio: pagine, notizie "
        "e newsletter passate restano consultabili, ma non vengono più inviate newsletter né pubblicate nuove schede."
    ),
    "This project has ended. Its space stays online as an archive: its pages, news and past newsletters can still be read, but it no longer sends newsletters or publishes new entries.": (
        "Questo progetto si è concluso. Il suo spazio resta online come archivio: pagine, notizie e newsletter "
        "passate restano consultabili, ma non vengono più inviate newsletter né pubblicate nuove schede."
    ),
    "This project has ended: its space stays online as an archive, but it takes nothing new.": (
        "Questo progetto si è concluso: il suo spazio resta online come archivio, ma non accetta nuovi contenuti."
    ),
    "The project %(project)s ended on %(date)s: its space stays online as an archive, but it takes no %(what)s.": (
        "Il progetto %(project)s si è concluso il %(date)s: il suo spazio resta online come archivio, "
        "ma non accetta %(what)s."
    ),
    "The project %(project)s has ended: its space stays online as an archive, but it takes no %(what)s.": (
        "Il progetto %(project)s si è concluso: il suo spazio resta online come archivio, ma non accetta %(what)s."
    ),
    "new newsletter issues": "nuovi numeri della newsletter",
    "new entries": "nuove schede",
    "The project has ended: no new issue can be written.": (
        "Il progetto si è concluso: non è possibile scrivere nuovi numeri."
    ),
    # accessibility statement
    "fully compliant": "pienamente conforme",
    "partially compliant": "parzialmente conforme",
    "not compliant": "non conforme",
    "a self-assessment by the team that runs the site": "un'autovalutazione del gruppo di lavoro che gestisce il sito",
    "an assessment by an independent third party": "una valutazione di soggetti terzi indipendenti",
    "Non-compliance with Law 4/2004": "Inosservanza della legge 4/2004",
    "Disproportionate burden": "Onere sproporzionato",
    "Content outside the scope of the law": "Contenuto che non rientra nell'ambito della legge",
    "%(site)s is committed to making its website accessible, in accordance with Law no. 4 of 9 January 2004 and the AgID guidelines on the accessibility of IT tools, which adopt the standard UNI CEI EN 301549 and WCAG 2.1 level AA.": (
        "%(site)s si impegna a rendere il proprio sito accessibile, conformemente alla legge 9 gennaio 2004, n. 4 "
        "e alle Linee guida AgID sull'accessibilità degli strumenti informatici, che recepiscono la norma "
        "UNI CEI EN 301549 e le WCAG 2.1 di livello AA."
    ),
    "This statement applies to the space of %(site)s on the Crocevia portal (%(url)s).": (
        "Questa dichiarazione si applica allo spazio di %(site)s sul portale Crocevia (%(url)s)."
    ),
    "This statement applies to the Crocevia portal: its home page, the network directory and search. Each project's space has its own statement.": (
        "Questa dichiarazione si applica al portale Crocevia: la pagina iniziale, l'elenco della rete e la ricerca. "
        "Lo spazio di ciascun progetto ha una propria dichiarazione."
    ),
    "Compliance status": "Stato di conformità",
    "This website is %(status)s with the requirements of Law 4/2004.": (
        "Questo sito è %(status)s ai requisiti previsti dalla legge 4/2004."
    ),
    "Non-accessible content": "Contenuti non accessibili",
    "No content is known not to be accessible.": "Non sono noti contenuti non accessibili.",
    "How the site is built": "Come è fatto il sito",
    "A “Skip to main content” link is the first element of every page.": (
        "Un collegamento «Vai al contenuto principale» è il primo elemento di ogni pagina."
    ),
    "Pages have headings, landmarks (banner, navigation, main content, footer) and titles that describe their content.": (
        "Le pagine hanno intestazioni, punti di riferimento (banner, navigazione, contenuto, piè di pagina) e titoli "
        "che ne descrivono il contenuto."
    ),
    "Every form field has a label; errors are described in text and linked to their field.": (
        "Ogni campo dei moduli ha la sua etichetta; gli errori sono descritti in testo e collegati al campo."
    ),
    "The site can be used with the keyboard alone, with zoom up to 400%% and on a phone screen.": (
        "Il sito si usa con la sola tastiera, con lo zoom fino al 400%% e sullo schermo di un telefono."
    ),
    "The language can be changed from the switcher at the top of every page (Italian and English).": (
        "La lingua si cambia dal selettore in alto in ogni pagina (italiano e inglese)."
    ),
    "Feedback and contact information": "Meccanismo di feedback e recapiti",
    "If you meet a barrier on this site, or need a page or document in an accessible form, tell us which page and what the problem is: we answer within 30 days.": (
        "Se si incontra un ostacolo su questo sito, o serve una pagina o un documento in forma accessibile, è possibile "
        "segnalarlo indicando la pagina e il problema: la risposta viene data entro 30 giorni."
    ),
    "Report an accessibility problem": "Segnala un problema di accessibilità",
    "Enforcement procedure": "Procedura di attuazione",
    "If the answer is unsatisfactory or does not arrive within 30 days, you can report it to AgID (the Agency for Digital Italy) through its form:": (
        "In caso di risposta insoddisfacente o di mancata risposta entro 30 giorni, è possibile inoltrare una "
        "segnalazione ad AgID (Agenzia per l'Italia Digitale) tramite il suo modulo:"
    ),
    "About this statement": "Informazioni sulla dichiarazione",
    "Statement prepared on": "Dichiarazione redatta il",
    "Last yearly review": "Ultimo aggiornamento annuale",
    "Next review due by": "Prossimo aggiornamento entro il",
    "How it was assessed": "Metodo di valutazione",
    "The statement is based on %(method)s and on the portal's automated tests.": (
        "La dichiarazione si basa su %(method)s e sui test automatici del portale."
    ),
    "This statement is overdue: it should have been reviewed by %(deadline)s, and its last review dates from %(reviewed)s.": (
        "Questa dichiarazione è scaduta: doveva essere aggiornata entro il %(deadline)s e l'ultimo aggiornamento "
        "risale al %(reviewed)s."
    ),
    "You answer for this site: review the statement, update the dates in its data and publish it again on the AgID form.": (
        "Questo sito è sotto la Sua responsabilità: occorre rivedere la dichiarazione, aggiornarne le date nei dati "
        "e pubblicarla di nuovo sul modulo AgID."
    ),
    "The accessibility statement of this space is overdue: it must be reviewed every year by 23 September.": (
        "La dichiarazione di accessibilità di questo spazio è scaduta: va aggiornata ogni anno entro il 23 settembre."
    ),
    "Read the statement": "Leggi la dichiarazione",
    # feedback form and mails
    "Name and surname (optional)": "Nome e cognome (facoltativo)",
    "Address of the page": "Indirizzo della pagina",
    "Copy it from the browser's address bar, for example https://crocevia.example/ciao/": (
        "Può essere copiato dalla barra degli indirizzi del browser, ad esempio https://crocevia.example/ciao/"
    ),
    "Enter the address of the page with the problem.": "Indicare l'indirizzo della pagina con il problema.",
    "Enter the full address of the page, starting with https://": (
        "Indicare l'indirizzo completo della pagina, che inizia con https://"
    ),
    "What does not work": "Che cosa non funziona",
    "Describe the problem you met.": "Descrivere il problema riscontrato.",
    "Write at most %(max)d characters.": "Scrivere al massimo %(max)d caratteri.",
    "For example: what you were trying to do, what happened, which device and assistive technology you use.": (
        "Ad esempio: che cosa si stava cercando di fare, che cosa è successo, quale dispositivo e quale tecnologia "
        "assistiva si usano."
    ),
    "I agree that the portal passes my name, e-mail address and report to the people responsible for this site, so that they can answer me and remove the barrier.": (
        "Acconsento che il portale trasmetta nome, indirizzo e-mail e segnalazione ai responsabili di questo sito, "
        "perché possano rispondermi e rimuovere l'ostacolo."
    ),
    "Send the report": "Invia la segnalazione",
    "Tell the people responsible for %(site)s about a barrier you met: they receive your report at once and answer you by e-mail within 30 days. No account is needed.": (
        "Con questo modulo si segnala ai responsabili di %(site)s un ostacolo incontrato: ricevono subito la "
        "segnalazione e rispondono per e-mail entro 30 giorni. Non serve un account."
    ),
    "The portal does not keep your report: it only passes it on by e-mail. The people who receive it keep it as long as they need to answer you.": (
        "Il portale non conserva la segnalazione: la inoltra soltanto per e-mail. Chi la riceve la conserva per il "
        "tempo necessario a rispondere."
    ),
    "Back to the accessibility statement": "Torna alla dichiarazione di accessibilità",
    "Report sent": "Segnalazione inviata",
    "Your report has been passed on to the people responsible for %(site)s.": (
        "La segnalazione è stata inoltrata ai responsabili di %(site)s."
    ),
    "They will answer you by e-mail within 30 days. We have also sent you an e-mail that confirms what you reported.": (
        "La risposta arriverà per e-mail entro 30 giorni. È stata inviata anche un'e-mail di conferma con il "
        "contenuto della segnalazione."
    ),
    "This site has received many reports in a short time. Please try again in an hour.": (
        "Questo sito ha ricevuto molte segnalazioni in poco tempo. Si prega di riprovare tra un'ora."
    ),
    "Nobody can receive reports for this site yet. Please use the AgID form linked on the statement.": (
        "Per questo sito non è ancora indicato chi riceve le segnalazioni. Si prega di usare il modulo AgID "
        "indicato nella dichiarazione."
    ),
    "Accessibility report about %(site)s": "Segnalazione di accessibilità su %(site)s",
    "We have received your accessibility report about %(site)s": (
        "Abbiamo ricevuto la segnalazione di accessibilità su %(site)s"
    ),
    "a person has reported an accessibility problem on %(site)s through the form of the accessibility statement.": (
        "una persona ha segnalato un problema di accessibilità su %(site)s tramite il modulo della dichiarazione "
        "di accessibilità."
    ),
    "Reply to this e-mail to write to them directly. The law asks for an answer within 30 days.": (
        "Rispondendo a questa e-mail si scrive direttamente alla persona. La legge chiede una risposta entro 30 giorni."
    ),
    "The statement": "La dichiarazione",
    "thank you for your report about the accessibility of %(site)s. We have passed it on to the people responsible for the site, who will answer you within 30 days.": (
        "grazie per la segnalazione sull'accessibilità di %(site)s. È stata inoltrata ai responsabili del sito, "
        "che risponderanno entro 30 giorni."
    ),
    "If the answer is unsatisfactory or does not arrive within 30 days, you can report it to AgID: %(url)s": (
        "In caso di risposta insoddisfacente o di mancata risposta entro 30 giorni, è possibile inoltrare una "
        "segnalazione ad AgID: %(url)s"
    ),
}
