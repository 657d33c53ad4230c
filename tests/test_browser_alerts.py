"""On a phone: a resident saves "tirocinio, provincia di Asti", confirms from the mail, gets one
mail when a coordinator approves a new internship and none when nothing is new, and leaves from
the page the mail links to. axe-core checks the alert pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models.base import utcnow
from portal.timezone import rome_today
from tests.browser_support import axe_violations, require_browser
from tests.conftest import Outbox

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

RESIDENT = "residente.telefono@example.it"


def _pending_internship(app) -> int:
    from portal.directory import services
    from portal.models import Organisation, User

    with app.app_context():
        partner = db.session.scalar(db.select(User).where(User.email == "partner.asti-est@crocevia.example"))
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Officina Ruota Libera – Asti"))
        entry = services.create_entry(partner, org, "opportunity", {
            "title": "Tirocinio di verniciatura", "description": "Verniciatura a spruzzo in carrozzeria.",
            "comune": "Asti", "province": "AT", "tenant_ids": [t.id for t in org.tenants], "target_groups": [],
            "opportunity_type": "tirocinio_inclusione", "promoter": "Servizi sociali", "duration_months": 6,
            "how_to_apply": "Scrivere allo sportello.", "deadline": rome_today() + timedelta(days=20)})  # fmt: skip
        db.session.commit()
        return entry.id


def _send_due(app, minutes: int = 2) -> int:
    from portal.alerts.delivery import send_due

    with app.app_context():
        report = send_due(now=utcnow() + timedelta(minutes=minutes))
        db.session.commit()
        return report.sent


def test_a_resident_on_a_phone_saves_confirms_gets_one_mail_and_leaves(app, page, live_server, outbox, index):
    index.rebuild()
    page.goto(live_server + "/directory/opportunities/?q=tirocinio&province=AT")
    page.get_by_role("link", name="Ricevi avvisi").click()
    expect(page.get_by_role("heading", name="Ricevi avvisi")).to_be_visible()
    expect(page.get_by_text("«tirocinio»")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Indirizzo e-mail").fill(RESIDENT)
    page.locator("label", has_text="Una volta alla settimana").click()
    page.locator("label", has_text="Acconsento a ricevere per e-mail").click()
    page.get_by_role("button", name="Ricevi avvisi").click()
    expect(page.get_by_role("heading", name="Controllare la casella e-mail")).to_be_visible()

    [confirmation] = outbox.to(RESIDENT)
    page.goto(live_server + Outbox.link(confirmation, "/alerts/confirm/"))
    expect(page.get_by_text("L'avviso è attivo.")).to_be_visible()
    assert axe_violations(page) == []
    assert _send_due(app, minutes=0) == 0  # nothing new: nothing sent

    entry_id = _pending_internship(app)
    coordinator = page.context.browser.new_context(locale="it-IT", bypass_csp=True).new_page()
    coordinator.goto(live_server + "/auth/login")
    coordinator.get_by_label("Indirizzo e-mail").fill("coordinatore.asti-est@crocevia.example")
    coordinator.get_by_label("Password").fill("crocevia-demo-2026")
    coordinator.get_by_role("button", name="Accedi").click()
    coordinator.goto(live_server + "/directory/moderation/")
    coordinator.get_by_role("article", name="Tirocinio di verniciatura").get_by_role(
        "button", name="Approva e pubblica"
    ).click()
    expect(coordinator.get_by_text("Approvata e pubblicata.")).to_be_visible()
    index.sync()
    assert entry_id and _send_due(app) == 1
    assert _send_due(app, minutes=3) == 0  # weekly: once
    [alert_mail] = [m for m in outbox.to(RESIDENT) if "/alerts/confirm/" not in Outbox.text(m)]
    assert "Tirocinio di verniciatura" in Outbox.text(alert_mail)

    page.goto(live_server + Outbox.link(alert_mail, "/alerts/manage/"))
    expect(page.get_by_role("heading", name="I suoi avvisi")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Disattiva questo avviso").click()
    expect(page.get_by_text("L'avviso è stato disattivato.")).to_be_visible()
    expect(page.get_by_text("Non ha avvisi attivi.")).to_be_visible()
