"""Tenant isolation: the ORM filter fails closed, and no URL, id or crafted POST
lets one project's coordinator touch another project."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Membership, NewsPost, Page
from portal.tenancy import TenantScopeError, tenant_scope


def test_querying_tenant_rows_without_a_tenant_raises(app, tenants):
    with app.app_context(), pytest.raises(TenantScopeError):
        db.session.scalars(select(Page)).all()


def test_the_filter_returns_only_the_active_tenants_rows_even_without_a_where(app, tenants):
    with app.app_context():
        with tenant_scope(tenants["alice"]):
            pages = db.session.scalars(select(Page)).all()
        assert pages and {p.tenant_id for p in pages} == {tenants["alice"].id}


def test_asking_for_another_tenants_row_by_id_finds_nothing(app, tenants):
    with app.app_context():
        with tenant_scope(tenants["ciao"]):
            ciao_page_id = db.session.scalars(select(Page.id)).first()
        with tenant_scope(tenants["alice"]):
            assert db.session.scalar(select(Page).where(Page.id == ciao_page_id)) is None


def test_bulk_update_cannot_reach_another_tenant(app, tenants):
    from sqlalchemy import update

    with app.app_context():
        with tenant_scope(tenants["alice"]):
            db.session.execute(update(Page).values(title="hijacked"))
            db.session.commit()
        with tenant_scope(tenants["ciao"]):
            titles = set(db.session.scalars(select(Page.title)))
        assert "hijacked" not in titles


def test_writing_a_row_for_another_tenant_is_refused(app, tenants):
    with app.app_context():
        with tenant_scope(tenants["alice"]):
            db.session.add(NewsPost(tenant_id=tenants["ciao"].id, slug="x", title="x", body_md="x", body_html="x"))
            with pytest.raises(TenantScopeError):
                db.session.flush()
        db.session.rollback()


def test_writing_tenant_rows_with_no_active_tenant_is_refused(app, tenants):
    with app.app_context():
        db.session.add(NewsPost(tenant_id=tenants["ciao"].id, slug="x", title="x", body_md="x", body_html="x"))
        with pytest.raises(TenantScopeError):
            db.session.flush()
        db.session.rollback()


def test_explicit_all_tenants_read_is_possible(app, tenants):
    with app.app_context():
        pages = db.session.scalars(select(Page).execution_options(all_tenants=True)).all()
        assert len({p.tenant_id for p in pages}) == 5


# --- over HTTP --------------------------------------------------------------


@pytest.fixture
def alice_coordinator(make_user, tenants, browser):
    make_user("coord.alice@example.it", role="coordinator", tenant=tenants["alice"])
    browser.sign_in("coord.alice@example.it")
    return browser


def _news_id(app, tenant, slug="riservata"):
    with app.app_context(), tenant_scope(tenant):
        post = NewsPost(
            tenant_id=tenant.id, slug=slug, title="Notizia di CIAO!", body_md="testo", body_html="<p>testo</p>"
        )
        db.session.add(post)
        db.session.commit()
        return post.id


def test_coordinator_can_edit_own_space(alice_coordinator):
    response = alice_coordinator.submit("/alice/manage/pages/home/it", {"title": "Nuovo titolo", "body": "Testo nuovo"})
    assert response.status_code == 302
    assert "Nuovo titolo" in alice_coordinator.get("/alice/").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/ciao/manage/",
        "/ciao/manage/pages/home/it",
        "/ciao/manage/news/new",
        "/ciao/manage/members",
    ],
)
def test_coordinator_of_another_project_is_refused_by_url(alice_coordinator, url):
    assert alice_coordinator.get(url).status_code == 403


def test_crafted_post_to_another_projects_page_is_refused(alice_coordinator, app, tenants):
    html = alice_coordinator.get("/alice/manage/pages/home/it").get_data(as_text=True)
    from tests.conftest import csrf_token_from

    token = csrf_token_from(html)
    response = alice_coordinator.client.post(
        "/ciao/manage/pages/home/it", data={"csrf_token": token, "title": "pwned", "body": "pwned"}
    )
    assert response.status_code == 403
    with app.app_context(), tenant_scope(tenants["ciao"]):
        assert db.session.scalar(select(Page.title).where(Page.slug == "home", Page.locale == "it")) != "pwned"


def test_another_projects_news_id_in_own_space_url_is_not_found(alice_coordinator, app, tenants):
    ciao_news = _news_id(app, tenants["ciao"])
    assert alice_coordinator.get(f"/alice/manage/news/{ciao_news}").status_code == 404
    response = alice_coordinator.submit(
        f"/alice/manage/news/{ciao_news}", {"title": "pwned", "body": "pwned"}, page="/alice/manage/"
    )
    assert response.status_code == 404
    response = alice_coordinator.submit(f"/alice/manage/news/{ciao_news}/delete", {}, page="/alice/manage/")
    assert response.status_code == 404
    with app.app_context(), tenant_scope(tenants["ciao"]):
        assert db.session.get(NewsPost, ciao_news).title == "Notizia di CIAO!"


def test_another_projects_membership_id_in_a_hidden_field_is_not_found(alice_coordinator, app, tenants, make_user):
    make_user("coord.ciao@example.it", role="coordinator", tenant=tenants["ciao"])
    with app.app_context(), tenant_scope(tenants["ciao"]):
        ciao_membership = db.session.scalar(select(Membership.id))
    response = alice_coordinator.submit(
        "/alice/manage/members/remove", {"membership_id": ciao_membership}, page="/alice/manage/members"
    )
    assert response.status_code == 404
    with app.app_context(), tenant_scope(tenants["ciao"]):
        assert db.session.get(Membership, ciao_membership) is not None


def test_extra_tenant_id_field_in_a_form_is_ignored(alice_coordinator, app, tenants):
    response = alice_coordinator.submit(
        "/alice/manage/news/new",
        {"title": "Notizia", "body": "Testo", "locale": "it", "publish": "y", "tenant_id": tenants["ciao"].id},
    )
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenants["ciao"]):
        assert db.session.scalars(select(NewsPost)).all() == []


def test_member_who_is_not_coordinator_cannot_manage(make_user, tenants, browser):
    make_user("socio@example.it", role="member", tenant=tenants["alice"])
    browser.sign_in("socio@example.it")
    assert browser.get("/alice/manage/").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, tenants):
    response = client.get("/alice/manage/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_can_manage_every_space(make_user, tenants, browser):
    make_user("admin@example.it", admin=True)
    browser.sign_in("admin@example.it")
    assert all(browser.get(f"/{slug}/manage/").status_code == 200 for slug in tenants)


def test_unpublished_news_of_a_space_is_hidden_from_the_public(client, app, tenants):
    _news_id(app, tenants["ciao"], slug="bozza")
    assert client.get("/ciao/news/bozza").status_code == 404
