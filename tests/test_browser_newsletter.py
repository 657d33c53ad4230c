"""End to end: a WORK-IN coordinator composes an issue with the digest, previews, tests and sends
it; axe-core checks the newsletter pages."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_violations, require_browser

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_coordinator_composes_previews_tests_and_sends(page, live_server, outbox):
    page.goto(live_server + "/auth/login")
    page.get_by_label("Indirizzo e-mail").fill("coordinatore.work-in@crocevia.example")
    page.get_by_label("Password").fill("crocevia-demo-2026")
    page.get_by_role("button", name="Accedi").click()
    page.goto(live_server + "/work-in/manage/newsletter/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nuovo numero").click()
    page.get_by_label("Oggetto").fill("Tirocini di dicembre")
    page.get_by_label("Testo").fill("Ecco le **novità** del mese.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page.get_by_text("La bozza è stata salvata.")).to_be_visible()
    expect(page.locator(".markdown-preview strong")).to_have_text("novità")
    expect(page.get_by_text("I tirocini di inclusione di WORK-IN").first).to_be_visible()  # demo news in the digest
    assert axe_violations(page) == []
    page.get_by_role("button", name="Invia una prova al mio indirizzo").click()
    expect(page.get_by_text("Una copia di prova è stata inviata")).to_be_visible()
    assert [m["Subject"] for m in outbox.to("coordinatore.work-in@crocevia.example")] == ["[TEST] Tirocini di dicembre"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Invia ora").click()
    expect(page.get_by_text("Il numero è in partenza.")).to_be_visible()


def test_public_newsletter_page_passes_automated_wcag_checks(page, live_server):
    page.goto(live_server + "/work-in/newsletter/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Iscriviti").click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert axe_violations(page) == []
