"""Issue 13, phone first: what a resident on a phone finds on the search and listing pages, the
project homes and the newsletter page (the browser side is in tests/test_browser_phone_first.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.timezone import rome_today


@pytest.fixture
def demo(indexed_demo):
    return indexed_demo


def _hits(page: str) -> list[str]:
    return re.findall(r'<h[23] class="h5 mb-1"><a href="([^"]+)"', page)


def test_a_misspelt_query_shows_the_corrected_results_and_offers_what_was_typed(client, demo):
    page = client.get("/search?q=tirocinnio").get_data(as_text=True)
    assert "Risultati per <strong>tirocinio</strong>" in page and _hits(page)
    link = re.search(r'cerca invece <a href="([^"]+)">tirocinnio</a>', page)
    assert link and "exact=1" in link.group(1) and "q=tirocinnio" in link.group(1)
    exact = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert not _hits(exact) and "Forse si intendeva" in exact  # what was typed, with the suggestion as a link
    english = client.get("/search?q=tirocinnio&lang=en", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Results for <strong>tirocinio</strong>" in english and "search instead for" in english


def test_a_corrected_page_offers_feeds_exports_and_alerts_of_the_corrected_search(client, demo):
    page = client.get("/search?q=tirocinnio").get_data(as_text=True).replace("&amp;", "&")
    feeds = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
    assert feeds and all("q=tirocinio" in href and "tirocinnio" not in href for href in feeds)
    assert "export.csv?q=tirocinio" in page and "export.csv?q=tirocinnio" not in page
    offer = re.search(r'class="get-alerts"><a[^>]*href="([^"]+)"', page)
    assert offer and "q%3Dtirocinio" in offer.group(1) and "tirocinnio" not in offer.group(1)


def test_a_project_search_corrects_within_its_slice(client, demo):
    page = client.get("/asti-est/search?q=tirocinnio").get_data(as_text=True)
    assert "Risultati per <strong>tirocinio</strong>" in page
    assert _hits(page) and all("/directory/" in href for href in _hits(page))


def test_filters_wait_behind_a_button_that_counts_them(client, demo):
    page = client.get("/directory/opportunities/?opportunity_type=tirocinio&allowance=paid&archive=1")
    html = page.get_data(as_text=True)
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", html, re.S).group(1)
    assert "Filtri" in summary and re.search(r">3<span class=\"visually-hidden\"> filtri attivi", summary)
    assert html.index("<details") < html.index('class="list-unstyled search-results"')  # the button, then results
    assert '<details class="search-filters mb-3" id="filters">' in html  # closed: results first on a phone
    plain = client.get("/directory/opportunities/").get_data(as_text=True)
    assert re.search(r"<summary[^>]*>Filtri</summary>", plain)  # the listing's own kind is not a filter


def test_residents_filter_opportunities_by_type_pay_and_deadline(client, demo):
    html = client.get("/directory/opportunities/").get_data(as_text=True)
    for label in ("Tipo di opportunità", "Indennità o retribuzione", "Tirocinio", "In scadenza", "Entro un mese"):
        assert label in html, label
    internships = _hits(client.get("/directory/opportunities/?opportunity_type=tirocinio").get_data(as_text=True))
    volunteering = _hits(client.get("/directory/opportunities/?opportunity_type=volontariato").get_data(as_text=True))
    assert internships and not set(internships) & set(volunteering)
    unpaid = _hits(client.get("/directory/opportunities/?allowance=unpaid").get_data(as_text=True))
    assert not set(unpaid) & set(internships)  # an internship always pays an allowance in Piedmont and Lazio


def test_events_are_listed_soonest_first_with_their_day_and_hours_in_words(app, client, demo, index):
    from portal.extensions import db
    from portal.models.directory import Event, Status

    with app.app_context():
        events = db.session.scalars(
            db.select(Event).where(Event.status == Status.PUBLISHED, Event.starts_at.is_not(None))
        ).all()
        soon = min(events, key=lambda e: e.starts_at)
        start = datetime.combine(rome_today() + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=15)
        soon.starts_at, soon.ends_at = start, start + timedelta(hours=2)
        soon.closes_on = soon.compute_closes_on()
        slug = soon.slug
        db.session.commit()
    index.rebuild()
    html = client.get("/directory/events/").get_data(as_text=True)
    assert 'value="deadline" selected' in html and "Data (prima le più vicine)" in html
    assert _hits(html)[0].endswith(slug)
    when = re.search(r'<span class="event-when">([^<]+)</span>', html).group(1)
    assert re.fullmatch(r"\w+ \d{1,2} \w+ \d{4}, 16:00–18:00", when), when  # "mercoledì 2 dicembre 2026, 16:00–18:00"
    assert ":00:00" not in html and "CET" not in html


def test_a_project_home_shows_its_open_opportunities_courses_and_next_events(client, demo):
    html = client.get("/asti-est/").get_data(as_text=True)
    for title in ("Opportunità aperte", "Corsi aperti", "Prossimi eventi"):
        assert title in html, title
    for kind in ("opportunity", "training", "event"):
        section = re.search(rf'id="home-{kind}">(.*?)</section>', html, re.S).group(1)
        assert f'href="/asti-est/search?kind={kind}"' in section  # the full list
        assert len(_hits(section)) <= 3
    assert _hits(re.search(r'id="home-opportunity">(.*?)</section>', html, re.S).group(1))


def test_the_header_holds_language_and_account_in_the_mobile_menu(client, demo):
    html = client.get("/").get_data(as_text=True)
    menu = re.search(r'<div class="mobile-menu-extras">(.*?)</div>\s*</div>\s*</div>\s*</nav>', html, re.S).group(1)
    assert "English" in menu and "Accedi" in menu and "Registrati" in menu
    assert 'data-bs-target="#main-nav"' in html


def test_the_newsletter_page_says_what_it_contains_and_is_not_offered_again_once_subscribed(
    client, tenants, make_user, signed_in
):
    page = client.get("/vicenza/newsletter/").get_data(as_text=True)  # a running project (CIAO! has ended)
    assert "Che cosa contiene: le notizie di" in page and "Con quale frequenza:" in page
    assert "senza una cadenza fissa" in page and 'name="email"' in page
    make_user("amina@example.it")
    amina = signed_in("amina@example.it")
    amina.submit("/vicenza/newsletter/subscribe-me", {}, page="/vicenza/newsletter/")
    again = amina.get("/vicenza/newsletter/").get_data(as_text=True)
    assert "amina@example.it" in again and 'name="email"' not in again and "Iscriviti con un clic" not in again
