"""The way to national services: the data says, for every province the projects cover, where to
make the DID and find the Centri per l'Impiego; entry pages and project home pages show the steps
that apply to their readers."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest

from portal.directory.next_steps import for_entry, project_provinces
from portal.extensions import db
from portal.models import User
from portal.timezone import rome_today
from portal.vocabularies import national_services, places
from portal.vocabularies.national_services import NationalServicesError, catalogue, is_https_url
from tests.snapshots import built_once

REGION_FILE = """
region = "Veneto"
[[portal]]
name = { it = "Portale", en = "Portal" }
url = "https://www.example.it/"
source = "https://www.example.it/"
checked_on = 2026-12-01
to_verify = true
[provinces.VI]
name = "Vicenza"
[[provinces.VI.cpi]]
name = { it = "Centri", en = "Centres" }
url = "https://www.example.it/cpi"
source = "https://www.example.it/"
checked_on = 2026-12-01
to_verify = true
"""


def covered_provinces(tenants) -> dict[str, set[str]]:
    """Province -> who covers it: each project's tenant.toml ([facts] provinces and the comuni of
    its zones) and the places of the demo data (ALICE's are examples in other regions)."""
    from portal.cli.demo_network import TERRITORIES

    covered: dict[str, set[str]] = {}
    for slug, tenant in tenants.items():
        for code in project_provinces(tenant.facts):
            covered.setdefault(code, set()).add(f"{slug} tenant.toml")
    for territory in TERRITORIES:
        for comune in territory.comuni():
            covered.setdefault(comune.province, set()).add(f"{territory.slug} demo data")
    return covered


def test_every_province_the_projects_cover_has_its_job_centres_and_regional_portal(app, demo_data):
    from portal.models import Entry, Organisation

    covered = covered_provinces(demo_data)
    with app.app_context():  # and what the loaded demo network holds
        for model in (Entry, Organisation):
            for code in db.session.scalars(db.select(model.province).distinct()):
                covered.setdefault(code, set()).add(f"demo {model.__tablename__}")
    assert {"AT", "MI", "RM", "VI"} <= set(covered)  # what the five tenant.toml name, at least
    data = catalogue()
    missing = {code: who for code, who in covered.items() if data.province(code) is None}
    assert not missing, f"no national_services data for these provinces: {missing}"
    for code in covered:
        region = data.region_of(code)
        assert region is not None and region.name == places.region_of(code)
        assert region.portal and region.provinces[code].cpi
        assert region.provinces[code].name == places.provinces()[code]


def test_every_fact_is_an_https_link_with_its_source_and_the_day_it_was_checked():
    facts = catalogue().facts()
    assert len(facts) >= len(national_services.NATIONAL_KEYS) + 2 * len(catalogue().regions)
    for where, fact in facts:
        for url in (fact.url, fact.source):
            parts = urlsplit(url)
            assert parts.scheme == "https" and parts.hostname and "." in parts.hostname, where
            assert url == url.strip() and " " not in url, where
        assert isinstance(fact.checked_on, date) and date(2026, 1, 1) <= fact.checked_on <= rome_today(), where
        assert isinstance(fact.to_verify, bool), where
        assert fact.name["it"].strip() and fact.name["en"].strip(), where


def test_no_phone_number_or_street_address_is_written_in_the_data():
    text = "\n".join(p.read_text("utf-8") for p in national_services.DATA.glob("*.toml"))
    assert "tel:" not in text and "Via " not in text and "Piazza " not in text
    assert "RE-VERIFIED BEFORE PRODUCTION" in text  # each file says its links wait for a check


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (REGION_FILE.replace('url = "https://www.example.it/cpi"\n', ""), "VI.cpi[1]: missing key 'url'"),
        (REGION_FILE.replace("checked_on = 2026-12-01\nto_verify = true\n[provinces", "to_verify = true\n[provinces"),
         "portal[1]: missing key 'checked_on'"),
        (REGION_FILE.replace('source = "https://www.example.it/"\nchecked_on = 2026-12-01\nto_verify = true\n[prov',
                             'checked_on = 2026-12-01\nto_verify = true\n[prov'), "missing key 'source'"),
        (REGION_FILE.replace("https://www.example.it/cpi", "http://www.example.it/cpi"), "'url' is not an https URL"),
        (REGION_FILE.replace('en = "Centres"', 'fr = "Centres"'), "VI.cpi[1].name: missing key 'en'"),
        (REGION_FILE.replace("[provinces.VI]", "[provinces.AT]").replace("provinces.VI.cpi", "provinces.AT.cpi"),
         "provinces.AT: not a province of Veneto"),
        (REGION_FILE.replace('region = "Veneto"', 'region = "Venezia"'), "is not a region"),
        (REGION_FILE.replace('checked_on = 2026-12-01', 'checked_on = "ieri"'), "'checked_on' is malformed"),
    ],
)  # fmt: skip
def test_a_file_with_a_missing_or_bad_key_is_refused_naming_the_file_and_key(broken, message):
    with pytest.raises(NationalServicesError, match=message.replace("[", r"\[").replace("]", r"\]")) as error:
        national_services.parse_region(broken, "veneto.toml")
    assert str(error.value).startswith("veneto.toml")
    assert national_services.parse_region(REGION_FILE, "veneto.toml").provinces["VI"].cpi[0].url.endswith("/cpi")


def test_the_national_file_must_have_every_national_fact(tmp_path):
    text = (national_services.DATA / "national.toml").read_text("utf-8")
    without_gol = text.split("[facts.gol]")[0]
    with pytest.raises(NationalServicesError, match="missing key 'facts.gol'"):
        national_services.parse_national(without_gol)
    (tmp_path / "national.toml").write_text(text, "utf-8")
    (tmp_path / "veneto.toml").write_text(REGION_FILE.replace("https://www.example.it/cpi", "ftp://x"), "utf-8")
    with pytest.raises(NationalServicesError, match="veneto.toml"):
        national_services.load(tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.inps.it/",
        "https://",
        "https:// www.inps.it/",
        "www.inps.it",
        "https://user:pw@www.inps.it/",
        "javascript:alert(1)",
        "https://localhost/",
    ],
)
def test_malformed_urls_are_refused(url):
    assert not is_https_url(url)


@pytest.fixture
@built_once
def opportunities(app, tenants, make_user):
    """Published by an admin in Asti: an internship under Garanzia Giovani for ADI/SFL recipients,
    a volunteering role, a job in a province no project covers; and a course needing the DID."""
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    deadline = rome_today() + timedelta(days=20)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        org = services.create_organisation(admin, {"name": "Officina Tanaro", "kind": "company", "comune": "Asti",
                                                   "province": "AT", "tenant_ids": [tenants["asti-est"].id]})  # fmt: skip
        common = {"comune": "Asti", "comune_code": "005005", "province": "AT", "tenant_ids": [tenants["asti-est"].id]}
        internship = services.create_entry(admin, org, "opportunity", {**common, "title": "Tirocinio in officina",
            "description": "Officina meccanica.", "opportunity_type": "tirocinio_formativo", "programme": "garanzia_giovani",
            "promoter": "Centro per l'Impiego", "duration_months": 6, "monthly_allowance": 600, "hours_per_week": 40,
            "allowance_paid_by": "programme", "how_to_apply": "Scrivere.", "deadline": deadline,
            "target_groups": ["adi-sfl"]})  # fmt: skip
        volunteering = services.create_entry(admin, org, "opportunity", {**common, "title": "Volontariato in biblioteca",
            "description": "Letture.", "opportunity_type": "volontariato", "target_groups": []})  # fmt: skip
        job = services.create_entry(admin, org, "opportunity", {"comune": "Cagliari", "province": "CA",
            "tenant_ids": [tenants["asti-est"].id], "title": "Magazziniere", "description": "Magazzino.",
            "opportunity_type": "lavoro", "contract_type": "determinato", "target_groups": []})  # fmt: skip
        db.session.commit()
        return {"internship": internship.slug, "volunteering": volunteering.slug, "job": job.slug}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def test_an_internship_page_shows_the_did_the_job_centres_of_asti_garanzia_giovani_siisl_and_the_rules(
    client, opportunities
):
    html = _page(client, f"/directory/opportunities/{opportunities['internship']}?lang=it")
    data = catalogue()
    assert "Prossimi passi fuori dal portale" in html
    assert "dichiarazione di immediata disponibilità" in html
    for fact in (data.national["did"], data.national["garanzia_giovani"], data.national["siisl"],
                 data.national["inps"], *data.province("AT").cpi, *data.region_of("AT").portal):  # fmt: skip
        assert f'href="{fact.url}"' in html and fact.name["it"] in html
    assert "provincia di Asti" in html
    assert "D.G.R. n. 85-6277 del 22 dicembre 2017" in html  # Piemonte, from internship_minimums.toml
    assert "GOL –" not in html  # not the programme this internship names

    english = _page(client, f"/directory/opportunities/{opportunities['internship']}?lang=en")
    assert "Next steps outside the portal" in english and data.national["did"].name["en"] in english
    assert "province of Asti" in english and "Garanzia Giovani (Youth Guarantee)" in english


def test_volunteering_has_no_next_steps_and_a_job_where_no_data_is_says_to_ask_the_region(client, opportunities):
    assert "Next steps outside the portal" not in _page(
        client, f"/directory/opportunities/{opportunities['volunteering']}?lang=en"
    )
    html = _page(client, f"/directory/opportunities/{opportunities['job']}?lang=en")
    assert "Declare that you are available for work (DID)" in html
    assert "Your region's website lists the Centri per l'Impiego of each province." in html
    assert "Rules for internships" not in html and "SIISL –" in html  # the DID link, not the ADI/SFL block
    assert "If you receive the Assegno di inclusione" not in html


def test_the_steps_follow_the_entry_not_a_fixed_list(app, tenants):
    from portal.models import Opportunity, TrainingOffer

    with app.app_context():
        inclusion = Opportunity(opportunity_type="tirocinio_inclusione", province="VI", target_groups=["adi-sfl"])
        steps = for_entry(inclusion)
        assert not steps.did and steps.siisl and steps.inclusion_internship and not steps.internship_rules
        course = TrainingOffer(province="BA", target_groups=[], did_required=True)
        steps = for_entry(course)
        assert [o.code for o in steps.offices] == ["BA"] and not steps.siisl and not steps.programmes
        gol_job = Opportunity(opportunity_type="lavoro", programme="gol", province="ZZ", target_groups=[])
        steps = for_entry(gol_job)
        assert steps.offices_unknown and [p for p, _fact in steps.programmes] == ["gol"]
        rules = for_entry(Opportunity(opportunity_type="tirocinio_inserimento", province="BO", target_groups=[]))
        assert rules.internship_rules[0].region is None  # Emilia-Romagna not in the table: national rule


def test_each_project_home_explains_the_way_to_national_services_for_its_provinces(client, tenants):
    data = catalogue()
    for slug, tenant in tenants.items():
        html = _page(client, f"/{slug}/?lang=it")
        assert "Prossimi passi fuori dal portale" in html, slug
        for key in ("did", "siisl", "garanzia_giovani", "gol"):
            assert f'href="{data.national[key].url}"' in html, (slug, key)
        provinces = project_provinces(tenant.facts)
        for code in provinces:
            assert f"provincia di {data.province(code).name}" in html, (slug, code)
            for fact in data.province(code).cpi:
                assert f'href="{fact.url}"' in html, (slug, code)
        if not provinces:  # ALICE: its seed names no region
            assert "Il sito della propria Regione" in html or "sito della Regione" in html, slug
    assert "D.G.R. n. 533 del 9 agosto 2017" in _page(client, "/work-in/?lang=it")  # Lazio's act
    assert "D.G.R. n. 1816 del 7 novembre 2017" in _page(client, "/vicenza/?lang=en")  # Veneto's act
