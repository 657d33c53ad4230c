"""A hostile review of La mia area and the partners' drafts (issue 15, points 1 and 2): what real
people tried and what had gone wrong, each story failing before its fix."""

import re
from html import unescape

from sqlalchemy import select

from portal.extensions import db
from portal.models import Entry, User
from portal.models.directory import Status
from tests.conftest import csrf_token_from
from tests.test_workspace import FULL, _coordinator, _draft, _english, _entry, _future, _new_url, _partner, _published


def test_a_draft_saved_without_a_title_gets_its_address_from_the_title_it_is_submitted_with(app, network,
                                                                                           new_browser):  # fmt: skip
    partner = _partner(new_browser)
    _draft(partner, network, {"places": "2"})  # started with the number of places only
    with app.app_context():
        draft = db.session.scalar(select(Entry).order_by(Entry.id.desc()))
        draft_id, version = draft.id, draft.version
    response = partner.submit(f"/directory/manage/entries/{draft_id}",
                              {**FULL, "deadline": _future(), "version": str(version)})  # fmt: skip
    with app.app_context():
        submitted = db.session.get(Entry, draft_id)
        assert submitted.status == Status.PENDING
        assert submitted.slug == "tirocinio-in-falegnameria"  # not "draft" or "bozza"
    assert response.headers["Location"] == "/directory/opportunities/tirocinio-in-falegnameria"


def test_a_draft_retitled_before_submitting_takes_the_new_title_without_stealing_a_used_address(app, network,
                                                                                               new_browser):  # fmt: skip
    _published(app, network, new_browser)  # "tirocinio-in-falegnameria" is taken
    partner = _partner(new_browser)
    _draft(partner, network, {"title": "Prima idea"})
    draft = _entry(app, "Prima idea")
    partner.submit(f"/directory/manage/entries/{draft.id}",
                   {**FULL, "deadline": _future(), "version": str(draft.version)})  # fmt: skip
    with app.app_context():
        assert db.session.get(Entry, draft.id).slug == "tirocinio-in-falegnameria-2"


def test_a_draft_is_not_shown_to_the_projects_coordinators_by_its_address(app, network, new_browser, make_user):
    partner = _partner(new_browser)
    _draft(partner, network, {"title": "Bozza riservata", "description": "Testo non ancora inviato"})
    draft = _entry(app, "Bozza riservata")
    url = f"/directory/opportunities/{draft.slug}"
    assert partner.get(url).status_code == 200  # its editors see it
    assert _coordinator(new_browser).get(url).status_code == 404  # "only the organisation's editors see it"
    assert new_browser().get(url).status_code == 404
    make_user("admin@example.it", admin=True)
    assert new_browser().sign_in("admin@example.it").get(url).status_code == 200  # an admin is an editor of all
    # Once submitted, the coordinator reviews it and may open it.
    partner.submit(f"/directory/manage/entries/{draft.id}",
                   {**FULL, "title": "Bozza riservata", "deadline": _future(), "version": str(draft.version)})  # fmt: skip
    assert (
        _coordinator(new_browser).get(f"/directory/opportunities/{_entry(app, 'Bozza riservata').slug}").status_code
        == 200
    )


def _coordinator_of_two_projects(app, tenants, make_user):
    """An organisation in both Asti Est and Vicenza, a partner editing it and a person coordinating both."""
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    make_user("coord.due@example.it", role="coordinator", tenant=tenants["asti-est"])
    make_user("coord.due@example.it", role="coordinator", tenant=tenants["vicenza"])
    make_user("partner.due@example.it")
    with app.app_context():
        admin = db.session.get(User, admin_id)
        org = services.create_organisation(admin, {
            "name": "Cooperativa Due Valli", "kind": "company", "comune": "Asti", "province": "AT",
            "tenant_ids": [tenants["asti-est"].id, tenants["vicenza"].id],
        })  # fmt: skip
        services.add_editor(admin, org, "partner.due@example.it")
        db.session.commit()
        return org.id


def test_a_coordinator_of_two_projects_sees_one_submission_counted_once_and_in_its_project(app, tenants, network,
                                                                                          new_browser, make_user):  # fmt: skip
    org_id = _coordinator_of_two_projects(app, tenants, make_user)
    partner = _english(new_browser().sign_in("partner.due@example.it"))
    partner.submit(f"/directory/manage/organisations/{org_id}/opportunity/new",
                   {**FULL, "deadline": _future(), "tenant_ids": [str(tenants["vicenza"].id)]})  # fmt: skip
    coordinator = _english(new_browser().sign_in("coord.due@example.it"))
    html = unescape(coordinator.get("/la-mia-area").get_data(as_text=True))
    queue = coordinator.get("/directory/moderation/").get_data(as_text=True)
    assert queue.count(FULL["title"]) == 1
    assert re.findall(r"(\d+) waiting", html) == ["1"]  # one row in the queue, not one per project
    rows = dict(re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>\s*<td>(.*?)</td>', html, re.S))
    assert "1 to review" in rows[tenants["vicenza"].short_name]
    assert "None" in rows[tenants["asti-est"].short_name]  # shown in Vicenza only: it waits there
    admin = _english(new_browser().sign_in("admin@example.it"))
    assert re.findall(r"(\d+) waiting", admin.get("/la-mia-area").get_data(as_text=True)) == ["1"]


def test_an_entry_closed_early_is_not_offered_for_the_next_newsletter(app, tenants, network, new_browser):
    from portal.directory import services
    from portal.newsletters.issues import digest_candidates
    from portal.timezone import rome_today

    _partner(new_browser).submit(_new_url(network), {**FULL, "deadline": _future(),
                                                      "tenant_ids": [str(tenants["asti-est"].id)]})  # fmt: skip
    _coordinator(new_browser).submit(f"/directory/moderation/entries/{_entry(app).id}", {"approve": "1"},
                                     page="/directory/moderation/")  # fmt: skip
    entry = _entry(app)
    assert entry.status == Status.PUBLISHED
    with app.test_request_context("/"):
        tenant = db.session.merge(tenants["asti-est"])
        assert [b["title"] for b in digest_candidates(tenant, None) if b["kind"] == "opportunity"] == [FULL["title"]]
        partner = db.session.get(User, network["asti-est"]["editor"])
        row = db.session.get(Entry, entry.id)
        services.close_entry_early(partner, row, row.version, rome_today())
        db.session.commit()
        assert [b for b in digest_candidates(tenant, None) if b["kind"] == "opportunity"] == []


def test_a_copy_for_next_season_leaves_the_old_seasons_dates_to_be_entered_again(app, network, new_browser):
    from portal.directory import services

    org = network["asti-est"]["org"]
    partner = _partner(new_browser)
    partner.submit(f"/directory/manage/organisations/{org}/training/new", {
        "title": "Corso di saldatura", "description": "Corso base.", "comune": "Asti", "province": "AT",
        "total_hours": "40", "start_date": _future(30), "end_date": _future(60), "enrolment_deadline": _future(20),
        "eligibility": "Maggiorenni.", "save_draft": "y",
    })  # fmt: skip
    course = _entry(app, "Corso di saldatura")
    assert course.start_date is not None and course.enrolment_deadline is not None
    with app.app_context():
        editor = db.session.get(User, network["asti-est"]["editor"])
        copy = services.duplicate_entry(editor, db.session.get(Entry, course.id))
        db.session.commit()
        assert copy.status == Status.DRAFT and copy.total_hours == 40 and copy.eligibility == "Maggiorenni."
        assert (copy.start_date, copy.end_date, copy.enrolment_deadline, copy.closes_on) == (None, None, None, None)
        copy_id = copy.id
    page = unescape(partner.get(f"/directory/manage/entries/{copy_id}").get_data(as_text=True))
    start = re.search(r'<input[^>]*id="start_date"[^>]*>', page).group(0)
    assert 'value=""' in start or "value=" not in start  # empty: the new dates are asked for


def _ids(html):
    return re.findall(r'\sid="([^"]+)"', html)


def test_the_entry_page_and_my_area_have_each_id_once_and_every_reference_resolves(app, network, new_browser):
    """WCAG 4.1.1: the small forms of "Other actions" and of each entry row repeated csrf_token and version."""
    entry = _published(app, network, new_browser)
    partner = _partner(new_browser)
    _draft(partner, network, {"title": "Seconda riga"})
    for url in ("/la-mia-area", f"/directory/manage/entries/{entry.id}"):
        html = partner.get(url).get_data(as_text=True)
        ids = _ids(html)
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], url
        referenced = {
            r for refs in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html) for r in refs.split()
        }
        assert referenced <= set(ids), url


def test_the_error_summary_links_to_a_group_of_checkboxes_that_exists(app, network, new_browser):
    partner = _partner(new_browser)
    response = partner.submit(_new_url(network), {**FULL, "deadline": _future(), "tenant_ids": ["999"]})
    html = response.get_data(as_text=True)
    summary = re.search(r'<div class="alert alert-danger" role="alert".*?</div>', html, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert "tenant_ids" in targets
    assert all(target in _ids(html) for target in targets)


def test_my_area_greets_in_correct_formal_italian(network, new_browser):
    browser = new_browser().sign_in("partner.asti-est@example.it")
    browser.client.set_cookie("lang", "it")
    html = unescape(browser.get("/la-mia-area").get_data(as_text=True))
    assert "In questa pagina trova ciò che segue sul portale e ciò che attende una sua azione." in html
    assert "si trovano ciò" not in html  # plural verb with a singular subject


def test_a_decision_posted_from_a_page_older_than_the_partners_last_edit_is_not_applied(app, network, new_browser):
    """The coordinator opened the queue; the partner then rewrote the pending submission: the
    "approve" sent from the old page must not publish a text the coordinator never saw."""
    partner = _partner(new_browser)
    partner.submit(_new_url(network), {**FULL, "deadline": _future()})
    entry = _entry(app)
    coordinator = _coordinator(new_browser)
    queue = coordinator.get("/directory/moderation/").get_data(as_text=True)
    shown = re.search(rf'entries/{entry.id}".*?name="version" value="(\d+)"', queue, re.S).group(1)
    partner.submit(f"/directory/manage/entries/{entry.id}",
                   {**FULL, "title": "Testo cambiato dopo", "deadline": _future(), "version": str(entry.version)})  # fmt: skip
    assert _entry(app, "Testo cambiato dopo").status == Status.PENDING
    response = coordinator.client.post(f"/directory/moderation/entries/{entry.id}", follow_redirects=True,
                                       data={"approve": "1", "version": shown, "csrf_token": csrf_token_from(queue)})  # fmt: skip
    assert "The partner changed this submission after you opened the page" in unescape(response.get_data(as_text=True))
    assert _entry(app, "Testo cambiato dopo").status == Status.PENDING  # nothing decided
    # From the page showing the new text, the approval goes through.
    coordinator.submit(f"/directory/moderation/entries/{entry.id}", {"approve": "1", "version": str(
        _entry(app, "Testo cambiato dopo").version)}, page="/directory/moderation/")  # fmt: skip
    assert _entry(app, "Testo cambiato dopo").status == Status.PUBLISHED


def test_a_copy_of_an_entry_with_a_proposal_waiting_takes_the_proposed_projects_too(app, tenants, network,
                                                                                   new_browser, make_user):  # fmt: skip
    from portal.directory import services

    org_id = _coordinator_of_two_projects(app, tenants, make_user)
    asti, vicenza = tenants["asti-est"].id, tenants["vicenza"].id
    with app.app_context():
        partner = db.session.scalar(select(User).where(User.email == "partner.due@example.it"))
        admin = db.session.scalar(select(User).where(User.email == "admin@example.it"))
        org = services.organisation(org_id)
        entry = services.create_entry(partner, org, "opportunity", {**FULL, "places": 2, "duration_months": 6,
                                                                    "tenant_ids": [asti]})  # fmt: skip
        db.session.flush()
        services.approve(admin, entry)
        services.update_entry(partner, entry, {**FULL, "places": 2, "duration_months": 6,
                                               "title": "Tirocinio spostato", "tenant_ids": [vicenza]},
                              entry.version)  # fmt: skip
        assert entry.pending_changes and [t.id for t in entry.tenants] == [asti]
        copy = services.duplicate_entry(partner, entry)
        db.session.commit()
        assert copy.title == "Tirocinio spostato"  # the proposal's text, as the docstring says
        assert [t.id for t in copy.tenants] == [vicenza]  # and its projects with it


def test_the_review_queue_has_each_id_once_with_several_submissions(network, new_browser):
    partner = _partner(new_browser)
    for title in ("Prima proposta", "Seconda proposta"):
        partner.submit(_new_url(network), {**FULL, "title": title, "deadline": _future()})
    html = _coordinator(new_browser).get("/directory/moderation/").get_data(as_text=True)
    assert "Prima proposta" in html and "Seconda proposta" in html
    ids = _ids(html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert html.count('name="csrf_token"') >= 2  # every decision still carries its token
