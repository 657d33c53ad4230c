"""The demo data looks like a network in use and breaks no rule: enough entries per project,
real comuni and sector codes, allowances at or above the regional minimum, fictitious
organisations that say so, deadlines spread over the coming months and an archive."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from stdnum.it import iva

from portal.cli.demo_network import FICTITIOUS, TERRITORIES, network
from portal.directory.rules import entry_problems
from portal.extensions import db
from portal.models import Entry, Organisation
from portal.models.directory import Status
from portal.timezone import rome_today
from portal.vocabularies import ateco, internships, places
from portal.vocabularies.people import TARGET_GROUPS


def test_every_project_has_at_least_forty_published_entries_of_every_kind(app, demo_data):
    with app.app_context():
        entries = db.session.scalars(select(Entry).where(Entry.status == Status.PUBLISHED)).all()
        per_project = Counter(t.slug for e in entries for t in e.tenants)
        kinds = {slug: {e.kind for e in entries if slug in {t.slug for t in e.tenants}} for slug in per_project}
    for territory in TERRITORIES:
        assert per_project[territory.slug] >= 40, territory.slug
        assert kinds[territory.slug] == {"opportunity", "training", "event"}


def test_no_demo_entry_breaks_a_rule_and_every_code_is_official(app, demo_data):
    today = rome_today()
    with app.app_context():
        entries = db.session.scalars(select(Entry)).all()
        for entry in entries:
            data = {attr.key: getattr(entry, attr.key) for attr in entry.__mapper__.column_attrs}
            data["opportunity_type"] = (
                entry.opportunity_type.value if getattr(entry, "opportunity_type", None) else None
            )
            assert entry_problems(entry.kind, data, entry.organisation) == {}, entry.title
            comune = places.comune(entry.comune_code)
            assert comune is not None and (comune.name, comune.province) == (entry.comune, entry.province)
            assert set(entry.target_groups) <= set(TARGET_GROUPS), entry.title
            if (
                getattr(entry, "opportunity_type", None)
                and entry.opportunity_type.value in internships.WITH_REGIONAL_MINIMUM
            ):
                minimum = internships.minimum_allowance(comune.region, entry.hours_per_week, bool(entry.meal_vouchers))
                assert entry.monthly_allowance >= minimum.amount, entry.title
        organisations = db.session.scalars(select(Organisation)).all()
        for org in organisations:
            assert ateco.code(org.ateco_code) is not None and places.comune(org.comune_code) is not None
            assert org.fiscal_code and iva.is_valid(org.fiscal_code), org.name
            assert FICTITIOUS in org.description, org.name
    closed = [e for e in entries if not e.is_open(today)]
    months_ahead = {(e.closes_on.year, e.closes_on.month) for e in entries if e.closes_on and e.closes_on > today}
    assert 0 < len(closed) < len(entries) and len(months_ahead) >= 4


def test_the_concluded_project_shows_only_its_past():
    ciao = next(t for t in TERRITORIES if t.slug == "ciao")
    _orgs, entries = network(rome_today())
    dates = [e.fields.get("deadline") or e.fields.get("enrolment_deadline") or e.fields["starts_at"].date()
             for e in entries if e.tenant == "ciao"]  # fmt: skip
    assert dates and all(day <= ciao.ended_on for day in dates)


def test_demo_places_are_only_those_the_seeds_allow():
    """ALICE's seed names no region: its example places are in provinces no other project covers.
    WORK-IN and Vicenza name one comune each; CIAO! the comuni its seed names."""
    by_project = {t.slug: {c.province for c in t.comuni()} for t in TERRITORIES}
    others = set().union(*(p for slug, p in by_project.items() if slug != "alice"))
    assert not by_project["alice"] & others
    assert [c.name for c in next(t for t in TERRITORIES if t.slug == "work-in").comuni()] == ["Civitavecchia"]
    assert {c.name for c in next(t for t in TERRITORIES if t.slug == "ciao").comuni()} == {"Paullo", "Cesano Boscone"}
    _orgs, entries = network(rome_today())
    assert all(t.note in e.fields["description"] for t in TERRITORIES if t.note for e in entries if e.tenant == t.slug)


def test_demo_texts_and_figures_agree_with_each_other():
    from portal.cli.demo_network import GOL_STARTED, SCHEDULES
    from portal.vocabularies.people import CEFR_LEVELS

    orgs, entries = network(rome_today())
    per_session = {timetable: hours for timetable, hours, _per_week in SCHEDULES}
    for entry in entries:
        fields, text = entry.fields, entry.fields["description"]
        assert text.count("tutor") <= 1, text
        if fields.get("programme") == "gol":
            assert fields["deadline"] >= GOL_STARTED, fields["title"]  # GOL began in 2022
        if fields.get("opportunity_type") == "lavoro":
            assert "percorso" not in text, text  # a job is a job, not a pathway
        if entry.kind == "training":
            hours, sessions = fields["total_hours"], fields["sessions"]
            assert sessions == -(-hours // per_session[fields["schedule"]]), fields["title"]
            assert f"{hours} ore in {sessions} incontri" in text
            assert fields["end_date"] > fields["start_date"]
            if fields["italian_level_reached"]:  # an Italian course asks for less than it teaches
                asked = fields.get("italian_level")
                assert asked is None or CEFR_LEVELS.index(asked) < CEFR_LEVELS.index(fields["italian_level_reached"])
    for org in orgs:
        code = org.fields["vat_number"] or org.fields["fiscal_code"]
        assert code[7:10] == org.fields["comune_code"][:3], org.fields["name"]  # the province's tax office
