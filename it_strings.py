"""Italian for the strings h8 added (issue 15 review)."""

IT = {
    "A copy has been saved as a draft, without the dates of the earlier entry: enter the new dates, "
    "check the texts, then submit it.": "È stata salvata una copia come bozza, senza le date della scheda precedente: "
    "inserire le nuove date, verificare i testi, poi inviarla per la revisione.",
    "The partner changed this submission after you opened the page: nothing has been decided. "
    "Review the new version below.": "L'organizzazione partner ha modificato la scheda dopo l'apertura di questa "
    "pagina: non è stato deciso nulla. Rivedere qui sotto la nuova versione.",
    # Corrected in the catalogue by hand (fill_catalogs keeps an existing msgstr): agreement, and
    # "scheda" in two senses in one sentence.
    "Hello, %(name)s. Here is what you follow on the portal and what waits for you.": "Buongiorno, %(name)s. "
    "In questa pagina trova ciò che segue sul portale e ciò che attende una sua azione.",
    "What you typed is still in the form below: open the entry in another tab to compare it with the "
    "saved version, then save again to keep yours.": "Quanto scritto è ancora nel modulo qui sotto: aprire la "
    "scheda in un'altra finestra del browser per confrontarla con la versione salvata, poi salvare di nuovo per "
    "mantenere la propria.",
}
