"""Languages: Italian by default, English complete, the documented order of choice."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT

CATALOGS = ROOT / "portal" / "translations"


def test_italian_is_the_default(client, tenants):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="it">' in html and "Vai al contenuto principale" in html


def test_accept_language_is_the_last_resort(client, tenants):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Skip to main content" in html


def test_tenant_default_beats_accept_language(client, tenants, app):
    from portal.extensions import db
    from portal.models import Tenant

    with app.app_context():
        db.session.get(Tenant, tenants["ciao"].id).default_locale = "en"
        db.session.commit()
    assert '<html lang="en">' in client.get("/ciao/", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert '<html lang="it">' in client.get("/alice/", headers={"Accept-Language": "it"}).get_data(as_text=True)


def test_switcher_cookie_beats_tenant_default_and_browser(browser, tenants):
    assert 'href="/language/en?next=/alice/"' in browser.get("/alice/").get_data(as_text=True)
    response = browser.get("/language/en?next=/alice/")
    assert response.status_code == 302 and response.headers["Location"] == "/alice/"
    assert "session=" not in " ".join(response.headers.getlist("Set-Cookie"))  # only the lang cookie
    html = browser.get("/alice/", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "ALICE: guidance and work against exclusion" in html


def test_switcher_ignores_an_outside_next_and_unknown_languages(browser):
    response = browser.get("/language/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert browser.get("/language/klingon").status_code == 400


def test_user_preference_beats_the_cookie(browser, make_user):
    make_user("maria@example.it", locale="en")
    browser.client.set_cookie("lang", "it")
    browser.sign_in("maria@example.it")
    assert '<html lang="en">' in browser.get("/account/").get_data(as_text=True)


def test_switching_while_signed_in_updates_the_preference(browser, make_user, app):
    from portal.extensions import db
    from portal.models import User

    user_id = make_user("maria@example.it", locale="it")
    browser.sign_in("maria@example.it")
    browser.submit("/language", {"lang": "en", "next": "/"}, page="/")
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"


def test_404_page_speaks_the_users_language(client, browser):
    assert "Pagina non trovata" in client.get("/no-such-project/").get_data(as_text=True)
    english = client.get("/no-such-project/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Page not found" in english


def test_dates_are_formatted_for_the_locale(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from portal.formatting import format_date

    moment = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("it"):
            assert format_date(moment, "long") == "5 marzo 2026"
        with force_locale("en"):
            assert format_date(moment, "long") == "5 March 2026"  # as written in Europe, not "March 5, 2026"


def test_missing_english_page_falls_back_to_italian_with_a_notice(client, tenants, app):
    from sqlalchemy import delete

    from portal.extensions import db
    from portal.models import Page
    from portal.tenancy import tenant_scope

    with app.app_context(), tenant_scope(tenants["vicenza"]):
        db.session.execute(delete(Page).where(Page.slug == "numeri", Page.locale == "en"))
        db.session.commit()
    client.set_cookie("lang", "en")
    html = client.get("/vicenza/numeri").get_data(as_text=True)
    assert "This text is only available in Italian" in html and 'lang="it"' in html


@pytest.mark.parametrize("locale", ["en"])  # Italian: the stricter checks in test_italian_catalogue.py
def test_every_catalog_message_is_translated(locale):
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    from portal.translations.fill_catalogs import is_translated

    untranslated = [m.id for m in catalog if m.id and not is_translated(m)]
    assert untranslated == []


@pytest.mark.once  # reads the code, not the database: once per `make test`
def test_every_message_in_the_code_is_in_the_catalogs(tmp_path):
    """Extract afresh: a new _() string without a catalog entry fails here."""
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_pgettext:1c,2",
            "-o",
            str(pot),
            "--no-location",
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        in_code = {m.id for m in read_po(handle) if m.id}
    for locale in ("it", "en"):
        with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            in_catalog = {m.id for m in read_po(handle) if m.id}
        assert sorted(in_code - in_catalog, key=str) == [], f"run 'make extract-messages' and translate ({locale})"


def test_placeholders_survive_translation():
    import re

    with (CATALOGS / "it" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert sorted(re.findall(r"%\(\w+\)\w", message.id)) == sorted(re.findall(r"%\(\w+\)\w", message.string)), (
                message.id
            )


def test_compiled_catalogs_exist():
    assert all((CATALOGS / loc / "LC_MESSAGES" / "messages.mo").exists() for loc in ("it", "en")), (
        "run make translations"
    )
    assert Path(CATALOGS).is_dir()
