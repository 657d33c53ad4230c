"""The shared directory: partners publish, coordinators review, residents find; nothing
slips across organisations or projects, and bad input gets clear messages."""

from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Entry, Organisation, SearchOutbox, User
from portal.timezone import rome_today
from tests.conftest import csrf_token_from, whoosh_only


def _future(days=20):
    return (rome_today() + timedelta(days=days)).isoformat()


INTERNSHIP = {
    "title": "Tirocinio come aiuto magazziniere",
    "description": "Ricevimento merci e inventario.",
    "comune": "Asti",
    "province": "AT",
    "opportunity_type": "tirocinio_inclusione",
    "promoter": "Servizi sociali del Comune",
    "duration_months": "6",
    "how_to_apply": "Scrivi allo sportello.",
    "places": "2",
    "target_groups": ["servizi-sociali"],
}


def _login(new_browser, email):
    """Signed in without the form (the form has its own tests)."""
    return new_browser().sign_in(email)


def _publish_internship(new_browser, network, data=None):
    partner = _login(new_browser, "partner.asti-est@example.it")
    url = f"/directory/manage/organisations/{network['asti-est']['org']}/opportunity/new"
    response = partner.submit(url, {**INTERNSHIP, "deadline": _future(), **(data or {})})
    return partner, response


def _entry(app, title=INTERNSHIP["title"]):
    with app.app_context():
        return db.session.scalar(select(Entry).where(Entry.title == title))


def test_the_story_partner_publishes_coordinator_approves_resident_finds_it(app, network, new_browser, index):
    partner, response = _publish_internship(new_browser, network)
    assert response.status_code == 302
    entry = _entry(app)
    assert entry.status.value == "pending"
    index.sync()
    resident = new_browser()
    assert "aiuto magazziniere" not in resident.get("/search?q=tirocini+Asti").get_data(as_text=True)
    assert resident.get(response.headers["Location"]).status_code == 404  # not public yet

    coordinator = _login(new_browser, "coord.asti-est@example.it")
    assert "aiuto magazziniere" in coordinator.get("/directory/moderation/").get_data(as_text=True)
    result = coordinator.submit(
        f"/directory/moderation/entries/{entry.id}", {"approve": "1"}, page="/directory/moderation/"
    )
    assert result.status_code == 302 and _entry(app).status.value == "published"
    index.sync()

    html = resident.get("/search?q=tirocini+Asti&province=AT").get_data(as_text=True)
    assert "Tirocinio come aiuto <mark" not in html  # titles are plain text
    assert "aiuto magazziniere" in html and "Asti (AT)" in html
    resident.client.set_cookie("lang", "en")
    english = resident.get("/search?q=tirocini+Asti&province=AT").get_data(as_text=True)
    assert "aiuto magazziniere" in english and "Province" in english
    assert resident.get(response.headers["Location"]).status_code == 200
    assert "aiuto magazziniere" in resident.get("/asti-est/directory/").get_data(as_text=True)
    assert "aiuto magazziniere" not in resident.get("/vicenza/directory/").get_data(as_text=True)


def test_after_its_deadline_it_leaves_listings_but_stays_reachable(app, network, new_browser, index, monkeypatch):
    _, response = _publish_internship(new_browser, network, {"deadline": _future(3)})
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"}, page="/directory/moderation/"
    )
    index.sync()
    resident = new_browser()
    assert "aiuto magazziniere" in resident.get("/directory/opportunities/").get_data(as_text=True)
    later = rome_today() + timedelta(days=4)
    monkeypatch.setattr("portal.directory.search.rome_today", lambda: later)
    monkeypatch.setattr("portal.directory.routes.rome_today", lambda: later)
    assert "aiuto magazziniere" not in resident.get("/directory/opportunities/").get_data(as_text=True)
    assert "aiuto magazziniere" not in resident.get("/search?q=magazziniere").get_data(as_text=True)
    assert "aiuto magazziniere" in resident.get("/search?q=magazziniere&archive=1").get_data(as_text=True)
    detail = resident.get(response.headers["Location"]).get_data(as_text=True)
    assert "Archiviata" in detail or "Archived" in detail


def test_rejection_needs_a_reason_that_the_partner_then_sees(app, network, new_browser):
    partner, response = _publish_internship(new_browser, network)
    entry_id = _entry(app).id
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(
        f"/directory/moderation/entries/{entry_id}", {"reject": "1", "reason": ""}, page="/directory/moderation/"
    )
    assert _entry(app).status.value == "pending"
    coordinator.submit(
        f"/directory/moderation/entries/{entry_id}",
        {"reject": "1", "reason": "Manca l'orario."},
        page="/directory/moderation/",
    )
    assert _entry(app).status.value == "rejected"
    assert "Manca l'orario." in unescape(partner.get(response.headers["Location"]).get_data(as_text=True))


def test_a_partner_cannot_approve_their_own_entry(app, network, new_browser, tenants, make_user):
    make_user("partner.asti-est@example.it", role="coordinator", tenant=tenants["asti-est"])  # also a coordinator
    partner, _ = _publish_internship(new_browser, network)
    response = partner.submit(
        f"/directory/moderation/entries/{_entry(app).id}",
        {"approve": "1"},
        page="/directory/moderation/",
        follow_redirects=True,
    )
    assert "non è possibile rivedere un contenuto inviato" in response.get_data(as_text=True).lower()
    assert _entry(app).status.value == "pending"


def test_a_change_to_a_published_entry_waits_while_the_public_sees_the_old_text(app, network, new_browser, index):
    partner, response = _publish_internship(new_browser, network)
    entry_id = _entry(app).id
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(f"/directory/moderation/entries/{entry_id}", {"approve": "1"}, page="/directory/moderation/")
    partner.submit(
        f"/directory/manage/entries/{entry_id}",
        {**INTERNSHIP, "title": "Tirocinio nuovo titolo", "version": str(_entry(app).version)},
    )
    resident = new_browser()
    assert "aiuto magazziniere" in resident.get(response.headers["Location"]).get_data(as_text=True)
    coordinator.submit(f"/directory/moderation/entries/{entry_id}", {"approve": "1"}, page="/directory/moderation/")
    assert "Tirocinio nuovo titolo" in resident.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        actions = [
            e.action
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_id == entry_id, AuditEvent.object_type == "opportunity")
                .order_by(AuditEvent.id)
            )
        ]
    assert actions == ["create", "approve", "propose", "approve"]


def test_partners_cannot_touch_another_organisation(app, network, new_browser):
    _publish_internship(new_browser, network)
    entry_id = _entry(app).id
    other = _login(new_browser, "partner.vicenza@example.it")
    assert other.get(f"/directory/manage/entries/{entry_id}").status_code == 403
    page = other.get(f"/directory/manage/organisations/{network['vicenza']['org']}/opportunity/new").get_data(
        as_text=True
    )
    response = other.client.post(
        f"/directory/manage/entries/{entry_id}",
        data={**INTERNSHIP, "title": "pwned", "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 403
    assert other.get(f"/directory/manage/organisations/{network['asti-est']['org']}/opportunity/new").status_code == 403
    assert other.get(f"/directory/manage/organisations/{network['asti-est']['org']}").status_code == 403
    assert other.get("/directory/manage/entries/999999").status_code == 404
    assert _entry(app).title == INTERNSHIP["title"]


def test_coordinators_review_only_their_projects_organisations(app, network, new_browser):
    _publish_internship(new_browser, network)
    entry_id = _entry(app).id
    vicenza = _login(new_browser, "coord.vicenza@example.it")
    assert "aiuto magazziniere" not in vicenza.get("/directory/moderation/").get_data(as_text=True)
    assert (
        vicenza.submit(
            f"/directory/moderation/entries/{entry_id}", {"approve": "1"}, page="/directory/moderation/"
        ).status_code
        == 403
    )
    assert _entry(app).status.value == "pending"
    assert _login(new_browser, "partner.vicenza@example.it").get("/directory/moderation/").status_code == 403


def test_two_editors_saving_the_same_entry_the_second_is_told(app, network, new_browser, make_user):
    from portal.directory import services

    partner, _ = _publish_internship(new_browser, network)
    entry_id = _entry(app).id
    make_user("partner2@example.it")
    with app.app_context():
        services.add_editor(
            db.session.get(User, network["asti-est"]["coordinator"]),
            db.session.get(Organisation, network["asti-est"]["org"]),
            "partner2@example.it",
        )
        db.session.commit()
    second = _login(new_browser, "partner2@example.it")
    url = f"/directory/manage/entries/{entry_id}"
    mine, theirs = partner.get(url).get_data(as_text=True), second.get(url).get_data(as_text=True)
    version = str(_entry(app).version)
    partner.client.post(
        url, data={**INTERNSHIP, "title": "Versione A", "version": version, "csrf_token": csrf_token_from(mine)}
    )
    response = second.client.post(
        url,
        data={**INTERNSHIP, "title": "Versione B", "version": version, "csrf_token": csrf_token_from(theirs)},
        follow_redirects=True,
    )
    assert "altra persona ha salvato il contenuto" in response.get_data(as_text=True)
    assert _entry(app, "Versione A") is not None and _entry(app, "Versione B") is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("vat_number", "12345678901", "Partita IVA non valida"),
        ("fiscal_code", "RSSMRA80A01H501X", "Codice fiscale non valido"),
        ("website", "javascript:alert(1)", "http:// o https://"),
        ("website", "ftp://example.it", "http:// o https://"),
    ],
)
def test_organisation_form_validates_identifiers_and_urls(new_browser, network, field, value, message):
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    response = coordinator.submit(
        "/directory/manage/organisations/new",
        {"name": "Nuova Srl", "kind": "company", "comune": "Asti", "province": "AT", field: value},
    )
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_valid_identifiers_are_accepted(new_browser, network, app, tenants):
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    response = coordinator.submit(
        "/directory/manage/organisations/new",
        {
            "name": "Nuova Srl",
            "kind": "company",
            "comune": "Asti",
            "province": "AT",
            "vat_number": "00743110157",
            "fiscal_code": "RSSMRA80A01H501U",
            "website": "https://nuova.example",
            "tenant_ids": [tenants["asti-est"].id],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(Organisation.vat_number).where(Organisation.name == "Nuova Srl")) == "00743110157"
        )


def test_entry_form_refuses_past_deadlines_and_end_before_start(new_browser, network):
    partner = _login(new_browser, "partner.asti-est@example.it")
    org = network["asti-est"]["org"]
    past = (rome_today() - timedelta(days=1)).isoformat()
    html = unescape(
        partner.submit(
            f"/directory/manage/organisations/{org}/opportunity/new", {**INTERNSHIP, "deadline": past}
        ).get_data(as_text=True)
    )
    assert "La data è già passata." in html
    html = unescape(
        partner.submit(
            f"/directory/manage/organisations/{org}/training/new",
            {
                "title": "Corso",
                "description": "x",
                "comune": "Asti",
                "province": "AT",
                "start_date": _future(10),
                "end_date": _future(5),
            },
        ).get_data(as_text=True)
    )
    assert "La fine non può precedere l'inizio." in html
    html = partner.submit(
        f"/directory/manage/organisations/{org}/event/new",
        {
            "title": "Evento",
            "description": "x",
            "comune": "Asti",
            "province": "AT",
            "starts_at": _future(3) + "T18:00",
            "ends_at": _future(3) + "T17:00",
            "online_url": "javascript:alert(1)",
        },
    ).get_data(as_text=True)
    html = unescape(html)
    assert "La fine non può precedere l'inizio." in html and "http:// o https://" in html


def test_event_times_are_entered_in_italian_time_and_stored_in_utc(app, network, new_browser):
    partner = _login(new_browser, "partner.asti-est@example.it")
    day = rome_today() + timedelta(days=40)
    partner.submit(
        f"/directory/manage/organisations/{network['asti-est']['org']}/event/new",
        {
            "title": "Festa del lavoro",
            "description": "x",
            "comune": "Asti",
            "province": "AT",
            "starts_at": f"{day.isoformat()}T18:00",
            "is_free": "y",
        },
    )
    event = _entry(app, "Festa del lavoro")
    assert event.starts_at.hour in (16, 17)  # 18:00 in Rome is 17:00 UTC in winter, 16:00 in summer
    assert event.closes_on == day


@whoosh_only
def test_every_change_writes_a_search_outbox_row_in_the_same_transaction(app, network, new_browser, index):
    index.sync()
    _publish_internship(new_browser, network)
    with app.app_context():
        rows = db.session.scalars(select(SearchOutbox.doc_id)).all()
    assert rows == [f"opportunity:{_entry(app).id}"]


@whoosh_only
def test_a_crash_before_the_outbox_is_cleared_loses_nothing_and_duplicates_nothing(
    app, network, new_browser, index, monkeypatch
):

    index.sync()  # the initial rebuild queued by the tenant sync
    _, response = _publish_internship(new_browser, network)
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"}, page="/directory/moderation/"
    )
    from search_index import WhooshEngine

    real_apply = WhooshEngine.apply

    def crash_after_index_commit(self, upserts=(), deletes=()):
        real_apply(self, upserts, deletes)
        raise SystemExit("indexer killed before clearing the outbox")

    monkeypatch.setattr(WhooshEngine, "apply", crash_after_index_commit)
    with pytest.raises(SystemExit):
        index.sync()
    monkeypatch.setattr(WhooshEngine, "apply", real_apply)
    with app.app_context():
        db.session.rollback()
        assert db.session.scalars(select(SearchOutbox)).all()  # still there
    index.sync()
    html = new_browser().get("/search?q=magazziniere").get_data(as_text=True)
    assert html.count("aiuto magazziniere</a>") == 1


@whoosh_only
def test_a_missing_index_still_answers_and_is_rebuilt(app, network, new_browser, index, runner):
    import shutil

    _publish_internship(new_browser, network)
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"}, page="/directory/moderation/"
    )
    index.sync()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    response = new_browser().get("/search?q=magazziniere")
    assert response.status_code == 200 and "aiuto magazziniere" in response.get_data(as_text=True)
    index.sync()  # the page asked the indexer for a rebuild
    with app.app_context():
        from portal.directory.indexing import engine

        assert engine().doc_count() == 3
    assert "indexed 3 documents" in runner.invoke(args=["search", "rebuild"]).output


@whoosh_only
def test_a_corrupt_index_still_answers(app, network, new_browser, index):
    index.rebuild()
    for path in __import__("pathlib").Path(app.config["SEARCH_INDEX_DIR"]).glob("*.toc"):
        path.write_bytes(b"corrupted")
    response = new_browser().get("/search?q=officina")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "q=%22unbalanced",
        "q=*",
        "q=AND+OR+NOT",
        "q=title%3A",
        "q=" + "a*+OR+b*+OR+" * 100,
        "q=" + "x" * 10000,
        "q=%00%01%1b",
        "q=%FF%FE",
        "page=-3",
        "page=99999999",
        "sort=%3Cscript%3E",
        "kind=%3Cscript%3E",
        "province=" + "&province=".join(["AT"] * 50),
    ],
)
def test_search_survives_traps(network, new_browser, index, query):
    response = new_browser().get(f"/search?{query}")
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.get_data(as_text=True)


def test_demo_load_size_generates_synthetic_entries(runner, app, tenants, index):
    result = runner.invoke(args=["demo", "load", "--size", "120"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (
            db.session.scalar(select(db.func.count()).select_from(Entry).where(Entry.slug.like("synthetic-%"))) == 120
        )
    index.sync()
    with app.app_context():
        from portal.directory.indexing import engine

        assert engine().doc_count() > 120


def test_search_commands_report_and_apply(runner, app, network, new_browser):
    _publish_internship(new_browser, network)
    assert "waiting" in runner.invoke(args=["search", "status"]).output
    assert "applied" in runner.invoke(args=["search", "apply"]).output
    assert "outbox: 0 waiting" in runner.invoke(args=["search", "status"]).output


@whoosh_only
def test_changing_a_tenant_folder_queues_a_rebuild(app, tenants):
    from portal.directory.indexing import REBUILD

    with app.app_context():
        assert REBUILD in db.session.scalars(select(SearchOutbox.doc_id)).all()


def test_with_postgres_search_a_change_is_searchable_in_its_own_transaction(app, network, new_browser):
    if app.config["SEARCH_BACKEND"] != "postgres":
        pytest.skip("PostgreSQL run only")
    _publish_internship(new_browser, network)
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(
        f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"}, page="/directory/moderation/"
    )
    with app.app_context():
        assert db.session.scalars(select(SearchOutbox)).all() == []  # no outbox, no indexer
    assert "aiuto magazziniere" in new_browser().get("/search?q=magazziniere").get_data(as_text=True)
