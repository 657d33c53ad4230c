"""On a phone (390 x 844): a resident answers five questions of "Cosa fa per me?" and sees the
internships and courses open to them with the reasons; the answers live only in the page's
fragment (a reload shows the same list, no query string carries them); axe-core finds nothing
serious or critical on the form nor on the results."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import require_browser, serious_violations

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_a_resident_answers_five_questions_and_sees_results_with_reasons(page, live_server):
    posted: list[str] = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    page.goto(live_server + "/cosa-fa-per-me")
    expect(page.get_by_role("heading", name="Cosa fa per me?", level=1)).to_be_visible()
    expect(page.get_by_text("Non viene conservato nulla:")).to_be_visible()
    assert serious_violations(page) == []

    page.locator("label", has_text="Da 18 a 24").click()
    page.get_by_label("Comune", exact=True).fill("Asti")
    page.get_by_role("group", name="Fin dove può spostarsi?").locator("label", has_text="Fino a 15 km").click()
    page.locator("label", has_text="A2 – me la cavo").click()
    page.locator("label", has_text="Un tirocinio").click()
    page.locator("label", has_text="Un corso").click()
    page.locator("label", has_text="Ho fatto la DID").click()
    page.get_by_role("button", name="Mostra che cosa fa per me").click()

    expect(page.get_by_role("heading", name="Che cosa fa per lei")).to_be_visible()
    results = page.locator(".matching-list > li")
    expect(results.first).to_be_visible()
    expect(page.locator(".matching-reasons li", has_text="Vicino a lei: Asti.").first).to_be_visible()
    expect(page.locator(".matching-reasons li", has_text="È ciò che cerca").first).to_be_visible()
    expect(page.locator("#match-summary")).to_have_text(re.compile(r"^\d+ risultat[oi]$"))  # all that is announced
    assert page.locator("#match-results[aria-live]").count() == 0
    assert serious_violations(page) == []

    assert "Asti" not in page.url and "#" not in page.url  # never in the address: the history would keep it
    assert "comune=Asti" in page.evaluate("() => window.sessionStorage.getItem('crocevia-matching') || ''")
    assert all("?" not in url or url.endswith("?lang=it") for url in posted), posted
    assert all("Asti" not in url for url in posted)

    page.reload()
    expect(page.locator(".matching-list > li").first).to_be_visible()
    expect(page.get_by_label("Comune", exact=True)).to_have_value("Asti")
    assert page.console_errors == []


def test_a_project_worker_sees_the_aggregate_and_the_english_form_is_clean(page, live_server):
    page.goto(live_server + "/auth/login?lang=it")
    page.get_by_label("Indirizzo e-mail").fill("coordinatore.asti-est@crocevia.example")
    page.get_by_label("Password").fill("crocevia-demo-2026")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_text("Accesso eseguito con il profilo di")).to_be_visible()
    page.goto(live_server + "/cosa-fa-per-me/operatori/")
    expect(page.get_by_role("heading", name="Quali profili accoglie ogni opportunità")).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()
    assert serious_violations(page) == []
    page.goto(live_server + "/cosa-fa-per-me?lang=en")
    page.locator("label", has_text="Up to 20 hours").click()
    page.get_by_role("button", name="Show what suits me").click()
    expect(page.get_by_role("heading", name="What suits you")).to_be_visible()
    assert serious_violations(page) == []


def test_a_hostile_fragment_is_ignored_or_explained_never_an_error(page, live_server):
    hostile = "#age=%3Cscript%3Ealert(1)%3C%2Fscript%3E&nickname=x&looking=everything&comune=" + "Zz" * 300
    page.goto(live_server + "/cosa-fa-per-me" + hostile)
    expect(page.get_by_role("heading", name="Che cosa fa per lei")).to_be_visible()
    expect(page.get_by_text("Non abbiamo trovato il comune")).to_be_visible()
    expect(page.get_by_label("Salta questa domanda").first).to_be_checked()
    assert len(page.get_by_label("Comune", exact=True).input_value()) == 100
    assert page.console_errors == []


def test_going_back_to_an_earlier_fragment_shows_those_answers_again(page, live_server):
    page.goto(live_server + "/cosa-fa-per-me#comune=Asti&looking=course")
    expect(page.locator(".matching-list > li").first).to_be_visible()
    expect(page.get_by_label("Un corso")).to_be_checked()
    page.evaluate("() => { window.location.hash = 'comune=Portacomaro&travel=15&looking=internship'; }")
    expect(page.get_by_label("Comune", exact=True)).to_have_value("Portacomaro")
    expect(page.get_by_label("Un tirocinio")).to_be_checked()
    expect(page.get_by_label("Un corso")).not_to_be_checked()
    expect(page.locator(".matching-reasons li", has_text="Vicino a lei: 7 km (Asti).").first).to_be_visible()
    assert "Portacomaro" in page.evaluate("() => window.sessionStorage.getItem('crocevia-matching') || ''")
    assert page.console_errors == []


def test_without_javascript_the_answers_come_back_in_the_form(chromium, live_server):
    context = chromium.new_context(locale="it-IT", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/cosa-fa-per-me")
    page.get_by_label("Comune", exact=True).fill("Asti")
    page.locator("label", has_text="Un corso").click()
    page.get_by_role("button", name="Mostra che cosa fa per me").click()
    expect(page.get_by_role("heading", name="Che cosa fa per lei")).to_be_visible()
    expect(page.get_by_label("Comune", exact=True)).to_have_value("Asti")
    expect(page.get_by_label("Un corso")).to_be_checked()
    context.close()
