# Italian translations of the msgids added by h10 (issue 15 point 5 review).
IT = {
    "Entries without an English version are shown in Italian.": "Le schede senza versione inglese sono mostrate in italiano.",
    "News items without an English version are shown in Italian.": "Le notizie senza versione inglese sono mostrate in italiano.",
    "The Italian text of these fields changes but their English version does not: %(fields)s. English readers would go on reading the older English text: ask the partner to update it, or approve and have it updated later.": "Il testo italiano di questi campi cambia, ma la loro versione inglese no: %(fields)s. Chi legge in inglese continuerebbe a vedere il testo inglese precedente: è possibile chiedere al partner di aggiornarlo, oppure approvare e farlo aggiornare in seguito.",
}
