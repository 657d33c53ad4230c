"""A project on its own address (tenant.toml `hosts`): what lands where, which links are built
on which host, and that no host ever shows another project's space."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from portal.tenant_hosts import TenantHostError, TenantHosts
from tests.conftest import ROOT, Outbox, csrf_token_from

ALICE_HOST = "alice.example.it"
HUB = "crocevia.example"
PUBLIC_URL = f"https://{HUB}"


def _tenants_with_hosts(folder: Path, **hosts: list[str]) -> Path:
    shutil.copytree(ROOT / "tenants", folder)
    for slug, names in hosts.items():
        toml = folder / slug / "tenant.toml"
        toml.write_text(f"hosts = {names!r}\n".replace("'", '"') + toml.read_text("utf-8"), "utf-8")
    return folder


@pytest.fixture
def hosted_app(app_factory, tenants, tmp_path):
    """The portal with ALICE on alice.example.it, the hub on PUBLIC_URL, hosts restricted."""
    folder = _tenants_with_hosts(tmp_path / "tenants", alice=[ALICE_HOST])
    return app_factory(TENANTS_DIR=str(folder), PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=[HUB])


def _get(app, host: str, path: str, **kwargs):
    return app.test_client().get(path, headers={"Host": host}, **kwargs)


def _links(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.get_data(as_text=True)))


def _canonical(response) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]+)"', response.get_data(as_text=True))
    return found.group(1) if found else None


def test_the_project_host_serves_the_space_at_its_root(hosted_app):
    home = _get(hosted_app, ALICE_HOST, "/")
    assert home.status_code == 200
    assert "ALICE" in home.get_data(as_text=True)
    assert "/news/" in _links(home) and "/alice/news/" not in _links(home)
    assert _canonical(home) == f"https://{ALICE_HOST}/"
    page = _get(hosted_app, ALICE_HOST, "/borse-lavoro")
    assert page.status_code == 200 and _canonical(page) == f"https://{ALICE_HOST}/borse-lavoro"
    assert _get(hosted_app, ALICE_HOST, "/news/").status_code == 200
    assert _get(hosted_app, ALICE_HOST, "/newsletter/").status_code == 200


def test_a_missing_slash_redirects_on_the_project_host_without_the_prefix(hosted_app):
    response = _get(hosted_app, ALICE_HOST, "/news")
    assert response.status_code == 308
    assert response.headers["Location"] in (f"http://{ALICE_HOST}/news/", "/news/")


def test_portal_wide_pages_are_served_on_the_project_host(hosted_app):
    assert _get(hosted_app, ALICE_HOST, "/auth/login").status_code == 200
    assert _get(hosted_app, ALICE_HOST, "/healthz").status_code == 200
    assert _get(hosted_app, ALICE_HOST, "/info/privacy").status_code == 200
    search = _get(hosted_app, ALICE_HOST, "/search?q=tirocinio")
    assert search.status_code == 200
    assert "ALICE" in search.get_data(as_text=True)  # the project's slice, not the network search


def test_no_other_project_is_ever_served_on_a_project_host(hosted_app):
    for path in ("/ciao/", "/work-in/news/", "/asti-est/newsletter/", "/vicenza/chi-siamo", "/alice/"):
        response = _get(hosted_app, ALICE_HOST, path)
        assert response.status_code == 404, path
        assert "CIAO" not in response.get_data(as_text=True).split("<main", 1)[-1], path


def test_links_from_the_project_host_to_the_network_go_to_the_hub(hosted_app):
    links = _links(_get(hosted_app, ALICE_HOST, "/"))
    assert f"{PUBLIC_URL}/" in links  # the network's home
    assert not any(link.startswith("/ciao") for link in links)


def test_the_hub_links_to_the_project_on_its_host_and_still_serves_the_prefix(hosted_app):
    hub = _get(hosted_app, HUB, "/")
    assert f"https://{ALICE_HOST}/" in _links(hub)
    assert "/ciao/" in _links(hub)  # a project without its own host keeps its path
    under_prefix = _get(hosted_app, HUB, "/alice/news/")
    assert under_prefix.status_code == 200
    assert _canonical(under_prefix) == f"https://{ALICE_HOST}/news/"
    assert any(link.startswith("/alice/theme.css") for link in _links(under_prefix))  # same-host stylesheet


def test_an_unknown_host_gets_a_clear_404_and_never_a_space(hosted_app):
    response = _get(hosted_app, "evil.example", "/")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Indirizzo sconosciuto" in body and "Unknown address" in body and PUBLIC_URL in body
    assert "evil.example" in body and "ALICE" not in body
    assert _get(hosted_app, "evil.example", "/alice/").status_code == 404
    assert _get(hosted_app, "<script>.example", "/").get_data(as_text=True).count("<script>") == 0
    assert _get(hosted_app, "10.0.0.5:8000", "/healthz").status_code == 200  # load balancers probe an address


def test_mail_from_the_project_carries_links_on_its_host(hosted_app, tmp_root):
    client = hosted_app.test_client()
    token = csrf_token_from(client.get("/newsletter/", headers={"Host": ALICE_HOST}).get_data(as_text=True))
    form = {"csrf_token": token, "email": "lucia@example.it", "locale": "it", "consent": "y"}
    response = client.post("/newsletter/", data=form, headers={"Host": ALICE_HOST})
    assert response.status_code in (200, 302, 303)
    (message,) = Outbox(tmp_root / "outbox", hosted_app).to("lucia@example.it")
    urls = re.findall(r"https?://\S+", Outbox.text(message))
    assert urls and all(url.startswith(f"https://{ALICE_HOST}/newsletter/") for url in urls), urls


def test_the_project_feed_links_on_its_host(hosted_app):
    feed = _get(hosted_app, HUB, "/alice/newsletter/feed.atom").get_data(as_text=True)
    assert f'href="https://{ALICE_HOST}/newsletter/' in feed


def test_the_page_cache_keeps_hosts_apart(app_factory, tenants, tmp_path):
    folder = _tenants_with_hosts(tmp_path / "tenants", alice=[ALICE_HOST])
    cached = app_factory(TENANTS_DIR=str(folder), PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=[HUB], PAGE_CACHE_SECONDS=60)
    hub_home = _get(cached, HUB, "/").get_data(as_text=True)
    alice_home = _get(cached, ALICE_HOST, "/").get_data(as_text=True)
    assert hub_home != alice_home
    assert _get(cached, HUB, "/").get_data(as_text=True) == hub_home


@pytest.mark.parametrize(
    ("hosts", "reason"),
    [
        ({"alice": ["https://alice.example.it"]}, "is not a host name"),
        ({"alice": ["alice.example.it:8443"]}, "is not a host name"),
        ({"alice": ["Alice.Example.it"]}, "is not a host name"),
        ({"alice": ["shared.example.it"], "ciao": ["shared.example.it"]}, "already the address of"),
        ({"alice": [HUB]}, "PUBLIC_URL's host"),
    ],
)
def test_wrong_hosts_stop_the_start_with_the_reason(tmp_path, hosts, reason):
    folder = _tenants_with_hosts(tmp_path / "tenants", **hosts)
    with pytest.raises(TenantHostError, match=reason):
        TenantHosts.from_folder(folder, PUBLIC_URL)


def test_tenants_sync_refuses_a_hosts_value_that_is_not_a_list(tmp_path):
    from portal.tenant_site.sync import TenantConfigError, read_tenant_folder

    folder = tmp_path / "tenants"
    shutil.copytree(ROOT / "tenants", folder)
    toml = folder / "alice" / "tenant.toml"
    toml.write_text('hosts = "alice.example.it"\n' + toml.read_text("utf-8"), "utf-8")
    with pytest.raises(TenantConfigError, match="hosts must be a list"):
        read_tenant_folder(folder / "alice")


class OnHost:
    """A test client that always sends one Host header, and submits forms with their CSRF token."""

    def __init__(self, app, host: str) -> None:
        self.client, self.host = app.test_client(), host

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers={"Host": self.host}, **kwargs)

    def submit(self, path: str, data: dict, page: str | None = None, method: str = "post"):
        token = csrf_token_from(self.get(page or path).get_data(as_text=True))
        return getattr(self.client, method)(path, data={"csrf_token": token, **data}, headers={"Host": self.host})


def _forms(response) -> set[str]:
    return set(re.findall(r'<form[^>]*action="([^"]+)"', response.get_data(as_text=True)))


def _sign_in(app, host: str, email: str) -> OnHost:
    from portal.auth.services import find_user_by_email

    client = OnHost(app, host)
    with app.app_context():
        identity = find_user_by_email(email).get_id()
    with client.client.session_transaction(base_url=f"http://{host}") as session:
        session["_user_id"] = identity
    return client


def test_managing_the_space_under_its_prefix_on_the_hub_stays_on_the_hub(hosted_app, make_user, tenants):
    make_user("coord@example.it", role="coordinator", tenant=tenants["alice"])
    hub = _sign_in(hosted_app, HUB, "coord@example.it")
    members = hub.get("/alice/manage/members")
    assert members.status_code == 200
    actions = _forms(members)
    assert "/alice/manage/members/remove" in actions
    assert all(action.startswith("/") and not action.startswith("//") for action in actions), actions
    created = hub.submit("/alice/manage/news/new", {"title": "Laboratorio aperto", "body": "Testo della notizia."})
    assert created.status_code in (302, 303)
    assert created.headers["Location"].startswith("/alice/"), created.headers["Location"]
    assert _canonical(hub.get("/alice/news/")) == f"https://{ALICE_HOST}/news/"  # still named there


def test_a_subscription_started_under_the_prefix_returns_to_it_after_sign_in(hosted_app):
    response = OnHost(hosted_app, HUB).submit("/alice/newsletter/subscribe-me", {}, page="/alice/newsletter/")
    assert response.status_code == 302 and "next=/alice/newsletter/" in response.headers["Location"]


def test_accounts_started_on_the_project_host_stay_on_it(hosted_app, tmp_root, make_user):
    alice = OnHost(hosted_app, ALICE_HOST)
    form = {"name": "Nadia Nuova", "email": "nadia@example.it", "password": "correct horse battery",
            "confirm": "correct horse battery", "locale": "it", "accept_privacy": "y"}  # fmt: skip
    assert alice.submit("/auth/register", form).status_code in (200, 302, 303)
    (message,) = Outbox(tmp_root / "outbox", hosted_app).to("nadia@example.it")
    assert re.search(rf"https://{re.escape(ALICE_HOST)}/auth/confirm/\S+", Outbox.text(message))
    assert alice.get("/language/en").headers["Location"] == "/"  # the project's home, on its host
    make_user("anna@example.it")
    signed_in = _sign_in(hosted_app, ALICE_HOST, "anna@example.it")
    assert signed_in.submit("/auth/logout", {}, page="/").headers["Location"] == "/"


def test_status_codes_on_the_project_host_match_the_hub(hosted_app):
    assert hosted_app.test_client().put("/auth/login", headers={"Host": ALICE_HOST}).status_code == 405
    redirect = _get(hosted_app, ALICE_HOST, "/account")
    assert redirect.status_code == 308 and redirect.headers["Location"].endswith("/account/")
    assert _get(hosted_app, ALICE_HOST, "/ciao").status_code == 404  # another project's home: not a redirect to it


@pytest.mark.parametrize("host", ["ALICE.EXAMPLE.IT", "Alice.Example.It", f"{ALICE_HOST}.", "CROCEVIA.EXAMPLE"])
def test_host_names_compare_as_dns_does(hosted_app, host):
    response = _get(hosted_app, host, "/")
    assert response.status_code == 200, host


def test_another_projects_stylesheet_from_a_project_host_is_on_the_hub(hosted_app):
    from flask import url_for

    with hosted_app.test_request_context("/", headers={"Host": ALICE_HOST}):
        hosted_app.preprocess_request()
        assert url_for("tenant_site.theme", tenant="ciao") == f"{PUBLIC_URL}/ciao/theme.css"
        assert url_for("tenant_site.theme", tenant="alice") == "/theme.css"


def test_the_session_cookie_domain_must_cover_every_host(app_factory, tenants, tmp_path):
    folder = _tenants_with_hosts(tmp_path / "tenants", alice=["alice.crocevia.example"])
    with pytest.raises(TenantHostError, match="does not cover"):
        app_factory(TENANTS_DIR=str(_tenants_with_hosts(tmp_path / "other", alice=[ALICE_HOST])),
                    PUBLIC_URL=PUBLIC_URL, SESSION_COOKIE_DOMAIN=HUB)  # fmt: skip
    shared = app_factory(TENANTS_DIR=str(folder), PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=[HUB],
                         SESSION_COOKIE_DOMAIN=f".{HUB}")  # fmt: skip
    response = _get(shared, "alice.crocevia.example", "/newsletter/")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all(
        f"Domain={HUB}" in cookie or "Domain=." in cookie for cookie in cookies if "session=" in cookie
    )


def test_hosts_of_a_folder_that_is_not_a_project_are_ignored(tmp_path):
    folder = _tenants_with_hosts(tmp_path / "tenants", alice=[ALICE_HOST])
    shutil.copytree(folder / "ciao", folder / "auth")
    toml = folder / "auth" / "tenant.toml"
    toml.write_text('hosts = ["auth.example.it"]\n' + toml.read_text("utf-8"), "utf-8")
    assert TenantHosts.from_folder(folder, PUBLIC_URL).by_host == {ALICE_HOST: "alice"}
