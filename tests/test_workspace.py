"""La mia area (issue 15): everyone lands there after signing in and finds what they do and what
waits for them; partners draft, preview, submit, withdraw, close early and copy their entries."""

import re
from datetime import timedelta
from html import unescape

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Alert, Entry, Interest, Subscription, User
from portal.models.directory import Status
from portal.tenancy import all_tenants_writes
from portal.timezone import rome_today
from tests.conftest import PASSWORD, csrf_token_from

FULL = {
    "title": "Tirocinio in falegnameria",
    "description": "Affiancamento al laboratorio di falegnameria.",
    "comune": "Asti",
    "province": "AT",
    "opportunity_type": "tirocinio_inclusione",
    "promoter": "Servizi sociali del Comune",
    "duration_months": "6",
    "how_to_apply": "Inviare il curriculum allo sportello.",
    "places": "2",
}


def _future(days=20):
    return (rome_today() + timedelta(days=days)).isoformat()


def _new_url(network):
    return f"/directory/manage/organisations/{network['asti-est']['org']}/opportunity/new"


def _entry(app, title=FULL["title"]):
    with app.app_context():
        return db.session.scalar(select(Entry).where(Entry.title == title).order_by(Entry.id.desc()))


def _english(browser):
    browser.client.set_cookie("lang", "en")
    return browser


def _partner(new_browser):
    return _english(new_browser().sign_in("partner.asti-est@example.it"))


def _coordinator(new_browser):
    return _english(new_browser().sign_in("coord.asti-est@example.it"))


def _draft(partner, network, data):
    return partner.submit(_new_url(network), {**data, "save_draft": "y"})


def _published(app, network, new_browser):
    """A published internship of Officina Tanaro (submitted by its partner, approved by the coordinator)."""
    _partner(new_browser).submit(_new_url(network), {**FULL, "deadline": _future()})
    entry = _entry(app)
    _coordinator(new_browser).submit(
        f"/directory/moderation/entries/{entry.id}", {"approve": "1"}, page="/directory/moderation/"
    )
    return _entry(app)


def _links(html):
    return sorted({unescape(href) for href in re.findall(r'href="(/[^"#]*)', html) if not href.startswith("/static/")})


def test_signing_in_lands_in_my_area_unless_a_safe_next_says_otherwise(network, new_browser):
    browser = new_browser()
    html = browser.get("/auth/login").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(html), "email": "partner.asti-est@example.it", "password": PASSWORD}
    assert browser.client.post("/auth/login", data=form).headers["Location"] == "/la-mia-area"
    other = new_browser()
    html = other.get("/auth/login?next=/directory/").get_data(as_text=True)
    form = {**form, "csrf_token": csrf_token_from(html), "next": "/directory/"}
    assert other.client.post("/auth/login", data=form).headers["Location"] == "/directory/"
    page = browser.get("/la-mia-area").get_data(as_text=True)
    assert 'href="/la-mia-area"' in page  # the header links to it


def test_my_area_needs_signing_in(client):
    assert "/auth/login" in client.get("/la-mia-area").headers["Location"]


def test_a_partner_sees_each_entry_with_its_status_and_the_rejection_reason(app, network, new_browser):
    partner = _partner(new_browser)
    _draft(partner, network, {"title": "Bozza a metà"})
    entry = _published(app, network, new_browser)
    partner.submit(f"/directory/manage/entries/{entry.id}", {**FULL, "title": "Tirocinio rivisto", "deadline": _future(),
                                                               "version": str(entry.version)})  # fmt: skip
    partner.submit(_new_url(network), {**FULL, "title": "Da respingere", "deadline": _future()})
    rejected = _entry(app, "Da respingere")
    _coordinator(new_browser).submit(f"/directory/moderation/entries/{rejected.id}",
                                     {"reject": "1", "reason": "Manca il nome del tutor."},
                                     page="/directory/moderation/")  # fmt: skip
    html = unescape(partner.get("/la-mia-area").get_data(as_text=True))
    assert "Officina Tanaro" in html
    assert "Bozza a metà" in html and "Draft: not submitted" in html
    assert "Published; change waiting for review" in html and "Edit the proposal" in html
    assert "Rejected" in html and "Manca il nome del tutor." in html
    assert "Conceria Agno" not in html  # another organisation's


def test_every_link_in_my_area_opens_for_each_role(app, tenants, network, new_browser, make_user):
    """Nobody is shown a link that leads to a refusal: follow every link for each role."""
    make_user("admin@example.it", admin=True)
    make_user("resident@example.it")
    _published(app, network, new_browser)
    with app.app_context():
        db.session.add(Alert(email="resident@example.it", search_key="k1", params=[["q", "tirocinio"]]))
        with all_tenants_writes(db.session):
            db.session.add(Subscription(tenant_id=tenants["asti-est"].id, email="resident@example.it"))
            db.session.commit()
    for email in ("partner.asti-est@example.it", "coord.asti-est@example.it", "admin@example.it",
                  "resident@example.it"):  # fmt: skip
        browser = new_browser().sign_in(email)
        html = browser.get("/la-mia-area").get_data(as_text=True)
        links = _links(html)
        assert links, email
        for link in links:
            status = browser.get(link).status_code
            assert status in (200, 302), f"{email}: {link} -> {status}"
        if email == "resident@example.it":
            assert "/alerts/manage/" in html and "/newsletter/manage/" in html


def test_a_coordinator_sees_per_project_what_waits(app, tenants, network, new_browser):
    _partner(new_browser).submit(_new_url(network), {**FULL, "deadline": _future()})
    html = unescape(_coordinator(new_browser).get("/la-mia-area").get_data(as_text=True))
    assert "The projects you coordinate" in html
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, re.S).group(0)
    assert tenants["asti-est"].short_name in row and "1 to review" in row
    assert "/directory/moderation/" in html
    assert tenants["vicenza"].short_name not in html  # a project they do not coordinate


def test_a_draft_with_half_the_fields_is_saved_reopened_and_never_public(app, network, new_browser, index):
    partner = _partner(new_browser)
    response = _draft(partner, network, {"title": "Tirocinio di prova", "places": "3"})
    assert response.status_code == 302
    draft = _entry(app, "Tirocinio di prova")
    assert draft.status == Status.DRAFT and draft.places == 3
    reopened = partner.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Tirocinio di prova"' in reopened and 'value="3"' in reopened
    # Not in the review queue, the search or the public pages.
    assert "Tirocinio di prova" not in _coordinator(new_browser).get("/directory/moderation/").get_data(as_text=True)
    index.sync()
    anyone = new_browser()
    assert "Tirocinio di prova" not in anyone.get("/search?q=prova").get_data(as_text=True)
    assert anyone.get(f"/directory/opportunities/{draft.slug}").status_code == 404
    # Submitting it checks every field, then it waits for review.
    url = f"/directory/manage/entries/{draft.id}"
    incomplete = partner.submit(url, {"title": "Tirocinio di prova", "version": str(draft.version)})
    assert incomplete.status_code == 200 and _entry(app, "Tirocinio di prova").status == Status.DRAFT
    partner.submit(url, {**FULL, "title": "Tirocinio di prova", "deadline": _future(), "version": str(draft.version)})
    assert _entry(app, "Tirocinio di prova").status == Status.PENDING


def test_a_draft_keeps_invalid_input_out_with_a_message(app, network, new_browser):
    partner = _partner(new_browser)
    response = _draft(partner, network, {"title": "Bozza", "places": "molti"})
    assert response.status_code == 200 and _entry(app, "Bozza") is None
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_two_editors_on_the_same_draft_the_second_keeps_what_they_typed(app, network, new_browser, make_user):
    from portal.directory import services

    partner = _partner(new_browser)
    _draft(partner, network, {"title": "Bozza condivisa"})
    draft = _entry(app, "Bozza condivisa")
    make_user("partner2@example.it")
    with app.app_context():
        services.add_editor(db.session.get(User, network["asti-est"]["coordinator"]),
                            services.organisation(network["asti-est"]["org"]), "partner2@example.it")  # fmt: skip
        db.session.commit()
    second = _english(new_browser().sign_in("partner2@example.it"))
    url = f"/directory/manage/entries/{draft.id}"
    first_page, second_page = partner.get(url).get_data(as_text=True), second.get(url).get_data(as_text=True)
    version = str(draft.version)
    partner.client.post(url, data={"title": "Versione di chi ha salvato prima", "version": version,
                                   "save_draft": "y", "csrf_token": csrf_token_from(first_page)})  # fmt: skip
    response = second.client.post(url, data={"title": "Versione della seconda persona", "version": version,
                                             "save_draft": "y", "csrf_token": csrf_token_from(second_page)})  # fmt: skip
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 409 or response.status_code == 200
    assert "What you typed is still in the form below" in html
    assert 'value="Versione della seconda persona"' in html  # nothing lost
    assert _entry(app, "Versione di chi ha salvato prima") is not None
    # Saving again, knowingly, now works.
    again = second.client.post(url, data={"title": "Versione della seconda persona", "save_draft": "y",
                                          "version": str(_entry(app, "Versione di chi ha salvato prima").version),
                                          "csrf_token": csrf_token_from(html)})  # fmt: skip
    assert again.status_code == 302 and _entry(app, "Versione della seconda persona") is not None


def test_the_preview_shows_the_public_page_and_saves_nothing(app, network, new_browser):
    partner = _partner(new_browser)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Entry))
    response = partner.submit(_new_url(network), {**FULL, "deadline": _future(), "preview": "y"})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "Preview of the public page" in html
    assert "Affiancamento al laboratorio di falegnameria." in html and "Inviare il curriculum" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry)) == before


def test_previewing_a_published_entry_does_not_change_it(app, network, new_browser):
    entry = _published(app, network, new_browser)
    partner = _partner(new_browser)
    url = f"/directory/manage/entries/{entry.id}"
    response = partner.submit(url, {**FULL, "title": "Titolo solo in anteprima", "deadline": _future(),
                                    "version": str(entry.version), "preview": "y"})  # fmt: skip
    assert "Titolo solo in anteprima" in unescape(response.get_data(as_text=True))
    after = _entry(app)
    assert after.title == FULL["title"] and after.pending_changes is None and after.version == entry.version


def test_forms_mark_required_fields_explain_dates_and_start_from_the_organisation_place(network, new_browser):
    html = unescape(_partner(new_browser).get(_new_url(network)).get_data(as_text=True))
    assert "Fields marked with an asterisk (*) are required." in html
    title = re.search(r"<input[^>]*id=\"title\"[^>]*>", html).group(0)
    assert "required" in title and 'aria-required="true"' in title
    assert re.search(r'<label class="active required" for="title">Title</label>', html)  # the marker is CSS
    deadline = re.search(r"<input[^>]*id=\"deadline\"[^>]*>", html).group(0)
    assert 'type="date"' in deadline and 'aria-describedby="deadline-help"' in deadline
    assert "for example 31/01/2027" in html
    how = re.search(r"<textarea[^>]*id=\"how_to_apply\"[^>]*>", html).group(0)
    assert 'aria-describedby="how_to_apply-help"' in how
    assert re.search(r'<input[^>]*id="comune"[^>]*value="Asti"', html)  # from the organisation


def test_a_withdrawn_submission_a_coordinator_was_reviewing(app, network, new_browser):
    partner = _partner(new_browser)
    partner.submit(_new_url(network), {**FULL, "deadline": _future()})
    entry = _entry(app)
    coordinator = _coordinator(new_browser)
    queue = coordinator.get("/directory/moderation/").get_data(as_text=True)  # the reviewer opens the queue
    area = partner.get("/la-mia-area").get_data(as_text=True)
    partner.client.post(f"/directory/manage/entries/{entry.id}/withdraw",
                        data={"version": str(entry.version), "csrf_token": csrf_token_from(area)})  # fmt: skip
    assert _entry(app).status == Status.WITHDRAWN
    response = coordinator.client.post(f"/directory/moderation/entries/{entry.id}", follow_redirects=True,
                                       data={"approve": "1", "csrf_token": csrf_token_from(queue)})  # fmt: skip
    assert response.status_code == 200
    assert "The partner withdrew this submission while you were reviewing it" in unescape(
        response.get_data(as_text=True)
    )
    assert _entry(app).status == Status.WITHDRAWN and _entry(app).published_at is None


def test_closing_early_keeps_the_page_visible_as_closed_and_out_of_open_listings(app, network, new_browser, index):
    entry = _published(app, network, new_browser)
    partner = _partner(new_browser)
    area = partner.get("/la-mia-area").get_data(as_text=True)
    assert f"/directory/manage/entries/{entry.id}/close" in area
    response = partner.client.post(f"/directory/manage/entries/{entry.id}/close",
                                   data={"version": str(entry.version), "csrf_token": csrf_token_from(area)})  # fmt: skip
    assert response.status_code == 302
    closed = _entry(app)
    assert closed.closed_early_on == rome_today() and not closed.is_open(rome_today())
    index.sync()
    anyone = _english(new_browser())
    page = unescape(anyone.get(f"/directory/opportunities/{closed.slug}").get_data(as_text=True))
    assert "Places filled: the organisation closed this entry on" in page
    assert FULL["title"] not in anyone.get("/asti-est/directory/").get_data(as_text=True)
    assert "Closed: places filled" in unescape(partner.get("/la-mia-area").get_data(as_text=True))
    # Editing it later does not reopen it.
    partner.submit(f"/directory/manage/entries/{closed.id}", {**FULL, "deadline": _future(30),
                                                               "version": str(closed.version)})  # fmt: skip
    assert _entry(app).closed_early_on == rome_today()


def test_copy_for_next_season_is_a_new_draft(app, network, new_browser):
    entry = _published(app, network, new_browser)
    partner = _partner(new_browser)
    area = partner.get("/la-mia-area").get_data(as_text=True)
    response = partner.client.post(f"/directory/manage/entries/{entry.id}/duplicate",
                                   data={"csrf_token": csrf_token_from(area)})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        copies = list(db.session.scalars(select(Entry).where(Entry.title == FULL["title"]).order_by(Entry.id)))
        assert len(copies) == 2
        copy = copies[1]
        assert copy.status == Status.DRAFT and copy.slug != entry.slug and copy.how_to_apply == FULL["how_to_apply"]
        assert copy.published_at is None and copy.deadline is None  # the new season's, asked again
        assert [t.id for t in copy.tenants] == [t.id for t in copies[0].tenants]
    assert response.headers["Location"].endswith(f"/directory/manage/entries/{copy.id}")


def test_a_resident_sees_what_they_receive_at_their_confirmed_address_only(app, tenants, network, new_browser,
                                                                           make_user):  # fmt: skip
    make_user("anna@example.it")
    entry = _published(app, network, new_browser)
    with app.app_context():
        db.session.add(Alert(email="anna@example.it", search_key="k2", params=[["q", "falegnameria"]]))
        db.session.add(Alert(email="altro@example.it", search_key="k3", params=[["q", "segreto"]]))
        db.session.add(
            Interest(entry_id=entry.id, name="Anna", email="anna@example.it", message="Vorrei saperne di più")
        )
        db.session.commit()
    html = unescape(_english(new_browser().sign_in("anna@example.it")).get("/la-mia-area").get_data(as_text=True))
    assert "falegnameria" in html and FULL["title"] in html
    assert "/alerts/manage/" in html and "segreto" not in html
    with app.app_context():  # rows are found by the confirmed address only: another one's stay out
        from portal.workspace.services import resident_section

        found = resident_section(db.session.scalar(select(User).where(User.email == "anna@example.it")))
        assert [a.email for a, _text, _token in found.alerts] == ["anna@example.it"]


def test_another_organisation_cannot_close_copy_or_preview_an_entry(app, network, new_browser):
    entry = _published(app, network, new_browser)
    stranger = new_browser().sign_in("partner.vicenza@example.it")
    area = stranger.get("/la-mia-area").get_data(as_text=True)
    assert FULL["title"] not in area
    token = csrf_token_from(area)
    close = stranger.client.post(f"/directory/manage/entries/{entry.id}/close",
                                 data={"version": str(entry.version), "csrf_token": token})  # fmt: skip
    copy = stranger.client.post(f"/directory/manage/entries/{entry.id}/duplicate", data={"csrf_token": token})
    assert close.status_code == 403 and copy.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry).where(Entry.title == FULL["title"])) == 1
    assert _entry(app).closed_early_on is None


def test_a_platform_admin_lands_on_the_administration_and_the_header_and_area_link_to_it(
    network, make_user, new_browser
):
    make_user("root@example.it", admin=True)
    browser = new_browser()
    html = browser.get("/auth/login").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(html), "email": "root@example.it", "password": PASSWORD}
    assert browser.client.post("/auth/login", data=form).headers["Location"] == "/admin/"
    area = browser.get("/la-mia-area").get_data(as_text=True)
    assert re.search(r'href="/admin/"[^>]*>Amministrazione</a>', area)  # the header
    assert 'href="/admin/">Amministrazione: progetti, utenti e inviti' in area
    partner = new_browser()
    html = partner.get("/auth/login").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(html), "email": "partner.asti-est@example.it", "password": PASSWORD}
    partner.client.post("/auth/login", data=form)
    assert 'href="/admin/"' not in partner.get("/la-mia-area").get_data(as_text=True)
