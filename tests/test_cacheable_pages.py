"""Anonymous pages carry no session cookie and are cacheable (ETag, 304); signed-in pages stay
private; the in-memory page cache serves repeats and drops everything when content changes."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.conftest import csrf_token_from

PUBLIC_PAGES = [
    "/",
    "/alice/",
    "/alice/news/",
    "/directory/",
    "/directory/opportunities/",
    "/search?q=tirocinio",
    "/alice/newsletter/feed.atom",
    "/info/privacy",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_anonymous_pages_set_no_session_and_are_public_with_an_etag(client, tenants, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "public" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
    assert response.headers.get("ETag")
    assert {"Cookie", "Accept-Language"} <= set(response.headers["Vary"].replace(" ", "").split(","))
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/work-in/newsletter/"])
def test_pages_with_a_form_are_private(client, tenants, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_signed_in_pages_are_private(signed_in, make_user, tenants):
    make_user("maria@example.it")
    browser = signed_in("maria@example.it")
    for path in ("/", "/alice/", "/account/"):
        assert browser.get(path).headers["Cache-Control"] == "private, no-store", path


def test_static_files_have_a_fingerprint_in_their_name_and_a_year_of_cache(client):
    import re

    html = client.get("/auth/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet is linked by its fingerprinted name"
    response = client.get(css[1])
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]
    assert response.get_data() == client.get("/static/css/portal.css").get_data()


def test_a_fingerprinted_stylesheet_keeps_its_folder_so_its_fonts_resolve(client):
    import re
    from urllib.parse import urljoin

    html = client.get("/").get_data(as_text=True)
    sheet = re.search(r'href="(/static/css/fonts\.[0-9a-f]{12}\.css)"', html)
    assert sheet, "the fonts' stylesheet is linked by its fingerprinted name"
    fonts = re.findall(r"url\('([^']+\.woff2)'\)", client.get(sheet[1]).get_data(as_text=True))
    assert fonts, "the stylesheet links its fonts by relative addresses"
    for font in fonts:
        assert client.get(urljoin(sheet[1], font)).status_code == 200, font


def test_an_old_fingerprint_gets_todays_file_but_no_long_cache(tmp_path):
    import os

    from flask import Flask, url_for

    from portal.static_files import register_static_fingerprints

    (tmp_path / "site.css").write_text("body { color: black }")
    (tmp_path / "README").write_text("no suffix, no fingerprint")
    app = Flask("fingerprints", static_folder=str(tmp_path), static_url_path="/static")
    register_static_fingerprints(app)
    client = app.test_client()
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        assert url_for("static", filename="README") == "/static/README"
        assert url_for("static", filename="missing.css") == "/static/missing.css"
    (tmp_path / "site.css").write_text("body { color: navy }")
    os.utime(tmp_path / "site.css", ns=(10**18, 10**18))  # a new modification time, however coarse the clock
    with app.test_request_context():
        second = url_for("static", filename="site.css")
    assert first != second and first.startswith("/static/site.") and first.endswith(".css")
    current, old = client.get(second), client.get(first)
    assert "immutable" in current.headers["Cache-Control"]
    assert old.status_code == 200 and old.get_data() == b"body { color: navy }"
    assert "immutable" not in old.headers["Cache-Control"] and "no-cache" in old.headers["Cache-Control"]
    assert "immutable" not in client.get("/static/site.css").headers.get("Cache-Control", "")
    assert client.get("/static/nothing.0123456789ab.css").status_code == 404
    assert client.get("/static/..%2F..%2Fetc%2Fpasswd").status_code == 404


@pytest.fixture
def cached_app(app_factory, tenants):
    return app_factory(PAGE_CACHE_SECONDS=60)


def test_the_page_cache_serves_repeats_and_forgets_on_any_change(cached_app, tenants, make_user):
    from portal.models import NewsPost
    from portal.models.base import utcnow
    from portal.tenancy import tenant_scope

    client = cached_app.test_client()
    first = client.get("/alice/news/").get_data(as_text=True)
    calls = []
    original = cached_app.view_functions["tenant_site.news.index"]
    cached_app.view_functions["tenant_site.news.index"] = lambda: calls.append(1) or original()
    assert client.get("/alice/news/").get_data(as_text=True) == first and calls == []  # from memory
    with cached_app.app_context(), tenant_scope(tenants["alice"]):
        db.session.add(
            NewsPost(
                tenant_id=tenants["alice"].id,
                slug="nuova",
                title="Una notizia nuova",
                body_md="x",
                body_html="<p>x</p>",
                published_at=utcnow(),
            )
        )
        db.session.commit()  # a write to public content: every cached page goes
    assert "Una notizia nuova" in client.get("/alice/news/").get_data(as_text=True) and calls == [1]


def test_the_page_cache_never_keeps_what_a_signed_in_person_sees(cached_app, make_user, tenants):
    from tests.conftest import Browser

    make_user("coord@example.it", role="coordinator", tenant=tenants["alice"])
    coordinator = Browser(cached_app.test_client()).sign_in("coord@example.it")
    coordinator.get("/alice/")
    anonymous = cached_app.test_client().get("/alice/").get_data(as_text=True)
    assert "Gestisci lo spazio" not in anonymous and "Esci" not in anonymous


def test_the_page_cache_never_keeps_a_page_with_a_csrf_token(cached_app, tenants):
    client = cached_app.test_client()
    first = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    other = cached_app.test_client()
    assert csrf_token_from(other.get("/auth/login").get_data(as_text=True)) != first


def test_a_page_from_the_cache_has_its_own_request_id_and_log_line(cached_app, tenants, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="crocevia.request")
    client = cached_app.test_client()
    first = client.get("/alice/news/")
    repeat = client.get("/alice/news/", headers={"X-Request-ID": "proxy-id-0002"})
    unchanged = client.get("/alice/news/", headers={"If-None-Match": first.headers["ETag"]})
    assert repeat.get_data() == first.get_data()  # served from memory
    assert repeat.headers.getlist("X-Request-ID") == ["proxy-id-0002"]
    assert unchanged.status_code == 304 and unchanged.headers["X-Request-ID"] not in (
        first.headers["X-Request-ID"],
        "proxy-id-0002",
    )
    lines = [(r.method, r.path, r.status, r.request_id) for r in caplog.records if r.name == "crocevia.request"]
    assert lines == [
        ("GET", "/alice/news/", 200, first.headers["X-Request-ID"]),
        ("GET", "/alice/news/", 200, "proxy-id-0002"),
        ("GET", "/alice/news/", 304, unchanged.headers["X-Request-ID"]),
    ]
