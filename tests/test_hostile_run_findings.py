"""What a hostile run against the landed portal broke (issue 8, part 1): each test failed
before its fix."""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Entry, Membership, Organisation, Subscription, User
from portal.models.base import utcnow
from portal.tenancy import tenant_scope
from portal.timezone import ROME, rome_today
from tests.conftest import PASSWORD, Browser, csrf_token_from, deliver_mail_queue

ORG = {"name": "Cooperativa Doppio Gioco", "kind": "social_coop_b", "comune": "Asti", "province": "AT"}


def _login(new_browser, email):
    """Signed in without the form (the form has its own tests)."""
    return new_browser().sign_in(email)


@pytest.fixture
def coordinators(make_user, tenants):
    for slug in ("asti-est", "vicenza"):
        make_user(f"coord.{slug}@example.it", role="coordinator", tenant=tenants[slug])


def _org(app, name=ORG["name"]):
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        return org.id, sorted(t.slug for t in org.tenants)


# --- cross-project links ------------------------------------------------------


def test_linking_an_organisation_to_another_project_waits_for_that_projects_coordinator(
    app, tenants, coordinators, new_browser, index
):
    asti = _login(new_browser, "coord.asti-est@example.it")
    response = asti.submit(
        "/directory/manage/organisations/new", {**ORG, "tenant_ids": [tenants["asti-est"].id, tenants["vicenza"].id]}
    )
    assert response.status_code == 302
    org_id, linked = _org(app)
    assert linked == ["asti-est"]  # Vicenza has not accepted it
    index.sync()
    visitor = new_browser()
    assert ORG["name"] in visitor.get("/asti-est/directory/").get_data(as_text=True)
    assert ORG["name"] not in visitor.get("/vicenza/directory/").get_data(as_text=True)
    assert ORG["name"] not in visitor.get("/search?tenants=vicenza").get_data(as_text=True)

    vicenza = _login(new_browser, "coord.vicenza@example.it")
    queue = vicenza.get("/directory/moderation/").get_data(as_text=True)
    assert ORG["name"] in queue and "Vicenza" in queue
    vicenza.submit(
        f"/directory/moderation/organisations/{org_id}/projects/{tenants['vicenza'].id}",
        {"approve": "1"},
        page="/directory/moderation/",
    )
    assert _org(app)[1] == ["asti-est", "vicenza"]
    index.sync()
    assert ORG["name"] in visitor.get("/vicenza/directory/").get_data(as_text=True)


def test_a_coordinator_cannot_accept_a_link_for_a_project_they_do_not_coordinate(
    app, tenants, coordinators, new_browser
):
    asti = _login(new_browser, "coord.asti-est@example.it")
    asti.submit(
        "/directory/manage/organisations/new", {**ORG, "tenant_ids": [tenants["asti-est"].id, tenants["vicenza"].id]}
    )
    org_id, _ = _org(app)
    response = asti.submit(
        f"/directory/moderation/organisations/{org_id}/projects/{tenants['vicenza'].id}",
        {"approve": "1"},
        page="/directory/moderation/",
    )
    assert response.status_code == 403
    assert _org(app)[1] == ["asti-est"]


def test_editing_an_organisation_to_add_another_project_also_waits(app, tenants, coordinators, new_browser):
    asti = _login(new_browser, "coord.asti-est@example.it")
    asti.submit("/directory/manage/organisations/new", {**ORG, "tenant_ids": [tenants["asti-est"].id]})
    org_id, _ = _org(app)
    page = f"/directory/manage/organisations/{org_id}"
    html = asti.get(page).get_data(as_text=True)
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    response = asti.client.post(
        page,
        data={
            **ORG,
            "version": version,
            "csrf_token": csrf_token_from(html),
            "tenant_ids": [tenants["asti-est"].id, tenants["ciao"].id],
        },
    )
    assert response.status_code == 302
    assert _org(app)[1] == ["asti-est"]


def test_an_entry_cannot_be_shown_in_a_project_that_has_not_accepted_its_organisation(
    app, tenants, coordinators, make_user, new_browser
):
    asti = _login(new_browser, "coord.asti-est@example.it")
    asti.submit(
        "/directory/manage/organisations/new", {**ORG, "tenant_ids": [tenants["asti-est"].id, tenants["vicenza"].id]}
    )
    org_id, _ = _org(app)
    make_user("partner@example.it")
    asti.submit(
        f"/directory/manage/organisations/{org_id}/editors",
        {"email": "partner@example.it"},
        page=f"/directory/manage/organisations/{org_id}",
    )
    partner = _login(new_browser, "partner@example.it")
    response = partner.submit(
        f"/directory/manage/organisations/{org_id}/event/new",
        {
            "title": "Incontro",
            "description": "Testo",
            "comune": "Asti",
            "province": "AT",
            "starts_at": (rome_today() + timedelta(days=5)).isoformat() + "T10:00",
            "tenant_ids": [tenants["vicenza"].id],
        },
    )
    assert response.status_code == 200  # refused on the field, nothing saved
    with app.app_context():
        assert db.session.scalar(select(Entry).where(Entry.title == "Incontro")) is None


# --- links in mail come from PUBLIC_URL ------------------------------------------


@pytest.mark.parametrize(
    "path, data, contains",
    [
        ("/auth/forgot-password", {"email": "maria@example.it"}, "/auth/reset-password/"),
        (
            "/auth/register",
            {
                "name": "Eva",
                "email": "eva@example.it",
                "password": PASSWORD,
                "confirm": PASSWORD,
                "locale": "it",
                "accept_privacy": "y",
            },
            "/auth/confirm/",
        ),
        (
            "/work-in/newsletter/",
            {"email": "lettrice@example.it", "locale": "it", "consent": "y"},
            "/newsletter/confirm/",
        ),
    ],
)
def test_mailed_links_use_the_public_address_whatever_the_host_header(
    app, tenants, make_user, outbox, monkeypatch, path, data, contains
):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://crocevia.example")
    make_user("maria@example.it")
    evil = Browser(app.test_client())
    html = evil.client.get(path, base_url="http://evil.example").get_data(as_text=True)
    evil.client.post(
        path,
        base_url="http://evil.example",
        headers={"X-Forwarded-Host": "evil.example"},
        data={"csrf_token": csrf_token_from(html), **data},
    )
    [message] = outbox.to(data["email"])
    links = [line for line in outbox.text(message).split() if contains in line]
    assert links and all(link.startswith("https://crocevia.example/") for link in links)
    assert "evil.example" not in message.as_string()


def test_with_trusted_hosts_another_host_is_refused(app_factory):
    # A 404 "unknown address" page since issue 10 (projects may have their own hosts).
    strict = app_factory(TRUSTED_HOSTS=["crocevia.example"])
    assert strict.test_client().get("/auth/login", base_url="http://evil.example").status_code == 404
    assert strict.test_client().get("/auth/login", base_url="https://crocevia.example").status_code == 200


def test_production_needs_an_https_public_url_and_trusts_only_its_host(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "http://crocevia.example")
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        ProductionConfig()
    monkeypatch.setenv("PUBLIC_URL", "https://crocevia.example")
    config = ProductionConfig()
    assert config.TRUSTED_HOSTS == ["crocevia.example"] and config.PREFERRED_URL_SCHEME == "https"
    assert config.SERVER_TIMING is False


# --- logout ---------------------------------------------------------------------


def test_logout_ends_the_session_and_the_remember_me_cookie(app, make_user, new_browser):
    make_user("maria@example.it")
    browser = new_browser()
    browser.login("maria@example.it", remember=True)
    stolen = {cookie.key: cookie.value for cookie in browser.client._cookies.values()}
    assert {"session", "remember_token"} <= set(stolen)
    browser.logout()
    for name in ("session", "remember_token"):  # each cookie alone, replayed on another device
        replay = app.test_client()
        replay.set_cookie(name, stolen[name])
        assert replay.get("/account/").status_code == 302, name


# --- mail-sending endpoints: limits and constant work -------------------------------


def test_register_sends_at_most_a_few_mails_to_one_address_however_often_it_is_posted(app_factory, make_user, tmp_root):
    from tests.conftest import Outbox

    limited = app_factory(
        RATELIMIT_ENABLED=True, RATELIMIT_MAIL_FORMS="1000 per minute", RATELIMIT_MAIL_PER_ADDRESS="3 per hour"
    )
    make_user("vittima@example.it")
    browser = Browser(limited.test_client())
    html = browser.get("/auth/register").get_data(as_text=True)
    data = {
        "name": "X",
        "email": "vittima@example.it",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "locale": "it",
        "accept_privacy": "y",
        "csrf_token": csrf_token_from(html),
    }
    codes = {browser.client.post("/auth/register", data=data).status_code for _ in range(25)}
    assert codes == {200}  # the same answer every time
    sent = Outbox(tmp_root / "outbox", limited).to("vittima@example.it")
    assert len(sent) == 3, [(m["Subject"], m["Date"]) for m in sent]


@pytest.mark.parametrize("path", ["/auth/register", "/auth/forgot-password", "/auth/confirm"])
def test_every_mail_sending_form_is_rate_limited_per_client(app_factory, path):
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_FORMS="3 per minute")
    browser = Browser(limited.test_client())
    codes = [browser.submit(path, {"email": f"p{n}@example.it"}).status_code for n in range(5)]
    assert 429 in codes and codes[0] != 429


def test_known_and_unknown_addresses_cost_the_same_and_send_nothing_during_the_request(
    app, make_user, browser, outbox, monkeypatch
):
    from portal.auth import services

    make_user("esistente@example.it")
    hashes = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda *a, **k: hashes.append(1) or real_hash(*a, **k))
    for email in ("esistente@example.it", "nuova@example.it"):
        before = len(hashes)
        browser.submit(
            "/auth/register",
            {
                "name": "N",
                "email": email,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "locale": "it",
                "accept_privacy": "y",
            },
        )
        assert len(hashes) - before == 1, email  # one password hash on both paths
    assert list((outbox.folder).glob("*.eml")) == []  # the request only queued the mail
    assert len(outbox.to("esistente@example.it")) == 1 and len(outbox.to("nuova@example.it")) == 1


def test_server_timing_is_not_sent_when_switched_off(app_factory):
    quiet = app_factory(SERVER_TIMING=False)
    assert "Server-Timing" not in quiet.test_client().get("/").headers


# --- the limit counts the visitor behind the proxy, and each account ---------------


def test_behind_the_proxy_each_visitor_has_their_own_budget(app_factory):
    proxied = app_factory(
        RATELIMIT_ENABLED=True,
        TRUSTED_PROXY_HOPS=1,
        RATELIMIT_LOGIN="2 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT="100 per minute",
    )
    client = proxied.test_client()

    def attempt(address, email="x@example.it"):
        html = client.get("/auth/login", headers={"X-Forwarded-For": address}).get_data(as_text=True)
        return client.post(
            "/auth/login",
            headers={"X-Forwarded-For": address},
            data={"email": email, "password": "x", "csrf_token": csrf_token_from(html)},
        ).status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert attempt("203.0.113.2") == 200  # another visitor is not locked out


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_reset_the_budget(app_factory):
    direct = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute")
    browser = Browser(direct.test_client())
    codes = [
        browser.submit(
            "/auth/login", {"email": "x@example.it", "password": "x"}, headers={"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes[-1] == 429


def test_one_account_is_limited_whatever_address_the_attempts_come_from(app_factory):
    proxied = app_factory(
        RATELIMIT_ENABLED=True,
        TRUSTED_PROXY_HOPS=1,
        RATELIMIT_LOGIN="100 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT="3 per hour",
    )
    client = proxied.test_client()
    codes = []
    for n in range(5):
        headers = {"X-Forwarded-For": f"192.0.2.{n}"}
        html = client.get("/auth/login", headers=headers).get_data(as_text=True)
        codes.append(
            client.post(
                "/auth/login",
                headers=headers,
                data={"email": "Target@Example.it", "password": "guess", "csrf_token": csrf_token_from(html)},
            ).status_code
        )
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429


# --- the reset token ------------------------------------------------------------------


def test_the_reset_token_reveals_nothing_of_the_password_hash(app, make_user, browser, outbox):
    make_user("maria@example.it")
    browser.submit("/auth/forgot-password", {"email": "maria@example.it"})
    [message] = outbox.to("maria@example.it")
    token = outbox.link(message, "/auth/reset-password/").rsplit("/", 1)[1]
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    with app.app_context():
        password_hash = db.session.scalar(select(User.password_hash).where(User.email == "maria@example.it"))
    assert payload["pw"] not in password_hash
    assert all(payload["pw"][i : i + 8] not in password_hash for i in range(len(payload["pw"]) - 8))


# --- messages in the user's language ----------------------------------------------


def test_an_invalid_choice_is_explained_in_italian(tenants, coordinators, new_browser):
    asti = _login(new_browser, "coord.asti-est@example.it")
    response = asti.submit(
        "/directory/manage/organisations/new", {**ORG, "kind": "bogus", "ateco_section": "Z", "tenant_ids": ["999999"]}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "valid choice" not in html and "not a valid" not in html.lower()
    assert "Non è una scelta valida" in html or "non è una scelta valida" in html


# --- markup, digest and feeds ------------------------------------------------------------


def test_ids_do_not_survive_sanitising():
    from portal.markup import render_markdown

    html = render_markdown('## Titolo\n\n<h3 id="csrf_token">x</h3><p id="main" name="x">y</p>')
    assert " id=" not in html and " name=" not in html and "Titolo" in html


def test_digest_links_and_feed_ids_do_not_follow_the_request_host(app, tenants, make_user, new_browser, monkeypatch):
    from portal.newsletters.issues import digest_candidates

    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://crocevia.example")
    with app.test_request_context("/", base_url="http://composer-host.example"):
        tenant = db.session.merge(tenants["work-in"])
        from portal.models import NewsPost

        with tenant_scope(tenant):
            db.session.add(
                NewsPost(
                    tenant_id=tenant.id, slug="n", title="Notizia", body_md="x", body_html="x", published_at=utcnow()
                )
            )
            db.session.flush()
            [block] = digest_candidates(tenant, None)
        assert block["url"].startswith("https://crocevia.example/work-in/news/")
        db.session.rollback()
    feeds = [
        app.test_client().get("/work-in/newsletter/feed.atom", base_url=f"http://{host}").get_data(as_text=True)
        for host in ("one.example", "two.example")
    ]
    assert (
        feeds[0] == feeds[1] and "<author>" in feeds[0] and "https://crocevia.example/work-in/newsletter/" in feeds[0]
    )


# --- absurd ids -------------------------------------------------------------------------


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_ids_beyond_the_database_range_are_a_404(client, tenants, number):
    for url in (
        f"/work-in/newsletter/{number}",
        f"/work-in/manage/news/{number}",
        f"/directory/manage/entries/{number}",
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), url  # 302: the login page, for management pages


def test_a_huge_membership_id_in_a_form_is_refused_cleanly(tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = _login(new_browser, "coord@example.it")
    response = coordinator.submit(
        "/work-in/manage/members/remove", {"membership_id": str(2**63)}, page="/work-in/manage/members"
    )
    assert response.status_code == 400


# --- scheduling a newsletter --------------------------------------------------------------


@pytest.fixture
def issue(tenants, make_user, new_browser):
    make_user("coord.workin@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = _login(new_browser, "coord.workin@example.it")
    response = coordinator.submit("/work-in/manage/newsletter/new", {"subject": "Novità", "body": "Testo"})
    return coordinator, int(response.headers["Location"].rstrip("/").split("/")[-1])


def _schedule(coordinator, issue_id, when):
    return coordinator.submit(
        f"/work-in/manage/newsletter/{issue_id}/schedule",
        {"schedule": "1", "when": when},
        page=f"/work-in/manage/newsletter/{issue_id}",
        follow_redirects=True,
    )


def test_a_time_that_is_not_a_time_gets_a_message_not_a_500(issue):
    coordinator, issue_id = issue
    response = _schedule(coordinator, issue_id, "abc")
    assert response.status_code == 200 and "Bozza" in response.get_data(as_text=True)


def test_a_time_in_the_past_is_refused_instead_of_sending_at_once(app, issue):
    from portal.models import Issue

    coordinator, issue_id = issue
    past = (utcnow().astimezone(ROME) - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M")
    response = _schedule(coordinator, issue_id, past)
    assert "già passato" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                select(Issue.status).where(Issue.id == issue_id).execution_options(all_tenants=True)
            ).value
            == "draft"
        )


# --- concurrent saves -----------------------------------------------------------------------


@pytest.fixture
def entry_with_two_editors(app, tenants, make_user, new_browser, coordinators):
    from portal.directory import services

    first = make_user("uno@example.it")
    make_user("due@example.it")
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == "coord.asti-est@example.it"))
        org = services.create_organisation(coordinator, {**ORG, "tenant_ids": [tenants["asti-est"].id]})
        for email in ("uno@example.it", "due@example.it"):
            services.add_editor(coordinator, org, email)
        entry = services.create_entry(
            db.session.get(User, first),
            org,
            "event",
            {
                "title": "Incontro",
                "description": "Testo",
                "comune": "Asti",
                "province": "AT",
                "target_groups": [],
                "tenant_ids": [],
                "starts_at": utcnow() + timedelta(days=3),
            },
        )
        db.session.commit()
        return entry.id, entry.version


def test_twenty_concurrent_saves_give_one_success_and_clean_conflicts(app, new_browser, entry_with_two_editors):
    entry_id, version = entry_with_two_editors
    url = f"/directory/manage/entries/{entry_id}"
    editors = [_login(new_browser, email) for email in ("uno@example.it", "due@example.it")]
    forms = [(editor, csrf_token_from(editor.get(url).get_data(as_text=True))) for editor in editors]
    start = (rome_today() + timedelta(days=4)).isoformat() + "T10:00"
    results, barrier = [], threading.Barrier(20)

    def save(n):
        editor, token = forms[n % 2]
        client = app.test_client()
        client._cookies = editor.client._cookies  # the same signed-in browser, another tab
        barrier.wait()
        response = client.post(
            url,
            data={
                "csrf_token": token,
                "version": str(version),
                "title": f"Versione {n}",
                "description": "Testo",
                "comune": "Asti",
                "province": "AT",
                "starts_at": start,
            },
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 500 not in results and len(results) == 20
    with app.app_context():
        saved = db.session.get(Entry, entry_id)
        assert saved.version == version + 1  # exactly one save went through
    assert results.count(302) >= 1


def test_a_form_posted_without_its_version_cannot_overwrite_a_newer_change(app, new_browser, entry_with_two_editors):
    entry_id, version = entry_with_two_editors
    url = f"/directory/manage/entries/{entry_id}"
    editor = _login(new_browser, "uno@example.it")
    for sent_version in ("", None):
        html = editor.get(url).get_data(as_text=True)
        data = {
            "csrf_token": csrf_token_from(html),
            "title": "Sovrascritto",
            "description": "Testo",
            "comune": "Asti",
            "province": "AT",
            "starts_at": (rome_today() + timedelta(days=4)).isoformat() + "T10:00",
        }
        if sent_version is not None:
            data["version"] = sent_version
        response = editor.client.post(url, data=data, follow_redirects=True)
        assert "altra persona ha salvato il contenuto" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Entry, entry_id).title == "Incontro"


# --- subscribers and unconfirmed people ---------------------------------------------------


def _subscriptions(app, tenant, rows):
    with app.app_context(), tenant_scope(tenant):
        for email, status, age_days in rows:
            db.session.add(
                Subscription(
                    tenant_id=tenant.id,
                    email=email,
                    status=status,
                    consent_at=utcnow() - timedelta(days=age_days),
                    confirmed_at=utcnow() if status == "confirmed" else None,
                    consent_text_version="t",
                    consent_source="web-form",
                )
            )
        db.session.commit()


def test_the_subscriber_export_has_only_confirmed_people_and_no_formulas(app, tenants, make_user, new_browser):
    make_user("coord.workin@example.it", role="coordinator", tenant=tenants["work-in"])
    _subscriptions(
        app,
        tenants["work-in"],
        [
            ('=HYPERLINK("x")@example.it', "confirmed", 1),
            ("pending@example.it", "pending", 1),
            ("left@example.it", "unsubscribed", 1),
        ],
    )
    coordinator = _login(new_browser, "coord.workin@example.it")
    text = coordinator.get("/work-in/manage/newsletter/subscribers.csv").get_data(as_text=True)
    assert "pending@example.it" not in text and "left@example.it" not in text
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_unconfirmed_subscriptions_and_accounts_are_purged_by_a_scheduled_job(app, tenants, make_user):
    from portal.jobs.catalogue import BY_NAME
    from portal.jobs.schedule import run_due

    _subscriptions(
        app,
        tenants["work-in"],
        [("old@example.it", "pending", 8), ("new@example.it", "pending", 1), ("ok@example.it", "confirmed", 30)],
    )
    make_user("never@example.it", confirmed=False)
    with app.app_context():
        db.session.execute(db.update(User).values(created_at=utcnow() - timedelta(days=31)))
        db.session.commit()
        assert BY_NAME["purge-unconfirmed"].every == timedelta(days=1)
        outcomes = {o.name: o for o in run_due()}
        assert outcomes["purge-unconfirmed"].ok
        emails = set(db.session.scalars(select(Subscription.email).execution_options(all_tenants=True)))
        assert emails == {"new@example.it", "ok@example.it"}
        assert db.session.scalar(select(User).where(User.email == "never@example.it")) is None
        assert "purge-unconfirmed" not in {o.name for o in run_due()}  # not due again until tomorrow


def test_coordinators_cannot_give_a_role_to_an_unconfirmed_account(app, tenants, make_user, new_browser):
    make_user("coord.workin@example.it", role="coordinator", tenant=tenants["work-in"])
    make_user("unconfirmed@example.it", confirmed=False)
    coordinator = _login(new_browser, "coord.workin@example.it")
    response = coordinator.submit("/work-in/manage/members", {"email": "unconfirmed@example.it", "role": "member"})
    assert "non ha ancora confermato" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenants["work-in"]):
        assert (
            db.session.scalar(
                select(Membership)
                .join(User, User.id == Membership.user_id)
                .where(User.email == "unconfirmed@example.it")
            )
            is None
        )


def test_queued_mail_is_delivered_once_even_if_two_senders_run(app, tenants, new_browser, outbox):
    from portal.mail import send_mail

    with app.test_request_context():
        for n in range(5):
            send_mail(f"r{n}@example.it", "Oggetto", "Testo")
        db.session.commit()
    threads = [threading.Thread(target=deliver_mail_queue, args=(app,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["To"] for m in outbox.messages()) == [f"r{n}@example.it" for n in range(5)]
