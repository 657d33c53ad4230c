"""Hostile review of issue 14 across its pieces: what one person's data is, wherever a feature put
it (company registrations, invitations); an ended project against company verification; what an
admin reaches from the administration home."""

from __future__ import annotations

import json
from datetime import timedelta
from html import unescape

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, CompanyRegistration, Organisation, User
from portal.models.base import utcnow
from portal.models.company import Invitation, InvitedRole, RegistrationStatus
from portal.models.directory import organisation_tenant
from tests.conftest import PASSWORD, Outbox
from tests.test_companies import COORDINATOR, confirm_from_mail, register, vat

CONTACT = "giulia@panificio-ferraris.it"
ADMIN = "admin@crocevia.example"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _count(app, model, *where) -> int:
    with app.app_context():
        statement = select(func.count()).select_from(model).where(*where).execution_options(all_tenants=True)
        return int(db.session.scalar(statement) or 0)


def _invite(app, email: str, tenant) -> None:
    from portal.invitations.services import invite

    with app.app_context():
        invite(None, email, "Giulia Ferraris", InvitedRole.MEMBER, tenant=db.session.get(type(tenant), tenant.id))
        db.session.commit()


def _pending_registration(app, tenant, email: str = CONTACT, **extra) -> int:
    with app.app_context():
        row = CompanyRegistration(name="Panificio Ferraris", fiscal_code=vat("0123456"), legal_form="srl",
                                  ateco_code="C", contact_name="Giulia Ferraris", contact_email=email,
                                  tenant_ids=[tenant.id], status=RegistrationStatus.PENDING, consent_at=utcnow(),
                                  confirmed_at=utcnow(), **extra)  # fmt: skip
        db.session.add(row)
        db.session.commit()
        return row.id


# --- a person's data, wherever it is ----------------------------------------------------------


def test_the_mailed_link_shows_downloads_and_erases_a_company_registration_and_an_invitation(
    app, demo_data, browser, new_browser, outbox
):
    register(browser, demo_data)  # the contact person's name and address are in the registration
    confirm_from_mail(browser, outbox, CONTACT)
    _invite(app, CONTACT, demo_data["vicenza"])
    asker = new_browser()
    asker.submit("/privacy/request", {"email": CONTACT})
    link = Outbox.link([m for m in outbox.to(CONTACT) if "/privacy/held/" in outbox.text(m)][0], "/privacy/held/")
    page = _text(asker.get(link))
    assert "Panificio Ferraris" in page and "Inviti non ancora accettati" in page
    data = json.loads(asker.get(link + "/data.json").get_data())
    [company] = data["company_registrations"]
    assert company["contact"] == {"name": "Giulia Ferraris", "email": CONTACT, "phone": "0141 000000"}
    assert company["projects"] == ["ALICE"]
    assert data["invitations"][0]["role"] == "member"
    response = asker.submit(link, {})
    assert response.status_code == 200
    assert _count(app, CompanyRegistration) == 0 and _count(app, Invitation) == 0
    with app.app_context():
        erase = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy-erase"))
        assert erase.changes["company_registrations"] == 1 and erase.changes["invitations"] == 1
    # nothing left: the page says so
    assert "non conserva per questo indirizzo alcuna" in _text(asker.get(link))


def test_deleting_an_account_erases_its_company_registrations_and_invitations_and_unnames_its_reviews(
    app, demo_data, make_user, signed_in
):
    uid = make_user(CONTACT, name="Giulia Ferraris")
    own = _pending_registration(app, demo_data["alice"])
    _invite(app, CONTACT, demo_data["vicenza"])
    coordinator = make_user("coord.ferraris@example.it", role="coordinator", tenant=demo_data["alice"])
    reviewed = _pending_registration(app, demo_data["alice"], email="altro@example.it",
                                     reviewed_by_id=coordinator)  # fmt: skip
    with app.app_context():
        from portal.invitations.services import invite

        invite(db.session.get(User, coordinator), "invitata@example.it", "", InvitedRole.MEMBER,
               tenant=db.session.get(type(demo_data["alice"]), demo_data["alice"].id))  # fmt: skip
        db.session.commit()

    person = signed_in(CONTACT)
    downloaded = json.loads(person.submit("/account/privacy/export", {}, page="/account/privacy").get_data())
    assert [r["company"] for r in downloaded["company_registrations"]] == ["Panificio Ferraris"]
    assert len(downloaded["invitations"]) == 1
    assert person.submit("/account/privacy/delete", {"password": PASSWORD, "understood": "y"},
                         page="/account/privacy").status_code == 302  # fmt: skip
    with app.app_context():
        assert db.session.get(User, uid) is None
        assert db.session.get(CompanyRegistration, own) is None
        assert db.session.scalar(select(Invitation).where(Invitation.email == CONTACT)) is None

    signed_in("coord.ferraris@example.it").submit("/account/privacy/delete", {"password": PASSWORD, "understood": "y"},
                                                   page="/account/privacy")  # fmt: skip
    with app.app_context():
        assert db.session.get(CompanyRegistration, reviewed).reviewed_by_id is None  # kept, without the name
        assert db.session.scalar(select(Invitation.invited_by_id).where(Invitation.email == "invitata@example.it")) \
            is None  # fmt: skip


def test_company_registrations_decided_long_ago_are_purged_as_the_notice_says(app, demo_data, runner, client):
    app.config["COMPANY_REGISTRATION_RETENTION_DAYS"] = 90
    try:
        notice = _text(client.get("/alice/privacy/"))
        assert "Iscrizioni delle imprese" in notice and "90 giorni dopo la decisione" in notice
        for heading in ("Inviti", "Esiti dei tirocini", "Segnalazioni sull'accessibilità"):
            assert heading in notice
        old = _pending_registration(app, demo_data["alice"], reviewed_at=utcnow() - timedelta(days=91))
        recent = _pending_registration(app, demo_data["alice"], email="b@example.it",
                                       reviewed_at=utcnow() - timedelta(days=89))  # fmt: skip
        waiting = _pending_registration(app, demo_data["alice"], email="c@example.it")
        with app.app_context():
            for row_id in (old, recent):
                db.session.get(CompanyRegistration, row_id).status = RegistrationStatus.REJECTED
            db.session.commit()
        result = runner.invoke(args=["privacy", "purge"])
        assert result.exit_code == 0 and "1 company registrations decided long ago" in result.output
        with app.app_context():
            assert db.session.get(CompanyRegistration, old) is None
            assert db.session.get(CompanyRegistration, recent) is not None
            assert db.session.get(CompanyRegistration, waiting) is not None  # still waiting: never purged
    finally:
        app.config["COMPANY_REGISTRATION_RETENTION_DAYS"] = 180


# --- an ended project and the companies -------------------------------------------------------


def test_an_ended_project_is_not_offered_to_companies_and_refuses_one_chosen_anyway(app, demo_data, browser):
    page = _text(browser.get("/companies/register"))
    assert "ALICE" in page and "CIAO!" not in page
    response = register(browser, demo_data, tenant_ids=[str(demo_data["ciao"].id)])
    assert response.status_code == 422
    assert _count(app, CompanyRegistration) == 0


def test_a_coordinator_of_an_ended_project_cannot_verify_a_company_and_is_told_why(app, demo_data, make_user,
                                                                                 signed_in):  # fmt: skip
    make_user("coord.ciao@example.it", role="coordinator", tenant=demo_data["ciao"])
    row = _pending_registration(app, demo_data["ciao"])
    coordinator = signed_in("coord.ciao@example.it")
    response = coordinator.submit(f"/ciao/manage/companies/{row}/verify", {}, page=f"/ciao/manage/companies/{row}",
                                  follow_redirects=True)  # fmt: skip
    assert "si è concluso il 31 dicembre 2021" in _text(response)
    assert _count(app, Organisation, Organisation.name == "Panificio Ferraris") == 0
    with app.app_context():
        assert db.session.get(CompanyRegistration, row).status == RegistrationStatus.PENDING


def test_verifying_for_a_running_project_does_not_link_the_company_to_an_ended_one(app, demo_data, signed_in):
    row = _pending_registration(app, demo_data["alice"])
    with app.app_context():
        db.session.get(CompanyRegistration, row).tenant_ids = [demo_data["alice"].id, demo_data["ciao"].id]
        db.session.commit()
    signed_in(COORDINATOR).submit(f"/alice/manage/companies/{row}/verify", {}, page=f"/alice/manage/companies/{row}")
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Panificio Ferraris"))
        linked = db.session.scalars(select(organisation_tenant.c.tenant_id)
                                    .where(organisation_tenant.c.organisation_id == org.id)).all()  # fmt: skip
        assert linked == [demo_data["alice"].id]  # not even a request to the ended project


# --- the admin's home -------------------------------------------------------------------------


def test_the_admin_home_links_the_network_dashboard_and_every_project_dashboard(app, demo_data, signed_in):
    admin = signed_in(ADMIN)
    page = admin.get("/admin/").get_data(as_text=True)
    assert 'href="/directory/moderation/kpi/"' in page
    for slug in ("alice", "asti-est", "ciao", "vicenza", "work-in"):
        assert f'href="/{slug}/manage/kpi/"' in page
        assert admin.get(f"/{slug}/manage/kpi/").status_code == 200
    assert admin.get("/directory/moderation/kpi/").status_code == 200


# --- placements: another project's rows, and offers never published ----------------------------

from tests.test_kpi import COORDINATOR as ASTI_COORDINATOR  # noqa: E402
from tests.test_kpi import PARTNER, _outcomes_url, _placement, cell, project  # noqa: E402, F401


def test_a_coordinator_neither_sees_nor_removes_another_projects_placements(app, project, tenants, signed_in):  # noqa: F811
    from portal.models import InternshipOutcome

    with app.app_context():
        vicenza_row = db.session.scalar(select(InternshipOutcome.id).where(
            InternshipOutcome.tenant_id == tenants["vicenza"].id).execution_options(all_tenants=True))  # fmt: skip
    url = _outcomes_url(project["internship"])
    coordinator = signed_in(ASTI_COORDINATOR)
    page = coordinator.get(url).get_data(as_text=True)
    assert "Vicenza" not in page.split("<main", 1)[1]  # neither a row nor a choice of Vicenza's
    removed = coordinator.submit(f"{url}/remove", {"outcome_id": str(vicenza_row)}, page=url)
    assert removed.status_code == 404
    refused = coordinator.submit(url, _placement(tenants["vicenza"].id))
    assert refused.status_code == 422
    assert _count(app, InternshipOutcome, InternshipOutcome.id == vicenza_row) == 1
    assert _count(app, InternshipOutcome, InternshipOutcome.placements == 4) == 0
    # the offer's own editor still records for every project the offer is shown in
    assert signed_in(PARTNER).submit(url, _placement(tenants["asti-est"].id)).status_code == 302


def test_an_offer_never_published_takes_no_placements_and_says_why(app, project, tenants, signed_in):  # noqa: F811
    from sqlalchemy import update

    from portal.models import Entry, InternshipOutcome

    with app.app_context():
        db.session.execute(update(Entry).where(Entry.id == project["internship"]).values(published_at=None,
                                                                                        status="draft"))  # fmt: skip
        db.session.commit()
    url = _outcomes_url(project["internship"])
    response = signed_in(PARTNER).submit(url, _placement(tenants["asti-est"].id), headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "never been published" in _text(response)
    assert _count(app, InternshipOutcome, InternshipOutcome.placements == 4) == 0


def test_declining_without_a_reason_shows_the_error_on_the_field(app, demo_data, signed_in):
    row = _pending_registration(app, demo_data["alice"])
    url = f"/alice/manage/companies/{row}"
    response = signed_in(COORDINATOR).submit(f"{url}/reject", {"reason": "  "}, page=url)
    assert response.status_code == 422
    html = _text(response)
    assert 'aria-invalid="true"' in html and "Indicare il motivo." in html
    with app.app_context():
        assert db.session.get(CompanyRegistration, row).status == RegistrationStatus.PENDING


def test_an_ended_projects_registration_page_says_why_it_cannot_be_verified(app, demo_data, make_user, signed_in):
    make_user("coord.ciao@example.it", role="coordinator", tenant=demo_data["ciao"])
    row = _pending_registration(app, demo_data["ciao"])
    html = _text(signed_in("coord.ciao@example.it").get(f"/ciao/manage/companies/{row}"))
    assert "si è concluso il 31 dicembre 2021" in html and "nuove imprese" in html
    assert f"/ciao/manage/companies/{row}/verify" not in html
    assert f"/ciao/manage/companies/{row}/reject" in html  # it can still be declined, with a reason


def test_an_ended_projects_newsletter_takes_no_new_subscriber_and_says_why(app, demo_data, browser, make_user,
                                                                           signed_in):  # fmt: skip
    from portal.models import Subscription

    page = _text(browser.get("/ciao/newsletter/"))
    assert "non accetta più nuove iscrizioni alla newsletter" in page or "nuove iscrizioni alla newsletter" in page
    assert 'name="email"' not in page  # no address asked for a newsletter that will never be sent
    posted = browser.client.post("/ciao/newsletter/", data={"email": "nuova@example.it", "locale": "it",
                                                            "consent": "y"})  # fmt: skip
    assert posted.status_code in (400, 409)
    make_user("residente.ciao@example.it")
    resident = signed_in("residente.ciao@example.it")
    clicked = resident.submit("/ciao/newsletter/subscribe-me", {}, page="/vicenza/newsletter/", follow_redirects=True)
    assert clicked.status_code == 200 and "si è concluso" in _text(clicked)
    assert _count(app, Subscription, Subscription.tenant_id == demo_data["ciao"].id,
                  Subscription.email.in_(["nuova@example.it", "residente.ciao@example.it"])) == 0  # fmt: skip
    assert 'name="email"' in _text(browser.get("/vicenza/newsletter/"))  # a running project still asks


def test_an_ended_projects_search_offers_no_alert_and_the_form_points_to_the_network(app, indexed_demo, browser):
    from portal.models import Alert

    assert "/alerts/new" not in browser.get("/ciao/search?q=lavoro").get_data(as_text=True)
    assert "/alerts/new" in browser.get("/vicenza/search?q=lavoro").get_data(as_text=True)
    url = "/alerts/new?search=q%3Dlavoro&tenant=ciao"
    page = _text(browser.get(url))
    assert "nuovi avvisi" in page and 'name="email"' not in page and 'href="/search?q=lavoro"' in page
    posted = browser.client.post(url, data={"email": "nuova@example.it", "locale": "it", "frequency": "daily",
                                            "consent": "y", "search": "q=lavoro", "tenant": "ciao"})  # fmt: skip
    assert posted.status_code in (400, 409)
    assert _count(app, Alert) == 0


def test_completed_minus_hired_cannot_give_back_a_small_count(app, project, tenants, signed_in):  # noqa: F811
    """7 placements completed, 6 of them ending in hiring: both shown, they would say that exactly
    1 completed without hiring. The hired count is then hidden too ("≥ 5")."""
    import csv
    import io
    from datetime import date

    from portal.models import InternshipOutcome
    from portal.models.kpi import Outcome
    from portal.tenancy import tenant_scope

    with app.app_context(), tenant_scope(tenants["asti-est"]):
        completed = db.session.scalar(select(InternshipOutcome).where(InternshipOutcome.outcome == Outcome.COMPLETED))
        completed.placements = 1  # completed without hiring: 1; hired: 3 + 3 = 6; completed in all: 7
        db.session.add(InternshipOutcome(tenant_id=tenants["asti-est"].id, entry_id=project["internship"],
                                         placements=3, outcome=Outcome.HIRED, started_on=date(2025, 2, 1),
                                         ended_on=date(2025, 5, 1)))  # fmt: skip
        db.session.commit()
    response = signed_in(ASTI_COORDINATOR).get("/asti-est/manage/kpi/kpi.csv?from=2025-01-01&to=2025-06-30",
                                               headers={"Accept-Language": "en"})  # fmt: skip
    rows = {row[1]: row[3] for row in csv.reader(io.StringIO(response.get_data(as_text=True))) if row[0] == "Summary"}
    assert rows["Internship placements completed"] == "7"
    assert rows["Placements ended in hiring"] == "≥ 5"  # 6 would give back the 1 completed without hiring
    page = signed_in(ASTI_COORDINATOR).get("/asti-est/manage/kpi/?from=2025-01-01&to=2025-06-30",
                                           headers={"Accept-Language": "en"}).get_data(as_text=True)  # fmt: skip
    assert cell(page, "internships_hired") == "≥ 5" and cell(page, "internships_completed") == "7"


def test_the_last_platform_admin_cannot_delete_their_account_and_is_told_what_to_do(app, demo_data, make_user,
                                                                                   signed_in):  # fmt: skip
    admin = signed_in(ADMIN)
    response = admin.submit("/account/privacy/delete", {"password": "crocevia-demo-2026", "understood": "y"},
                            page="/account/privacy")  # fmt: skip
    assert response.status_code == 422
    assert "ultimo profilo con amministrazione della piattaforma" in _text(response)
    assert _count(app, User, User.email == ADMIN) == 1
    make_user("seconda.admin@example.it", admin=True)
    response = admin.submit("/account/privacy/delete", {"password": "crocevia-demo-2026", "understood": "y"},
                            page="/account/privacy")  # fmt: skip
    assert response.status_code == 302 and _count(app, User, User.email == ADMIN) == 0


def test_the_invitation_page_that_creates_an_account_links_the_privacy_notice(app, demo_data, browser, outbox):
    _invite(app, "nuova.persona@example.it", demo_data["vicenza"])
    link = Outbox.link(outbox.to("nuova.persona@example.it")[0], "/invitation/")
    html = browser.get(link).get_data(as_text=True)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]  # the footer links it on every page anyway
    assert 'name="password"' in main and 'href="/info/privacy"' in main


def test_the_dashboard_counts_neither_drafts_nor_withdrawn_entries(app, project, tenants, signed_in):  # noqa: F811
    import csv
    import io

    from sqlalchemy import update

    from portal.models import Entry

    def published_count() -> str:
        response = signed_in(ASTI_COORDINATOR).get("/asti-est/manage/kpi/kpi.csv?from=2025-01-01&to=2025-06-30",
                                                   headers={"Accept-Language": "en"})  # fmt: skip
        rows = csv.reader(io.StringIO(response.get_data(as_text=True)))
        return next(row[3] for row in rows if row[0] == "Summary" and row[1] == "Entries published")

    assert published_count() == "9"
    with app.app_context():
        ids = db.session.scalars(select(Entry.id).where(Entry.kind == "opportunity", Entry.status == "published")
                                 .order_by(Entry.id).limit(3)).all()  # fmt: skip
        db.session.execute(update(Entry).where(Entry.id == ids[0]).values(status="withdrawn"))
        db.session.execute(update(Entry).where(Entry.id == ids[1]).values(status="draft"))
        db.session.execute(update(Entry).where(Entry.id == ids[2]).values(status="pending"))
        db.session.commit()
    assert published_count() == "6"


def test_a_role_without_its_project_is_refused_on_the_field_not_in_a_flash(app, demo_data, signed_in):
    with app.app_context():
        target = db.session.scalar(select(User.id).where(User.email == "residente@crocevia.example"))
    page = f"/admin/users/{target}"
    admin = signed_in(ADMIN)
    response = admin.submit(f"{page}/roles", {"role": "member", "tenant_id": "", "organisation_id": ""}, page=page)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="tenant_id"' in html and 'aria-invalid="true"' in html
    assert 'href="#tenant_id"' in html  # the summary links the field
    assert "Scegliere il progetto" in _text(response)


def test_an_issue_scheduled_before_the_project_ended_is_not_sent_after_the_end(app, demo_data):
    from datetime import UTC, datetime

    from portal.models import Issue, Subscription
    from portal.models.newsletter import Delivery, IssueStatus
    from portal.newsletters.delivery import send_due
    from portal.tenancy import tenant_scope

    ciao = demo_data["ciao"]
    with app.app_context(), tenant_scope(ciao):
        db.session.add(Subscription(tenant_id=ciao.id, email="iscritta@example.it", status="confirmed",
                                    consent_at=utcnow(), confirmed_at=utcnow()))  # fmt: skip
        issue = Issue(tenant_id=ciao.id, subject="Ultimo numero", body_md="Arrivederci.", status=IssueStatus.SCHEDULED,
                      scheduled_at=datetime(2021, 12, 30, 9, tzinfo=UTC))  # fmt: skip
        db.session.add(issue)
        db.session.commit()
        issue_id = issue.id
    with app.app_context():
        send_due(now=utcnow())
        db.session.commit()
    with app.app_context(), tenant_scope(ciao):
        assert db.session.get(Issue, issue_id).status == IssueStatus.SCHEDULED
        assert db.session.scalar(select(func.count()).select_from(Delivery).where(Delivery.issue_id == issue_id)) == 0


def test_the_same_placements_form_sent_twice_counts_once(app, project, tenants, signed_in):  # noqa: F811
    import re

    from portal.models import InternshipOutcome
    from tests.conftest import csrf_token_from

    url = _outcomes_url(project["internship"])
    partner = signed_in(PARTNER)
    html = partner.get(url).get_data(as_text=True)
    key = re.search(r'name="submission" type="hidden" value="([^"]+)"|name="submission" value="([^"]+)"', html)
    assert key is not None
    data = {"csrf_token": csrf_token_from(html), "submission": key.group(1) or key.group(2),
            **_placement(tenants["asti-est"].id)}  # fmt: skip
    first = partner.client.post(url, data=data)
    again = partner.client.post(url, data=data, follow_redirects=True)  # the browser's "send again"
    assert first.status_code == 302 and again.status_code == 200
    assert "counted once" in _text(again) or "contati una sola volta" in _text(again)
    assert _count(app, InternshipOutcome, InternshipOutcome.placements == 4) == 1
    assert partner.submit(url, _placement(tenants["asti-est"].id)).status_code == 302  # a new form: new placements
    assert _count(app, InternshipOutcome, InternshipOutcome.placements == 4) == 2
