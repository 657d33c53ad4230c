"""Upgrading an installation to the domain model (migration 0006) loses nothing: old values are
mapped to the official vocabularies where the mapping is certain, and everything else is kept
for the row's editors as "to be completed"."""

from __future__ import annotations

import json
import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from portal import create_app
from portal.extensions import db
from tests.conftest import PG_SCHEMA, load_migration, make_config

NOW = "2026-11-01 10:00:00"


@pytest.fixture
def old_database(tmp_path):
    """A database of its own, migrated to the revision before the domain model."""
    url = os.environ.get("TEST_DATABASE_URL")
    schema = f"{PG_SCHEMA}_upgrade"
    if url and url.startswith("postgres"):
        admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema},public"
    else:
        url, admin = f"sqlite:///{tmp_path / 'old.sqlite3'}", None
    app = create_app(make_config(tmp_path, url))
    with app.app_context():
        upgrade(revision="0005_postgres_search")
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def _insert(table: str, **values) -> None:
    columns = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    db.session.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def _common(**values):
    return {"status": "published", "rejection_reason": "", "version": 1, "created_at": NOW, "updated_at": NOW,
            **values}  # fmt: skip


def test_old_rows_are_mapped_or_kept_to_be_completed(old_database):
    for number, (kind, section, comune, code) in enumerate([
        ("company", "K", "asti", "00743110157"),  # finance: K in 2007, L in 2025; comune typed in lower case
        ("cooperative", "J", "Asti", "00743110157"),  # J was split; a cooperative of unknown type; duplicate code
        ("association", "Q", "Astii", ""),  # a misspelt comune
    ], start=1):  # fmt: skip
        _insert("organisation", **_common(id=number, slug=f"org-{number}", name=f"Org {number}", kind=kind,
                legal_form="", vat_number="", fiscal_code=code, ateco_section=section, address="", comune=comune,
                province="AT", website="", email="", phone="", description="", hosts_interns=False,
                intern_places=0))  # fmt: skip
    pending = {"duration": "3 mesi", "target_groups": ["rifugiati"], "title": "Nuovo titolo"}
    for number, (kind, duration, allowance, targets) in enumerate([
        ("tirocinio_inclusione", "6 mesi", "600 € al mese", ["giovani", "donne"]),
        ("tirocinio_extracurricolare", "sei mesi circa", "da concordare", ["sostegno-reddito"]),
    ], start=1):  # fmt: skip
        _insert("entry", **_common(id=number, kind="opportunity", slug=f"e-{number}", organisation_id=1,
                title=f"Entry {number}", description="x", address="", comune="Asti", province="AT",
                target_groups=json.dumps(targets), opportunity_type=kind, duration=duration, allowance=allowance,
                pending_changes=json.dumps(pending) if number == 2 else None))  # fmt: skip
    db.session.commit()

    upgrade()

    orgs = {r.id: r for r in db.session.execute(text("SELECT * FROM organisation ORDER BY id"))}
    assert (orgs[1].ateco_code, orgs[1].kind, orgs[1].comune, orgs[1].comune_code) == ("L", "company", "Asti", "005005")
    assert orgs[1].fiscal_code == "00743110157" and orgs[1].to_complete is None
    notes2 = _json(orgs[2].to_complete)
    assert orgs[2].ateco_code == "" and orgs[2].kind == "other" and orgs[2].fiscal_code == ""
    assert notes2 == {"ateco_code": "ATECO 2007 J", "kind": "cooperative",
                      "fiscal_code": "duplicate:00743110157"}  # fmt: skip
    assert orgs[3].ateco_code == "R" and _json(orgs[3].to_complete) == {"kind": "association", "comune": "Astii"}

    entries = {r.id: r for r in db.session.execute(text("SELECT * FROM entry ORDER BY id"))}
    assert set(entries) == {1, 2}, entries
    first, second = entries[1], entries[2]
    assert (first.duration_months, first.monthly_allowance, first.opportunity_type) == (6, 600, "tirocinio_inclusione")
    # "young people" had no age range, "women" no equivalent: both wait for the editors
    assert _json(first.target_groups) == [] and _json(first.to_complete) == {"target_groups": "giovani, donne"}
    assert second.opportunity_type is None and _json(second.target_groups) == []
    assert _json(second.to_complete) == {"opportunity_type": "tirocinio_extracurricolare", "target_groups": "sostegno-reddito",
                                         "duration_months": "sei mesi circa", "monthly_allowance": "da concordare"}  # fmt: skip
    assert _json(second.pending_changes) == {"duration_months": 3, "target_groups": [],
                                             "title": "Nuovo titolo"}  # fmt: skip


def test_old_codes_are_compacted_and_one_body_keeps_one_number(old_database):
    for number, (fiscal, vat) in enumerate([
        ("00743110157", ""), ("", "00743110157"),  # the same body, as fiscal code then as VAT number
        ("rssmra85t10a562s", ""), ("RSSMRA85T10A562S", ""),  # a person's code, in lower case then upper
    ], start=1):  # fmt: skip
        _insert("organisation", **_common(id=number, slug=f"org-{number}", name=f"Org {number}", kind="company",
                legal_form="", vat_number=vat, fiscal_code=fiscal, ateco_section="", address="", comune="Asti",
                province="AT", website="", email="", phone="", description="", hosts_interns=False,
                intern_places=0))  # fmt: skip
    db.session.commit()
    upgrade()
    orgs = {r.id: r for r in db.session.execute(text("SELECT * FROM organisation ORDER BY id"))}
    assert (orgs[1].fiscal_code, orgs[2].vat_number, orgs[3].fiscal_code) == ("00743110157", "", "RSSMRA85T10A562S")
    assert _json(orgs[2].to_complete) == {"vat_number": "duplicate:00743110157"}
    assert orgs[4].fiscal_code == "" and _json(orgs[4].to_complete) == {"fiscal_code": "duplicate:RSSMRA85T10A562S"}


def test_the_editor_sees_what_is_left_to_complete_and_it_goes_once_saved(old_database):
    """The same upgraded rows, read through the portal."""
    from portal.directory.services import _completed, editable_data
    from portal.directory.template_helpers import to_complete_items
    from portal.models import Organisation

    _insert("organisation", **_common(id=1, slug="org-1", name="Org 1", kind="cooperative", legal_form="",
            vat_number="", fiscal_code="", ateco_section="J", address="", comune="Asti", province="AT", website="",
            email="", phone="", description="", hosts_interns=False, intern_places=0))  # fmt: skip
    db.session.commit()
    upgrade()
    org = db.session.get(Organisation, 1)
    assert org.to_complete == {"ateco_code": "ATECO 2007 J", "kind": "cooperative"}
    assert editable_data(org)["kind"] == ""  # the stand-in "other" is not offered as the answer
    assert ("Tipo di organizzazione", "cooperativa (tipo non indicato)") in _in_italian(to_complete_items, org)
    _completed(org, {"ateco_code": "62.1", "kind": ""})
    assert org.to_complete == {"kind": "cooperative"}  # only what was given a value is done
    page = old_database.test_client().get("/directory/organisations/org-1?lang=it").get_data(as_text=True)
    assert "Altra organizzazione" not in page  # the stand-in is not shown to the public as a fact


def test_a_note_on_a_field_the_new_type_does_not_use_goes_with_it(old_database):
    from portal.directory.services import _apply
    from portal.models import Opportunity

    _insert("organisation", **_common(id=1, slug="org-1", name="Org 1", kind="company", legal_form="",
            vat_number="", fiscal_code="", ateco_section="", address="", comune="Asti", province="AT", website="",
            email="", phone="", description="", hosts_interns=False, intern_places=0))  # fmt: skip
    _insert("entry", **_common(id=1, kind="opportunity", slug="e-1", organisation_id=1, title="Entry", description="x",
            address="", comune="Asti", province="AT", target_groups="[]", opportunity_type="tirocinio_inclusione",
            duration="sei mesi circa", allowance="da concordare"))  # fmt: skip
    db.session.commit()
    upgrade()
    entry = db.session.get(Opportunity, 1)
    assert set(entry.to_complete) == {"duration_months", "monthly_allowance"}
    _apply(entry, {"opportunity_type": "volontariato", "duration_months": None, "monthly_allowance": None})
    assert entry.to_complete == {"duration_months": "sei mesi circa"}  # volunteering has a duration, no allowance


def _in_italian(helper, row):
    from flask_babel import force_locale

    with force_locale("it"):
        return helper(row)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _migration_module():
    return load_migration("0006_domain_model.py")


@pytest.mark.parametrize(("old", "months"), [
    ("6 mesi", 6), ("12 Mesi", 12), ("1 mese", 1), (" 3 mesi ", 3),
    ("3-6 mesi", None), ("100 mesi", None), ("0 mesi", None), ("sei mesi", None), ("6 mesi rinnovabili", None),
    ("36 mesi", None), ("24 mesi", 24),
])  # fmt: skip
def test_old_durations_convert_only_when_they_say_one_thing(old, months):
    assert _migration_module()._months(old) == months


@pytest.mark.parametrize(("old", "euros"), [
    ("600 € al mese", 600), ("1.200 €", 1200), ("€ 800", 800), ("800,00 euro lordi", 800), ("500 euro mensili", 500),
    ("450", 450), ("800,50 €", None), ("12.000 € annui", None), ("tra 400 e 600 euro", None), ("400-600 €", None),
    ("0 €", None), ("da concordare", None), ("50.000 €", None), ("300 € netti", None), ("1.200 € netti al mese", None),
    ("10.000 €", None), ("5", None),
])  # fmt: skip
def test_old_allowances_convert_only_when_they_say_one_thing(old, euros):
    assert _migration_module()._euros(old) == euros
