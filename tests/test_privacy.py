"""The people whose data the portal holds: each project's art. 13 notice, linked from every form that
collects personal data; a resident downloads and erases their account (what they published stays
with its organisation); anyone erases, by e-mail link, what is held for their address, without the
portal telling strangers whether it holds anything; retention runs as a command; every export and
erasure is an audit event."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Alert,
    AuditEvent,
    Interest,
    Membership,
    NewsPost,
    Opportunity,
    Organisation,
    QueuedMail,
    Subscription,
    User,
)
from portal.models.base import utcnow
from portal.models.directory import Status
from portal.tenancy import all_tenants_writes, tenant_scope
from tests.conftest import PASSWORD, Outbox
from tests.snapshots import built_once

PERSON = "giulia.bianchi@example.it"
STRANGER = "nobody.here@example.it"
TENANTS_DIR = Path(__file__).resolve().parent.parent / "tenants"


@pytest.fixture
@built_once
def person(app, tenants, make_user):
    """Giulia: coordinator of Asti Est, who submitted an internship of an organisation and wrote a news
    post; her address is subscribed to WORK-IN's newsletter, has an alert and showed interest once.
    Another address is subscribed too (it must survive her erasure)."""
    uid = make_user(PERSON, role="coordinator", tenant=tenants["asti-est"], name="Giulia Bianchi")
    with app.app_context(), all_tenants_writes(db.session):
        org = Organisation(slug="officina-tanaro", name="Officina Tanaro", kind="company", status=Status.PUBLISHED,
                           email="sportello@officina-tanaro.example", submitted_by_id=uid, published_at=utcnow())  # fmt: skip
        db.session.add(org)
        db.session.flush()
        entry = Opportunity(slug="tirocinio-magazzino", title="Tirocinio in magazzino", description="Inventario.",
                            organisation_id=org.id, status=Status.PUBLISHED, submitted_by_id=uid,
                            published_at=utcnow())  # fmt: skip
        db.session.add(entry)
        db.session.flush()
        db.session.add(NewsPost(tenant_id=tenants["asti-est"].id, slug="apertura", title="Apertura sportello",
                                body_md="Apre.", body_html="<p>Apre.</p>", published_at=utcnow(), author_id=uid))  # fmt: skip
        for address in (PERSON, "someone.else@example.it"):
            db.session.add(Subscription(tenant_id=tenants["work-in"].id, email=address, status="confirmed",
                                        consent_at=utcnow(), consent_text_version="2026-11", consent_source="web-form",
                                        confirmed_at=utcnow()))  # fmt: skip
        db.session.add(Alert(email="giulia.work@example.it", search_key="w" * 64, user_id=uid))  # for another address
        db.session.add(Alert(email=PERSON, search_key="k" * 64, params=[["q", "tirocinio"]], status="confirmed",
                             consent_at=utcnow(), consent_text_version="2026-11", confirmed_at=utcnow()))  # fmt: skip
        db.session.add(Interest(entry_id=entry.id, name="Giulia Bianchi", email=PERSON, message="Sono interessata."))
        db.session.commit()
        return {"uid": uid, "entry": entry.id, "org": org.id}


def _count(app, model, *where, all_tenants: bool = False) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model).where(*where)
        if all_tenants:
            stmt = stmt.execution_options(all_tenants=True)
        return int(db.session.scalar(stmt) or 0)


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


# The notice ----------------------------------------------------------------------------------


def test_a_project_notice_covers_every_kind_of_data_with_rights_and_the_garante(app, tenants, client):
    page = _text(client.get("/asti-est/privacy/"))
    assert "Informativa sul trattamento dei dati personali" in page
    for kind in ("Account", "Iscrizioni alle newsletter e relative registrazioni del consenso", "Avvisi",
                 "Manifestazioni di interesse", "Contatti della rubrica", "Registro delle attività",
                 "Log del server"):  # fmt: skip
        assert kind in page, kind
    assert 'href="https://www.garanteprivacy.it/"' in page
    for article in ("art. 15", "art. 17", "art. 20", "art. 21", "art. 22"):
        assert article in page
    assert "contitolari del trattamento (art. 26 GDPR)" in page  # accounts, directory and audit are shared
    # No seed names a controller: the public reads a neutral sentence, not an invented name
    assert "Da completare a cura del progetto" not in page
    assert "saranno pubblicati in questa pagina" in page
    assert "In.coop.casa" not in page


def test_coordinators_see_what_the_project_must_complete(app, tenants, make_user, signed_in):
    make_user("coord@example.it", role="coordinator", tenant=tenants["asti-est"])
    page = _text(signed_in("coord@example.it").get("/asti-est/privacy/"))
    assert page.count("Da completare a cura del progetto") >= 2  # controller and DPO
    assert "In.coop.casa" in page  # the lead body its seed names, as a hint only to coordinators
    other = _text(signed_in("coord@example.it").get("/ciao/privacy/"))
    assert "Da completare a cura del progetto" not in other  # not a coordinator of CIAO!


def test_the_hub_notice_names_the_operator_from_the_configuration(app, tenants, client, make_user, signed_in):
    page = _text(client.get("/info/privacy"))
    assert "Informativa sul trattamento dei dati personali" in page and "Da completare" not in page
    make_user("admin@example.it", admin=True)
    assert "PRIVACY_OPERATOR_NAME" in _text(signed_in("admin@example.it").get("/info/privacy"))
    app.config.update(PRIVACY_OPERATOR_NAME="Rete Crocevia", PRIVACY_CONTACT_EMAIL="privacy@rete.example")
    try:
        page = _text(client.get("/info/privacy"))
        assert "Il titolare del trattamento è Rete Crocevia." in page and "privacy@rete.example" in page
    finally:
        app.config.update(PRIVACY_OPERATOR_NAME="", PRIVACY_CONTACT_EMAIL="")


def test_retention_in_the_notice_is_what_the_purge_applies(app, tenants, person, runner):
    app.config["INTEREST_RETENTION_DAYS"] = 45
    try:
        assert "45 giorni dopo l'invio del messaggio" in _text(app.test_client().get("/vicenza/privacy/"))
        with app.app_context():
            interest = db.session.scalar(select(Interest))
            interest.created_at = utcnow() - timedelta(days=44)
            db.session.commit()
        assert runner.invoke(args=["privacy", "purge"]).exit_code == 0
        assert _count(app, Interest) == 1  # 44 days: still within the 45 the notice promises
        with app.app_context():
            db.session.scalar(select(Interest)).created_at = utcnow() - timedelta(days=46)
            db.session.commit()
        assert runner.invoke(args=["privacy", "purge"]).exit_code == 0
        assert _count(app, Interest) == 0
    finally:
        app.config["INTEREST_RETENTION_DAYS"] = 30


def test_a_privacy_section_that_would_contradict_the_configuration_is_refused():
    from portal.privacy.notice import PrivacyConfigError, check_section

    check_section({"controller": "", "joint_controllership": ["accounts"], "retention": {"directory": {"it": "x"}}})
    with pytest.raises(PrivacyConfigError, match="config.py"):
        check_section({"retention": {"interests": {"it": "un anno"}}})
    with pytest.raises(PrivacyConfigError, match="unknown"):
        check_section({"joint_controllership": ["health"]})
    with pytest.raises(PrivacyConfigError, match="unknown keys"):
        check_section({"controler": "typo"})


@pytest.mark.parametrize("slug", sorted(p.name for p in TENANTS_DIR.iterdir() if (p / "tenant.toml").is_file()))
def test_controller_and_dpo_facts_come_only_from_the_seed(slug):
    """A name in [privacy] is a fact of sources.toml (whose quotes tests/test_tenant_sources.py checks)."""
    privacy = tomllib.loads((TENANTS_DIR / slug / "tenant.toml").read_text("utf-8")).get("privacy", {})
    facts = {f["value"] for f in tomllib.loads((TENANTS_DIR / slug / "sources.toml").read_text("utf-8"))["fact"]}
    for key in ("controller", "controller_contact", "dpo_contact", "lead_body"):
        assert not privacy.get(key) or privacy[key] in facts, (slug, key)


def test_every_form_that_collects_personal_data_links_the_notice(app, tenants, person, client, signed_in):
    forms = {
        "/auth/register": "/info/privacy",
        "/work-in/newsletter/": "/work-in/privacy/",
        "/alerts/new?search=q%3Dtirocinio": "/info/privacy",
        "/directory/opportunities/tirocinio-magazzino/interest": "/info/privacy",
        "/privacy/request": "/info/privacy",
    }
    for url, notice in forms.items():
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert 'type="email"' in html, url  # it does collect an address
        assert f'href="{notice}"' in html, url
    account = signed_in(PERSON).get("/account/privacy").get_data(as_text=True)
    assert 'href="/info/privacy"' in account
    assert client.get("/work-in/privacy/").status_code == 200


# A signed-in person: access, portability, erasure ---------------------------------------------


def _post(browser, url: str, data: dict | None = None, page: str = "/account/privacy"):
    return browser.submit(url, data or {}, page=page)


def test_a_person_downloads_all_their_data_as_json(app, person, signed_in):
    giulia = signed_in(PERSON)
    response = _post(giulia, "/account/privacy/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == PERSON and data["account"]["name"] == "Giulia Bianchi"
    assert "password_hash" not in json.dumps(data) and "session_token" not in json.dumps(data)
    assert data["memberships"] == [
        {"project": "Asti Est", "role": "coordinator", "since": data["memberships"][0]["since"]}
    ]
    [subscription] = data["newsletter_subscriptions"]
    assert subscription["project"] == "WORK-IN" and subscription["consent"]["text_version"] == "2026-11"
    assert subscription["consent"]["confirmed_at"]
    assert data["alerts"][0]["search"] == [["q", "tirocinio"]]
    assert data["interests"][0]["entry"] == "Tirocinio in magazzino"
    [event] = _events(app, "privacy-export")
    assert event.object_type == "user" and event.object_id == person["uid"] and event.user_id == person["uid"]
    second = json.loads(_post(giulia, "/account/privacy/export").get_data(as_text=True))
    assert any(e["action"] == "privacy-export" for e in second["audit_events"])  # the events about her


def test_the_download_is_a_post_for_a_signed_in_person(app, person, client, signed_in):
    assert client.get("/account/privacy").status_code == 302  # to the login
    assert client.post("/account/privacy/export").status_code in (302, 400)
    assert signed_in(PERSON).get("/account/privacy/export").status_code == 405
    assert signed_in(PERSON).client.post("/account/privacy/export").status_code in (302, 400)  # no CSRF token
    assert _events(app, "privacy-export") == []


def test_deleting_the_account_hands_what_was_published_to_the_organisation(app, tenants, person, signed_in):
    giulia = signed_in(PERSON)
    page = _text(giulia.get("/account/privacy"))
    assert "1 voce della rubrica" in page and "1 notizia" in page  # what stays, said before deleting
    response = _post(giulia, "/account/privacy/delete", {"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, person["uid"]) is None
        entry = db.session.get(Opportunity, person["entry"])
        assert entry is not None and entry.status == Status.PUBLISHED and entry.submitted_by_id is None
        assert entry.organisation_id == person["org"]
        assert db.session.get(Organisation, person["org"]).submitted_by_id is None
        with tenant_scope(tenants["asti-est"]):
            post = db.session.scalar(select(NewsPost))
            assert post is not None and post.author_id is None
    assert _count(app, Subscription, Subscription.email == PERSON, all_tenants=True) == 0
    assert _count(app, Subscription, all_tenants=True) == 1  # someone else's stays
    assert _count(app, Alert) == 0 and _count(app, Interest) == 0
    assert _count(app, Membership, all_tenants=True) == 0
    [event] = _events(app, "account-delete")
    assert event.object_id == person["uid"] and event.user_id is None
    assert event.changes["handed_over"]["entries"] == 1 and event.changes["subscriptions"] == 1
    assert PERSON not in json.dumps(event.changes)
    assert giulia.get("/account/").status_code == 302  # the session has ended
    assert "Giulia Bianchi" not in _text(app.test_client().get("/asti-est/news/apertura"))


def test_a_wrong_password_deletes_nothing_and_says_so(app, person, signed_in):
    giulia = signed_in(PERSON)
    response = _post(giulia, "/account/privacy/delete", {"password": "not my password", "understood": "y"})
    assert response.status_code == 422
    assert "La password non è corretta: l'account non è stato eliminato." in _text(response)
    unticked = _post(giulia, "/account/privacy/delete", {"password": PASSWORD})
    assert unticked.status_code == 422 and "Selezionare la casella" in _text(unticked)
    with app.app_context():
        assert db.session.get(User, person["uid"]) is not None
    assert _events(app, "account-delete") == []
    assert _count(app, Alert) == 2  # nothing erased
    assert giulia.get("/account/").status_code == 200  # still signed in


# Anyone, by e-mail link ------------------------------------------------------------------------


def _ask(browser, address: str):
    return browser.submit("/privacy/request", {"email": address})


def _scrub(html: str) -> str:
    """The page without its form token and the link's own token (in the language switcher)."""
    return re.sub(r"/privacy/held/[\w.-]+", "", re.sub(r'value="[^"]+"', "", html))


def test_asking_for_an_address_answers_the_same_whether_data_is_held_or_not(app, person, new_browser, monkeypatch):
    from portal.privacy import services

    sent = []
    real = services.send_templated_mail
    monkeypatch.setattr(services, "send_templated_mail", lambda *a, **k: sent.append(a[0]) or real(*a, **k))
    holding = _ask(new_browser(), PERSON)
    empty = _ask(new_browser(), STRANGER)
    assert holding.status_code == empty.status_code == 200
    assert _scrub(holding.get_data(as_text=True)) == _scrub(empty.get_data(as_text=True))
    assert "Abbiamo inviato" in _text(holding)
    assert sent == [PERSON, STRANGER]  # one mail each, queued by the same code
    assert _count(app, QueuedMail) == 2


def test_the_mailed_link_lists_what_is_held_and_erases_all_of_it(app, person, browser, outbox):
    _ask(browser, PERSON)
    [message] = outbox.to(PERSON)
    link = Outbox.link(message, "/privacy/held/")
    response = browser.get(link)
    assert response.headers["Cache-Control"] == "private, no-store"
    page = _text(response)
    assert "WORK-IN" in page and "Tirocinio in magazzino" in page and "Un avviso creato il" in page
    download = browser.get(link + "/data.json")
    assert download.status_code == 200 and json.loads(download.get_data())["alerts"]
    response = browser.submit(link, {})
    assert response.status_code == 200 and "Cancellazione eseguita" in _text(response)
    assert _count(app, Subscription, Subscription.email == PERSON, all_tenants=True) == 0
    assert _count(app, Alert, Alert.email == PERSON) == 0 and _count(app, Interest) == 0
    assert _count(app, Alert) == 1  # the alert her account made for another address is not this address's
    assert _count(app, Subscription, all_tenants=True) == 1  # another address is untouched
    with app.app_context():
        assert db.session.get(User, person["uid"]) is not None  # the account is not erased by a mail link
    [erase] = _events(app, "privacy-erase")
    assert erase.changes["subscriptions"] == 1 and erase.changes["alerts"] == 1 and erase.changes["interests"] == 1
    assert PERSON not in json.dumps(erase.changes) and erase.object_type == "address"
    [export] = _events(app, "privacy-export")
    assert export.changes["address"] == erase.changes["address"]  # the same address, by its keyed hash
    assert "Nessuna" in _text(browser.get(link)) or "non conserva" in _text(browser.get(link))


def test_erasing_an_address_that_holds_nothing_answers_the_same(app, person, new_browser, outbox):
    pages = []
    for address in (PERSON, STRANGER):
        browser = new_browser()
        _ask(browser, address)
        [message] = outbox.to(address)
        response = browser.submit(Outbox.link(message, "/privacy/held/"), {})
        assert response.status_code == 200
        pages.append(_scrub(response.get_data(as_text=True)))
    assert pages[0] == pages[1]
    assert len(_events(app, "privacy-erase")) == 2


def test_the_erase_button_needs_the_form_token(app, person, browser, outbox):
    _ask(browser, PERSON)
    link = Outbox.link(outbox.to(PERSON)[0], "/privacy/held/")
    assert browser.client.post(link).status_code == 400
    assert _count(app, Alert, Alert.email == PERSON) == 1


def test_a_tampered_expired_or_foreign_link_shows_the_link_problem_page(app, person, browser, outbox):
    from portal.tokens import make_token

    _ask(browser, PERSON)
    link = Outbox.link(outbox.to(PERSON)[0], "/privacy/held/")
    tampered = browser.get(link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb"))
    assert (
        tampered.status_code == 400
        and "Questo link non è valido" in _text(tampered)
        and "nuovo link" in _text(tampered)
    )
    with app.test_request_context():
        foreign = make_token("newsletter-manage", {"e": PERSON})
    assert browser.get(f"/privacy/held/{foreign}").status_code == 400
    assert browser.get(f"/privacy/held/{foreign}/data.json").status_code == 400
    app.config["PRIVACY_LINK_MAX_AGE"] = -1
    try:
        expired = browser.get(link)
        assert expired.status_code == 400 and "scaduto" in _text(expired)
        assert browser.client.post(link).status_code == 400
    finally:
        app.config["PRIVACY_LINK_MAX_AGE"] = 60 * 60 * 24
    assert _count(app, Alert, Alert.email == PERSON) == 1


def test_a_malformed_address_gets_a_form_error_and_no_mail(app, tenants, browser):
    response = _ask(browser, "not-an-address")
    assert response.status_code == 200 and "indirizzo e-mail valido" in _text(response)
    assert _count(app, QueuedMail) == 0


# Retention and exports -------------------------------------------------------------------------


def test_the_purge_keeps_old_audit_events_and_drops_their_personal_details(app, tenants, make_user, runner):
    make_user("never.confirmed@example.it", confirmed=False)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "never.confirmed@example.it"))
        user.created_at = utcnow() - timedelta(days=31)
        for months in (25, 1):
            db.session.add(AuditEvent(at=utcnow() - timedelta(days=30 * months), action="add-editor",
                                      object_type="organisation", object_id=1,
                                      changes={"editor": "partner@example.it"}, note="chiesto da Maria"))  # fmt: skip
        db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 unconfirmed accounts" in result.output and "1 audit events" in result.output
    with app.app_context():
        old, recent = db.session.scalars(select(AuditEvent).order_by(AuditEvent.at)).all()
        assert old.action == "add-editor" and old.object_id == 1  # the event stays
        assert old.changes == {} and old.note == "" and old.details_cleared_at is not None
        assert recent.changes == {"editor": "partner@example.it"} and recent.details_cleared_at is None
        assert db.session.scalar(select(User).where(User.email == "never.confirmed@example.it")) is None
    assert "0 audit events" in runner.invoke(args=["privacy", "purge"]).output  # cleared once


def test_the_audit_purge_is_a_periodic_job(app, tenants):
    from portal.jobs.catalogue import BY_NAME

    job = BY_NAME["purge-audit-details"]
    assert job.every == timedelta(days=1)
    with app.app_context():
        assert job.function()() == "cleared the details of 0 audit events"
    assert "purge-audit-details" in (Path(__file__).resolve().parent.parent / "docs" / "deploy.md").read_text()


def test_the_subscriber_export_carries_only_what_a_coordinator_needs_and_is_audited(app, tenants, person,
                                                                                      make_user, signed_in):  # fmt: skip
    make_user("coord.workin@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = signed_in("coord.workin@example.it")
    text = coordinator.get("/work-in/manage/newsletter/subscribers.csv").get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "email,language,subscribed_on,consent_text_version"
    assert lines[1] == f"{PERSON},it,{utcnow().date().isoformat()},2026-11" or lines[1].startswith(f"{PERSON},it,")
    assert "web-form" not in text  # no consent source, token or client address
    [event] = _events(app, "privacy-export")
    assert event.object_type == "newsletter-subscribers" and event.object_id == tenants["work-in"].id
    assert event.changes == {"tenant": "work-in", "rows": 2}


def test_the_notice_page_builds_for_every_project_in_english_too(app, tenants, client):
    for slug in tenants:
        page = _text(client.get(f"/{slug}/privacy/?lang=en"))
        assert "Information on the processing of personal data" in page and "Garante" in page


# Forms that only name an existing account (sign in, reset, resend, add a member) collect nothing new.
IDENTIFY_ONLY = {
    "auth/forgot_password.html",
    "auth/login.html",
    "auth/resend_confirmation.html",
    "tenant_site/manage_members.html",
    # staff tools: an admin or coordinator types or reads someone else's address, the person is not asked
    "admin/invite.html",
    "admin/project.html",
    "companies/manage_detail.html",
}


def test_no_template_asks_for_an_address_or_phone_without_the_notice_link():
    """A new form that takes an e-mail address or a phone number fails here until it links the notice."""
    root = Path(__file__).resolve().parent.parent / "portal"
    asking = re.compile(r"form\.email\b|contact_email\b|form\.phone\b|_entry_fields\.html")
    missing = []
    for path in root.glob("**/templates/**/*.html"):
        name = path.as_posix().split("/templates/", 1)[1]
        text = path.read_text("utf-8")
        if name in IDENTIFY_ONLY or name.startswith("directory/_") or "/email/" in path.as_posix():
            continue
        if asking.search(text) and "privacy_notice_url" not in text and "privacy/_notice_link.html" not in text:
            missing.append(name)
    assert missing == []
