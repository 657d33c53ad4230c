"""Calendars (RFC 5545), Atom feeds, JSON-LD, sitemap and robots.txt: parsed back with icalendar,
feedparser and json, field by field; what is pending or withdrawn never leaks out."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from icalendar import Calendar

from portal.extensions import db
from portal.models import Entry, User
from portal.timezone import rome_to_utc, rome_today
from tests.snapshots import built_once

NASTY_TEXT = "Café <b>& “virgolette” 😀 " + "lunghissimo " * 400
NASTY = NASTY_TEXT[:200].strip()  # a title as long as the form allows


@pytest.fixture
@built_once
def published(app, tenants, make_user, index):
    """A Vicenza organisation with an event, a course and an internship published by an admin,
    one event waiting for review, and the search index up to date."""
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    make_user("partner.vi@example.it")
    day = rome_today() + timedelta(days=20)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        org = services.create_organisation(admin, {"name": "Associazione Agno & Co.", "kind": "third_sector",
                                                   "comune": "Arzignano", "province": "VI", "email": "info@agno.example", "ateco_code": "94.9",
                                                   "tenant_ids": [tenants["vicenza"].id]})  # fmt: skip
        services.add_editor(admin, org, "partner.vi@example.it")
        common = {
            "comune": "Arzignano",
            "comune_code": "024008",
            "province": "VI",
            "tenant_ids": [tenants["vicenza"].id],
            "target_groups": [],
        }
        start = rome_to_utc(datetime.combine(day, time(15)))
        event = services.create_entry(admin, org, "event", {**common, "title": NASTY, "description": NASTY_TEXT,
                                      "starts_at": start, "ends_at": start + timedelta(hours=2), "venue": "Sala <A>",
                                      "address": "Via Roma 1", "is_free": True})  # fmt: skip
        course = services.create_entry(admin, org, "training", {**common, "title": "Italiano per il lavoro",
                                       "description": "Corso di italiano.", "start_date": day, "schedule": "lun 9-12",
                                       "end_date": day + timedelta(days=30), "total_hours": 60, "is_free": True})  # fmt: skip
        job = services.create_entry(admin, org, "opportunity", {**common, "title": "Tirocinio in magazzino",
                                    "description": "Magazzino.", "opportunity_type": "tirocinio_inclusione",
                                    "promoter": "Comune di Arzignano", "duration_months": 6, "monthly_allowance": 500,
                                    "allowance_paid_by": "social_services", "how_to_apply": "Scrivere.",
                                    "deadline": day})  # fmt: skip
        partner = db.session.scalar(db.select(User).where(User.email == "partner.vi@example.it"))
        pending = services.create_entry(partner, org, "event", {**common, "title": "Evento in attesa",
                                        "description": "Non ancora approvato.", "starts_at": start})  # fmt: skip
        db.session.commit()
        ids = {"event": event.id, "course": course.id, "job": job.id, "pending": pending.id, "admin": admin_id,
               "event_slug": event.slug, "job_slug": job.slug, "course_slug": course.slug, "org_slug": org.slug}  # fmt: skip
    index.sync()
    return ids


def _calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(component["summary"]): component for component in calendar.walk("VEVENT")}


def test_the_network_calendar_carries_events_and_courses_with_every_required_field(app, client, published):
    calendar = _calendar(client, "/directory/calendar.ics")
    assert str(calendar["version"]) == "2.0" and "Crocevia" in str(calendar["prodid"])
    events = _events(calendar)
    assert set(events) == {NASTY, "Italiano per il lavoro"}  # no internship, nothing pending
    event = events[NASTY]
    assert str(event["uid"]) == f"crocevia-event-{published['event']}@127.0.0.1"  # PUBLIC_URL's host
    assert event["dtstart"].dt.utcoffset() == timedelta(0) and event["dtend"].dt > event["dtstart"].dt
    assert event.get("dtstamp") and int(event["sequence"]) >= 0 and str(event["status"]) == "CONFIRMED"
    assert str(event["location"]) == "Sala <A>, Via Roma 1, Arzignano (VI)"
    assert str(event["url"]).endswith(f"/directory/events/{published['event_slug']}")
    assert NASTY_TEXT.strip() in str(event["description"])
    course = events["Italiano per il lavoro"]
    assert course["dtstart"].dt == rome_today() + timedelta(days=20)  # an all-day span
    assert course["dtend"].dt == rome_today() + timedelta(days=51)  # DTEND is exclusive
    assert "lun 9-12" in str(course["description"])


def test_a_calendar_keeps_the_listings_filters(client, published):
    assert set(_events(_calendar(client, "/directory/calendar.ics?kind=event"))) == {NASTY}
    assert set(_events(_calendar(client, "/directory/calendar.ics?province=AT"))) == set()
    assert set(_events(_calendar(client, "/vicenza/calendar.ics?q=italiano"))) == {"Italiano per il lavoro"}
    assert set(_events(_calendar(client, "/asti-est/calendar.ics"))) == set()
    assert set(_events(_calendar(client, "/directory/calendar.ics?kind=opportunity"))) == set()  # none carried


def test_a_change_keeps_the_uid_and_raises_the_sequence_and_a_withdrawal_cancels(app, client, published, index):
    from portal.directory import services

    before = _events(_calendar(client, "/vicenza/calendar.ics"))[NASTY]
    with app.app_context():
        admin = db.session.get(User, published["admin"])
        event = db.session.get(Entry, published["event"])
        services.update_entry(admin, event, {"venue": "Sala grande"}, event.version)
        db.session.commit()
    changed = _events(_calendar(client, "/vicenza/calendar.ics"))[NASTY]
    assert changed["uid"] == before["uid"] and int(changed["sequence"]) > int(before["sequence"])
    assert str(changed["location"]).startswith("Sala grande")
    with app.app_context():
        event = db.session.get(Entry, published["event"])
        services.withdraw_entry(db.session.get(User, published["admin"]), event, event.version)
        db.session.commit()
    index.sync()
    cancelled = _events(_calendar(client, "/vicenza/calendar.ics"))[NASTY]
    assert str(cancelled["status"]) == "CANCELLED" and int(cancelled["sequence"]) > int(changed["sequence"])
    assert client.get(f"/directory/events/{published['event_slug']}").status_code == 404
    assert NASTY not in client.get("/directory/feed.atom").get_data(as_text=True)


def test_each_event_page_links_its_own_calendar_file(client, published):
    page = client.get(f"/directory/events/{published['event_slug']}").get_data(as_text=True)
    link = f"/directory/events/{published['event_slug']}/calendar.ics"
    assert link in page
    assert list(_events(_calendar(client, link))) == [NASTY]
    pending_slug = "evento-in-attesa"
    assert client.get(f"/directory/events/{pending_slug}/calendar.ics").status_code == 404
    assert client.get(f"/directory/opportunities/{published['job_slug']}/calendar.ics").status_code == 404


def test_feeds_parse_back_with_stable_ids_and_no_pending_entries(client, published):
    feed = feedparser.parse(client.get("/directory/feed.atom").data)
    assert not feed.bozo, feed.bozo_exception
    titles = {entry.title: entry for entry in feed.entries}
    assert set(titles) == {NASTY, "Italiano per il lavoro", "Tirocinio in magazzino"}
    job = titles["Tirocinio in magazzino"]
    assert job.id == f"tag:127.0.0.1,2026:opportunity:{published['job']}"
    assert job.link.endswith(f"/directory/opportunities/{published['job_slug']}") and job.updated_parsed
    assert "Associazione Agno & Co." in job.summary
    assert NASTY in titles[NASTY].title
    filtered = feedparser.parse(client.get("/vicenza/feed.atom?kind=opportunity").data)
    assert [entry.title for entry in filtered.entries] == ["Tirocinio in magazzino"]
    assert feedparser.parse(client.get("/asti-est/feed.atom").data).entries == []


def test_a_projects_news_has_its_feed(client, demo_data):
    feed = feedparser.parse(client.get("/vicenza/news/feed.atom").data)
    assert not feed.bozo and feed.entries and all(entry.id.startswith("tag:") for entry in feed.entries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/directory/events/?province=VI", ["/directory/feed.atom?province=VI&kind=event",
                                            "/directory/calendar.ics?province=VI&kind=event"]),
        ("/directory/opportunities/", ["/directory/feed.atom?kind=opportunity"]),
        ("/vicenza/directory/?q=italiano", ["/vicenza/feed.atom?q=italiano", "/vicenza/calendar.ics?q=italiano"]),
        ("/vicenza/", ["/vicenza/feed.atom", "/vicenza/calendar.ics", "/vicenza/news/feed.atom"]),
        ("/vicenza/news/", ["/vicenza/news/feed.atom"]),
        ("/", ["/directory/feed.atom", "/directory/calendar.ics"]),
        ("/directory/", ["/directory/feed.atom", "/directory/calendar.ics"]),
    ],
)  # fmt: skip
def test_pages_advertise_their_feeds_and_calendars_with_their_filters(client, demo_data, url, expected):
    html = client.get(url).get_data(as_text=True)
    links = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"', html)
    assert [href.replace("&amp;", "&") for _type, href in links] == expected
    assert {kind for kind, _href in links} <= {"application/atom+xml", "text/calendar"}


def _json_ld(client, url) -> dict:
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, url
    return json.loads(found.group(1))


def test_detail_pages_describe_themselves_in_json_ld(client, published):
    job = _json_ld(client, f"/directory/opportunities/{published['job_slug']}")
    assert (
        job["@type"] == "JobPosting" and job["employmentType"] == "INTERN" and job["title"] == "Tirocinio in magazzino"
    )
    assert job["hiringOrganization"]["name"] == "Associazione Agno & Co." and job["validThrough"]
    assert job["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 500, "unitText": "MONTH"}
    assert job["jobLocation"]["address"]["addressLocality"] == "Arzignano" and job["datePosted"]
    event = _json_ld(client, f"/directory/events/{published['event_slug']}")
    assert (
        event["@type"] == "Event"
        and event["name"] == NASTY
        and event["startDate"].endswith("+01:00")
        or event["startDate"].endswith("+02:00")
    )
    assert event["eventStatus"] == "https://schema.org/EventScheduled" and event["organizer"]["@type"] == "Organization"
    course = _json_ld(client, f"/directory/training/{published['course_slug']}")
    assert course["@type"] == "Course" and course["hasCourseInstance"]["courseWorkload"] == "PT60H"
    org = _json_ld(client, f"/directory/organisations/{published['org_slug']}")
    assert org["@type"] == "Organization" and org["email"] == "info@agno.example"
    html = client.get(f"/directory/events/{published['event_slug']}").get_data(as_text=True)
    assert "</script><" not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]


SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_the_sitemap_lists_public_pages_in_both_languages_and_nothing_private(client, published):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    urls = {u.findtext("s:loc", namespaces=SITEMAP): u for u in root.findall("s:url", SITEMAP)}
    job_url = next(url for url in urls if url.endswith(f"/directory/opportunities/{published['job_slug']}"))
    alternates = {link.get("hreflang"): link.get("href") for link in urls[job_url].findall("x:link", SITEMAP)}
    assert alternates == {"it": f"{job_url}?lang=it", "en": f"{job_url}?lang=en", "x-default": job_url}
    assert urls[job_url].findtext("s:lastmod", namespaces=SITEMAP)
    assert not [url for url in urls if "evento-in-attesa" in url]
    assert not [url for url in urls if "/manage/" in url or "/moderation/" in url or "/auth/" in url]
    assert any(url.endswith("/vicenza/") for url in urls) and any(url.endswith("/vicenza/news/") for url in urls)
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http" in robots and "Disallow: /directory/manage/" in robots


def test_a_lang_in_the_url_chooses_the_language_of_the_page(client, demo_data):
    assert 'lang="en"' in client.get("/directory/?lang=en").get_data(as_text=True)
    assert 'lang="it"' in client.get("/directory/?lang=it").get_data(as_text=True)
    choice = client.get("/language/it?next=/directory/%3Flang%3Den")
    assert choice.headers["Location"].endswith("/directory/")


def test_a_partner_withdraws_an_entry_from_its_edit_page(app, published, new_browser):
    browser = new_browser().sign_in("partner.vi@example.it")
    page = browser.get(f"/directory/manage/entries/{published['job']}").get_data(as_text=True)
    assert "Ritira questa scheda" in page
    response = browser.submit(f"/directory/manage/entries/{published['job']}/withdraw",
                              {"version": re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)},
                              page=f"/directory/manage/entries/{published['job']}")  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Entry, published["job"]).status.value == "withdrawn"
    again = browser.get(f"/directory/manage/entries/{published['job']}")
    assert again.status_code == 409


def test_every_list_downloads_as_csv_with_its_filters(client, published):
    import csv
    import io

    page = client.get("/directory/opportunities/?province=VI").get_data(as_text=True)
    assert "/directory/opportunities/export.csv?province=VI" in page
    text = client.get("/directory/opportunities/export.csv?province=VI").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["Tipo", "Titolo"] and [r[1] for r in rows[1:]] == ["Tirocinio in magazzino"]
    assert len(list(csv.reader(io.StringIO(client.get("/directory/opportunities/export.csv?province=AT").get_data(
        as_text=True).lstrip("\ufeff"))))) == 1  # fmt: skip
    sliced = client.get("/vicenza/export.csv?kind=training").get_data(as_text=True)
    assert "Italiano per il lavoro" in sliced and "Evento in attesa" not in sliced


def test_a_change_waiting_for_review_leaks_nowhere(app, client, published, new_browser, tenants):
    """A partner proposes a new title for a published entry: until a coordinator approves it,
    no calendar, feed, sitemap, export, dump or API answer shows it."""
    from portal.directory import services

    with app.app_context():
        partner = db.session.scalar(db.select(User).where(User.email == "partner.vi@example.it"))
        course = db.session.get(Entry, published["course"])
        data = {**services.editable_data(course), "title": "Titolo proposto in attesa", "description": "Nuovo testo.",
                "comune": "Arzignano", "comune_code": "024008", "province": "VI", "target_groups": [],
                "tenant_ids": [tenants["vicenza"].id], "start_date": course.start_date}  # fmt: skip
        services.update_entry(partner, course, data, course.version)
        db.session.commit()
        assert db.session.get(Entry, published["course"]).pending_changes
    for url in ("/directory/calendar.ics", "/vicenza/calendar.ics", "/directory/feed.atom", "/vicenza/feed.atom",
                "/sitemap.xml", "/directory/training/export.csv", "/api/v1/training",
                f"/api/v1/training/{published['course']}", "/api/v1/dump.json", "/api/v1/dump/training.csv",
                f"/directory/training/{published['course_slug']}/calendar.ics"):  # fmt: skip
        text = client.get(url).get_data(as_text=True)
        assert "Titolo proposto in attesa" not in text and "Nuovo testo." not in text, url
