"""A coordinator runs the space: pages, news, members; concurrent edits are not lost."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership, NewsPost, Page
from portal.tenancy import tenant_scope
from tests.conftest import csrf_token_from


@pytest.fixture
def coordinator(make_user, tenants, browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["ciao"])
    browser.sign_in("coord@example.it")
    return browser


def test_news_lifecycle_draft_publish_unpublish_delete(coordinator, new_browser, app, tenants):
    client = new_browser()  # an anonymous visitor
    response = coordinator.submit(
        "/ciao/manage/news/new",
        {"title": "Laboratorio di maggio", "body": "Testo", "summary": "In breve", "locale": "it"},
    )
    assert response.headers["Location"] == "/ciao/news/laboratorio-di-maggio"
    assert client.get("/ciao/news/laboratorio-di-maggio").status_code == 404  # a draft
    assert "Bozza" in coordinator.get("/ciao/news/laboratorio-di-maggio").get_data(as_text=True)
    with app.app_context(), tenant_scope(tenants["ciao"]):
        news_id = db.session.scalar(select(NewsPost.id))
    edit = f"/ciao/manage/news/{news_id}"
    coordinator.submit(edit, {"title": "Laboratorio di maggio", "body": "Testo", "locale": "it", "publish": "y"})
    assert client.get("/ciao/news/laboratorio-di-maggio").status_code == 200
    coordinator.submit(edit, {"title": "Laboratorio di maggio", "body": "Testo", "locale": "it"})
    assert client.get("/ciao/news/laboratorio-di-maggio").status_code == 404
    coordinator.submit(f"{edit}/delete", {}, page="/ciao/manage/")
    assert coordinator.get(edit).status_code == 404


def test_same_title_gets_a_distinct_address(coordinator):
    first = coordinator.submit(
        "/ciao/manage/news/new", {"title": "Avviso", "body": "a", "locale": "it", "publish": "y"}
    )
    second = coordinator.submit(
        "/ciao/manage/news/new", {"title": "Avviso", "body": "b", "locale": "it", "publish": "y"}
    )
    assert first.headers["Location"] != second.headers["Location"]


def test_new_page_appears_in_the_menu(coordinator, new_browser):
    client = new_browser()
    response = coordinator.submit(
        "/ciao/manage/pages/new", {"title": "Dove siamo", "body": "Indirizzi", "in_menu": "y"}
    )
    assert response.headers["Location"] == "/ciao/dove-siamo"
    assert 'href="/ciao/dove-siamo"' in client.get("/ciao/").get_data(as_text=True)


def test_english_version_of_a_page_can_be_added(coordinator, new_browser):
    client = new_browser().client
    coordinator.submit("/ciao/manage/pages/new", {"title": "Contatti", "body": "Scrivici"})
    coordinator.submit("/ciao/manage/pages/contatti/en", {"title": "Contacts", "body": "Write to us"})
    client.set_cookie("lang", "en")
    assert "Write to us" in client.get("/ciao/contatti").get_data(as_text=True)
    assert coordinator.get("/ciao/manage/pages/nonexistent/en").status_code == 404
    assert coordinator.get("/ciao/manage/pages/contatti/de").status_code == 404


def test_two_editors_saving_the_same_page_the_second_is_told(coordinator, make_user, tenants, new_browser, app):
    make_user("coord2@example.it", role="coordinator", tenant=tenants["ciao"])
    other = new_browser()
    other.sign_in("coord2@example.it")
    url = "/ciao/manage/pages/home/it"
    mine = coordinator.get(url).get_data(as_text=True)
    theirs = other.get(url).get_data(as_text=True)
    version = mine.split('name="version" type="hidden" value="', 1)[1].split('"', 1)[0]
    other.client.post(
        url, data={"csrf_token": csrf_token_from(theirs), "title": "Loro", "body": "Testo loro", "version": version}
    )
    response = coordinator.client.post(
        url,
        data={"csrf_token": csrf_token_from(mine), "title": "Mio", "body": "Testo mio", "version": version},
        follow_redirects=True,
    )
    assert "altra persona ha salvato il contenuto" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenants["ciao"]):
        assert db.session.scalar(select(Page.title).where(Page.slug == "home", Page.locale == "it")) == "Loro"


def test_members_can_be_added_promoted_and_removed(coordinator, make_user, app, tenants):
    make_user("nuovo@example.it")
    coordinator.submit("/ciao/manage/members", {"email": "nuovo@example.it", "role": "member"})
    page = coordinator.get("/ciao/manage/members").get_data(as_text=True)
    assert "nuovo@example.it" in page and "Membro" in page
    coordinator.submit("/ciao/manage/members", {"email": "nuovo@example.it", "role": "coordinator"})
    with app.app_context(), tenant_scope(tenants["ciao"]):
        membership = db.session.scalar(
            select(Membership).where(Membership.role == "coordinator").order_by(Membership.id.desc())
        )
        membership_id = membership.id
    coordinator.submit("/ciao/manage/members/remove", {"membership_id": membership_id}, page="/ciao/manage/members")
    assert "nuovo@example.it" not in coordinator.get("/ciao/manage/members").get_data(as_text=True)


def test_unknown_account_and_last_coordinator_are_explained(coordinator, app, tenants):
    response = coordinator.submit(
        "/ciao/manage/members", {"email": "ghost@example.it", "role": "member"}, follow_redirects=True
    )
    assert "Non esiste un account con questo indirizzo" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenants["ciao"]):
        only = db.session.scalar(select(Membership.id))
    response = coordinator.submit(
        "/ciao/manage/members/remove", {"membership_id": only}, page="/ciao/manage/members", follow_redirects=True
    )
    assert "almeno una persona con il ruolo di coordinamento" in response.get_data(as_text=True)
    response = coordinator.submit("/ciao/manage/members", {"email": "coord@example.it", "role": "member"})
    assert "almeno una persona con il ruolo di coordinamento" in response.get_data(as_text=True)


def test_bad_form_input_gets_messages_not_errors(coordinator):
    response = coordinator.submit("/ciao/manage/news/new", {"title": "", "body": "", "locale": "xx"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Inserire un titolo." in html and "Scrivere il testo." in html
    assert (
        coordinator.submit(
            "/ciao/manage/members/remove", {"membership_id": "abc"}, page="/ciao/manage/members"
        ).status_code
        == 400
    )
