"""Saved-search alerts under attack and misuse (issue 13 point 1), from a hostile review: each test
states what must hold; all failed or would have failed on the first version."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Alert, QueuedMail
from portal.models.alert import AlertStatus
from portal.models.base import utcnow
from tests.conftest import Outbox, csrf_token_from
from tests.test_alerts import (  # noqa: F401  (fixtures)
    LISTING,
    RESIDENT,
    _alert_mails,
    _alerts,
    _confirm,
    _save,
    clock,
    publisher,
    send_due,
)
from tests.test_tenant_hosts import hosted_app  # noqa: F401


def _post_new(browser, search: str, email=RESIDENT, tenant="", kind="opportunity", **extra):
    qs = f"/alerts/new?search={quote(search)}&tenant={tenant}&kind={kind}"
    page = browser.get(qs).get_data(as_text=True)
    data = {"email": email, "frequency": "weekly", "locale": "it", "consent": "y", **extra}
    return browser.client.post(qs, data={"csrf_token": csrf_token_from(page), **data})


def _confirm_mails(outbox, email=RESIDENT):
    return [m for m in outbox.to(email) if "/alerts/confirm/" in Outbox.text(m)]


# --- double opt-in -------------------------------------------------------------------------


def test_saving_again_within_the_hour_does_not_kill_the_link_already_mailed(
    app, browser, outbox, publisher, monkeypatch
):
    """A second submit (double tap, or changing the frequency) within the hour sends no new mail,
    so the link already in the mailbox must still confirm."""
    from portal.alerts import services

    assert _save(browser).status_code == 200
    [first] = _confirm_mails(outbox)
    link = Outbox.link(first, "/alerts/confirm/")
    # the second submit a few seconds later (the link carries the consent time in whole seconds)
    monkeypatch.setattr(services, "utcnow", lambda: utcnow() + timedelta(seconds=5))
    assert _save(browser, frequency="daily").status_code == 200
    assert len(_confirm_mails(outbox)) == 1  # no second mail (by design)
    response = browser.get(link)
    assert response.status_code == 302, "the only confirmation link the person has no longer works"


# --- hostile search strings ----------------------------------------------------------------


def test_crlf_in_a_filter_value_is_not_a_500(app, browser, outbox, publisher):
    response = _post_new(browser, "q=tirocinio&province=AT%0D%0ABcc:%20victim@example.org")
    assert response.status_code in (200, 400), response.status_code


def test_crlf_in_a_filter_value_never_reaches_a_header(app, browser, outbox, publisher):
    _post_new(browser, "q=tirocinio&province=AT%0D%0ABcc:%20victim@example.org")
    for message in outbox.messages():
        assert "victim@example.org" not in str(message.get("Bcc", ""))
        assert "\n" not in str(message["Subject"])


def test_a_huge_search_does_not_silently_fail(app, browser, outbox, publisher):
    """A page URL longer than the hidden field's 4000 characters: either saved (cut) or an error shown."""
    search = "q=tirocinio&" + "&".join(f"province=P{i:04d}" for i in range(600))
    response = _post_new(browser, search)
    html = response.get_data(as_text=True)
    saved = bool(_alerts(app))
    assert saved or "is-invalid" in html or "alert-danger" in html, "form re-shown with no error and nothing saved"


def test_non_utf8_percent_encoding_and_unknown_params(app, browser, outbox, publisher):
    response = _post_new(browser, "q=%ff%fe&page=9&sort=deadline&utm_source=x&archive=1&province=AT&province=AT")
    assert response.status_code == 200
    [alert] = _alerts(app)
    assert all(name in ("q", "province") for name, _ in alert.params)


def test_reordered_and_duplicated_parameters_are_the_same_alert(app, browser, outbox, publisher):
    _post_new(browser, "q=tirocinio&province=AT")
    _post_new(browser, "province=AT&page=2&q=tirocinio&province=AT&sort=newest")
    _post_new(browser, "q=%20tirocinio%20%20&province=AT")
    assert len(_alerts(app)) == 1


def test_case_of_the_words_makes_a_second_alert(app, browser, outbox, publisher):
    """Search is case-insensitive; is the saved search? (informational)"""
    _post_new(browser, "q=tirocinio&province=AT")
    _post_new(browser, "q=Tirocinio&province=AT")
    assert len(_alerts(app)) == 1


def test_unknown_kind_is_refused(app, browser, outbox, publisher):
    """An unknown kind must not silently turn into an alert on the whole network."""
    assert browser.get("/alerts/new?search=q%3Dtirocinio&kind=bogus").status_code == 404
    assert _alerts(app) == []


def test_unknown_tenant_is_404(app, browser, outbox, publisher):
    response = browser.get("/alerts/new?search=q%3Dx&tenant=nope")
    assert response.status_code == 404


# --- one-click and manage -----------------------------------------------------------------


def _active_alert(app, browser, outbox, publisher, clock):
    _save(browser)
    _confirm(browser, outbox)
    publisher("Tirocinio da saldatore", "AT")
    assert send_due(app, clock).sent == 1
    [mail] = _alert_mails(outbox)
    return mail


def test_rfc8058_one_click_post_without_cookies(app, new_browser, browser, outbox, publisher, clock):
    mail = _active_alert(app, browser, outbox, publisher, clock)
    path = mail["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    client = new_browser().client
    response = client.post("/" + path, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert _alerts(app)[0].status == AlertStatus.STOPPED


def test_list_unsubscribe_url_opened_in_a_browser(app, new_browser, browser, outbox, publisher, clock):
    """Clients without RFC 8058 support (and people copying the header) GET the URL: it should
    show a page (confirm / manage), not 405 Method Not Allowed."""
    mail = _active_alert(app, browser, outbox, publisher, clock)
    path = mail["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    response = new_browser().client.get("/" + path)
    assert response.status_code in (200, 302), response.status_code
    assert _alerts(app)[0].status == AlertStatus.CONFIRMED  # a GET (link scanners) must not stop it


def test_wrong_purpose_alert_tokens(app, browser, outbox, publisher, clock):
    from portal.alerts import services

    _active_alert(app, browser, outbox, publisher, clock)
    with app.app_context():
        alert = db.session.get(Alert, _alerts(app)[0].id)
        manage, feed = services.manage_token(alert), services.feed_token(alert)
        confirm = services._confirm_token(alert)
    assert browser.get(f"/alerts/confirm/{manage}").status_code == 400
    assert browser.get(f"/alerts/confirm/{feed}").status_code == 400
    assert browser.get(f"/alerts/manage/{feed}").status_code == 400
    assert browser.get(f"/alerts/manage/{confirm}").status_code == 400
    assert browser.get(f"/alerts/feed/{manage}.atom").status_code == 404
    assert browser.client.post(f"/alerts/unsubscribe/{confirm}").status_code == 400
    assert browser.client.post(f"/alerts/unsubscribe/{feed}").status_code == 400
    assert browser.get(f"/alerts/manage/{manage[:-2]}xx").status_code == 400


def test_a_manage_token_cannot_touch_another_address(app, browser, new_browser, outbox, publisher, clock):
    from portal.alerts import services

    _save(browser)
    _confirm(browser, outbox)
    attacker = new_browser()
    _save(attacker, email="attacker@example.it")
    _confirm(attacker, outbox, "attacker@example.it")
    victim, mine = _alerts(app)
    with app.app_context():
        token = services.manage_token(db.session.get(Alert, mine.id))
    page = attacker.get(f"/alerts/manage/{token}").get_data(as_text=True)
    assert RESIDENT not in page
    csrf = csrf_token_from(page)
    for data in ({f"a{victim.id}-stop": "1"},
                 {f"a{victim.id}-save": "1", f"a{victim.id}-frequency": "daily", f"a{victim.id}-locale": "en"}):  # fmt: skip
        response = attacker.client.post(f"/alerts/manage/{token}", data={"csrf_token": csrf, **data})
        assert response.status_code == 200  # the page again: no form of the victim's alert is on it
    victim_now = _alerts(app)[0]
    assert victim_now.status == AlertStatus.CONFIRMED and victim_now.locale == "it"


def test_manage_page_ids_are_unique_with_several_alerts(app, browser, outbox, publisher):
    _save(browser)
    _save(browser, listing="/search?q=corso")
    browser.get(Outbox.link(_confirm_mails(outbox)[0], "/alerts/confirm/"))
    from portal.alerts import services

    with app.app_context():
        token = services.manage_token(db.session.get(Alert, _alerts(app)[0].id))
    html = browser.get(f"/alerts/manage/{token}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids (labels point to the first alert's controls): {dupes}"


def test_manage_change_with_a_bad_value_says_so(app, browser, outbox, publisher):
    _save(browser)
    confirmed = _confirm(browser, outbox)
    manage = confirmed.headers["Location"]
    page = browser.get(manage).get_data(as_text=True)
    alert_id = str(_alerts(app)[0].id)
    response = browser.client.post(manage, data={"csrf_token": csrf_token_from(page), f"a{alert_id}-save": "1",
                                                 f"a{alert_id}-frequency": "hourly", f"a{alert_id}-locale": "it"})  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert "is-invalid" in html or "alert-danger" in html, "invalid change ignored silently"


# --- privacy ----------------------------------------------------------------------------------


def test_the_private_feed_is_not_marked_publicly_cacheable(app, browser, outbox, publisher, clock):
    from portal.alerts import services

    _active_alert(app, browser, outbox, publisher, clock)
    with app.app_context():
        token = services.feed_token(db.session.get(Alert, _alerts(app)[0].id))
    response = browser.client.application.test_client().get(f"/alerts/feed/{token}.atom")
    assert response.status_code == 200
    assert "public" not in response.headers.get("Cache-Control", ""), response.headers.get("Cache-Control")


def test_search_and_listing_pages_stay_cacheable(app, new_browser, tenants):
    for url in ("/search?q=tirocinio", "/directory/opportunities/?province=AT", "/asti-est/search?q=x",
                "/asti-est/directory/"):  # fmt: skip
        response = new_browser().client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert "csrf_token" not in html, url
        assert "public" in response.headers.get("Cache-Control", ""), url
        assert 'class="get-alerts"' in html, url


def test_saving_responds_the_same_for_known_and_unknown_addresses(app, browser, new_browser, outbox, publisher):
    _save(browser)
    _confirm(browser, outbox)
    known = _save(new_browser()).get_data(as_text=True)
    unknown = _save(new_browser(), email="nuovo@example.it").get_data(as_text=True)

    def strip(html):
        return re.sub(r'name="csrf-token" content="[^"]*"|nonce="[^"]*"', "", html).replace(
            "nuovo@example.it", RESIDENT
        )

    assert strip(known) == strip(unknown)


def test_no_address_in_tokens(app, browser, outbox, publisher):
    import base64

    _save(browser)
    [mail] = _confirm_mails(outbox)
    token = Outbox.link(mail, "/alerts/confirm/").rsplit("/", 1)[1]
    payload = token.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"residente" not in decoded


# --- delivery -----------------------------------------------------------------------------------


def test_mail_is_in_the_alerts_language_not_the_runs(app, browser, outbox, publisher, clock):
    _save(browser, locale="en")
    _confirm(browser, outbox)
    publisher("Tirocinio da saldatore", "AT")
    from flask_babel import force_locale

    with app.test_request_context("/", headers={"Accept-Language": "it"}), force_locale("it"):
        from portal.alerts.delivery import SETTLE
        from portal.alerts.delivery import send_due as run

        assert run(now=clock.advance() + SETTLE).sent == 1
        db.session.commit()
    [mail] = _alert_mails(outbox)
    text = Outbox.text(mail)
    assert "new for your search" in mail["Subject"]
    assert "Deadline" in text and "Scadenza" not in text


def test_a_crash_mid_run_resumes_without_duplicates(app, browser, new_browser, outbox, publisher, clock, monkeypatch):
    from portal.alerts import delivery

    _save(browser)
    _confirm(browser, outbox)
    other = new_browser()
    _save(other, listing="/search?q=saldatore", email="altro@example.it")
    _confirm(other, outbox, "altro@example.it")
    publisher("Tirocinio da saldatore", "AT")
    real, calls = delivery._queue_mails, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(delivery, "_queue_mails", flaky)
    assert send_due(app, clock).skipped == 1  # the failing group is rolled back and left for the next run
    monkeypatch.setattr(delivery, "_queue_mails", real)
    send_due(app, clock)
    assert len(_alert_mails(outbox)) == 1
    assert len(_alert_mails(outbox, "altro@example.it")) == 1


def test_one_bad_alert_does_not_stop_the_others(app, browser, new_browser, outbox, publisher, clock, monkeypatch):
    """A poison alert (rendering raises) must not block every alert after it, run after run."""
    from portal.alerts import delivery

    _save(browser)
    _confirm(browser, outbox)
    other = new_browser()
    _save(other, listing="/search?q=saldatore", email="altro@example.it")
    _confirm(other, outbox, "altro@example.it")
    publisher("Tirocinio da saldatore", "AT")
    real = delivery._render

    def poison(locale, search, *args):
        if search.text == "tirocinio":
            raise RuntimeError("bad alert")
        return real(locale, search, *args)

    monkeypatch.setattr(delivery, "_render", poison)
    with contextlib.suppress(RuntimeError):
        send_due(app, clock)
    with app.app_context():
        db.session.rollback()
    assert len(_alert_mails(outbox, "altro@example.it")) == 1


def test_project_alert_stays_in_the_slice_and_skips_pending(app, browser, outbox, publisher, clock, make_user):
    _save(browser, listing="/asti-est/search?q=tirocinio")
    _confirm(browser, outbox)
    [alert] = _alerts(app)
    assert alert.scope_tenant_id is not None
    publisher("Tirocinio a Vicenza", "VI")  # not in asti-est's slice
    assert send_due(app, clock).sent == 0
    publisher("Tirocinio ad Asti", "AT")
    assert send_due(app, clock).sent == 1
    text = Outbox.text(_alert_mails(outbox)[0])
    assert "Vicenza" not in text and "Tirocinio ad Asti" in text
    assert "/asti-est/" in text or "/directory/opportunities/" in text


def test_weekly_means_at_most_once_a_week(app, browser, outbox, publisher, clock):
    _save(browser)
    _confirm(browser, outbox)
    publisher("Tirocinio uno", "AT")
    assert send_due(app, clock).sent == 1
    publisher("Tirocinio due", "AT")
    assert send_due(app, clock, later=timedelta(days=3)).sent == 0
    assert send_due(app, clock, later=timedelta(days=4, minutes=1)).sent == 1
    second = Outbox.text(_alert_mails(outbox)[1])
    assert "Tirocinio due" in second and "Tirocinio uno" not in second


def test_smtp_outage_keeps_the_confirmation(app, browser, outbox, publisher):
    _save(browser)
    with app.app_context():
        assert db.session.scalar(select(QueuedMail.id)) is not None  # queued, not sent inline


def test_confirmation_mail_is_in_the_chosen_language(app, browser, outbox, publisher):
    _save(browser, locale="en")
    [mail] = _confirm_mails(outbox)
    assert "Confirm" in mail["Subject"] and "open this link" in Outbox.text(mail)


def test_alert_pages_are_not_publicly_cached(app, browser, outbox, publisher):
    for url in ("/alerts/new?search=q%3Dx",):
        response = browser.client.application.test_client().get(url)
        assert "public" not in response.headers.get("Cache-Control", "")
    _save(browser)
    manage = _confirm(browser, outbox).headers["Location"]
    response = browser.client.application.test_client().get(manage)
    assert "public" not in response.headers.get("Cache-Control", "")
    assert response.headers.get("Referrer-Policy") or "referrer" in response.get_data(as_text=True)


def test_old_period_alert_after_change_from_weekly_to_daily(app, browser, outbox, publisher, clock):
    """Changing weekly->daily after a send re-computes the due date from the last mail."""
    _save(browser)
    manage = _confirm(browser, outbox).headers["Location"]
    publisher("Tirocinio uno", "AT")
    assert send_due(app, clock).sent == 1
    page = browser.get(manage).get_data(as_text=True)
    alert_id = str(_alerts(app)[0].id)
    browser.client.post(manage, data={"csrf_token": csrf_token_from(page), f"a{alert_id}-save": "1",
                                      f"a{alert_id}-frequency": "daily", f"a{alert_id}-locale": "it"})  # fmt: skip
    assert _alerts(app)[0].frequency.value == "daily"
    publisher("Tirocinio due", "AT")
    assert send_due(app, clock, later=timedelta(days=1, minutes=1)).sent == 1


def test_a_stopped_alerts_feed_is_not_served_from_the_page_cache(app, app_factory, browser, outbox, publisher, clock):
    """With the production page cache, the personal feed is kept in memory (and by any proxy):
    after one-click stop it is still served."""
    from portal.alerts import services

    mail = _active_alert(app, browser, outbox, publisher, clock)
    with app.app_context():
        token = services.feed_token(db.session.get(Alert, _alerts(app)[0].id))
    cached = app_factory(PAGE_CACHE_SECONDS=60)
    client = cached.test_client()
    first = client.get(f"/alerts/feed/{token}.atom")
    assert first.status_code == 200
    path = mail["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    assert cached.test_client().post("/" + path, data="List-Unsubscribe=One-Click").status_code == 200
    assert _alerts(app)[0].status == AlertStatus.STOPPED
    assert client.get(f"/alerts/feed/{token}.atom").status_code == 410


def test_no_token_in_the_logs_when_an_alert_page_fails(app, browser, outbox, publisher, clock, caplog, monkeypatch):
    """request_log redacts tokens, but the error handlers log request.path as is."""
    from sqlalchemy.exc import OperationalError

    from portal.alerts import services

    mail = _active_alert(app, browser, outbox, publisher, clock)
    manage = Outbox.link(mail, "/alerts/manage/")
    token = manage.rsplit("/", 1)[1]

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(services, "alert_for", down)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level("INFO"):
        response = browser.get(manage)
    assert response.status_code in (500, 503)
    assert token not in caplog.text, [r.getMessage() for r in caplog.records if token in r.getMessage()]


def test_pending_entries_never_reach_an_alert_and_approval_is_new(app, browser, outbox, publisher, clock, index):
    from portal.directory import indexing
    from portal.models import Entry
    from portal.models.directory import Status

    _save(browser, listing="/asti-est/search?q=tirocinio")
    _confirm(browser, outbox)
    entry_id = publisher("Tirocinio in attesa", "AT")
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        entry.status, entry.published_at = Status.PENDING, None
        indexing.queue(entry)
        db.session.commit()
    index.sync()
    assert send_due(app, clock).sent == 0  # pending: nothing (created_at may be "new" but it is not public)
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        entry.status, entry.published_at = Status.PUBLISHED, clock.advance()
        indexing.queue(entry)
        db.session.commit()
    index.sync()
    assert send_due(app, clock).sent == 1
    assert "Tirocinio in attesa" in Outbox.text(_alert_mails(outbox)[0])


def test_the_feed_keeps_the_filters_when_the_engine_fails(app, browser, outbox, publisher, clock, monkeypatch):
    from portal.alerts import services
    from portal.directory import indexing

    _active_alert(app, browser, outbox, publisher, clock)
    publisher("Tirocinio a Vicenza", "VI")
    with app.app_context():
        token = services.feed_token(db.session.get(Alert, _alerts(app)[0].id))

    class Broken:
        follows_transactions = True

        def search(self, query):
            raise RuntimeError("engine down")

    monkeypatch.setattr(indexing, "engine", lambda: Broken())
    body = browser.get(f"/alerts/feed/{token}.atom").get_data(as_text=True)
    assert "Vicenza" not in body, "the feed lists entries outside the saved search (province filter dropped)"


def test_signed_in_one_click_with_mixed_case_account_address(app, make_user, signed_in, outbox, publisher):
    make_user("Residente.Asti@Example.it")
    person = signed_in("Residente.Asti@Example.it")
    page = person.get("/alerts/new?search=q%3Dtirocinio&kind=opportunity").get_data(as_text=True)
    person.client.post(
        "/alerts/new?search=q%3Dtirocinio&kind=opportunity",
        data={"csrf_token": csrf_token_from(page), "frequency": "weekly", "locale": "it"},
    )
    [alert] = _alerts(app)
    assert alert.status == AlertStatus.CONFIRMED, "one click fell back to a confirmation mail"


@pytest.mark.parametrize("address", ["x@mailinator.com", "x@MAILINATOR.COM", "x@a.b.yopmail.com",
                                     "x@guerrillamail.com", "x@10minutemail.com", "x@example", "x@@example.it",
                                     "x@example.it\u200b", "<x@example.it>"])  # fmt: skip
def test_bad_or_disposable_addresses(app, browser, outbox, publisher, address):
    response = _post_new(browser, "q=tirocinio", email=address)
    assert response.status_code == 200
    assert not _alerts(app), address


def test_alerts_from_a_project_on_its_own_host(app, hosted_app, tmp_root):
    from tests.test_tenant_hosts import ALICE_HOST

    client = hosted_app.test_client()
    headers = {"Host": ALICE_HOST}
    page = client.get("/search?q=tirocinio", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    link = html.split('class="get-alerts"><a class="btn btn-outline-primary btn-sm" href="')[1].split('"')[0]
    link = link.replace("&amp;", "&")
    form = client.get(link, headers=headers)
    assert form.status_code == 200, (link, form.status_code)
    data = {"csrf_token": csrf_token_from(form.get_data(as_text=True)), "email": RESIDENT, "frequency": "weekly",
            "locale": "it", "consent": "y"}  # fmt: skip
    response = client.post(link, data=data, headers=headers)
    assert response.status_code == 200
    [mail] = Outbox(tmp_root / "outbox", hosted_app).to(RESIDENT)
    urls = re.findall(r"https?://\S+", Outbox.text(mail))
    print(urls)
    confirm = next(u for u in urls if "/alerts/confirm/" in u)
    host, path = confirm.split("://", 1)[1].split("/", 1)
    confirmed = client.get("/" + path, headers={"Host": host})
    assert confirmed.status_code == 302, (confirm, confirmed.status_code)
    search_url = next(u for u in urls if "/alerts/" not in u)
    assert ALICE_HOST in search_url, search_url


def test_signed_in_form_page_ids_are_unique(app, make_user, signed_in, publisher):
    make_user(RESIDENT)
    html = signed_in(RESIDENT).get("/alerts/new?search=q%3Dtirocinio&kind=opportunity").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"'Use another address' form reuses the ids of the one-click form: {dupes}"


def test_confirmation_mail_does_not_carry_arbitrary_attacker_text(app, browser, outbox, publisher):
    """Anyone can make the portal mail any address; the search words and the (unchecked) filter
    values go verbatim into the subject and body: up to 40 x 100 characters of free text."""
    pitch = "Il suo conto e bloccato accedi subito a www.evil.example per sbloccarlo"
    search = "q=tirocinio&" + "&".join(f"province={pitch} {i}" for i in range(30))
    assert _post_new(browser, search, email="vittima@example.it").status_code == 200
    [mail] = _confirm_mails(outbox, "vittima@example.it")
    body = Outbox.text(mail)
    assert "www.evil.example" not in mail["Subject"] and "www.evil.example" not in body, (
        len(mail["Subject"]),
        body.count("evil"),
    )


def test_filter_values_outside_the_vocabulary_are_not_kept(app, browser, outbox, publisher):
    _post_new(browser, "q=tirocinio&province=ZZ&cost=whatever&tenants=nope")
    [alert] = _alerts(app)
    assert alert.params == [["q", "tirocinio"]], alert.params


def test_an_old_manage_link_never_opens_someone_elses_alerts_after_a_purge(
    app, browser, new_browser, outbox, publisher
):
    """Tokens carry only the row id; SQLite reuses the highest id once its row is deleted
    (no AUTOINCREMENT), and purge-unconfirmed deletes stopped alerts after 30 days."""
    from sqlalchemy import update

    from portal.alerts import services
    from portal.retention import purge_alerts

    _save(browser)  # Alice
    manage = _confirm(browser, outbox).headers["Location"]
    alice_token = manage.rsplit("/", 1)[1]
    with app.app_context():
        services.stop(db.session.get(Alert, _alerts(app)[0].id))
        db.session.execute(update(Alert).values(stopped_at=utcnow() - timedelta(days=31)))
        assert purge_alerts() == 1
        db.session.commit()
    bob = new_browser()
    _save(bob, email="bob@example.it")
    _confirm(bob, outbox, "bob@example.it")
    [bobs] = _alerts(app)
    page = new_browser().get(f"/alerts/manage/{alice_token}")
    html = page.get_data(as_text=True)
    assert "bob@example.it" not in html, f"Alice's 5-year link opens Bob's alerts (id {bobs.id} reused)"
    new_browser().client.post(f"/alerts/unsubscribe/{alice_token}")
    assert _alerts(app)[0].status == AlertStatus.CONFIRMED, "Alice's old one-click stopped Bob's alert"


def test_every_alert_of_a_search_is_told_how_many_more_there_are(app, browser, new_browser, outbox, publisher, clock):
    """Alerts of one search with different windows share one search of 20 hits; only the one with
    the widest window gets the 'And N more' line and the right count in the subject."""
    _save(browser)
    _confirm(browser, outbox)
    publisher("Tirocinio primo", "AT")
    assert send_due(app, clock).sent == 1  # Alice's window moves on; next due in a week
    bob = new_browser()
    _save(bob, email="bob@example.it")
    _confirm(bob, outbox, "bob@example.it")
    for i in range(25):
        publisher(f"Tirocinio numero {i}", "AT")
    assert send_due(app, clock, later=timedelta(days=7, minutes=1)).sent == 2
    mails = [m for m in _alert_mails(outbox) + _alert_mails(outbox, "bob@example.it") if "numero" in Outbox.text(m)]
    for mail in mails:  # 25 or more new for each of them: 20 listed, then "And N more"
        assert "E altre" in Outbox.text(mail), (mail["To"], mail["Subject"])


def test_an_alert_mail_never_lists_an_entry_twice(app, browser, outbox, publisher, clock):
    """The per-thread Whoosh searcher, once refreshed after a segment merge, returns documents
    twice (a fresh searcher does not): the in-process scheduler's long-lived thread sees it."""
    _save(browser)
    _confirm(browser, outbox)
    for i in range(6):
        publisher(f"Tirocinio numero {i}", "AT")
        browser.get("/search?q=tirocinio")  # people search meanwhile (same thread: same cached searcher)
    assert send_due(app, clock).sent == 1
    [mail] = _alert_mails(outbox)
    lines = [line for line in Outbox.text(mail).splitlines() if line.startswith("- ")]
    assert len(lines) == len(set(lines)) == 6, (mail["Subject"], lines)


def test_hostile_words_are_escaped_on_the_pages_the_mail_and_the_feed(app, browser, outbox, publisher, clock):
    from portal.alerts import services

    evil = "<script>alert(1)</script>"
    page = browser.get(f"/alerts/new?search={quote('q=' + evil + '&province=' + evil)}&kind=opportunity")
    assert evil not in page.get_data(as_text=True)
    _post_new(browser, f"q=tirocinio {evil}&province=AT")
    [mail] = _confirm_mails(outbox)
    assert evil not in mail.get_body(preferencelist=("html",)).get_content()
    manage = browser.get(Outbox.link(mail, "/alerts/confirm/")).headers["Location"]
    assert evil not in browser.get(manage).get_data(as_text=True)
    with app.app_context():
        token = services.feed_token(db.session.get(Alert, _alerts(app)[0].id))
    feed = browser.get(f"/alerts/feed/{token}.atom").get_data(as_text=True)
    assert evil not in feed
