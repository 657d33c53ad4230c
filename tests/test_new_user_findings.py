"""What new users ran into on the landed portal (issue 8, part 2): bugs that damage data
or block people. Each test failed before its fix."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Entry, Organisation, User
from portal.timezone import rome_today
from tests.conftest import csrf_token_from
from tests.snapshots import built_once

ROOT = Path(__file__).resolve().parent.parent
INTERNSHIP = {
    "title": "Tirocinio di inclusione in magazzino",
    "description": "Ricevimento merci.",
    "comune": "Asti",
    "province": "AT",
    "opportunity_type": "tirocinio_inclusione",
    "promoter": "Servizi sociali del Comune",
    "duration_months": "6",
    "how_to_apply": "Scrivi allo sportello.",
    "places": "2",
}


@pytest.fixture
@built_once
def network(app, tenants, make_user):
    """An Asti organisation with a partner editor and a coordinator."""
    from portal.directory import services

    coordinator_id = make_user("coord.asti@example.it", role="coordinator", tenant=tenants["asti-est"])
    make_user("partner.asti@example.it")
    with app.app_context():
        coordinator = db.session.get(User, coordinator_id)
        org = services.create_organisation(
            coordinator,
            {
                "name": "Officina Tanaro",
                "kind": "company",
                "comune": "Asti",
                "province": "AT",
                "tenant_ids": [tenants["asti-est"].id],
            },
        )
        services.add_editor(coordinator, org, "partner.asti@example.it")
        db.session.commit()
        return {"org": org.id}


def _login(new_browser, email):
    """Signed in without the form (the form has its own tests)."""
    return new_browser().sign_in(email)


def _entry(app):
    with app.app_context():
        entry = db.session.scalar(select(Entry))
        db.session.expunge(entry)
        return entry


def _published_internship(app, network, new_browser):
    partner = _login(new_browser, "partner.asti@example.it")
    deadline = (rome_today() + timedelta(days=20)).isoformat()
    partner.submit(
        f"/directory/manage/organisations/{network['org']}/opportunity/new", {**INTERNSHIP, "deadline": deadline}
    )
    coordinator = _login(new_browser, "coord.asti@example.it")
    coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"}, page="/directory/moderation/"
    )
    return partner, coordinator, deadline


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_rejecting_with_an_empty_reason_asks_for_one(app, network, new_browser):
    partner = _login(new_browser, "partner.asti@example.it")
    partner.submit(f"/directory/manage/organisations/{network['org']}/opportunity/new", INTERNSHIP)
    coordinator = _login(new_browser, "coord.asti@example.it")
    response = coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}",
        {"reject": "1", "reason": "  "},
        page="/directory/moderation/",
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Indicare il motivo" in response.get_data(as_text=True)
    assert _entry(app).status.value == "pending"


def test_an_approved_change_leaves_the_moderation_queue(app, network, new_browser):
    partner, coordinator, deadline = _published_internship(app, network, new_browser)
    url = f"/directory/manage/entries/{_entry(app).id}"
    partner.submit(
        url,
        {
            **INTERNSHIP,
            "deadline": deadline,
            "title": "Titolo cambiato",
            "version": _version(partner.get(url).get_data(as_text=True)),
        },
    )
    assert "Titolo cambiato" in coordinator.get("/directory/moderation/").get_data(as_text=True)
    coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"}, page="/directory/moderation/"
    )
    queue = coordinator.get("/directory/moderation/").get_data(as_text=True)
    assert "Titolo cambiato" not in queue and "Nulla da rivedere" in queue
    with app.app_context():  # SQL NULL, not the JSON value null
        assert db.session.execute(text("SELECT count(*) FROM entry WHERE pending_changes IS NULL")).scalar() == 1


def test_the_edit_form_keeps_the_saved_type_and_the_province(app, network, new_browser):
    partner, _, deadline = _published_internship(app, network, new_browser)
    url = f"/directory/manage/entries/{_entry(app).id}"
    html = partner.get(url).get_data(as_text=True)
    assert re.search(
        r'<option selected value="tirocinio_inclusione">|<option value="tirocinio_inclusione" selected', html
    )
    assert re.search(r'<option selected value="AT">|<option value="AT" selected', html)


def test_a_new_entry_starts_from_its_organisations_province_and_needs_one(app, network, new_browser):
    partner = _login(new_browser, "partner.asti@example.it")
    url = f"/directory/manage/organisations/{network['org']}/opportunity/new"
    html = partner.get(url).get_data(as_text=True)
    assert re.search(r'<option selected value="AT">|<option value="AT" selected', html)
    response = partner.submit(url, {**INTERNSHIP, "province": ""})
    assert response.status_code == 200 and "Scegliere la provincia." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Entry)) is None


def test_reopening_an_entry_with_a_pending_change_shows_the_proposal(app, network, new_browser):
    partner, _, deadline = _published_internship(app, network, new_browser)
    url = f"/directory/manage/entries/{_entry(app).id}"
    partner.submit(
        url,
        {
            **INTERNSHIP,
            "deadline": deadline,
            "title": "La mia proposta",
            "places": "5",
            "version": _version(partner.get(url).get_data(as_text=True)),
        },
    )
    html = partner.get(url).get_data(as_text=True)
    assert 'value="La mia proposta"' in html and 'value="5"' in html
    assert "proposta in attesa" in html.lower()


def test_list_unsubscribe_is_written_raw_in_the_bytes_that_leave(app, tenants, make_user, new_browser, tmp_root):
    from portal.models import Subscription
    from portal.models.base import utcnow
    from portal.newsletters.delivery import send_due
    from portal.tenancy import tenant_scope

    with app.app_context(), tenant_scope(tenants["work-in"]):
        db.session.add(
            Subscription(
                tenant_id=tenants["work-in"].id,
                email="lettore@example.it",
                status="confirmed",
                confirmed_at=utcnow(),
                consent_at=utcnow(),
            )
        )
        db.session.commit()
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = _login(new_browser, "coord@example.it")
    response = coordinator.submit("/work-in/manage/newsletter/new", {"subject": "Novità di dicembre", "body": "Testo"})
    issue_id = response.headers["Location"].rstrip("/").split("/")[-1]
    coordinator.submit(
        f"/work-in/manage/newsletter/{issue_id}/schedule",
        {"send_now": "1"},
        page=f"/work-in/manage/newsletter/{issue_id}",
    )
    with app.app_context():
        send_due()
    [raw] = [p.read_bytes() for p in (tmp_root / "outbox").glob("*.eml") if b"lettore@example.it" in p.read_bytes()]
    header = re.search(rb"^List-Unsubscribe: (.*)$", raw, re.M).group(1)
    assert header.startswith(b"<http") and b"=?utf-8?" not in header
    assert re.search(rb"^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$", raw, re.M)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert "/newsletter/unsubscribe/" in parsed["List-Unsubscribe"]


def test_make_run_with_another_port_builds_links_on_that_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=5077"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve_line = next(line for line in dry_run.splitlines() if " run --host" in line)
    assert "PUBLIC_URL=http://127.0.0.1:5077" in serve_line and "--port 5077" in serve_line


def test_the_schedule_button_and_the_training_timetable_are_different_words(
    app, tenants, make_user, new_browser, network
):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = _login(new_browser, "coord@example.it")
    response = coordinator.submit("/work-in/manage/newsletter/new", {"subject": "Novità", "body": "Testo"})
    issue_page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Programma l&#39;invio" in issue_page or "Programma l'invio" in issue_page
    partner = _login(new_browser, "partner.asti@example.it")
    training = partner.get(f"/directory/manage/organisations/{network['org']}/training/new").get_data(as_text=True)
    assert ">Orari<" in training


def test_partners_see_no_link_to_the_moderation_queue(app, network, new_browser):
    partner = _login(new_browser, "partner.asti@example.it")
    for url in ("/directory/", "/directory/manage/"):
        assert "/directory/moderation/" not in partner.get(url).get_data(as_text=True), url
    coordinator = _login(new_browser, "coord.asti@example.it")
    assert "/directory/moderation/" in coordinator.get("/directory/manage/").get_data(as_text=True)


def test_the_ateco_sectors_are_in_the_readers_language(app, network, new_browser, tenants):
    coordinator = _login(new_browser, "coord.asti@example.it")
    html = coordinator.get("/directory/manage/organisations/new").get_data(as_text=True)
    assert "C – Attività manifatturiere" in html and "Manufacturing" not in html
    coordinator.client.set_cookie("lang", "en")
    with app.app_context():
        db.session.execute(db.update(User).values(locale="en"))
        db.session.commit()
    assert "C – Manufacturing" in coordinator.get("/directory/manage/organisations/new").get_data(as_text=True)


def test_organisation_edit_form_shows_its_saved_values_and_pending_links(app, network, new_browser, tenants):
    coordinator = _login(new_browser, "coord.asti@example.it")
    with app.app_context():
        org = db.session.get(Organisation, network["org"])
        org_id = org.id
    html = coordinator.get(f"/directory/manage/organisations/{org_id}").get_data(as_text=True)
    assert 'value="Officina Tanaro"' in html
    assert re.search(r'<option selected value="company">|<option value="company" selected', html)


def test_csrf_and_token_pages_survive_a_logged_out_post(client, tenants):
    html = client.get("/auth/login").get_data(as_text=True)
    response = client.post("/auth/logout", data={"csrf_token": csrf_token_from(html)})
    assert response.status_code == 302  # to the login page, not a 500
