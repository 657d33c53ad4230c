"""What only a browser shows about the life cycle and the accessibility statement: axe-core finds no
serious violation on an ended project's space, an EU-funded space's visibility block, the statement
and its feedback form with errors; the form works with the keyboard alone."""

from __future__ import annotations

import pytest

from tests.browser_support import require_browser, serious_violations

require_browser()
pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def _eu_funded(app, slug: str) -> None:
    from portal.extensions import db
    from portal.models import Tenant

    with app.app_context():
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
        tenant.funding = {"programme": "PN Inclusione e lotta alla povertà 2021-2027", "eu_cohesion_funds": True}
        db.session.commit()


def test_the_new_pages_have_no_serious_violation_in_both_languages(app, live_server, page):
    _eu_funded(app, "work-in")
    problems = {}
    for path in ("/", "/ciao/", "/work-in/", "/info/accessibilita", "/ciao/accessibilita",
                 "/ciao/accessibilita/segnalazione"):  # fmt: skip
        for lang in ("it", "en"):
            page.goto(f"{live_server}{path}?lang={lang}")
            found = serious_violations(page)
            if found:
                problems[f"{path} ({lang})"] = found
    assert not problems, problems


def test_the_feedback_form_explains_errors_and_sends_with_the_keyboard(live_server, page):
    page.goto(f"{live_server}/info/accessibilita/segnalazione?lang=it")
    page.get_by_role("button", name="Invia la segnalazione").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Indirizzo e-mail", exact=True).fill("lucia@example.it")
    page.get_by_label("Indirizzo della pagina", exact=True).fill("https://crocevia.example/ciao/")
    page.get_by_label("Che cosa non funziona", exact=True).fill("Il menu non si apre con la tastiera.")
    page.get_by_label("Acconsento").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Invia la segnalazione").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Segnalazione inviata")).to_be_visible()
