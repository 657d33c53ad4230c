"""What a visitor sees: the hub, each project's space, its pages and news."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.markup import render_markdown
from portal.models import NewsPost
from portal.models.base import utcnow
from portal.tenancy import tenant_scope

SLUGS = ["asti-est", "alice", "work-in", "ciao", "vicenza"]


def test_hub_presents_the_five_projects(client, tenants):
    html = client.get("/").get_data(as_text=True)
    for name in ("Asti Est", "ALICE", "WORK-IN", "CIAO!", "Accompagnamento all&#39;autonomia"):
        assert name in html
    for slug in SLUGS:
        assert f'href="/{slug}/"' in html


@pytest.mark.parametrize("slug", SLUGS)
def test_each_space_has_home_pages_news_and_branding(client, tenants, slug):
    response = client.get(f"/{slug}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"/{slug}/theme.css" in html and f"/{slug}/assets/logo.svg" in html
    assert client.get(f"/{slug}/theme.css").status_code == 200
    assert client.get(f"/{slug}/assets/logo.svg").status_code == 200
    assert client.get(f"/{slug}/news/").status_code == 200
    menu_links = [part.split('"')[0] for part in html.split(f'href="/{slug}/')[1:]]
    pages = [link for link in menu_links if link and "/" not in link and "." not in link]
    assert pages, "the space's menu lists its pages"
    assert all(client.get(f"/{slug}/{page}").status_code == 200 for page in pages)


def test_space_shows_its_facts_and_partners(client, tenants):
    html = client.get("/work-in/").get_data(as_text=True)
    assert "Alicenova" in html and "Il Cammino" in html and "Civitavecchia" in html
    html = client.get("/ciao/").get_data(as_text=True)
    assert "16 luglio 2020" in html and "A.S.S.E.MI." in html


def _publish_news(app, tenant, count):
    with app.app_context(), tenant_scope(tenant):
        for number in range(count):
            db.session.add(
                NewsPost(
                    tenant_id=tenant.id,
                    slug=f"notizia-{number}",
                    title=f"Notizia numero {number}",
                    body_md="Testo",
                    body_html=render_markdown("Testo"),
                    published_at=utcnow() - timedelta(hours=number),
                )
            )
        db.session.commit()


def test_news_is_paginated_newest_first_and_each_post_has_its_url(client, app, tenants):
    _publish_news(app, tenants["alice"], 13)
    first = client.get("/alice/news/").get_data(as_text=True)
    assert "Notizia numero 0" in first and "Notizia numero 12" not in first
    assert first.index("Notizia numero 0") < first.index("Notizia numero 1<")
    second = client.get("/alice/news/?page=2").get_data(as_text=True)
    assert "Notizia numero 12" in second
    post = client.get("/alice/news/notizia-3")
    assert post.status_code == 200 and "Notizia numero 3" in post.get_data(as_text=True)


def test_one_projects_news_never_shows_in_another_space(client, app, tenants):
    _publish_news(app, tenants["alice"], 2)
    assert "Notizia numero" not in client.get("/ciao/news/").get_data(as_text=True)
    assert client.get("/ciao/news/notizia-1").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/progetto-inesistente/",
        "/alice/pagina-inesistente",
        "/alice/news/nessuna",
        "/a$b/",
        "/%E2%9C%93/",
        "/alice/home",
    ],
)
def test_unknown_tenant_or_page_is_a_friendly_404(client, tenants, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Pagina non trovata" in response.get_data(as_text=True)


def test_every_page_has_skip_link_landmarks_and_footer_statement(client, tenants):
    for url in ("/", "/alice/", "/alice/news/", "/auth/login", "/auth/register", "/info/accessibilita"):
        html = client.get(url).get_data(as_text=True)
        assert html.index('class="skip-link" href="#main"') < html.index("<header")
        assert '<main id="main"' in html and "<footer" in html and "<nav" in html
        # a project's space links to its own statement, every other page to the portal's
        statement = "/alice/accessibilita" if url.startswith("/alice/") else "/info/accessibilita"
        assert f'href="{statement}"' in html


def test_accessibility_statement_and_privacy_exist_in_both_languages(client):
    assert "Dichiarazione di accessibilità" in client.get("/info/accessibilita").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Accessibility statement" in client.get("/info/accessibilita").get_data(as_text=True)
    assert "Privacy policy" in client.get("/info/privacy").get_data(as_text=True)
    assert client.get("/info/other").status_code == 404


def test_form_fields_have_labels(client):
    import re

    for url in ("/auth/login", "/auth/register", "/auth/forgot-password"):
        html = client.get(url).get_data(as_text=True)
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            if field_id in ("csrf_token", "next"):
                continue
            assert f'for="{field_id}"' in html, (url, field_id)
