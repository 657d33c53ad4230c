"""Accounts: register, confirm, log in and out, remember me, reset and change password."""

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def _register(browser, email="nuova@example.it", password=PASSWORD, **extra):
    data = {
        "name": "Nadia Nuova",
        "email": email,
        "password": password,
        "confirm": password,
        "locale": "it",
        "accept_privacy": "y",
        **extra,
    }
    return browser.submit("/auth/register", data)


def test_register_confirm_from_the_mail_then_log_in(browser, outbox, app):
    response = _register(browser)
    assert response.status_code == 200 and "nuova@example.it" in response.get_data(as_text=True)
    # Not confirmed yet: login is refused and a new link goes out.
    assert "non è ancora confermato" in browser.login("nuova@example.it", follow_redirects=True).get_data(as_text=True)
    [first, _again] = outbox.to("nuova@example.it")
    assert first["Subject"] == "Conferma dell'indirizzo e-mail"
    assert first.get_body(preferencelist=("html",)) is not None
    response = browser.get(outbox.link(first, "/auth/confirm/"))
    assert response.status_code == 302
    response = browser.login("nuova@example.it", follow_redirects=True)
    assert "Accesso eseguito con il profilo di Nadia Nuova." in response.get_data(as_text=True)
    assert browser.get("/account/").status_code == 200


def test_register_validates_every_field_with_clear_messages(browser):
    response = _register(browser, email="not-an-email", password="short", accept_privacy="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Inserire un indirizzo e-mail valido" in html
    assert "La password deve avere almeno 10 caratteri." in html
    assert "necessario accettare l&#39;informativa" in html or "necessario accettare l'informativa" in html
    assert 'aria-invalid="true"' in html


def test_registering_an_existing_address_reveals_nothing(browser, make_user, outbox):
    make_user("gia@example.it")
    import re

    def page(email):  # the CSRF token is time-signed, so it may differ between two requests
        html = _register(browser, email=email).get_data(as_text=True)
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html.replace(email, "X"))

    assert page("gia@example.it") == page("mai@example.it")
    [notice] = outbox.to("gia@example.it")
    assert "a cui è già associato un account" in outbox.text(notice)


def test_wrong_password_and_unknown_email_get_the_same_answer(browser, make_user):
    make_user("maria@example.it")
    wrong = browser.login("maria@example.it", "wrong password!!").get_data(as_text=True)
    unknown = browser.login("nobody@example.it", "wrong password!!").get_data(as_text=True)
    assert "Indirizzo e-mail o password errati." in wrong
    assert "Indirizzo e-mail o password errati." in unknown
    assert browser.get("/account/").status_code == 302


def test_logout_needs_a_post_and_ends_the_session(browser, make_user):
    make_user("maria@example.it")
    browser.login("maria@example.it")
    assert browser.get("/auth/logout").status_code == 200  # a confirmation page, still signed in
    assert browser.get("/account/").status_code == 200
    assert browser.logout().status_code == 302
    assert browser.get("/account/").status_code == 302


def test_remember_me_sets_a_secure_long_lived_cookie(browser, make_user):
    make_user("maria@example.it")
    response = browser.login("maria@example.it", remember=True)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_remember_cookie_alone_restores_the_session(app, make_user, browser):
    make_user("maria@example.it")
    browser.login("maria@example.it", remember=True)
    remember = browser.client.get_cookie("remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/account/").status_code == 200


def test_password_reset_link_works_once(browser, make_user, outbox, new_browser):
    make_user("maria@example.it")
    response = browser.submit("/auth/forgot-password", {"email": "maria@example.it"})
    assert "maria@example.it corrisponde un account" in response.get_data(as_text=True)
    link = outbox.link(outbox.to("maria@example.it")[0], "/auth/reset-password/")
    response = browser.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert browser.login("maria@example.it", NEW_PASSWORD).status_code == 302
    # The same link again: refused with a clear page, not a 500.
    reused = new_browser().get(link)
    assert reused.status_code == 400 and "già stato usato" in reused.get_data(as_text=True)


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(browser, outbox):
    known_shape = browser.submit("/auth/forgot-password", {"email": "ghost@example.it"}).get_data(as_text=True)
    assert "ghost@example.it corrisponde un account" in known_shape
    assert outbox.messages() == []


def test_tampered_and_expired_tokens_get_a_clear_400(browser, make_user, outbox, app):
    make_user("maria@example.it")
    browser.submit("/auth/forgot-password", {"email": "maria@example.it"})
    link = outbox.link(outbox.to("maria@example.it")[0], "/auth/reset-password/")
    tampered = browser.get(link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb"))
    assert tampered.status_code == 400 and "non è valido" in tampered.get_data(as_text=True)
    assert browser.get("/auth/confirm/garbage").status_code == 400
    assert browser.get("/auth/reset-password/" + "x" * 5000).status_code in (400, 404)
    import time

    later = time.time() + app.config["PASSWORD_RESET_MAX_AGE"] + 60
    with mock.patch("itsdangerous.timed.time.time", return_value=later):
        expired = browser.get(link)
    assert expired.status_code == 400 and "scaduto" in expired.get_data(as_text=True)


def test_a_confirmation_token_cannot_reset_a_password(browser, outbox):
    _register(browser)
    confirm_link = outbox.link(outbox.to("nuova@example.it")[0], "/auth/confirm/")
    token = confirm_link.rsplit("/", 1)[-1]
    assert browser.get(f"/auth/reset-password/{token}").status_code == 400


def test_change_password_signs_out_other_devices_but_not_this_one(make_user, browser, new_browser):
    make_user("maria@example.it")
    other = new_browser()
    other.login("maria@example.it", remember=True)
    browser.login("maria@example.it")
    response = browser.submit(
        "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert browser.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302


def test_change_password_with_a_wrong_current_password_is_refused(make_user, browser):
    make_user("maria@example.it")
    browser.login("maria@example.it")
    response = browser.submit(
        "/account/password", {"current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert "La password attuale è errata." in response.get_data(as_text=True)


def test_profile_edit_changes_name_and_language(make_user, browser, app):
    user_id = make_user("maria@example.it")
    browser.login("maria@example.it")
    browser.submit("/account/", {"name": "Maria Bianchi", "locale": "en"})
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.name, user.locale) == ("Maria Bianchi", "en")
    assert "Your profile" in browser.get("/account/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "http:/evil.example"]
)
def test_next_outside_the_site_is_ignored(make_user, browser, target):
    make_user("maria@example.it")
    html = browser.get(f"/auth/login?next={target}").get_data(as_text=True)
    from tests.conftest import csrf_token_from

    response = browser.client.post(
        "/auth/login",
        data={"csrf_token": csrf_token_from(html), "email": "maria@example.it", "password": PASSWORD, "next": target},
    )
    assert response.headers["Location"] == "/la-mia-area"  # where everyone lands ("La mia area")


def test_next_inside_the_site_is_followed(make_user, browser, tenants):
    make_user("maria@example.it")
    html = browser.get("/auth/login?next=/alice/news/").get_data(as_text=True)
    from tests.conftest import csrf_token_from

    response = browser.client.post(
        "/auth/login",
        data={
            "csrf_token": csrf_token_from(html),
            "email": "maria@example.it",
            "password": PASSWORD,
            "next": "/alice/news/",
        },
    )
    assert response.headers["Location"] == "/alice/news/"


def test_passwords_are_hashed_with_scrypt_outside_the_test_suite(make_user, app_factory):
    from config import DevelopmentConfig, ProductionConfig

    assert not hasattr(DevelopmentConfig(), "PASSWORD_HASH_METHOD")  # scrypt, the default
    real = app_factory(PASSWORD_HASH_METHOD="scrypt")
    with real.app_context():
        from portal.auth.services import create_user

        user = create_user("maria@example.it", "Maria", PASSWORD)
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD)
    assert ProductionConfig.__dict__.get("PASSWORD_HASH_METHOD") is None


def test_unconfirmed_accounts_are_purged_after_30_days(app, make_user, runner):
    from portal.models.base import utcnow

    make_user("old@example.it", confirmed=False)
    make_user("kept@example.it", confirmed=True)
    with app.app_context():
        old = db.session.scalar(select(User).where(User.email == "old@example.it"))
        old.created_at = utcnow() - timedelta(days=31)
        db.session.commit()
    assert "deleted 1" in runner.invoke(args=["users", "purge-unconfirmed"]).output
    with app.app_context():
        assert {u.email for u in db.session.scalars(select(User))} == {"kept@example.it"}
