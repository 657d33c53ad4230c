"""Newsletters end to end against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import Delivery, Issue, Subscription
from portal.models.base import utcnow
from portal.tenancy import tenant_scope
from tests.conftest import deliver_mail_queue


class Sink:
    """An SMTP server that keeps what it receives and can refuse chosen recipients."""

    def __init__(self, app=None) -> None:
        self.received: list[email.message.EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.app = app

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        """What the server received, once the portal's mail queue has been delivered."""
        if self.app is not None:
            deliver_mail_queue(self.app)
        return self.received

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(message)
        return "250 OK"

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    sink, port = Sink(app), _free_port()
    monkeypatch.setitem(app.config, "MAIL_URL", f"smtp://127.0.0.1:{port}")
    sink.start = lambda: (
        setattr(sink, "controller", Controller(sink, hostname="127.0.0.1", port=port)) or sink.controller.start()
    )
    sink.start()
    yield sink
    with contextlib.suppress(Exception):
        sink.controller.stop()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())


@pytest.fixture
def coordinator(make_user, tenants, new_browser):
    make_user("coord.workin@example.it", role="coordinator", tenant=tenants["work-in"])
    browser = new_browser()
    browser.sign_in("coord.workin@example.it")
    return browser


def _subscribe(browser, email_address, slug="work-in", locale="it"):
    return browser.submit(f"/{slug}/newsletter/", {"email": email_address, "locale": locale, "consent": "y"})


def _confirm(browser, smtp, address, slug="work-in"):
    [mail] = smtp.to(address)
    link = next(u for u in _links(mail) if "/newsletter/confirm/" in u)
    return browser.get(_path(link))


def _send_due(app, now=None):
    from portal.newsletters.delivery import send_due

    with app.app_context():
        return send_due(now=now)


def _make_issue(coordinator, subject="Novità di novembre", body="Ciao a tutti!"):
    response = coordinator.submit("/work-in/manage/newsletter/new", {"subject": subject, "body": body})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _send_now(coordinator, issue_id):
    return coordinator.submit(
        f"/work-in/manage/newsletter/{issue_id}/schedule",
        {"send_now": "1"},
        page=f"/work-in/manage/newsletter/{issue_id}",
    )


def test_subscribe_confirm_compose_send_unsubscribe(app, tenants, smtp, new_browser, coordinator, runner):
    visitor = new_browser()
    assert _subscribe(visitor, "Lucia@Example.it").status_code == 200
    [confirmation] = smtp.to("lucia@example.it")
    assert "WORK-IN" in confirmation["Subject"]
    _send_due(app)
    assert len(smtp.to("lucia@example.it")) == 1  # nothing else before confirming
    confirmed = _confirm(visitor, smtp, "lucia@example.it")
    page = confirmed.get_data(as_text=True)
    assert confirmed.status_code == 200 and "L'iscrizione è confermata" in page
    assert 'name="email"' not in page and "no-store" in confirmed.headers["Cache-Control"]  # no second form
    with app.app_context(), tenant_scope(tenants["work-in"]):
        sub = db.session.scalar(select(Subscription))
        assert sub.status.value == "confirmed" and sub.consent_text_version and sub.consent_source == "web-form"

    # The coordinator publishes news; the digest offers it.
    coordinator.submit(
        "/work-in/manage/news/new", {"title": "Tre nuovi tirocini", "body": "Al porto.", "locale": "it", "publish": "y"}
    )
    compose = coordinator.get("/work-in/manage/newsletter/new").get_data(as_text=True)
    assert "Tre nuovi tirocini" in compose
    digest_key = re.search(r'name="digest" type="checkbox" value="([^"]+)"', compose).group(1)
    response = coordinator.submit(
        "/work-in/manage/newsletter/new", {"subject": "Novità", "body": "**Ciao!**", "digest": [digest_key]}
    )
    issue_id = int(response.headers["Location"].split("/")[-1])
    preview = coordinator.get(f"/work-in/manage/newsletter/{issue_id}").get_data(as_text=True)
    assert "<strong>Ciao!</strong>" in preview and "Tre nuovi tirocini" in preview and "Plain-text" not in preview[:0]
    coordinator.submit(f"/work-in/manage/newsletter/{issue_id}/test", {}, page=f"/work-in/manage/newsletter/{issue_id}")
    [test_copy] = smtp.to("coord.workin@example.it")
    assert test_copy["Subject"] == "[TEST] Novità"

    assert _send_now(coordinator, issue_id).status_code == 302
    assert _send_now(coordinator, issue_id).status_code == 302  # a double click changes nothing
    assert "sent 1" in runner.invoke(args=["newsletter", "send-due"]).output
    assert "sent 0" in runner.invoke(args=["newsletter", "send-due"]).output
    [issue_mail] = smtp.to("lucia@example.it")[1:]
    assert issue_mail["Subject"] == "Novità"
    assert issue_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto = [part.strip(" <>") for part in issue_mail["List-Unsubscribe"].split(",")]
    assert https_link.startswith("http") and mailto.startswith("mailto:")
    assert issue_mail["List-Id"].endswith("<work-in.newsletter.crocevia.example>")
    # WORK-IN's seed gives no e-mail address, so tenant.toml has no contacts.email and there is no Reply-To
    assert issue_mail["Reply-To"] is None and issue_mail["Date"] and issue_mail["Message-ID"]
    assert "WORK-IN" in issue_mail["From"]
    assert (
        issue_mail.get_body(("html",)) is not None
        and "Tre nuovi tirocini" in issue_mail.get_body(("plain",)).get_content()
    )

    # One-click unsubscribe: no session, no CSRF token; twice is fine.
    stranger = app.test_client()
    assert stranger.post(_path(https_link), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert stranger.post(_path(https_link), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    second = _make_issue(coordinator, subject="Dicembre")
    _send_now(coordinator, second)
    _send_due(app)
    assert len(smtp.to("lucia@example.it")) == 2  # confirmation + first issue only

    # The public archive and its feed.
    assert "Novità" in visitor.get("/work-in/newsletter/").get_data(as_text=True)
    assert visitor.get(f"/work-in/newsletter/{issue_id}").status_code == 200
    feed = visitor.get("/work-in/newsletter/feed.atom")
    assert (
        feed.status_code == 200 and feed.mimetype == "application/atom+xml" and "Novità" in feed.get_data(as_text=True)
    )
    assert "&lt;strong&gt;" in feed.get_data(as_text=True)


def test_the_same_address_twice_gets_one_subscription_and_one_mail_an_hour(app, tenants, smtp, new_browser):
    for _ in range(3):
        _subscribe(new_browser(), "marco@example.it")
    assert len(smtp.to("marco@example.it")) == 1
    with app.app_context(), tenant_scope(tenants["work-in"]):
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 1
        sub = db.session.scalar(select(Subscription))
        sub.confirmation_sent_at = utcnow() - timedelta(hours=2)
        db.session.commit()
    _subscribe(new_browser(), "marco@example.it")
    assert len(smtp.to("marco@example.it")) == 2


@pytest.mark.parametrize("address", ["not-an-email", "a@b", "x" * 300 + "@example.it", "<script>@x.it", ""])
def test_invalid_addresses_get_a_clear_message(tenants, new_browser, smtp, address):
    response = _subscribe(new_browser(), address)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Inserire" in html and smtp.messages == []


def test_signed_in_users_subscribe_in_one_click(app, tenants, make_user, new_browser, smtp):
    make_user("anna@example.it")
    browser = new_browser()
    browser.sign_in("anna@example.it")
    browser.submit("/vicenza/newsletter/subscribe-me", {}, page="/vicenza/newsletter/")  # a running project
    with app.app_context(), tenant_scope(tenants["vicenza"]):
        assert db.session.scalar(select(Subscription.status)).value == "confirmed"
    assert smtp.messages == []


def test_tokens_are_per_purpose_and_per_project(app, tenants, smtp, new_browser):
    visitor = new_browser()
    _subscribe(visitor, "sara@example.it")
    link = next(u for u in _links(smtp.to("sara@example.it")[0]) if "/confirm/" in u)
    token = link.rsplit("/", 1)[-1]
    assert app.test_client().post(f"/work-in/newsletter/unsubscribe/{token}").status_code == 400  # wrong purpose
    assert visitor.get(f"/ciao/newsletter/confirm/{token}").status_code == 400  # another project
    assert visitor.get(f"/work-in/newsletter/confirm/{token[:-2]}xx").status_code == 400  # tampered
    assert visitor.get(f"/work-in/newsletter/manage/{token}").status_code == 400
    from portal.newsletters.subscriptions import manage_token

    with app.app_context(), tenant_scope(tenants["work-in"]):
        real = manage_token(db.session.scalar(select(Subscription)))
    assert app.test_client().post(f"/ciao/newsletter/unsubscribe/{real}").status_code == 400
    manage_page = visitor.get(f"/work-in/newsletter/manage/{real}")
    assert manage_page.status_code == 200
    visitor.submit(f"/work-in/newsletter/manage/{real}", {"locale": "en", "save_language": "1"})
    with app.app_context(), tenant_scope(tenants["work-in"]):
        assert db.session.scalar(select(Subscription.locale)) == "en"


def test_only_that_projects_coordinators_compose_or_send(app, tenants, make_user, new_browser, coordinator, smtp):
    issue_id = _make_issue(coordinator)
    make_user("coord.ciao@example.it", role="coordinator", tenant=tenants["ciao"])
    make_user("member@example.it", role="member", tenant=tenants["work-in"])
    for email_address in ("coord.ciao@example.it", "member@example.it"):
        other = new_browser()
        other.sign_in(email_address)
        assert other.get("/work-in/manage/newsletter/new").status_code == 403
        page = other.get("/ciao/newsletter/").get_data(as_text=True)
        from tests.conftest import csrf_token_from

        token = csrf_token_from(page)
        for url in (
            f"/work-in/manage/newsletter/{issue_id}/schedule",
            "/work-in/manage/newsletter/new",
            f"/work-in/manage/newsletter/{issue_id}/test",
        ):
            assert (
                other.client.post(url, data={"csrf_token": token, "send_now": "1", "subject": "x"}).status_code == 403
            )
    ciao_coord = new_browser()
    ciao_coord.sign_in("coord.ciao@example.it")
    assert ciao_coord.get(f"/ciao/manage/newsletter/{issue_id}").status_code == 404  # not CIAO!'s issue
    with app.app_context(), tenant_scope(tenants["work-in"]):
        assert db.session.get(Issue, issue_id).status.value == "draft"


def _confirmed_subscribers(app, tenant, addresses):
    with app.app_context(), tenant_scope(tenant):
        for address in addresses:
            db.session.add(
                Subscription(
                    tenant_id=tenant.id,
                    email=address,
                    status="confirmed",
                    confirmed_at=utcnow(),
                    consent_at=utcnow(),
                    consent_text_version="t",
                    consent_source="test",
                )
            )
        db.session.commit()


def _deliveries(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return {d.email: (d.status.value, d.attempts) for d in db.session.scalars(select(Delivery))}


def test_smtp_down_then_back_nothing_is_lost(app, tenants, smtp, coordinator):
    people = [f"p{n}@example.it" for n in range(5)]
    _confirmed_subscribers(app, tenants["work-in"], people)
    issue_id = _make_issue(coordinator)
    _send_now(coordinator, issue_id)
    smtp.controller.stop()
    report = _send_due(app)
    assert report.sent == 0 and report.failed_temporary == 5
    assert {s for s, _ in _deliveries(app, tenants["work-in"]).values()} == {"failed_temporary"}
    smtp.start()
    assert _send_due(app).sent == 0  # not yet: backoff
    assert _send_due(app, now=utcnow() + timedelta(minutes=2)).sent == 5
    assert sorted(m["To"] for m in smtp.messages if m["Subject"] == "Novità di novembre") == sorted(people)


def test_refused_recipients_permanent_and_temporary(app, tenants, smtp, coordinator):
    _confirmed_subscribers(app, tenants["work-in"], ["ok@example.it", "gone@example.it", "busy@example.it"])
    smtp.refuse = {"gone@example.it": "550 No such user", "busy@example.it": "450 Mailbox busy"}
    _send_now(coordinator, _make_issue(coordinator))
    report = _send_due(app)
    assert (report.sent, report.failed_permanent, report.failed_temporary) == (1, 1, 1)
    states = _deliveries(app, tenants["work-in"])
    assert states["gone@example.it"][0] == "failed_permanent" and states["busy@example.it"][0] == "failed_temporary"
    smtp.refuse = {"gone@example.it": "550 No such user"}
    assert _send_due(app, now=utcnow() + timedelta(minutes=2)).sent == 1
    assert len(smtp.to("busy@example.it")) == 1 and smtp.to("gone@example.it") == []
    page = coordinator.get("/work-in/manage/newsletter/").get_data(as_text=True)
    assert "Inviato" in page or "Sent" in page


def test_a_crash_between_recipients_resumes_without_duplicates(app, tenants, smtp, coordinator, monkeypatch):
    from portal.newsletters import delivery

    people = [f"r{n}@example.it" for n in range(6)]
    _confirmed_subscribers(app, tenants["work-in"], people)
    _send_now(coordinator, _make_issue(coordinator))
    calls = {"n": 0}
    real_message = delivery.IssueRenderer.raw_message  # built for each recipient

    def crash_on_the_fourth(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt("process killed")
        return real_message(self, *args, **kwargs)

    monkeypatch.setattr(delivery.IssueRenderer, "raw_message", crash_on_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        _send_due(app)
    monkeypatch.setattr(delivery.IssueRenderer, "raw_message", real_message)
    with app.app_context(), tenant_scope(tenants["work-in"]):
        db.session.rollback()
        # The dead sender's claim names this process, which is alive in a test: pretend it ended.
        db.session.execute(
            update(Delivery)
            .where(Delivery.status == "sending")
            .values(claimed_by="ghost-host:1:x", claimed_at=utcnow() - timedelta(hours=1))
        )
        db.session.commit()
    _send_due(app)
    received = [m["To"] for m in smtp.messages if m["Subject"] == "Novità di novembre"]
    assert sorted(received) == sorted(people)  # each exactly once


def test_two_senders_never_claim_the_same_recipient(app, tenants, smtp, coordinator):
    from portal.newsletters.delivery import _claim, start

    _confirmed_subscribers(app, tenants["work-in"], [f"c{n}@example.it" for n in range(10)])
    issue_id = _make_issue(coordinator)
    _send_now(coordinator, issue_id)
    with app.app_context(), tenant_scope(tenants["work-in"]):
        tenant = db.session.merge(tenants["work-in"])
        start(tenant, issue_id, utcnow())
        start(tenant, issue_id, utcnow())  # a second copy starting the same issue adds nothing
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 10
        first = {d.id for d in _claim(tenant, issue_id, "a:1:x", utcnow(), 6)}
        second = {d.id for d in _claim(tenant, issue_id, "b:2:y", utcnow(), 6)}
    assert len(first) == 6 and len(second) == 4 and not first & second


def test_subscriber_export_and_counts(app, tenants, coordinator):
    _confirmed_subscribers(app, tenants["work-in"], ["x@example.it"])
    csv_text = coordinator.get("/work-in/manage/newsletter/subscribers.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[0].startswith("email,language") and "x@example.it,it" in csv_text
    assert "Iscrizioni confermate: 1" in coordinator.get("/work-in/manage/newsletter/").get_data(as_text=True)


def test_in_production_the_same_work_runs_in_an_rq_worker_on_redis(app, tenants, smtp, coordinator, monkeypatch):
    import redis
    from rq import Queue, SimpleWorker

    from portal.jobs import runner
    from portal.jobs.schedule import run_named

    url = "redis://127.0.0.1:6379/14"
    try:
        connection = redis.Redis.from_url(url, socket_connect_timeout=1)
        connection.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    _confirmed_subscribers(app, tenants["work-in"], ["rq@example.it"])
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "JOBS_RUNNER", "rq")
    _send_now(coordinator, _make_issue(coordinator))  # "send now" enqueues one job per sender
    queue = Queue(runner.QUEUE, connection=connection)
    assert queue.count == app.config["NEWSLETTER_SENDERS"] == 2
    # The job builds its own app from the environment; give it this test's app instead.
    monkeypatch.setattr("portal.create_app", lambda *a, **k: app)
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert len(smtp.to("rq@example.it")) == 1  # two jobs, one message: they share the work by claims
    with app.app_context():
        assert run_named("newsletter-send-due").summary.startswith("sent 0")  # running it again sends nothing
    connection.flushdb()


def test_a_scheduled_issue_goes_at_its_time_to_every_confirmed_subscriber_once(app, tenants, smtp, coordinator):
    from datetime import datetime

    from portal.timezone import ROME

    _confirmed_subscribers(app, tenants["work-in"], ["a@example.it", "b@example.it"])
    with app.app_context(), tenant_scope(tenants["work-in"]):
        db.session.add(Subscription(tenant_id=tenants["work-in"].id, email="pending@example.it", status="pending"))
        db.session.commit()
    issue_id = _make_issue(coordinator)
    local = (datetime.now(ROME) + timedelta(days=1)).replace(hour=9, minute=30, second=0, microsecond=0)
    coordinator.submit(
        f"/work-in/manage/newsletter/{issue_id}/schedule",
        {"schedule": "1", "when": local.strftime("%Y-%m-%dT%H:%M")},
        page=f"/work-in/manage/newsletter/{issue_id}",
    )
    with app.app_context(), tenant_scope(tenants["work-in"]):
        issue = db.session.get(Issue, issue_id)
        assert issue.status.value == "scheduled" and issue.scheduled_at == local.astimezone(issue.scheduled_at.tzinfo)
    assert _send_due(app).sent == 0  # not yet
    assert _send_due(app, now=local + timedelta(minutes=1)).sent == 2
    assert _send_due(app, now=local + timedelta(minutes=2)).sent == 0
    assert sorted(m["To"] for m in smtp.messages) == ["a@example.it", "b@example.it"]


def test_an_expired_confirmation_link_is_refused(app, tenants, smtp, new_browser):
    import time
    from unittest import mock

    visitor = new_browser()
    _subscribe(visitor, "late@example.it")
    link = next(u for u in _links(smtp.to("late@example.it")[0]) if "/confirm/" in u)
    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() + 8 * 24 * 3600):
        assert visitor.get(_path(link)).status_code == 400
    with app.app_context(), tenant_scope(tenants["work-in"]):
        assert db.session.scalar(select(Subscription.status)).value == "pending"
