"""Keyboard focus is visible on every control, and no label covers its field (WCAG 2.4.7,
1.4.10-ish): what automated axe checks miss, measured in Chromium as a person would see it."""

from __future__ import annotations

import pytest

from tests.browser_support import require_browser

require_browser()
pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const visibleOutline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
      && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(s.outlineColor);
  return {tag: e.tagName, name: e.name || e.id || (e.innerText || '').slice(0, 30), visible: visibleOutline};
}"""

OVERLAPS = """() => {
  const problems = [];
  for (const label of document.querySelectorAll('label[for]')) {
    const field = document.getElementById(label.htmlFor);
    if (!field || ['checkbox', 'radio', 'hidden'].includes(field.type)) continue;
    const a = label.getBoundingClientRect(), b = field.getBoundingClientRect();
    if (!a.width || !b.width) continue;
    const overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2
        && Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2;
    if (overlap) problems.push(label.htmlFor);
  }
  for (const h1 of document.querySelectorAll('h1')) {
    const a = h1.getBoundingClientRect();
    for (const label of document.querySelectorAll('label')) {
      const b = label.getBoundingClientRect();
      if (b.width && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2
          && Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2) problems.push('h1/' + label.htmlFor);
    }
  }
  return problems;
}"""


def _login(page, server, email):
    page.goto(server + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", "crocevia-demo-2026")
    page.press("#password", "Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "path", ["/", "/search?q=tirocinio", "/directory/opportunities/", "/auth/register", "/work-in/newsletter/"]
)
def test_every_control_reached_by_tab_shows_a_visible_focus(page, live_server, path):
    page.goto(live_server + path)
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state["tag"] == "BODY":
            break
        seen.append(state)
    assert seen, "nothing took the focus"
    invisible = [f"{s['tag']} {s['name']}" for s in seen if not s["visible"]]
    assert invisible == []
    assert {"BUTTON", "A"} <= {s["tag"] for s in seen}


def _new_opportunity_url(page, server) -> str:
    page.goto(server + "/directory/manage/")
    return page.locator("a[href*='/opportunity/new']").first.get_attribute("href")


@pytest.mark.parametrize("path", ["/search?q=tirocinio", "/auth/register", "/auth/login", "new-opportunity"])
def test_no_label_is_drawn_over_its_field_or_the_heading(page, live_server, path):
    _login(page, live_server, "partner.asti-est@crocevia.example")
    if path == "new-opportunity":
        path = _new_opportunity_url(page, live_server)
    page.goto(live_server + path)
    assert page.evaluate(OVERLAPS) == []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(OVERLAPS) == [], width


def test_selects_and_buttons_of_a_partner_form_show_focus(page, live_server):
    _login(page, live_server, "partner.asti-est@crocevia.example")
    page.goto(live_server + _new_opportunity_url(page, live_server))
    for selector in ("#province", "#opportunity_type", "button[type=submit]"):
        page.focus(selector)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # reached by keyboard, so :focus-visible applies
        assert page.evaluate(FOCUS_STYLE)["visible"], selector
