"""Share and save on detail pages: a share link that works without JavaScript, a print
stylesheet, and the deadline of an opportunity or a course as a calendar file."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from icalendar import Calendar

from portal.extensions import db
from portal.models import User
from portal.timezone import rome_today
from tests.conftest import ROOT
from tests.snapshots import built_once

STATIC = ROOT / "portal" / "static"


@pytest.fixture
@built_once
def entries(app, tenants, make_user):
    """Published in Vicenza by an admin: an internship with a deadline, a course with an enrolment
    deadline, a job with no deadline, and an internship whose deadline has passed."""
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    deadline = rome_today() + timedelta(days=20)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        org = services.create_organisation(admin, {"name": "Associazione Agno", "kind": "third_sector", "comune": "Vicenza",
                                                   "province": "VI", "tenant_ids": [tenants["vicenza"].id]})  # fmt: skip
        common = {"comune": "Vicenza", "comune_code": "024116", "province": "VI", "tenant_ids": [tenants["vicenza"].id],
                  "target_groups": []}  # fmt: skip
        internship = services.create_entry(admin, org, "opportunity", {**common, "title": "Tirocinio in magazzino",
            "description": "Magazzino.", "opportunity_type": "tirocinio_inclusione", "promoter": "Comune di Vicenza",
            "duration_months": 6, "monthly_allowance": 500, "allowance_paid_by": "social_services",
            "how_to_apply": "Scrivere.", "deadline": deadline})  # fmt: skip
        course = services.create_entry(admin, org, "training", {**common, "title": "Italiano per il lavoro",
            "description": "Corso.", "start_date": deadline + timedelta(days=10), "end_date": deadline + timedelta(days=40),
            "enrolment_deadline": deadline, "total_hours": 60, "is_free": True})  # fmt: skip
        job = services.create_entry(admin, org, "opportunity", {**common, "title": "Magazziniere", "description": "Lavoro.",
            "opportunity_type": "lavoro", "contract_type": "determinato"})  # fmt: skip
        db.session.commit()
        return {"internship": internship.slug, "course": course.slug, "job": job.slug, "deadline": deadline,
                "ids": {"internship": internship.id, "course": course.id}}  # fmt: skip


def _calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def test_an_internships_deadline_downloads_as_an_all_day_event_with_a_reminder(app, client, entries):
    page = unescape(client.get(f"/directory/opportunities/{entries['internship']}?lang=en").get_data(as_text=True))
    link = f"/directory/opportunities/{entries['internship']}/deadline.ics"
    assert f'href="{link}"' in page and "Add the deadline to your calendar (.ics)" in page
    events = list(_calendar(client, link + "?lang=en").walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == entries["deadline"] and isinstance(event.decoded("dtstart"), date)
    assert event.decoded("dtend") == entries["deadline"] + timedelta(days=1)  # one whole day
    host = app.config["PUBLIC_URL"].split("//")[1].split("/")[0].split(":")[0]
    assert str(event["uid"]) == f"crocevia-opportunity-{entries['ids']['internship']}-deadline@{host}"
    assert (
        str(event["url"]) == f"{app.config['PUBLIC_URL'].rstrip('/')}/directory/opportunities/{entries['internship']}"
    )
    assert str(event["summary"]) == "Deadline: Tirocinio in magazzino"
    assert str(event["status"]) == "CONFIRMED"
    alarms = list(event.walk("VALARM"))
    assert len(alarms) == 1 and alarms[0].decoded("trigger") < timedelta(0)  # before the day


def test_a_courses_deadline_has_a_uid_of_its_own_beside_the_course(client, entries):
    base = f"/directory/training/{entries['course']}"
    deadline = next(iter(_calendar(client, f"{base}/deadline.ics?lang=it").walk("VEVENT")))
    course = next(iter(_calendar(client, f"{base}/calendar.ics").walk("VEVENT")))
    assert deadline.decoded("dtstart") == entries["deadline"] != course.decoded("dtstart")
    course_id, host = str(course["uid"]).split("@")  # crocevia-training-<id>@<host>
    assert str(deadline["uid"]) == f"{course_id}-deadline@{host}" != str(course["uid"])
    assert str(deadline["summary"]) == "Scadenza delle iscrizioni: Italiano per il lavoro"
    assert str(deadline["url"]) == str(course["url"])


def test_no_deadline_no_calendar_file(client, entries):
    assert client.get(f"/directory/opportunities/{entries['job']}/deadline.ics").status_code == 404
    assert "deadline.ics" not in client.get(f"/directory/opportunities/{entries['job']}").get_data(as_text=True)
    assert client.get("/directory/events/anything/deadline.ics").status_code == 404
    assert client.get("/directory/opportunities/no-such-entry/deadline.ics").status_code == 404


def test_a_withdrawn_entrys_deadline_is_cancelled(app, client, entries, make_user):
    from portal.directory import services
    from portal.models import Entry

    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.email == "admin@example.it"))
        row = db.session.get(Entry, entries["ids"]["internship"])
        services.withdraw_entry(admin, row, row.version)
        db.session.commit()
    event = next(
        iter(_calendar(client, f"/directory/opportunities/{entries['internship']}/deadline.ics").walk("VEVENT"))
    )
    assert str(event["status"]) == "CANCELLED"


def test_the_detail_page_has_a_share_link_that_works_without_javascript_and_a_print_button(app, client, entries):
    html = client.get(f"/directory/opportunities/{entries['internship']}?lang=en").get_data(as_text=True)
    public = f"{app.config['PUBLIC_URL'].rstrip('/')}/directory/opportunities/{entries['internship']}"
    share = re.search(r"<a [^>]*data-share[^>]*>", html)
    assert share is not None and f'href="{public}?lang=en"' in share.group(0)  # a plain link to this page
    assert 'data-share-copied="Link copied' in share.group(0)
    assert 'href="mailto:?subject=' in html and "Send by e-mail" in html
    assert re.search(r"<button [^>]*data-print[^>]*hidden", html)  # shown only by portal.js
    assert 'role="status" data-share-status' in html
    assert "share-save" in html and "d-print-none" in html
    scripts = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>(.*?)</script>", html, re.S)
    assert all(not body.strip() for body in scripts)  # no inline script: the CSP allows only files
    assert re.search(r'src="/static/js/portal\.[0-9a-f]{12}\.js"', html)


def test_portal_js_uses_the_web_share_api_then_the_clipboard():
    script = (STATIC / "js" / "portal.js").read_text("utf-8")
    assert "navigator.share(" in script and "navigator.clipboard.writeText(" in script
    assert "[data-share]" in script and "[data-print]" in script and "window.print()" in script


def test_the_print_stylesheet_hides_the_chrome_and_prints_link_addresses():
    css = (STATIC / "css" / "portal.css").read_text("utf-8")
    block = re.search(r"@media print\s*\{(.*)\}\s*$", css, re.S)
    assert block is not None
    rules = block.group(1)
    hidden = re.search(r"([^{}]+)\{\s*display:\s*none\s*!important;\s*\}", rules)
    assert hidden is not None
    selectors = {s.strip() for s in hidden.group(1).split(",")}
    assert {"header", "nav", "footer", "form", ".share-save"} <= selectors
    assert 'content: " (" attr(href) ")"' in rules
