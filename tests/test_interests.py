"""A resident shows interest in an open offer: the offer's contact receives it, the resident is told
who received their data and why; spam bursts, closed offers and bad input are refused; the data is
kept only as long as the configuration says; editors and coordinators see counts, never the people."""

from __future__ import annotations

import logging
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Entry, Interest, Organisation, User
from portal.models.base import utcnow
from portal.timezone import rome_today
from tests.conftest import Browser, Outbox

ORG_EMAIL = "sportello@officina-tanaro.example"
PERSON = {
    "name": "Amina Diallo",
    "email": "amina.diallo@example.it",
    "phone": "+39 333 123 4567",
    "message": "Ho esperienza di magazzino e sono disponibile da subito.",
    "consent": "y",
}


def _internship(tenant_id: int, **extra) -> dict:
    return {
        "title": "Tirocinio come aiuto magazziniere",
        "description": "Ricevimento merci e inventario.",
        "comune": "Asti",
        "province": "AT",
        "opportunity_type": "tirocinio_inclusione",
        "promoter": "Servizi sociali del Comune",
        "duration_months": 6,
        "how_to_apply": "Compilate il modulo qui sotto.",
        "places": 2,
        "deadline": rome_today() + timedelta(days=20),
        "target_groups": ["servizi-sociali"],
        "tenant_ids": [tenant_id],
        **extra,
    }


@pytest.fixture
def offer(app, tenants, make_user):
    """make(org_email=..., **entry fields) -> (slug, entry id): a published internship of an
    organisation of Asti Est, whose coordinator reads English; its partner editor is
    partner@example.it."""
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    make_user("coord@example.it", role="coordinator", tenant=tenants["asti-est"], locale="en")
    make_user("partner@example.it")

    def make(org_email: str = ORG_EMAIL, kind: str = "opportunity", **fields) -> tuple[str, int]:
        with app.app_context():
            admin = db.session.get(User, admin_id)
            org = db.session.scalar(select(Organisation).where(Organisation.name == "Officina Tanaro"))
            if org is None:
                org = services.create_organisation(
                    admin,
                    {"name": "Officina Tanaro", "kind": "company", "comune": "Asti", "province": "AT",
                     "email": org_email, "tenant_ids": [tenants["asti-est"].id]},
                )  # fmt: skip
                services.add_editor(admin, org, "partner@example.it")
            if kind == "opportunity":
                data = _internship(tenants["asti-est"].id, **fields)
            else:
                data = {"title": "Corso di italiano A2", "description": "Due sere a settimana.", "comune": "Asti",
                        "province": "AT", "start_date": rome_today() + timedelta(days=10),
                        "tenant_ids": [tenants["asti-est"].id], **fields}  # fmt: skip
            entry = services.create_entry(admin, org, kind, data)  # an admin publishes at once
            db.session.commit()
            return entry.slug, entry.id

    return make


def _form_url(slug: str, kind_path: str = "opportunities") -> str:
    return f"/directory/{kind_path}/{slug}/interest"


def _interests(app) -> list[Interest]:
    with app.app_context():
        return list(db.session.scalars(select(Interest)))


def test_the_story_a_resident_shows_interest_and_the_organisation_receives_it(app, offer, browser, outbox):
    slug, entry_id = offer()
    page = browser.get(f"/directory/opportunities/{slug}").get_data(as_text=True)
    assert "Manifesta interesse" in page and f'href="{_form_url(slug)}"' in page
    assert f'href="mailto:{ORG_EMAIL}"' in page  # the organisation's address, as a link

    form = browser.get(_form_url(slug))
    assert form.status_code == 200 and form.headers["Cache-Control"] == "private, no-store"
    html = form.get_data(as_text=True)
    assert "Officina Tanaro" in html and "Acconsento" in html

    response = browser.submit(_form_url(slug), PERSON)
    assert response.status_code == 200  # answered on the spot: nothing personal travels in a URL
    thanks = unescape(response.get_data(as_text=True))
    assert "Messaggio inviato" in thanks and "Officina Tanaro" in thanks

    [to_org] = outbox.to(ORG_EMAIL)
    assert "Tirocinio come aiuto magazziniere" in to_org["Subject"]
    assert to_org["Reply-To"].addresses[0].addr_spec == PERSON["email"]
    assert to_org["Reply-To"].addresses[0].display_name == PERSON["name"]
    body = Outbox.text(to_org)
    assert PERSON["message"] in body and PERSON["phone"] in body and f"/directory/opportunities/{slug}" in body

    [ack] = outbox.to(PERSON["email"])
    ack_text = Outbox.text(ack)
    assert "Officina Tanaro" in ack_text and "Tirocinio come aiuto magazziniere" in ack_text
    assert "consenso" in ack_text and "30 giorni" in ack_text  # who received the data, why, for how long
    assert ack["Reply-To"] == ORG_EMAIL  # they may write to the organisation directly

    [stored] = _interests(app)
    assert (stored.entry_id, stored.email, stored.locale) == (entry_id, PERSON["email"], "it")


def test_the_acknowledgement_is_in_the_language_of_the_person(app, offer, browser, outbox):
    slug, _ = offer()
    browser.client.set_cookie("lang", "en")
    page = browser.get(f"/directory/opportunities/{slug}").get_data(as_text=True)
    assert "Show interest" in page
    browser.submit(_form_url(slug), PERSON)
    [ack] = outbox.to(PERSON["email"])
    assert "has been passed on" in ack["Subject"] and "Officina Tanaro" in Outbox.text(ack)
    [to_org] = outbox.to(ORG_EMAIL)
    assert "Interesse per" in to_org["Subject"]  # an organisation's address is written to in Italian


def test_the_entry_own_address_comes_before_the_organisation_one(app, offer, browser, outbox):
    slug, _ = offer(contact_email="tirocini@officina-tanaro.example")
    browser.submit(_form_url(slug), PERSON)
    assert len(outbox.to("tirocini@officina-tanaro.example")) == 1 and outbox.to(ORG_EMAIL) == []


def test_without_any_address_the_project_coordinators_receive_it_in_their_language(app, offer, browser, outbox):
    slug, _ = offer(org_email="")
    response = browser.submit(_form_url(slug), PERSON)
    assert "coordinamento del progetto Asti Est" in unescape(response.get_data(as_text=True))
    [to_coordinator] = outbox.to("coord@example.it")
    assert to_coordinator["Subject"].startswith("Interest in") and PERSON["message"] in Outbox.text(to_coordinator)
    [ack] = outbox.to(PERSON["email"])
    assert "Asti Est" in Outbox.text(ack) and ack["Reply-To"] is None  # coordinators' addresses stay private


def test_training_offers_take_interest_too_and_events_do_not(app, offer, browser, outbox):
    slug, _ = offer(kind="training")
    assert browser.submit(_form_url(slug, "training"), PERSON).status_code == 200
    assert len(outbox.to(ORG_EMAIL)) == 1
    assert browser.get(f"/directory/events/{slug}/interest").status_code == 404
    assert browser.get("/directory/organisations/officina-tanaro/interest").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "amina@", "indirizzo e-mail valido"),
        ("email", "amina@Mailinator.com", "nelle prossime settimane"),
        ("email", "", "Inserire l'indirizzo e-mail"),
        ("name", "Amina\x07 Diallo", "caratteri di controllo"),
        ("message", "", "Scrivere qualche parola"),
        ("phone", "chiamami", "numero di telefono"),
        ("consent", None, "Selezionare la casella"),
    ],
)
def test_bad_input_gets_a_form_error_and_nothing_is_sent(app, offer, browser, outbox, field, value, message):
    slug, _ = offer()
    data = {**PERSON, field: value}
    if value is None:
        data.pop(field)
    response = browser.submit(_form_url(slug), data)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and message in html, html[html.find("alert") : html.find("alert") + 600]
    assert _interests(app) == [] and outbox.messages() == []


def test_a_post_without_the_form_token_is_refused(app, offer, client, outbox):
    slug, _ = offer()
    assert client.post(_form_url(slug), data=PERSON).status_code == 400
    assert _interests(app) == [] and outbox.messages() == []


def test_closed_and_unpublished_entries_refuse_interest_clearly(app, offer, browser, outbox, monkeypatch):
    slug, entry_id = offer(deadline=rome_today() + timedelta(days=2))
    later = rome_today() + timedelta(days=3)
    monkeypatch.setattr("portal.interests.routes.rome_today", lambda: later)
    monkeypatch.setattr("portal.directory.routes.rome_today", lambda: later)
    page = browser.get(f"/directory/opportunities/{slug}").get_data(as_text=True)
    assert "Manifesta interesse" not in page
    for response in (browser.get(_form_url(slug)), browser.client.post(_form_url(slug), data=PERSON)):
        assert response.status_code in (400, 409)  # a stale form's POST fails on its token first
    closed = browser.get(_form_url(slug))
    assert closed.status_code == 409 and "non accetta più" in unescape(closed.get_data(as_text=True))

    with app.app_context():  # withdrawn by its organisation: as if it did not exist
        from portal.models.directory import Status

        db.session.get(Entry, entry_id).status = Status.WITHDRAWN
        db.session.commit()
    assert browser.get(_form_url(slug)).status_code == 404
    assert browser.get(_form_url("no-such-offer")).status_code == 404
    assert _interests(app) == [] and outbox.messages() == []


def test_a_pending_entry_takes_no_interest(app, offer, tenants, browser):
    from portal.directory import services

    offer()  # the organisation and its editor
    with app.app_context():
        partner = db.session.scalar(select(User).where(User.email == "partner@example.it"))
        org = db.session.scalar(select(Organisation))
        entry = services.create_entry(partner, org, "opportunity", _internship(tenants["asti-est"].id, title="Nuovo"))
        db.session.commit()
        slug = entry.slug
    assert browser.get(_form_url(slug)).status_code == 404


def test_spam_bursts_are_refused_per_entry_whoever_sends_them(app_factory, offer, outbox):
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_INTERESTS_PER_ENTRY="2 per hour")
    slug, _ = offer()
    other_slug, _ = offer(title="Tirocinio in cucina")
    codes = []
    for number in range(3):  # three different people, each from their own address
        person = Browser(limited.test_client())
        headers = {"REMOTE_ADDR": f"10.0.0.{number + 1}"}
        html = person.client.get(_form_url(slug), environ_base=headers).get_data(as_text=True)
        from tests.conftest import csrf_token_from

        data = {**PERSON, "email": f"p{number}@example.it", "csrf_token": csrf_token_from(html)}
        codes.append(person.client.post(_form_url(slug), data=data, environ_base=headers).status_code)
    assert codes == [200, 200, 429]
    assert len(outbox.to(ORG_EMAIL)) == 2
    assert Browser(limited.test_client()).submit(_form_url(other_slug), PERSON).status_code == 200  # another entry


def test_spam_bursts_are_refused_per_client_address(app_factory, offer):
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_FORMS="2 per minute")
    slug, _ = offer()
    person = Browser(limited.test_client())
    codes = [person.submit(_form_url(slug), PERSON).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert person.get(_form_url(slug)).status_code == 200  # showing the form is free


def test_editors_and_coordinators_see_counts_and_nobody_sees_the_people(app, offer, browser, signed_in):
    slug, _ = offer()
    for number in range(2):
        browser.submit(_form_url(slug), {**PERSON, "email": f"persona{number}@example.it"})
    entry_page = f"/directory/opportunities/{slug}"
    assert 'id="interest-count"' not in browser.get(entry_page).get_data(as_text=True)  # the public: no count
    for email in ("partner@example.it", "coord@example.it"):
        html = signed_in(email).get(entry_page).get_data(as_text=True)
        count = html.split('id="interest-count"', 1)[1].split("</p>", 1)[0]
        assert "2" in count, email
        assert PERSON["name"] not in html and "persona0@example.it" not in html
    manage = signed_in("partner@example.it").get("/directory/manage/").get_data(as_text=True)
    assert "Manifestazioni di interesse" in manage and "<td>2</td>" in manage
    assert PERSON["name"] not in manage and "persona1@example.it" not in manage
    assert 'id="interest-count"' not in signed_in_resident(signed_in, app).get(entry_page).get_data(as_text=True)


def signed_in_resident(signed_in, app):
    from portal.auth.services import create_user

    with app.app_context():
        create_user("residente@example.it", "Residente", "correct horse battery", confirmed=True)
        db.session.commit()
    return signed_in("residente@example.it")


def test_interests_are_kept_only_for_the_retention_period(app, offer, browser, runner):
    slug, _ = offer()
    browser.submit(_form_url(slug), PERSON)
    browser.submit(_form_url(slug), {**PERSON, "email": "recente@example.it"})
    with app.app_context():
        old = db.session.scalar(select(Interest).where(Interest.email == PERSON["email"]))
        old.created_at = utcnow() - timedelta(days=app.config["INTEREST_RETENTION_DAYS"] + 1)
        db.session.commit()
    result = runner.invoke(args=["interests", "purge"])
    assert result.exit_code == 0 and "deleted 1" in result.output
    assert [i.email for i in _interests(app)] == ["recente@example.it"]
    assert "deleted 0" in runner.invoke(args=["interests", "purge", "--days", "1"]).output  # a fresh one stays


def test_the_daily_job_purges_them_too(app, offer, browser):
    from portal.jobs.catalogue import BY_NAME

    slug, _ = offer()
    browser.submit(_form_url(slug), PERSON)
    with app.app_context():
        row = db.session.scalar(select(Interest))
        row.created_at = utcnow() - timedelta(days=31)
        db.session.commit()
        job = BY_NAME["purge-interests"]
        assert job.every == timedelta(days=1)
        assert job.function()() == "deleted 1 expressions of interest"
        assert db.session.scalar(select(func.count()).select_from(Interest)) == 0


def test_an_smtp_outage_delays_the_interest_and_loses_nothing(app, offer, browser, outbox, monkeypatch):
    from portal.mail_queue import deliver_queued, waiting_count

    slug, _ = offer()
    with socket_nobody_listens() as port:
        monkeypatch.setitem(app.config, "MAIL_URL", f"smtp://127.0.0.1:{port}")
        assert browser.submit(_form_url(slug), PERSON).status_code == 200
        with app.app_context():
            report = deliver_queued()
            assert (report.sent, report.retry) == (0, 2) and waiting_count() == 2
    monkeypatch.setitem(app.config, "MAIL_URL", f"file://{outbox.folder}")
    with app.app_context():
        assert deliver_queued(now=utcnow() + timedelta(minutes=2)).sent == 2
    assert len(outbox.to(ORG_EMAIL)) == 1 and len(outbox.to(PERSON["email"])) == 1
    assert len(_interests(app)) == 1


class socket_nobody_listens:  # noqa: N801 - used as a context manager
    """A local port with nothing listening on it (the mail server is down)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def __exit__(self, *exc) -> None:
        return None


def test_no_personal_data_in_logs(app, offer, browser, caplog):
    slug, _ = offer()
    caplog.set_level(logging.DEBUG)
    browser.submit(_form_url(slug), PERSON)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in (PERSON["email"], PERSON["name"], PERSON["phone"], "Diallo"):
        assert value not in logged


def test_every_open_entry_says_who_to_contact_and_how(app, offer, browser):
    slug, _ = offer(
        contact_place="Sportello lavoro, Via Roma 3, Asti",
        contact_hours="Martedì e giovedì, 9:00-12:00",
        contact_phone="0141 123 456",
        contact_email="tirocini@officina-tanaro.example",
    )
    html = browser.get(f"/directory/opportunities/{slug}").get_data(as_text=True)
    contact = unescape(html.split('id="contact-title"', 1)[1].split("</section>", 1)[0])
    assert "Sportello lavoro, Via Roma 3, Asti" in contact and "Martedì e giovedì, 9:00-12:00" in contact
    assert 'href="tel:0141123456"' in contact and 'href="mailto:tirocini@officina-tanaro.example"' in contact
    assert "Manifesta interesse" in contact


def test_with_an_application_link_the_action_is_apply(app, offer, browser):
    slug, _ = offer(apply_url="https://officina-tanaro.example/candidature")
    html = browser.get(f"/directory/opportunities/{slug}").get_data(as_text=True)
    contact = html.split('id="contact-title"', 1)[1].split("</section>", 1)[0]
    assert 'href="https://officina-tanaro.example/candidature"' in contact and "Candidati" in contact
    assert "Manifesta interesse" not in contact


def test_the_project_contacts_fill_in_what_the_organisation_does_not_give(app, offer, browser):
    from portal.interests.services import contact_of

    slug, entry_id = offer(org_email="")
    with app.test_request_context():
        entry = db.session.get(Entry, entry_id)
        entry.organisation.tenants[0].contacts = {"phone": "0141 999 000", "email": "asti-est@example.it"}
        contact = contact_of(entry, rome_today())
        db.session.rollback()
    values = {line.value: line.href for line in contact.lines}
    assert values["0141 999 000"] == "tel:0141999000" and values["asti-est@example.it"] == "mailto:asti-est@example.it"
    assert contact.project == "Asti Est" and contact.takes_interest


def test_partners_give_the_contact_in_the_entry_form(app, offer, signed_in):
    offer()
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id))
    partner = signed_in("partner@example.it")
    url = f"/directory/manage/organisations/{org_id}/opportunity/new"
    form = partner.get(url).get_data(as_text=True)
    assert 'name="contact_phone"' in form and 'name="apply_url"' in form
    data = {k: (str(v) if not isinstance(v, list) else v) for k, v in _internship(0, title="Nuovo tirocinio").items()}
    data.pop("tenant_ids")
    data.update(contact_phone="0141 555 111", contact_hours="Lunedì 9-12", apply_url="non un link")
    assert "Inserire un indirizzo web" in unescape(partner.submit(url, data).get_data(as_text=True))
    data["apply_url"] = "https://officina-tanaro.example/candidature"
    assert partner.submit(url, data).status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.title == "Nuovo tirocinio"))
        assert (entry.contact_phone, entry.contact_hours, entry.apply_url, entry.contact_email) == (
            "0141 555 111",
            "Lunedì 9-12",
            "https://officina-tanaro.example/candidature",
            "",
        )


def test_partner_systems_send_the_contact_through_the_api_too(app, client, offer):
    from portal.api import services as tokens

    offer()
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.it"))
        org = db.session.scalar(select(Organisation))
        secret, _row = tokens.create_token(admin, org, "Gestionale")
        db.session.commit()
    course = {"title": "Italiano per il lavoro", "description": "Due sere a settimana.", "comune": "Asti",
              "province": "AT", "start_date": (rome_today() + timedelta(days=30)).isoformat(),
              "projects": ["asti-est"], "contact_phone": "0141 222 333", "contact_email": "corsi@example.it",
              "apply_url": "https://officina-tanaro.example/corsi"}  # fmt: skip
    response = client.post("/api/v1/training", json=course, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        entry = db.session.get(Entry, response.get_json()["id"])
        assert (entry.contact_phone, entry.contact_email, entry.apply_url) == (
            "0141 222 333",
            "corsi@example.it",
            "https://officina-tanaro.example/corsi",
        )
    bad = client.post(
        "/api/v1/training",
        json={**course, "contact_email": "non-valida"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert bad.status_code == 422 and "contact_email" in bad.get_json()["errors"]


def test_addresses_and_phones_in_the_text_become_links_and_nothing_else_does(app, offer, browser):
    slug, _ = offer(
        how_to_apply="Scrivere a sportello@officina-tanaro.example o chiamare il 0141 399 111 (lun-ven 9:00-13:00). "
        "Scadenza 05/12/2027, CAP 14100. <b>grassetto</b>",
    )
    html = browser.get(f"/directory/opportunities/{slug}").get_data(as_text=True)
    assert '<a href="mailto:sportello@officina-tanaro.example">sportello@officina-tanaro.example</a>' in html
    assert '<a href="tel:0141399111">0141 399 111</a>' in html
    assert "tel:05122027" not in html and "tel:14100" not in html
    assert "&lt;b&gt;grassetto&lt;/b&gt;" in html and "<b>grassetto</b>" not in html


def test_signed_in_residents_find_their_name_and_address_filled_in(app, offer, signed_in):
    slug, _ = offer()
    html = signed_in("partner@example.it").get(_form_url(slug)).get_data(as_text=True)
    assert 'value="partner@example.it"' in html and 'value="Maria Rossi"' in html


def test_the_form_cannot_flood_someone_else_inbox_with_acknowledgements(app_factory, offer, outbox):
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_PER_ADDRESS="1 per hour")
    first, _ = offer()
    second, _ = offer(title="Tirocinio in cucina")
    person = Browser(limited.test_client())
    assert person.submit(_form_url(first), PERSON).status_code == 200
    assert person.submit(_form_url(second), PERSON).status_code == 200
    assert len(outbox.to(ORG_EMAIL)) == 2  # both offers hear from the person
    assert len(outbox.to(PERSON["email"])) == 1  # one acknowledgement an hour to the same address
