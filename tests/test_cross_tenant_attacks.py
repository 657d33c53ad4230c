"""Cross-tenant attacks of issue 9's list that other files do not already try: a form of one
project replayed in another with a valid CSRF token, and words that exist only in pending
entries or pending changes (results, snippets, facet counts, suggestions)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import NewsPost, User
from portal.tenancy import tenant_scope
from portal.timezone import rome_today
from tests.conftest import csrf_token_from


def _login(new_browser, email):
    """Signed in without the form (the form has its own tests)."""
    return new_browser().sign_in(email)


def test_a_form_of_one_project_replayed_in_another_with_a_valid_token_is_refused(app, tenants, make_user, new_browser):
    make_user("coord.alice@example.it", role="coordinator", tenant=tenants["alice"])
    alice = _login(new_browser, "coord.alice@example.it")
    token = csrf_token_from(alice.get("/alice/manage/news/new").get_data(as_text=True))
    response = alice.client.post(
        "/ciao/manage/news/new",
        data={"csrf_token": token, "title": "Intrusione", "body": "x", "locale": "it", "publish": "y"},
    )
    assert response.status_code == 403
    with app.app_context(), tenant_scope(tenants["ciao"]):
        assert db.session.scalar(select(NewsPost).where(NewsPost.title == "Intrusione")) is None


@pytest.fixture
def pending_word(app, tenants, make_user, new_browser, index):
    """A published entry, then a pending entry and a pending change that carry words nobody may find."""
    from portal.directory import services

    coordinator_id = make_user("coord@example.it", role="coordinator", tenant=tenants["asti-est"])
    editor_id = make_user("partner@example.it")
    with app.app_context():
        coordinator, editor = db.session.get(User, coordinator_id), db.session.get(User, editor_id)
        org = services.create_organisation(
            coordinator,
            {
                "name": "Officina",
                "kind": "company",
                "comune": "Asti",
                "province": "AT",
                "tenant_ids": [tenants["asti-est"].id],
            },
        )
        services.add_editor(coordinator, org, "partner@example.it")
        base = {
            "description": "Saldatura e montaggio.",
            "comune": "Asti",
            "province": "AT",
            "target_groups": [],
            "tenant_ids": [tenants["asti-est"].id],
            "how_to_apply": "Allo sportello.",
            "deadline": rome_today() + timedelta(days=10),
        }
        published = services.create_entry(editor, org, "opportunity", {**base, "title": "Tirocinio in officina"})
        db.session.flush()
        services.approve(coordinator, published)
        services.create_entry(
            editor,
            org,
            "opportunity",
            {**base, "title": "Tirocinio zanzibarite segreto", "description": "Parola zanzibarite riservata."},
        )
        services.update_entry(editor, published, {**base, "title": "Tirocinio quokkaceo proposto"}, published.version)
        db.session.commit()
    index.rebuild()
    index.sync()


@pytest.mark.parametrize("url", ["/search?q={}", "/asti-est/search?q={}", "/directory/opportunities/?q={}"])
def test_words_of_pending_entries_and_changes_are_never_found_or_suggested(new_browser, pending_word, url):
    visitor = new_browser()
    for word, typo in (("zanzibarite", "zanzibarit"), ("quokkaceo", "quokkacei")):
        html = visitor.get(url.format(word)).get_data(as_text=True)
        assert not re.search(r"segreto|proposto|riservata", html)  # no result, no snippet
        suggested = visitor.get(url.format(typo)).get_data(as_text=True)
        assert word not in suggested  # no "did you mean" towards a pending word
    facets = visitor.get(url.format("tirocinio")).get_data(as_text=True)
    assert "segreto" not in facets and "proposto" not in facets
    assert "Tirocinio in officina" in facets  # the published version is what people find
