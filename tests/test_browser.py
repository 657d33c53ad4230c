"""End to end in Debian's Chromium (Playwright): the story of the foundation issue,
plus automated accessibility checks (axe-core, WCAG 2.1 A/AA) on the main pages."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_violations, open_menu, require_browser
from tests.conftest import Outbox

require_browser()
pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_visitor_switches_language_visits_each_space_registers_and_logs_in(page, live_server, outbox):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "it"
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    open_menu(page)  # a phone: language and account are in the menu
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="The projects")).to_be_visible()
    for slug in ("asti-est", "alice", "work-in", "ciao", "vicenza"):
        page.goto(f"{live_server}/{slug}/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").first.inner_text()
    page.goto(live_server + "/auth/register")
    page.get_by_label("Name and surname").fill("Samira Haddad")
    page.get_by_label("E-mail address").fill("samira@example.it")
    page.get_by_label("Password", exact=True).fill("una frase lunga e sicura")
    page.get_by_label("Repeat the password").fill("una frase lunga e sicura")
    page.get_by_text("I have read the privacy policy").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    [mail] = outbox.to("samira@example.it")
    page.goto(live_server + Outbox.link(mail, "/auth/confirm/"))
    page.get_by_label("E-mail address").fill("samira@example.it")
    page.get_by_label("Password").fill("una frase lunga e sicura")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, Samira Haddad.")).to_be_visible()
    assert [e for e in page.console_errors if "Content Security Policy" not in e] == []


def test_coordinator_edits_home_publishes_news_and_cannot_touch_another_project(page, live_server):
    page.goto(live_server + "/auth/login")
    page.get_by_label("Indirizzo e-mail").fill("coordinatore.work-in@crocevia.example")
    page.get_by_label("Password").fill("crocevia-demo-2026")
    page.get_by_role("button", name="Accedi").click()
    page.goto(live_server + "/work-in/")
    page.get_by_role("link", name="Modifica questa pagina").click()
    page.get_by_label("Titolo").first.fill("WORK-IN: tirocini a Civitavecchia")
    page.get_by_label("Testo").first.fill("Nuovi **tirocini** in arrivo. <script>alert(1)</script>")
    page.get_by_role("button", name="Anteprima").click()
    expect(page.locator(".markdown-preview strong")).to_have_text("tirocini")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", name="WORK-IN: tirocini a Civitavecchia")).to_be_visible()
    expect(page.locator("main script")).to_have_count(0)
    page.goto(live_server + "/work-in/manage/news/new")
    page.get_by_label("Titolo").first.fill("Porte aperte in cooperativa")
    page.get_by_label("Testo", exact=True).fill("Vieni a conoscerci giovedì.")
    page.get_by_text("Pubblicata (visibile al pubblico)").click()  # Bootstrap Italia styles the label as the box
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", name="Porte aperte in cooperativa")).to_be_visible()
    page.goto(live_server + "/work-in/news/")
    expect(page.get_by_role("link", name="Porte aperte in cooperativa")).to_be_visible()
    response = page.goto(live_server + "/alice/manage/pages/home/it")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Accesso negato")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/alice/",
        "/ciao/attivita",
        "/work-in/news/",
        "/auth/login",
        "/auth/register",
        "/info/accessibilita",
        "/nessuno/",
    ],
)
def test_pages_pass_automated_wcag_checks(page, live_server, path):
    page.goto(live_server + path)
    assert axe_violations(page) == []


def test_forms_with_errors_pass_automated_wcag_checks(page, live_server):
    page.goto(live_server + "/auth/register")
    page.get_by_role("button", name="Crea account").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#form-errors")).to_be_focused()
    assert axe_violations(page) == []


def test_coordinator_editor_passes_automated_wcag_checks(page, live_server):
    page.goto(live_server + "/auth/login")
    page.get_by_label("Indirizzo e-mail").fill("coordinatore.ciao@crocevia.example")
    page.get_by_label("Password").fill("crocevia-demo-2026")
    page.get_by_role("button", name="Accedi").click()
    for path in ("/ciao/manage/", "/ciao/manage/pages/home/it", "/ciao/manage/members"):
        page.goto(live_server + path)
        assert axe_violations(page) == [], path
