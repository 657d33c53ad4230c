"""The life of an entry, told by mail: approval and rejection to the partner who submitted it,
a reminder to its editors a week before the deadline (once per deadline), and one daily digest
per coordinator of what waits for review, which each coordinator can turn off."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Entry, User
from portal.timezone import rome_today
from tests.conftest import Outbox
from tests.test_directory import INTERNSHIP, _entry, _future, _login, _publish_internship

PARTNER = "partner.asti-est@example.it"
COORDINATOR = "coord.asti-est@example.it"


def _review(new_browser, app, decision: dict):
    entry = _entry(app)
    coordinator = _login(new_browser, COORDINATOR)
    return coordinator.submit(f"/directory/moderation/entries/{entry.id}", decision, page="/directory/moderation/")


def test_the_partner_is_told_when_their_submission_is_approved(app, network, new_browser, outbox):
    _publish_internship(new_browser, network)
    assert outbox.to(PARTNER) == []  # submitting sends nothing to the partner
    assert _review(new_browser, app, {"approve": "1"}).status_code == 302
    [mail] = outbox.to(PARTNER)
    assert mail["Subject"] == f"Pubblicata: {INTERNSHIP['title']}"
    assert f"/directory/opportunities/{_entry(app).slug}" in Outbox.text(mail)


def test_the_partner_is_told_when_it_is_rejected_with_the_reason_in_their_language(app, network, new_browser, outbox):
    with app.app_context():
        db.session.execute(update(User).where(User.email == PARTNER).values(locale="en"))
        db.session.commit()
    _publish_internship(new_browser, network)
    _review(new_browser, app, {"reject": "1", "reason": "Manca l'indirizzo dello sportello."})
    [mail] = outbox.to(PARTNER)
    assert mail["Subject"] == f"Not approved: {INTERNSHIP['title']}"
    text = Outbox.text(mail)
    assert "Manca l'indirizzo dello sportello." in text and "/directory/manage/entries/" in text


def test_editors_are_reminded_a_week_before_the_deadline_once_per_deadline(app, network, new_browser, outbox):
    from portal.directory.notifications import send_deadline_reminders

    _publish_internship(new_browser, network, {"deadline": _future(7)})
    _review(new_browser, app, {"approve": "1"})
    today = rome_today()
    with app.app_context():
        assert send_deadline_reminders(today - timedelta(days=1)) == 0  # eight days ahead: not yet
        assert send_deadline_reminders(today) == 1
        assert send_deadline_reminders(today) == 0  # twice the same day: once
        db.session.commit()
    reminders = [m for m in outbox.to(PARTNER) if m["Subject"].startswith("Tra una settimana")]
    assert len(reminders) == 1 and "/directory/manage/entries/" in Outbox.text(reminders[0])
    with app.app_context():  # the deadline moves: a new reminder a week before the new date
        db.session.execute(update(Entry).values(closes_on=today + timedelta(days=14)))
        db.session.commit()
        assert send_deadline_reminders(today + timedelta(days=7)) == 1
        db.session.commit()


def test_coordinators_get_one_digest_of_what_waits_and_can_turn_it_off(app, network, new_browser, outbox):
    from portal.directory.notifications import send_review_digests

    _publish_internship(new_browser, network)
    _publish_internship(new_browser, network, {"title": "Secondo tirocinio in attesa"})
    with app.app_context():
        assert send_review_digests() == 1  # Asti's coordinator; Vicenza's has nothing waiting
        db.session.commit()
    [digest] = outbox.to(COORDINATOR)
    assert digest["Subject"] == "In attesa della sua revisione: 2"
    assert "/directory/moderation/" in Outbox.text(digest)
    assert outbox.to("coord.vicenza@example.it") == []

    coordinator = _login(new_browser, COORDINATOR)
    page = coordinator.get("/account/").get_data(as_text=True)
    assert "riepilogo di ciò che attende la mia revisione" in page
    coordinator.submit("/account/", {"name": "Coordinatrice Asti", "locale": "it"})  # the box left unticked
    with app.app_context():
        assert db.session.scalar(select(User.review_digest).where(User.email == COORDINATOR)) is False
        assert send_review_digests() == 0


def test_the_setting_is_not_offered_to_people_who_review_nothing(app, network, new_browser):
    partner = _login(new_browser, PARTNER)
    assert "riepilogo" not in partner.get("/account/").get_data(as_text=True)
    partner.submit("/account/", {"name": "Partner", "locale": "it"})
    with app.app_context():
        assert db.session.scalar(select(User.review_digest).where(User.email == PARTNER)) is True


def test_the_daily_job_sends_both(app, network, new_browser, outbox):
    from portal.jobs.catalogue import BY_NAME

    _publish_internship(new_browser, network)
    with app.app_context():
        summary = BY_NAME["entry-notices"].function()()
        db.session.commit()
    assert summary == "0 deadline reminders, 1 review digests"
    assert BY_NAME["entry-notices"].every == timedelta(days=1)


def test_the_management_home_shows_how_many_wait_for_review(app, network, new_browser):
    _publish_internship(new_browser, network)
    _publish_internship(new_browser, network, {"title": "Secondo tirocinio in attesa"})
    page = _login(new_browser, COORDINATOR).get("/directory/manage/").get_data(as_text=True)
    assert "Schede da rivedere" in page and "2 in attesa" in page
    assert "in attesa</span>" not in _login(new_browser, PARTNER).get("/directory/manage/").get_data(as_text=True)
