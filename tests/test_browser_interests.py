"""End to end on a phone: a resident opens a demo internship, follows "Manifesta interesse",
fixes what the form says is wrong and sends it; the organisation's contact receives it.
axe-core checks the form, with and without errors, and the page that follows."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_violations, require_browser

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def _a_demo_internship(app) -> tuple[str, str]:
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Opportunity
    from portal.models.directory import Status

    with app.app_context():
        entry = db.session.scalars(
            select(Opportunity).where(Opportunity.status == Status.PUBLISHED).order_by(Opportunity.id)
        ).first()
        assert entry is not None and entry.organisation.email
        return entry.slug, entry.organisation.email


def test_a_resident_shows_interest_from_a_phone(app, page, live_server, outbox):
    slug, org_email = _a_demo_internship(app)
    page.goto(f"{live_server}/directory/opportunities/{slug}")
    expect(page.get_by_role("heading", name="Chi contattare")).to_be_visible()
    page.get_by_role("link", name="Manifesta interesse").click()
    expect(page.get_by_role("heading", name="Manifesta interesse")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Nome e cognome").fill("Amina Diallo")
    page.get_by_role("textbox", name="Indirizzo e-mail").fill("amina@")
    page.get_by_role("textbox", name="Messaggio").fill("Sono disponibile da subito.")
    with page.expect_navigation():
        page.get_by_role("button", name="Invia").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Indirizzo e-mail").fill("amina.diallo@example.it")
    page.locator("label[for=consent]").click()  # as a person taps the consent text
    expect(page.get_by_role("checkbox", name="Acconsento", exact=False)).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Invia").click()
    expect(page.get_by_role("heading", name="Messaggio inviato")).to_be_visible()
    assert axe_violations(page) == []
    [received] = outbox.to(org_email)
    assert received["Reply-To"].addresses[0].addr_spec == "amina.diallo@example.it"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_interest_form_passes_axe_in_both_languages(app, page, live_server, lang):
    slug, _ = _a_demo_internship(app)
    page.goto(f"{live_server}/directory/opportunities/{slug}/interest?lang={lang}")
    assert axe_violations(page) == []
