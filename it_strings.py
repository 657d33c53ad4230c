# Italian translations of the msgids added by h10 (issue 15 point 5 review).
IT = {
    "Entries without an English version are shown in Italian.": "Le schede senza versione inglese sono mostrate in italiano.",
    "News items without an English version are shown in Italian.": "Le notizie senza versione inglese sono mostrate in italiano.",
}
