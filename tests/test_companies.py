"""Company self-registration (issue 14 point 5): a company offers itself to host interns without
an account, its contact confirms the address, a coordinator of a chosen project verifies it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from stdnum import luhn

from portal.extensions import db
from portal.models import AuditEvent, CompanyRegistration, Organisation, User
from portal.models.company import Invitation, RegistrationStatus
from portal.models.directory import LinkStatus, organisation_editor, organisation_tenant
from tests.conftest import Browser, whoosh_only

COORDINATOR = "coordinatore.alice@crocevia.example"


def vat(seed: str) -> str:
    """A valid partita IVA: 7 digits of the company, the office code 001, the check digit."""
    return seed + "001" + luhn.calc_check_digit(seed + "001")


def form(tenants, **overrides) -> dict:
    data = {
        "name": "Panificio Ferraris",
        "fiscal_code": vat("0123456"),
        "vat_number": "",
        "legal_form": "srl",
        "ateco_code": "C",
        "comune": "Asti",
        "province": "AT",
        "contact_name": "Giulia Ferraris",
        "contact_email": "giulia@panificio-ferraris.it",
        "contact_phone": "0141 000000",
        "intern_places": "2",
        "intern_profiles": "Aiuto panettiere, banco vendita",
        "intern_period": "Da marzo 2027",
        "tenant_ids": [str(tenants["alice"].id)],
        "accept_privacy": "y",
    }
    data.update(overrides)
    return data


def register(browser: Browser, tenants, **overrides):
    return browser.submit("/companies/register", form(tenants, **overrides))


def registration(app, **where) -> CompanyRegistration | None:
    with app.app_context():
        row = db.session.scalar(select(CompanyRegistration).filter_by(**where))
        if row is not None:
            db.session.expunge(row)
        return row


def confirm_from_mail(browser: Browser, outbox, address: str):
    message = outbox.to(address)[-1]
    return browser.get(outbox.link(message, "/companies/confirm/"))


def actions(app, object_type: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == object_type)
                                       .order_by(AuditEvent.id)))  # fmt: skip


def test_a_company_registers_confirms_and_a_coordinator_verifies_it(app, demo_data, browser, outbox, signed_in,
                                                                    new_browser):  # fmt: skip
    page = browser.get("/companies/register").get_data(as_text=True)
    assert "/privacy" in page and "ALICE" in page
    response = register(browser, demo_data)
    assert response.status_code == 200
    assert "giulia@panificio-ferraris.it" in response.get_data(as_text=True)
    row = registration(app, name="Panificio Ferraris")
    assert row.status == RegistrationStatus.UNCONFIRMED and row.consent_at is not None

    coordinator = signed_in(COORDINATOR)
    assert "Panificio Ferraris" not in coordinator.get("/alice/manage/companies/").get_data(as_text=True)

    confirmed = confirm_from_mail(browser, outbox, "giulia@panificio-ferraris.it")
    assert confirmed.status_code == 200 and "ALICE" in confirmed.get_data(as_text=True)
    assert registration(app, id=row.id).status == RegistrationStatus.PENDING
    assert "Panificio Ferraris" not in browser.get("/directory/organisations").get_data(as_text=True)

    [told] = outbox.to(COORDINATOR)
    assert f"/alice/manage/companies/{row.id}" in outbox.text(told)

    queue = coordinator.get("/alice/manage/companies/").get_data(as_text=True)
    assert "Panificio Ferraris" in queue and "Nuova organizzazione" in queue
    detail = coordinator.get(f"/alice/manage/companies/{row.id}").get_data(as_text=True)
    assert "Aiuto panettiere" in detail and "Da marzo 2027" in detail
    verified = coordinator.submit(f"/alice/manage/companies/{row.id}/verify", {},
                                  page=f"/alice/manage/companies/{row.id}")  # fmt: skip
    assert verified.status_code == 302

    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Panificio Ferraris"))
        assert org is not None and org.intern_places == 2 and org.legal_form == "S.r.l." and org.hosts_interns
        assert [t.slug for t in org.tenants] == ["alice"]
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == "giulia@panificio-ferraris.it"))
        assert invitation is not None and invitation.organisation_id == org.id
    assert registration(app, id=row.id).status == RegistrationStatus.VERIFIED
    assert actions(app, "company_registration") == ["company-register", "company-confirm", "company-verify"]
    assert "invite" in actions(app, "invitation")

    # the contact chooses a password from the invitation and is the organisation's editor
    contact = new_browser()
    mails = outbox.to("giulia@panificio-ferraris.it")
    link = next(outbox.link(m, "/invitation/") for m in mails if "/invitation/" in outbox.text(m))
    accepted = contact.submit(link, {"name": "Giulia Ferraris", "password": "pane e farina 2027",
                                     "confirm": "pane e farina 2027"})  # fmt: skip
    assert accepted.status_code == 302 and "/auth/login" in accepted.headers["Location"]
    contact.login("giulia@panificio-ferraris.it", "pane e farina 2027")
    assert "Panificio Ferraris" in contact.get("/directory/manage/").get_data(as_text=True)
    again = new_browser().get(link)
    assert again.status_code == 400  # used once


def test_a_fiscal_code_already_in_the_directory_becomes_a_request_to_join(app, demo_data, browser, outbox,
                                                                          signed_in, make_user):  # fmt: skip
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.status == "published").limit(1))
        code = vat("0987654")
        org.fiscal_code = code
        db.session.commit()
        org_id, org_name = org.id, org.name
        count = db.session.query(Organisation).count()
    make_user("giulia@panificio-ferraris.it", name="Giulia Ferraris")
    register(browser, demo_data, fiscal_code=f"IT {code}", name="Altro nome")
    confirm_from_mail(browser, outbox, "giulia@panificio-ferraris.it")
    row = registration(app, name="Altro nome")
    assert row.existing_organisation_id == org_id

    coordinator = signed_in(COORDINATOR)
    assert "Chiede di unirsi" in coordinator.get("/alice/manage/companies/").get_data(as_text=True)
    assert org_name in coordinator.get(f"/alice/manage/companies/{row.id}").get_data(as_text=True)
    coordinator.submit(f"/alice/manage/companies/{row.id}/verify", {}, page=f"/alice/manage/companies/{row.id}")
    with app.app_context():
        assert db.session.query(Organisation).count() == count  # no duplicate
        contact = db.session.scalar(select(User).where(User.email == "giulia@panificio-ferraris.it"))
        assert db.session.scalar(select(organisation_editor.c.organisation_id).where(
            organisation_editor.c.user_id == contact.id)) == org_id  # fmt: skip
        link = db.session.execute(select(organisation_tenant.c.status).where(
            organisation_tenant.c.organisation_id == org_id,
            organisation_tenant.c.tenant_id == demo_data["alice"].id)).scalar()  # fmt: skip
        assert link == LinkStatus.APPROVED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fiscal_code", "01234567890", "codice fiscale"),
        ("vat_number", "IT12345678901", "Partita IVA non valida"),
        ("contact_email", "non-un-indirizzo", "indirizzo e-mail valido"),
        ("legal_form", "finta", ""),
        ("ateco_code", "10.7", ""),
        ("tenant_ids", ["9999"], ""),
        ("tenant_ids", [], "almeno un progetto"),
        ("name", "Nome\x07con controllo", "caratteri di controllo"),
        ("accept_privacy", "", "informativa"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_kept(app, tenants, browser, outbox, field, value,
                                                                 message):  # fmt: skip
    response = register(browser, tenants, **{field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert registration(app) is None and outbox.messages() == []


def test_hostile_text_is_shown_as_text(app, tenants, browser, outbox, signed_in, make_user):
    make_user(COORDINATOR, role="coordinator", tenant=tenants["alice"])
    register(browser, tenants, name='<script>alert("x")</script> S.r.l.')
    confirm_from_mail(browser, outbox, "giulia@panificio-ferraris.it")
    page = signed_in(COORDINATOR).get("/alice/manage/companies/").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_line_breaks_in_the_name_cannot_add_mail_headers(app, tenants, browser, outbox):
    response = register(browser, tenants, name="Panificio\r\nBcc: tutti@example.it", contact_name="Giulia\nFerraris")
    assert response.status_code == 200
    [message] = outbox.to("giulia@panificio-ferraris.it")
    assert message["Bcc"] is None and "Panificio Bcc: tutti@example.it" in message["Subject"]
    assert registration(app).contact_name == "Giulia Ferraris"


def test_a_second_registration_of_a_waiting_fiscal_code_is_refused(app, tenants, browser, outbox):
    register(browser, tenants)
    again = register(browser, tenants, contact_email="altra@example.it")
    assert again.status_code == 422 and "già in attesa" in again.get_data(as_text=True)


def test_an_unconfirmed_registration_never_reaches_the_coordinators(app, tenants, browser, signed_in, make_user):
    make_user(COORDINATOR, role="coordinator", tenant=tenants["alice"])
    register(browser, tenants)
    row = registration(app)
    coordinator = signed_in(COORDINATOR)
    assert "Panificio" not in coordinator.get("/alice/manage/companies/").get_data(as_text=True)
    assert coordinator.get(f"/alice/manage/companies/{row.id}").status_code == 404
    refused = coordinator.submit(f"/alice/manage/companies/{row.id}/verify", {}, page="/alice/manage/companies/")
    assert refused.status_code == 404
    assert registration(app, id=row.id).status == RegistrationStatus.UNCONFIRMED


def test_a_tampered_confirmation_link_shows_the_link_problem_page(app, tenants, browser):
    response = browser.get("/companies/confirm/not-a-token")
    assert response.status_code == 400 and "/companies/register" in response.get_data(as_text=True)


def test_a_coordinator_of_a_project_not_chosen_does_not_see_it(app, tenants, browser, outbox, signed_in, make_user):
    make_user("coord.ciao@example.it", role="coordinator", tenant=tenants["ciao"])
    register(browser, tenants)
    confirm_from_mail(browser, outbox, "giulia@panificio-ferraris.it")
    row = registration(app)
    other = signed_in("coord.ciao@example.it")
    assert "Panificio" not in other.get("/ciao/manage/companies/").get_data(as_text=True)
    assert other.get(f"/ciao/manage/companies/{row.id}").status_code == 404
    assert other.get(f"/alice/manage/companies/{row.id}").status_code == 403


def test_a_coordinator_declines_with_a_reason_and_the_company_is_told(app, tenants, browser, outbox, signed_in,
                                                                      make_user):  # fmt: skip
    make_user(COORDINATOR, role="coordinator", tenant=tenants["alice"])
    register(browser, tenants)
    confirm_from_mail(browser, outbox, "giulia@panificio-ferraris.it")
    row = registration(app)
    coordinator = signed_in(COORDINATOR)
    page = f"/alice/manage/companies/{row.id}"
    coordinator.submit(f"{page}/reject", {"reason": ""}, page=page)
    assert registration(app, id=row.id).status == RegistrationStatus.PENDING
    coordinator.submit(f"{page}/reject", {"reason": "Sede fuori dall'area del PIT 2"}, page=page)
    assert registration(app, id=row.id).status == RegistrationStatus.REJECTED
    assert "Sede fuori" in outbox.text(outbox.to("giulia@panificio-ferraris.it")[-1])
    assert actions(app, "company_registration")[-1] == "company-reject"
    with app.app_context():
        assert db.session.query(Organisation).count() == 0


@whoosh_only
def test_pending_registrations_are_not_searchable(app, demo_data, browser, outbox, index):
    register(browser, demo_data)
    confirm_from_mail(browser, outbox, "giulia@panificio-ferraris.it")
    index.rebuild()
    response = browser.get("/search?q=Panificio")
    assert response.status_code == 200 and "Ferraris" not in response.get_data(as_text=True)


def test_the_form_is_rate_limited(app_factory, tenants):
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_FORMS="2 per minute")
    browser = Browser(limited.test_client())
    codes = [register(browser, tenants, contact_email=f"p{n}@example.it",
                      fiscal_code=vat(f"012345{n}")).status_code for n in range(4)]  # fmt: skip
    assert codes[:2] == [200, 200] and codes[-1] == 429


def test_registrations_never_confirmed_are_purged_after_the_link_expires(app, tenants, browser):
    from datetime import timedelta

    from portal.companies.services import purge_unconfirmed
    from portal.models.base import utcnow

    register(browser, tenants)
    with app.app_context():
        assert purge_unconfirmed(utcnow()) == 0
        assert purge_unconfirmed(utcnow() + timedelta(days=8)) == 1
        db.session.commit()
    assert registration(app) is None


def test_the_network_directory_offers_companies_the_registration(client, tenants):
    page = client.get("/directory/").get_data(as_text=True)
    assert 'href="/companies/register"' in page
    assert (
        "Un&#39;impresa disponibile a ospitare tirocini?" in page
        or "Un'impresa disponibile a ospitare tirocini?" in page
    )


def test_the_retention_command_and_job_purge_stale_registrations(app, tenants, browser):
    from datetime import timedelta

    from sqlalchemy import update

    from portal.models.base import utcnow

    register(browser, tenants)
    with app.app_context():
        db.session.execute(update(CompanyRegistration).values(created_at=utcnow() - timedelta(days=8)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 unconfirmed company registrations" in result.output
    assert registration(app) is None
