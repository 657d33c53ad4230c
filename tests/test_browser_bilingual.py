"""An English visitor in Chromium: types "internship" in the search and finds an Italian
internship, is told which texts are only in Italian, and reads a page that has English text;
axe-core checks each page."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_violations, open_menu, require_browser

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

ONLY_ITALIAN = "This text is only available in Italian"
LIST_NOTE = "Entries without an English version are shown in Italian."


@pytest.fixture
def live(indexed_live_server):
    return indexed_live_server


def test_an_english_visitor_finds_an_italian_internship_by_typing_internship(page, live):
    visitor = page.context.browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    visitor.goto(live + "/search")
    visitor.get_by_label("Words to look for").fill("internship")
    visitor.get_by_role("button", name="Search", exact=True).click()
    first = visitor.locator(".search-hit").first
    expect(first.get_by_role("link", name="Tirocinio")).to_be_visible()  # Italian entries, found with English
    expect(visitor.get_by_text(LIST_NOTE)).to_have_count(1)  # said once above the list
    assert first.get_by_role("link").first.get_attribute("lang") == "it"
    assert axe_violations(visitor) == []

    first.get_by_role("link").first.click()
    heading = visitor.get_by_role("heading", level=1)
    expect(heading).to_have_attribute("lang", "it")
    expect(visitor.get_by_text(ONLY_ITALIAN)).to_be_visible()
    assert axe_violations(visitor) == []

    # A page with its English version (a project's space speaks its own default language to
    # browsers: the English version is asked for, as its hreflang link does).
    visitor.goto(live + "/work-in/tirocini?lang=en")
    expect(visitor.get_by_role("heading", name="How the internships work")).to_be_visible()
    expect(visitor.get_by_text(ONLY_ITALIAN)).to_have_count(0)
    assert axe_violations(visitor) == []


def test_the_language_switcher_shows_the_note_in_english(page, live):
    page.goto(live + "/work-in/tirocini")
    expect(page.get_by_role("heading", level=1)).not_to_have_attribute("lang", "en")
    open_menu(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="How the internships work")).to_be_visible()
    page.goto(live + "/search?q=internship")
    expect(page.get_by_text(LIST_NOTE)).to_be_visible()
    assert axe_violations(page) == []


def test_an_english_visitor_who_misspells_internship_is_corrected_and_italian_phrases_still_work(page, live):
    visitor = page.context.browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    visitor.goto(live + "/search?lang=en")
    visitor.get_by_label("Words to look for").fill("internshp")
    visitor.get_by_role("button", name="Search", exact=True).click()
    expect(visitor.get_by_text("Results for internship")).to_be_visible()
    expect(visitor.locator(".search-hit").first).to_be_visible()
    visitor.get_by_label("Words to look for").fill("corso di italiano")  # an Italian stop word in the middle
    visitor.get_by_role("button", name="Search", exact=True).click()
    expect(visitor.locator(".search-hit").first).to_be_visible()
    assert axe_violations(visitor) == []
