"""On a phone: a company fills the registration form, fixes what it says is wrong and sends it;
axe-core checks the form with and without errors, and the admin dashboard."""

from __future__ import annotations

import pytest

from tests.browser_support import axe_violations, require_browser

require_browser()
pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_a_company_registers_from_a_phone(app, page, live_server, outbox):
    page.goto(f"{live_server}/companies/register")
    expect(page.get_by_role("heading", name="Iscrizione delle imprese")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Denominazione dell'impresa").fill("Panificio Ferraris")
    page.get_by_role("textbox", name="Codice fiscale").fill("01234567890")
    with page.expect_navigation():
        page.get_by_role("button", name="Iscrivere l'impresa").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Codice fiscale").fill("00743110157")
    page.get_by_label("Forma giuridica").select_option("srl")
    page.get_by_label("Settore di attività (ATECO 2025)").select_option("C")
    page.get_by_label("Provincia").select_option("AT")
    page.get_by_role("textbox", name="Comune della sede legale").fill("Asti")
    page.get_by_role("textbox", name="Persona referente (nome e cognome)").fill("Giulia Ferraris")
    page.get_by_role("textbox", name="E-mail della persona referente").fill("giulia@panificio-ferraris.it")
    page.get_by_text("ALICE", exact=True).click()  # as a person taps the label
    page.locator("label[for=accept_privacy]").click()
    expect(page.get_by_role("checkbox", name="Dichiaro di aver letto", exact=False)).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Iscrivere l'impresa").click()
    expect(page.get_by_role("heading", name="Controllare la posta della persona referente")).to_be_visible()
    assert axe_violations(page) == []
    assert outbox.to("giulia@panificio-ferraris.it")


def test_the_admin_pages_pass_axe(app, page, live_server):
    page.goto(f"{live_server}/auth/login")
    page.get_by_role("textbox", name="Indirizzo e-mail").fill("admin@crocevia.example")
    page.get_by_label("Password").fill("crocevia-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Accedi").click()
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User

    with app.app_context():
        resident = db.session.scalar(select(User.id).where(User.email == "residente@crocevia.example"))
    for path in ("/admin/", "/admin/users", f"/admin/users/{resident}", "/admin/invitations", "/admin/projects",
                 "/alice/manage/companies/"):  # fmt: skip
        page.goto(f"{live_server}{path}")
        assert axe_violations(page) == [], path


def test_a_coordinator_verifies_a_registration_in_the_browser(app, page, live_server):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import CompanyRegistration, Organisation, Tenant
    from portal.models.company import RegistrationStatus

    with app.app_context():
        alice = db.session.scalar(select(Tenant.id).where(Tenant.slug == "alice"))
        row = CompanyRegistration(name="Officina Rossi", fiscal_code="00743110157", legal_form="srl",
                                  ateco_code="C", comune="Asti", province="AT", contact_name="Luca Rossi",
                                  contact_email="luca@officina-rossi.it", tenant_ids=[alice],
                                  status=RegistrationStatus.PENDING, intern_places=1)  # fmt: skip
        db.session.add(row)
        db.session.commit()
        row_id = row.id
    page.goto(f"{live_server}/auth/login")
    page.get_by_role("textbox", name="Indirizzo e-mail").fill("coordinatore.alice@crocevia.example")
    page.get_by_label("Password").fill("crocevia-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Accedi").click()
    page.goto(f"{live_server}/alice/manage/companies/{row_id}")
    expect(page.get_by_role("heading", name="Officina Rossi")).to_be_visible()
    assert axe_violations(page) == []
    button = page.get_by_role("button", name="Verificare", exact=False)
    with page.expect_navigation():
        button.first.click()
    assert axe_violations(page) == []
    with app.app_context():
        assert db.session.scalar(select(Organisation.id).where(Organisation.name == "Officina Rossi")) is not None
