"""Issue 15 in Chromium: a partner signs in, lands in La mia area, drafts, previews and submits an
internship; the coordinator sees the count, approves it, then reviews the diff of a change and
approves that too; the partner gets the approval mail and closes the entry early. axe-core checks
each new page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.timezone import rome_today
from tests.browser_support import axe_violations, require_browser

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PARTNER = "partner.asti-est@crocevia.example"
COORDINATOR = "coordinatore.asti-est@crocevia.example"
TITLE = "Tirocinio di inclusione in falegnameria"


def _login(page, live, email):
    page.goto(live + "/auth/login")
    page.get_by_label("Indirizzo e-mail").fill(email)
    page.get_by_label("Password").fill("crocevia-demo-2026")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_text("Accesso eseguito con il profilo di")).to_be_visible()


def test_partner_drafts_previews_submits_coordinator_approves_partner_closes(page, live_server, outbox):
    live = live_server
    _login(page, live, PARTNER)
    expect(page).to_have_url(re.compile(r"/la-mia-area$"))  # where everyone lands
    expect(page.get_by_role("heading", name="La mia area", level=1)).to_be_visible()
    assert axe_violations(page) == []
    organisation = page.get_by_role("region", name=re.compile("Officina Ruota Libera"))
    organisation.get_by_role("link", name="Nuova scheda: Opportunità").click()

    # Half the fields, saved as a draft: nothing is required yet, the markers say what will be.
    expect(page.get_by_text("I campi contrassegnati da un asterisco (*) sono obbligatori.")).to_be_visible()
    expect(page.get_by_label("Titolo", exact=True)).to_have_attribute("aria-required", "true")
    expect(page.get_by_label("Comune")).not_to_have_value("")  # from the organisation
    page.get_by_label("Titolo", exact=True).fill(TITLE)
    page.get_by_role("button", name="Salva come bozza").click()
    expect(page.get_by_text("Bozza salvata.")).to_be_visible()
    expect(page.get_by_label("Titolo", exact=True)).to_have_value(TITLE)  # reopened as it was
    assert axe_violations(page) == []

    page.get_by_label("Tipo", exact=True).select_option("tirocinio_inclusione")
    page.get_by_label("Descrizione", exact=True).fill("Affiancamento nel laboratorio di falegnameria.")
    page.get_by_label("Scadenza delle candidature").fill((rome_today() + timedelta(days=20)).isoformat())
    page.get_by_label("Posti", exact=True).fill("2")
    page.get_by_label("Durata in mesi").fill("6")
    page.get_by_label("Soggetto promotore").fill("Servizi sociali del Comune di Asti")
    page.get_by_label("Come candidarsi", exact=True).fill("Inviare il curriculum allo sportello di Asti Est.")
    page.get_by_role("button", name="Anteprima della pagina pubblica").click()
    preview = page.get_by_role("region", name="Anteprima della pagina pubblica")
    expect(preview.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(preview).to_contain_text("Inviare il curriculum allo sportello di Asti Est.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Invia per la revisione").click()
    expect(page.get_by_text("il coordinamento del progetto rivedrà il contenuto")).to_be_visible()

    coordinator = page.context.browser.new_context(locale="it-IT", bypass_csp=True).new_page()
    _login(coordinator, live, COORDINATOR)
    expect(coordinator).to_have_url(re.compile(r"/la-mia-area$"))
    waiting = coordinator.get_by_role("row", name=re.compile("Asti")).get_by_role(
        "link", name=re.compile(r"\d+ da rivedere")
    )
    expect(waiting).to_be_visible()
    assert axe_violations(coordinator) == []
    waiting.click()
    coordinator.get_by_role("article", name=TITLE).get_by_role("button", name="Approva e pubblica").click()
    expect(coordinator.get_by_text("Approvata e pubblicata.")).to_be_visible()
    [mail] = [m for m in outbox.to(PARTNER) if TITLE in m["Subject"]]
    assert mail["Subject"].startswith("Pubblicata:")

    # A change to the published text: the coordinator sees only what changes, then approves it.
    page.goto(live + "/la-mia-area")
    page.get_by_role("row", name=re.compile(TITLE)).get_by_role("link", name=re.compile("^Modifica")).click()
    page.get_by_label("Posti", exact=True).fill("3")
    page.get_by_role("button", name="Salva", exact=True).click()
    page.goto(live + "/la-mia-area")
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("modifica in attesa di revisione")
    coordinator.goto(live + "/directory/moderation/")
    card = coordinator.get_by_role("article", name=TITLE)
    card.locator("summary", has_text="Modifiche proposte").click()
    diff = card.get_by_role("row", name=re.compile("^Posti"))
    expect(diff).to_contain_text("2")
    expect(diff).to_contain_text("3")
    card.get_by_role("button", name="Approva e pubblica").click()
    expect(coordinator.get_by_text("Approvata e pubblicata.")).to_be_visible()

    # Places filled: the partner closes it from their area; its page stays, marked closed.
    page.goto(live + "/la-mia-area")
    row = page.get_by_role("row", name=re.compile(TITLE))
    row.get_by_role("button", name=re.compile("Chiudere: posti coperti")).click()
    expect(page.get_by_text("La scheda è chiusa")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Chiusa: posti coperti")
    assert axe_violations(page) == []
    page.get_by_role("row", name=re.compile(TITLE)).get_by_role("link", name=re.compile("Pagina pubblica")).click()
    expect(page.get_by_text("Posti coperti: l'organizzazione ha chiuso questa scheda")).to_be_visible()
