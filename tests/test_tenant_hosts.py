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
