"""Saved-search alerts: save from a listing, confirm by mail, one mail when something new is
published and none when nothing is, leave with one click; tokens, repeats, outages, two runs."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import Alert, QueuedMail, User
from portal.models.alert import AlertStatus
from portal.models.base import utcnow
from portal.timezone import rome_today
from tests.conftest import Outbox, csrf_token_from

RESIDENT = "residente.asti@example.it"
LISTING = "/directory/opportunities/?q=tirocinio&province=AT"


class Clock:
    """The test's time: each publication and each run a little later than the one before (the
    engines keep publication times in whole seconds, and a test does everything in one)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def advance(self, delta: timedelta = timedelta(seconds=10)):
        self.now += delta
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def publisher(app, tenants, make_user, index, clock):
    """publish(title, province, at) -> entry id: an internship published by an admin (at the
    clock's next tick unless `at` says when), indexed."""
    from portal.directory import indexing, services

    admin_id = make_user("admin@example.it", admin=True)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        orgs = {}
        for prov, comune, slug in (("AT", "Asti", "asti-est"), ("VI", "Arzignano", "vicenza")):
            orgs[prov] = services.create_organisation(admin, {"name": f"Officina {comune}", "kind": "company",
                                                              "comune": comune, "province": prov,
                                                              "tenant_ids": [tenants[slug].id]}).id  # fmt: skip
        db.session.commit()

    def publish(title: str, province: str = "AT", at=None) -> int:
        with app.app_context():
            admin = db.session.get(User, admin_id)
            org = db.session.get(services.Organisation, orgs[province])
            entry = services.create_entry(admin, org, "opportunity", {
                "title": title, "description": "Un tirocinio in officina.", "comune": org.comune, "province": province,
                "tenant_ids": [t.id for t in org.tenants], "target_groups": [],
                "opportunity_type": "tirocinio_inclusione", "promoter": "Servizi sociali", "duration_months": 6,
                "how_to_apply": "Scrivere allo sportello.", "deadline": rome_today() + timedelta(days=30)})  # fmt: skip
            entry.published_at = at or clock.advance()
            indexing.queue(entry)
            db.session.commit()
            entry_id = entry.id
        index.sync()
        return entry_id

    return publish


def send_due(app, clock: Clock, later=timedelta(seconds=10)):
    """The `alerts-send-due` job at the clock's next tick (once the settling minute has passed)."""
    from portal.alerts.delivery import SETTLE
    from portal.alerts.delivery import send_due as run

    with app.app_context():
        report = run(now=clock.advance(later) + SETTLE)
        db.session.commit()
        return report


def _alerts(app) -> list[Alert]:
    with app.app_context():
        rows = list(db.session.scalars(select(Alert).order_by(Alert.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _save(browser, listing=LISTING, email=RESIDENT, **extra):
    page = browser.get(listing).get_data(as_text=True)
    link = page.split('class="get-alerts"><a class="btn btn-outline-primary btn-sm" href="')[1].split('"')[0]
    link = link.replace("&amp;", "&")
    form = browser.get(link).get_data(as_text=True)
    data = {"email": email, "frequency": "weekly", "locale": "it", "consent": "y", **extra}
    return browser.client.post(link, data={"csrf_token": csrf_token_from(form), **data})


def _confirm(browser, outbox, email=RESIDENT):
    [mail] = [m for m in outbox.to(email) if "/alerts/confirm/" in Outbox.text(m)]
    return browser.get(Outbox.link(mail, "/alerts/confirm/"))


def _alert_mails(outbox, email=RESIDENT):
    return [m for m in outbox.to(email) if "/alerts/confirm/" not in Outbox.text(m)]


def test_resident_saves_a_search_confirms_gets_one_mail_for_new_and_leaves_in_one_click(
    app, browser, outbox, publisher, clock
):
    publisher("Tirocinio in officina già pubblicato", at=utcnow() - timedelta(hours=1))
    response = _save(browser)
    assert response.status_code == 200
    [alert] = _alerts(app)
    assert alert.status == AlertStatus.PENDING and alert.kind == "opportunity"
    assert alert.params == [["province", "AT"], ["q", "tirocinio"]]
    confirmed = _confirm(browser, outbox)
    assert confirmed.status_code == 302 and "/alerts/manage/" in confirmed.headers["Location"]
    assert _alerts(app)[0].status == AlertStatus.CONFIRMED

    assert send_due(app, clock).sent == 0  # nothing new since confirming: no mail at all
    assert _alert_mails(outbox) == []

    publisher("Tirocinio da saldatore", "AT")
    publisher("Tirocinio a Vicenza", "VI")  # another province: not for this search
    report = send_due(app, clock)
    assert report.sent == 1
    [mail] = _alert_mails(outbox)
    text = Outbox.text(mail)
    assert "Tirocinio da saldatore" in text
    assert "già pubblicato" not in text and "Vicenza" not in text
    assert "/directory/opportunities/" in text  # links to the entry
    one_click = mail["List-Unsubscribe"].strip("<>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/manage/" in text

    publisher("Tirocinio in magazzino", "AT")
    assert send_due(app, clock).sent == 0  # weekly: the next one waits a week
    assert send_due(app, clock, timedelta(days=8)).sent == 1
    [_first, second] = _alert_mails(outbox)
    assert "Tirocinio in magazzino" in Outbox.text(second) and "saldatore" not in Outbox.text(second)

    left = browser.client.post(urlsplit(one_click).path)  # what a mail client does: no session, no CSRF
    assert left.status_code == 200
    assert _alerts(app)[0].status == AlertStatus.STOPPED
    publisher("Tirocinio dopo l'uscita", "AT")
    assert send_due(app, clock, timedelta(days=20)).sent == 0


def test_saving_the_same_search_again_makes_no_second_alert_and_no_mail_storm(app, browser, outbox, publisher):
    for _ in range(5):
        assert _save(browser).status_code == 200
    assert len(_alerts(app)) == 1
    assert len(outbox.to(RESIDENT)) == 1  # one confirmation an hour for one address and search


def test_many_searches_for_one_address_send_a_few_confirmations_only(app, app_factory, browser, outbox, publisher):
    from portal.alerts import services
    from portal.alerts.saved_search import SavedSearch

    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_PER_ADDRESS="3 per hour")
    with limited.test_request_context():
        for n in range(10):
            services.subscribe(SavedSearch.from_pairs([("q", f"parola{n}")], None, None), RESIDENT, "it", "daily", "t")
        db.session.commit()
    assert len(Outbox(outbox.folder, limited).to(RESIDENT)) == 3


@pytest.mark.parametrize(
    ("email", "message"),
    [("non-un-indirizzo", "indirizzo e-mail valido"), ("qualcuno@mailinator.com", "temporaneo"),
     ("x@sub.yopmail.com", "temporaneo")],
)  # fmt: skip
def test_bad_addresses_get_a_form_error(app, browser, outbox, publisher, email, message):
    response = _save(browser, email=email)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _alerts(app) == [] and outbox.messages() == []


def test_consent_is_required(app, browser, outbox, publisher):
    response = _save(browser, consent="")
    assert "consenso" in response.get_data(as_text=True) and _alerts(app) == []


def test_a_signed_in_person_saves_a_search_in_one_click_without_a_confirmation_mail(
    app, make_user, signed_in, outbox, publisher, clock
):
    make_user(RESIDENT)
    person = signed_in(RESIDENT)
    link = "/alerts/new?search=q%3Dtirocinio%26province%3DAT&kind=opportunity"
    form = person.get(link).get_data(as_text=True)
    assert RESIDENT in form and 'name="other-email"' in form  # the address shown, another one possible
    response = person.client.post(link, data={"csrf_token": csrf_token_from(form), "frequency": "daily",
                                              "locale": "it"})  # fmt: skip
    assert response.status_code == 302
    [alert] = _alerts(app)
    assert alert.status == AlertStatus.CONFIRMED and alert.user_id is not None
    assert outbox.to(RESIDENT) == []
    publisher("Tirocinio per chi ha già un profilo")
    assert send_due(app, clock).sent == 1


def _confirmed_alerts(app, browser, outbox, *listings):
    for listing in listings:
        _save(browser, listing)
    for mail in outbox.to(RESIDENT):
        browser.get(Outbox.link(mail, "/alerts/confirm/"))
    return _alerts(app)


def test_one_page_manages_every_alert_of_an_address(app, browser, outbox, publisher):
    from portal.alerts.services import manage_token

    alerts = _confirmed_alerts(app, browser, outbox, LISTING, "/search?q=corso", "/vicenza/search?q=italiano")
    assert [a.status for a in alerts] == [AlertStatus.CONFIRMED] * 3
    with app.test_request_context():
        token = manage_token(alerts[0])
    page = browser.get(f"/alerts/manage/{token}").get_data(as_text=True)
    assert "«tirocinio»" in page and "«corso»" in page and "«italiano»" in page and "Vicenza" in page
    second = f"a{alerts[1].id}"
    change = browser.submit(f"/alerts/manage/{token}", {f"{second}-frequency": "daily", f"{second}-locale": "en",
                                                        f"{second}-save": "1"})  # fmt: skip
    assert change.status_code == 302
    assert [(a.frequency.value, a.locale) for a in _alerts(app)][1] == ("daily", "en")
    browser.submit(f"/alerts/manage/{token}", {f"a{alerts[2].id}-stop": "1"})
    assert [a.status for a in _alerts(app)] == [AlertStatus.CONFIRMED, AlertStatus.CONFIRMED, AlertStatus.STOPPED]
    browser.submit(f"/alerts/manage/{token}", {"stop_all": "1"})
    assert {a.status for a in _alerts(app)} == {AlertStatus.STOPPED}
    assert "Non ha avvisi attivi" in browser.get(f"/alerts/manage/{token}").get_data(as_text=True)


def test_alert_and_newsletter_tokens_cannot_be_swapped_tampered_or_reused(app, browser, outbox, tenants, publisher):
    from portal.alerts import services
    from portal.models import Subscription
    from portal.models.newsletter import SubscriptionStatus
    from portal.newsletters.subscriptions import manage_token as newsletter_token
    from portal.tenancy import tenant_scope

    [alert] = _confirmed_alerts(app, browser, outbox, LISTING)
    with app.test_request_context():
        manage, feed = services.manage_token(alert), services.feed_token(alert)
        tenant = db.session.get(type(tenants["vicenza"]), tenants["vicenza"].id)
        with tenant_scope(tenant):
            subscription = Subscription(tenant_id=tenant.id, email=RESIDENT, consent_at=utcnow(),
                                        status=SubscriptionStatus.CONFIRMED)  # fmt: skip
            db.session.add(subscription)
            db.session.commit()
            newsletter = newsletter_token(subscription)
    assert browser.get(f"/alerts/manage/{newsletter}").status_code == 400  # a newsletter token here
    assert browser.get(f"/vicenza/newsletter/manage/{manage}").status_code == 400  # and the reverse
    assert browser.get(f"/alerts/manage/{feed}").status_code == 400  # the feed token manages nothing
    assert browser.get(f"/alerts/confirm/{manage}").status_code == 400
    assert browser.get(f"/alerts/manage/{manage[:-3]}xyz").status_code == 400
    assert browser.client.post(f"/alerts/unsubscribe/{manage}x").status_code == 400
    assert _alerts(app)[0].status == AlertStatus.CONFIRMED
    for token in (manage, feed):  # ids only: no address in any URL
        payload = token.split(".")[0]
        assert "@" not in base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()


def test_an_expired_confirmation_link_is_refused(app, browser, outbox, publisher, monkeypatch):
    from portal.alerts import services

    _save(browser)
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    assert _confirm(browser, outbox).status_code == 400
    assert _alerts(app)[0].status == AlertStatus.PENDING


def test_two_runs_at_once_send_one_mail(app, browser, outbox, publisher, clock):
    from portal.alerts import delivery

    [alert] = _confirmed_alerts(app, browser, outbox, LISTING)
    publisher("Tirocinio conteso")
    with app.app_context():
        now = utcnow() + timedelta(minutes=2)
        stale = db.session.get(Alert, alert.id)  # what a second host read before the first claimed it
        until = delivery.cut_off(now)
        assert delivery._claim([stale], stale.matched_until, until, now, sending=True) == {alert.id}
        assert delivery._claim([stale], stale.matched_until, until, now, sending=True) == set()
        db.session.rollback()
    assert send_due(app, clock).sent == 1 and send_due(app, clock).sent == 0
    assert len(_alert_mails(outbox)) == 1


def test_a_failing_search_engine_delays_the_alert_without_losing_it(
    app, browser, outbox, publisher, monkeypatch, clock
):
    from portal.directory import indexing

    [alert] = _confirmed_alerts(app, browser, outbox, LISTING)
    publisher("Tirocinio durante il guasto")

    class Broken:
        follows_transactions = True

        def search(self, query):
            raise RuntimeError("engine down")

    with monkeypatch.context() as patched:
        patched.setattr(indexing, "engine", lambda: Broken())
        report = send_due(app, clock)
    assert report.skipped == 1 and report.sent == 0
    assert _alerts(app)[0].matched_until == alert.matched_until
    assert send_due(app, clock).sent == 1
    assert "durante il guasto" in Outbox.text(_alert_mails(outbox)[0])


def test_an_smtp_outage_keeps_the_alert_mail_in_the_queue(app, browser, outbox, publisher, clock):
    _confirmed_alerts(app, browser, outbox, LISTING)
    publisher("Tirocinio mentre il server di posta è fermo")
    assert send_due(app, clock).sent == 1
    assert send_due(app, clock).sent == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QueuedMail)) == 1  # waits for the send-mail job
    assert len(_alert_mails(outbox)) == 1  # delivered once when the server answers


def test_a_search_whose_filter_left_the_vocabulary_keeps_working(app, browser, outbox, publisher, clock):
    [alert] = _confirmed_alerts(app, browser, outbox, "/directory/opportunities/?targets=neet")
    with app.app_context():  # a later release removed the group from the vocabulary
        db.session.execute(update(Alert).values(params=[["targets", "gruppo-abolito"]]))
        db.session.commit()
    publisher("Tirocinio qualsiasi")
    assert send_due(app, clock).sent == 0
    from portal.alerts.services import manage_token

    with app.test_request_context():
        token = manage_token(alert)
    assert "gruppo-abolito" in browser.get(f"/alerts/manage/{token}").get_data(as_text=True)


def test_the_alert_is_also_a_private_atom_feed(app, browser, outbox, publisher):
    from portal.alerts.services import feed_token

    [alert] = _confirmed_alerts(app, browser, outbox, LISTING)
    publisher("Tirocinio nel feed")
    publisher("Tirocinio a Vicenza", "VI")
    with app.test_request_context():
        token = feed_token(alert)
    response = browser.get(f"/alerts/feed/{token}.atom")
    assert response.status_code == 200 and response.headers["X-Robots-Tag"] == "noindex"
    titles = [e.title for e in feedparser.parse(response.data).entries]
    assert "Tirocinio nel feed" in titles and "Tirocinio a Vicenza" not in titles
    assert browser.get(f"/alerts/feed/{token[:-2]}zz.atom").status_code == 404


def test_every_search_and_listing_offers_alerts_and_the_form_keeps_the_scope(app, browser, tenants):
    for url in ("/search?q=corso", "/directory/events/", "/vicenza/search?q=italiano"):
        assert "Ricevi avvisi" in browser.get(url).get_data(as_text=True), url
    form = browser.get("/alerts/new?search=q%3Ditaliano&tenant=vicenza").get_data(as_text=True)
    assert "«italiano»" in form and "Vicenza" in form
    assert browser.get("/alerts/new?search=q%3Dx&tenant=nessuno").status_code == 404


def test_the_command_and_the_job_send_what_is_due(app, runner, browser, outbox, publisher):
    from portal.jobs.catalogue import BY_NAME

    _confirmed_alerts(app, browser, outbox, LISTING)
    with app.app_context():  # the command runs now: what it sends was published before the settling minute
        db.session.execute(update(Alert).values(matched_until=utcnow() - timedelta(hours=1)))
        db.session.commit()
    publisher("Tirocinio dal comando", at=utcnow() - timedelta(minutes=5))
    result = runner.invoke(args=["alerts", "send-due"])
    assert result.exit_code == 0 and "mails queued 1" in result.output
    assert "Tirocinio dal comando" in Outbox.text(_alert_mails(outbox)[0])
    assert BY_NAME["alerts-send-due"].every <= timedelta(hours=1)
    assert "mails queued 0" in runner.invoke(args=["alerts", "send-due"]).output


def test_unconfirmed_and_long_stopped_alerts_are_purged(app, browser, outbox, publisher):
    from portal.retention import purge_alerts

    _save(browser)
    _save(browser, "/search?q=corso")
    _save(browser, "/search?q=recente")
    with app.app_context():
        first, second, third = db.session.scalars(select(Alert).order_by(Alert.id)).all()
        first.consent_at = utcnow() - timedelta(days=8)  # its link has expired
        second.status, second.stopped_at = AlertStatus.STOPPED, utcnow() - timedelta(days=31)
        db.session.commit()
        assert purge_alerts() == 2
        db.session.commit()
    assert [a.params for a in _alerts(app)] == [[["q", "recente"]]]


def test_an_address_that_is_not_plain_ascii_gets_its_alert_too(app, outbox, publisher, clock):
    from portal.alerts import services
    from portal.alerts.saved_search import SavedSearch
    from portal.models.alert import AlertFrequency

    search = SavedSearch.from_pairs([("q", "tirocinio")], None, None)
    with app.test_request_context():
        alert = Alert(email="renée@example.it", search_key=search.key, params=[["q", "tirocinio"]],
                      frequency=AlertFrequency.DAILY, consent_at=utcnow())  # fmt: skip
        services._activate(alert)
        db.session.add(alert)
        db.session.commit()
    publisher("Tirocinio per chi ha un accento nel nome")
    assert send_due(app, clock).sent == 1
    [mail] = outbox.to("renée@example.it")
    assert "accento nel nome" in Outbox.text(mail) and mail["List-Unsubscribe-Post"]
