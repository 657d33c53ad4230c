"""Issue 13, phone first, as a new resident sees it on a 390 × 844 phone: results before filters,
the "Filtri" button and its count, a heading clear of the field's label, a collapsed header with
language and account in the menu, the corrected results of a misspelt query; axe-core stays clean."""

from __future__ import annotations

import pytest

from tests.browser_support import require_browser, serious_violations

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def live(indexed_demo, live_server):
    return live_server


def _box(locator):
    box = locator.bounding_box()
    assert box, locator
    return box


def _overlap(a, b) -> bool:
    return (
        min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]) > 1
        and min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"]) > 1
    )


def test_on_a_phone_the_first_result_comes_before_the_filters(page, live):
    page.goto(live + "/directory/opportunities/?opportunity_type=tirocinio&allowance=paid")
    first = page.locator(".search-results li").first
    filters = page.locator("summary", has_text="Filtri")
    expect(filters).to_be_visible()
    expect(filters).to_contain_text("2")
    expect(filters.locator(".visually-hidden")).to_have_text("filtri attivi")
    assert _box(first)["y"] < 844, "the first result is on the first screen"
    expect(page.get_by_role("group", name="Provincia")).to_be_hidden()  # behind the button
    heading, label = page.get_by_role("heading", level=1), page.locator("label[for=q]")
    assert not _overlap(_box(heading), _box(label)) and _box(heading)["y"] + _box(heading)["height"] <= _box(label)["y"]
    assert serious_violations(page) == []
    filters.click()
    expect(page.get_by_role("group", name="Tipo di opportunità")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Tirocinio")).to_be_checked()
    assert serious_violations(page) == []


def test_on_a_wide_screen_the_filters_stay_beside_the_results(page, live):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live + "/directory/opportunities/")
    group = page.get_by_role("group", name="Tipo di opportunità")
    expect(group).to_be_visible()
    first = page.locator(".search-results li").first
    assert _box(group)["x"] + _box(group)["width"] <= _box(first)["x"]  # beside, on the left
    assert _box(first)["y"] < 900


def test_the_header_collapses_into_the_menu_with_language_and_account(page, live):
    page.goto(live + "/")
    header = _box(page.locator("header"))
    assert header["height"] < 844 / 4, header  # not a third of the screen
    expect(page.get_by_role("link", name="English")).to_be_hidden()
    expect(page.get_by_role("link", name="Accedi")).to_be_hidden()
    page.get_by_role("button", name="Mostra o nascondi il menu").click()
    expect(page.get_by_role("link", name="Accedi")).to_be_visible()
    expect(page.get_by_role("link", name="Registrati")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(live + "/asti-est/")
    assert _box(page.locator("header"))["height"] < 844 / 4
    page.get_by_role("button", name="Show or hide the menu").click()
    expect(page.get_by_role("link", name="Newsletter")).to_be_visible()  # the project's own menu, then the rest
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert serious_violations(page) == []


def test_a_misspelt_query_shows_the_corrected_results(page, live):
    page.goto(live + "/search")
    page.get_by_label("Parole da cercare").fill("tirocinnio")
    page.get_by_role("button", name="Cerca", exact=True).click()
    expect(page.locator(".corrected-query")).to_contain_text("Risultati per tirocinio — cerca invece tirocinnio")
    expect(page.locator(".search-results li").first).to_be_visible()
    assert _box(page.locator(".search-results li").first)["y"] < 844
    assert serious_violations(page) == []
    page.get_by_role("link", name="tirocinnio").click()
    expect(page.locator(".search-results")).to_have_count(0)  # exactly what was typed: nothing
    expect(page.get_by_label("Parole da cercare")).to_have_value("tirocinnio")


def test_a_project_home_shows_what_is_open_in_its_slice(page, live):
    page.goto(live + "/asti-est/")
    section = page.get_by_role("region", name="Opportunità aperte")
    expect(section.locator(".search-results li").first).to_be_visible()
    expect(page.get_by_role("region", name="Prossimi eventi")).to_be_visible()
    expect(section.get_by_role("heading", level=3).first).to_be_visible()  # titles under the section's h2
    assert serious_violations(page) == []
    section.get_by_role("link", name="Tutte le opportunità").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cerca")
    assert serious_violations(page) == []
