"""End to end: a partner publishes an internship, the coordinator approves it, a resident
finds it with the province facet, in Italian and English; axe-core checks the new pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.timezone import rome_today
from tests.browser_support import axe_violations, open_filters, open_menu, require_browser

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def live(indexed_live_server):
    return indexed_live_server


def _login(page, live, email):
    page.goto(live + "/auth/login")
    page.get_by_label("Indirizzo e-mail").fill(email)
    page.get_by_label("Password").fill("crocevia-demo-2026")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_text("Accesso eseguito con il profilo di")).to_be_visible()


def test_partner_publishes_coordinator_approves_resident_finds(page, live, chromium):
    _login(page, live, "partner.asti-est@crocevia.example")
    page.goto(live + "/directory/manage/")
    section = page.get_by_role("region", name="Officina Ruota Libera – Asti")
    section.get_by_role("link", name="Nuova scheda: Opportunità").click()
    page.get_by_label("Titolo", exact=True).fill("Tirocinio di saldatura in officina")
    page.get_by_label("Tipo", exact=True).select_option("tirocinio_formativo")
    page.get_by_label("Descrizione").first.fill("Saldatura a filo e lettura del disegno tecnico.")
    page.get_by_label("Comune").fill("Asti")
    page.get_by_label("Provincia").select_option("AT")
    page.get_by_label("Scadenza delle candidature").fill((rome_today() + timedelta(days=15)).isoformat())
    page.get_by_label("Ore settimanali").fill("30")
    page.get_by_label("Durata in mesi").fill("6")
    page.get_by_label("Soggetto promotore").fill("Centro di formazione Nuove Competenze – Asti")
    page.get_by_label("Indennità o retribuzione mensile (euro, lordi)").fill("400")
    page.get_by_label("Chi paga l'indennità").select_option("host")
    page.get_by_label("Età minima").fill("18")
    page.get_by_label("Età massima").fill("29")
    page.get_by_label("Italiano richiesto (livello QCER)").select_option("A2")
    page.get_by_label("Come candidarsi").first.fill("Scrivere allo sportello di Asti Est.")
    page.get_by_role("button", name="Invia per la revisione").click()
    # Below Piedmont's minimum: the form says which rule, on the field, and keeps what was typed.
    expect(page.locator("#monthly_allowance-error")).to_contain_text(
        "Secondo la normativa della Regione Piemonte l'indennità di questo tirocinio"
    )
    expect(page.get_by_label("Età massima")).to_have_value("29")
    assert axe_violations(page) == []
    page.get_by_label("Indennità o retribuzione mensile (euro, lordi)").fill("600")
    page.get_by_role("button", name="Invia per la revisione").click()
    expect(page.get_by_text("il coordinamento del progetto rivedrà il contenuto")).to_be_visible()

    coordinator = page.context.browser.new_context(locale="it-IT", bypass_csp=True).new_page()
    _login(coordinator, live, "coordinatore.asti-est@crocevia.example")
    coordinator.goto(live + "/directory/moderation/")
    card = coordinator.get_by_role("article", name="Tirocinio di saldatura in officina")
    card.get_by_role("button", name="Approva e pubblica").click()
    expect(coordinator.get_by_text("Approvata e pubblicata.")).to_be_visible()
    assert axe_violations(coordinator) == []

    resident = page.context.browser.new_context(
        locale="it-IT", viewport={"width": 390, "height": 844}, bypass_csp=True
    ).new_page()
    resident.goto(live + "/search")
    resident.get_by_label("Parole da cercare").fill("tirocini Asti")
    resident.get_by_role("button", name="Cerca", exact=True).click()
    open_filters(resident)  # a phone: the filters wait behind the "Filtri" button
    resident.get_by_role("group", name="Provincia").locator("label", has_text="Asti").click()  # the styled box
    resident.get_by_role("button", name="Applica i filtri").click()
    expect(resident.get_by_role("link", name="Tirocinio di saldatura in officina")).to_be_visible()
    assert axe_violations(resident) == []
    open_menu(resident)
    resident.get_by_role("link", name="English").click()
    expect(resident.get_by_role("link", name="Tirocinio di saldatura in officina")).to_be_visible()
    expect(resident.locator("summary", has_text="Filters")).to_contain_text("1")  # the province, still chosen
    open_filters(resident)
    expect(resident.get_by_role("group", name="Province")).to_be_visible()
    resident.get_by_role("link", name="Tirocinio di saldatura in officina").click()
    expect(resident.get_by_role("heading", name="Tirocinio di saldatura in officina")).to_be_visible()
    assert axe_violations(resident) == []


@pytest.mark.parametrize(
    "path",
    [
        "/directory/",
        "/directory/opportunities/",
        "/asti-est/directory/",
        "/directory/organisations/cooperativa-la-strada",
    ],
)
def test_directory_pages_pass_automated_wcag_checks(page, live, path):
    page.goto(live + path)
    assert axe_violations(page) == []


def test_partner_forms_pass_automated_wcag_checks(page, live):
    _login(page, live, "partner.vicenza@crocevia.example")
    page.goto(live + "/directory/manage/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nuova scheda: Evento").first.click()
    page.get_by_role("button", name="Invia per la revisione").click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert axe_violations(page) == []
