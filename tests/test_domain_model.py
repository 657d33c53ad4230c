"""Internships and other opportunities as Italian rules describe them, organisations with
official codes, places and people from official vocabularies: what a partner may publish and
the clear message when the data breaks a rule."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Entry, Organisation, User
from portal.timezone import rome_today
from portal.vocabularies import ateco, internships, places
from tests.snapshots import built_once

FORMATIVE = {
    "title": "Tirocinio formativo in magazzino",
    "description": "Ricevimento delle merci e inventario.",
    "comune": "Asti",
    "province": "AT",
    "opportunity_type": "tirocinio_formativo",
    "promoter": "Centro per l'impiego",
    "duration_months": "6",
    "hours_per_week": "30",
    "monthly_allowance": "600",
    "allowance_paid_by": "host",
    "how_to_apply": "Scrivere all'organizzazione.",
    "deadline": (rome_today() + timedelta(days=30)).isoformat(),
}


# --- vocabularies ----------------------------------------------------------------------------------


def test_comuni_come_from_istat_and_are_found_however_they_are_typed():
    assert places.find_comune("asti", "AT").code == "005005"
    assert places.find_comune("SANT'ANGELO LODIGIANO", "LO").name == "Sant'Angelo Lodigiano"
    assert places.find_comune("Citta di Castello", "PG").name == "Città di Castello"
    assert places.find_comune("Asti", "MI") is None  # not in that province
    assert [c.name for c in places.similar_comuni("Astii", "AT")][:1] == ["Asti"]
    assert len(places.provinces()) == 107 and places.region_of("VI") == "Veneto"
    assert len(places.comuni_in("AT")) == 117


def test_ateco_2025_codes_and_sections():
    assert ateco.code("56.1").section == "I" and ateco.section_of("10.7") == "C"
    assert ateco.code("K").description("it").startswith("Telecomunicazioni")  # new in ATECO 2025
    assert ateco.code("99.9") is None
    assert ateco.SECTIONS_2007_TO_2025["K"] == "L" and "J" not in ateco.SECTIONS_2007_TO_2025  # J was split


@pytest.mark.parametrize(
    ("region", "hours", "meals", "public", "amount"),
    [
        ("Lazio", 40, False, False, 800),
        ("Piemonte", 40, False, False, 600),
        ("Piemonte", 20, False, False, 300),
        ("Piemonte", 30, False, False, 450),  # in proportion to the hours
        ("Piemonte", 12, False, False, 300),  # never below the floor
        ("Lombardia", 40, False, False, 500),
        ("Lombardia", 40, True, False, 400),
        ("Lombardia", 20, False, False, 350),
        ("Lombardia", 40, False, True, 300),
        ("Veneto", 40, False, False, 450),
        ("Veneto", 40, True, False, 350),
        ("Veneto", 25, False, False, 315),
        ("Veneto", 28, False, False, 450),  # 70% of full time: the full allowance
        ("Veneto", 25, True, False, 315),  # reductions are alternatives, not stacked
        ("Veneto", 32, False, False, 450),  # above 70% of full time: no reduction
        ("Lombardia", 20, True, False, 350),
        ("Campania", 40, False, False, 300),  # not in the table: the national floor
    ],
)
def test_regional_minimum_allowances_are_data_with_their_act(region, hours, meals, public, amount):
    minimum = internships.minimum_allowance(region, hours, meals, public_host=public)
    assert minimum.amount == amount
    assert minimum.act and (minimum.region == region or region == "Campania")


@pytest.mark.parametrize(
    ("kind", "region", "groups", "months"),
    [
        ("tirocinio_formativo", None, [], 12),  # national guidelines
        ("tirocinio_formativo", None, ["disabilita-l68"], 24),
        ("tirocinio_formativo", "Piemonte", [], 6),
        ("tirocinio_inserimento", "Piemonte", ["svantaggiati-l381"], 12),
        ("tirocinio_inserimento", "Piemonte", ["disabilita-l68", "neet"], 24),
        ("tirocinio_formativo", "Lazio", ["protezione-internazionale"], 12),
        ("tirocinio_formativo", "Lazio", ["neet"], 6),
        ("tirocinio_formativo", "Veneto", [], 6),
        ("tirocinio_inserimento", "Veneto", [], 12),
        ("tirocinio_formativo", "Lombardia", [], 12),
        ("tirocinio_inclusione", "Lazio", [], 24),
        ("tirocinio_curricolare", "Piemonte", [], 12),  # D.M. 142/1998
        ("tirocinio_curricolare", None, ["disabilita-l68"], 24),
        ("lavoro", "Lazio", [], None),
    ],
)
def test_maximum_durations_follow_the_national_and_regional_rules(kind, region, groups, months):
    assert internships.max_months(kind, region, groups) == months


# --- publishing, and bad input ---------------------------------------------------------------------


@pytest.fixture
@built_once
def partner_organisation(app, tenants, make_user) -> int:
    """An Asti company with a partner editor (partner.asti@example.it); its id."""
    from portal.directory import services

    coordinator_id = make_user("coord.asti@example.it", role="coordinator", tenant=tenants["asti-est"])
    make_user("partner.asti@example.it")
    with app.app_context():
        org = services.create_organisation(
            db.session.get(User, coordinator_id),
            {"name": "Logistica Tanaro", "kind": "company", "comune": "Asti", "province": "AT",
             "fiscal_code": "00743110157", "vat_number": "00743110157", "tenant_ids": [tenants["asti-est"].id]},
        )  # fmt: skip
        services.add_editor(db.session.get(User, coordinator_id), org, "partner.asti@example.it")
        db.session.commit()
        return org.id


@pytest.fixture
def partner(partner_organisation, new_browser):
    """The partner editor of an Asti company, signed in."""
    org_id = partner_organisation
    browser = new_browser().sign_in("partner.asti@example.it")
    browser.new_opportunity = f"/directory/manage/organisations/{org_id}/opportunity/new"
    browser.new_training = f"/directory/manage/organisations/{org_id}/training/new"
    return browser


def _saved(app, title: str) -> Entry | None:
    with app.app_context():
        return db.session.scalar(select(Entry).where(Entry.title == title))


def _refused(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def test_a_formative_internship_at_the_regional_minimum_is_saved_with_its_structure(app, partner):
    response = partner.submit(partner.new_opportunity, {**FORMATIVE, "target_groups": ["neet"], "age_min": "18",
                                                        "age_max": "29", "italian_level": "A2",
                                                        "did_required": "yes", "access_route": "cpi"})  # fmt: skip
    assert response.status_code == 302
    entry = _saved(app, FORMATIVE["title"])
    assert entry.opportunity_type.value == "tirocinio_formativo" and entry.monthly_allowance == 600
    assert (entry.duration_months, entry.hours_per_week, entry.promoter) == (6, 30, "Centro per l'impiego")
    assert (entry.age_min, entry.age_max, entry.italian_level, entry.did_required) == (18, 29, "A2", True)
    assert entry.comune_code == "005005"


def test_an_allowance_below_the_regional_minimum_is_refused_with_the_rule(app, partner):
    html = _refused(partner.submit(partner.new_opportunity, {**FORMATIVE, "monthly_allowance": "440"}))
    # 600 € full time, in proportion for 30 hours a week
    assert "Secondo la normativa della Regione Piemonte" in html and "450\xa0€" in html and "D.G.R. n. 85-6277" in html
    assert _saved(app, FORMATIVE["title"]) is None


def test_part_time_lowers_the_piedmont_minimum(app, partner):
    response = partner.submit(
        partner.new_opportunity, {**FORMATIVE, "hours_per_week": "20", "monthly_allowance": "300"}
    )
    assert response.status_code == 302


def test_an_inclusion_internship_follows_its_own_rules(app, partner):
    data = {**FORMATIVE, "opportunity_type": "tirocinio_inclusione", "monthly_allowance": "250",
            "allowance_paid_by": "social_services", "duration_months": "24", "target_groups": ["servizi-sociali"],
            "host": "Magazzino comunale"}  # fmt: skip
    assert partner.submit(partner.new_opportunity, data).status_code == 302
    entry = _saved(app, FORMATIVE["title"])
    assert entry.host == "Magazzino comunale" and entry.duration_months == 24


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_months": "7"}, "dura al massimo 6 mesi"),  # Piemonte
        ({"duration_months": "1"}, "dura almeno 2 mesi"),
        ({"opportunity_type": "tirocinio_curricolare", "duration_months": "13"}, "dura al massimo 12 mesi"),
        ({"opportunity_type": "tirocinio_inclusione", "duration_months": "25", "monthly_allowance": ""},
         "dura al massimo 24 mesi"),
        ({"promoter": ""}, "soggetto promotore"),
        ({"monthly_allowance": ""}, "indennità mensile"),
        ({"allowance_paid_by": ""}, "chi paga l'indennità"),
        ({"age_min": "30", "age_max": "18"}, "L'età massima non può essere inferiore"),
        ({"comune": "Astii"}, "Forse: Asti"),
        ({"comune": "Milano"}, "Milano si trova nella provincia di Milano"),
        ({"opportunity_type": "lavoro"}, "tipo di contratto"),
        ({"opportunity_type": "borsa_lavoro", "monthly_allowance": "", "duration_months": ""}, "importo mensile"),
        ({"italian_level": "Z9"}, "Non è una scelta valida"),
    ],
)  # fmt: skip
def test_bad_opportunities_get_a_clear_message_on_the_field(app, partner, changes, message):
    html = _refused(partner.submit(partner.new_opportunity, {**FORMATIVE, **changes}))
    assert message in html, html[html.find("invalid-feedback") - 500 : html.find("invalid-feedback") + 300]
    assert _saved(app, FORMATIVE["title"]) is None


def test_a_public_host_named_by_the_partner_lowers_the_lombardy_minimum(app, partner):
    data = {**FORMATIVE, "comune": "Milano", "province": "MI", "monthly_allowance": "300", "host": "Comune di Milano"}
    html = _refused(partner.submit(partner.new_opportunity, data))
    assert "Regione Lombardia" in html and "500" in html
    assert partner.submit(partner.new_opportunity, {**data, "host_public_body": "y"}).status_code == 302
    assert _saved(app, FORMATIVE["title"]).host_public_body is True


def test_an_internship_for_people_with_disabilities_may_last_24_months(app, partner):
    data = {**FORMATIVE, "duration_months": "24", "target_groups": ["disabilita-l68"]}
    assert partner.submit(partner.new_opportunity, data).status_code == 302


def test_changing_the_type_empties_what_belongs_to_the_other_type(app, partner):
    data = {**FORMATIVE, "opportunity_type": "lavoro", "contract_type": "determinato", "ccnl": "CCNL Commercio",
            "monthly_allowance": "1300"}  # fmt: skip
    assert partner.submit(partner.new_opportunity, data).status_code == 302
    entry = _saved(app, FORMATIVE["title"])
    assert entry.contract_type == "determinato" and entry.monthly_allowance == 1300
    assert entry.promoter is None and entry.duration_months is None and entry.allowance_paid_by is None


def test_a_training_offer_states_hours_level_and_certificate(app, partner):
    start = rome_today() + timedelta(days=20)
    response = partner.submit(partner.new_training, {
        "title": "Italiano per il lavoro", "description": "Corso di italiano.", "comune": "Asti", "province": "AT",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=60)).isoformat(), "total_hours": "100",
        "sessions": "40", "eqf_level": "2", "certificate": "cils", "italian_level": "A1",
        "italian_level_reached": "A2", "target_groups": ["protezione-internazionale"], "permit_accepted": "yes",
    })  # fmt: skip
    assert response.status_code == 302
    entry = _saved(app, "Italiano per il lavoro")
    assert (entry.total_hours, entry.sessions, entry.eqf_level, entry.certificate) == (100, 40, 2, "cils")
    assert (entry.italian_level, entry.italian_level_reached, entry.permit_accepted) == ("A1", "A2", True)


def test_the_public_page_states_the_internship_as_the_rules_describe_it(app, partner, make_user, tenants):
    from portal.directory import services

    partner.submit(partner.new_opportunity, {**FORMATIVE, "target_groups": ["neet"], "age_min": "18", "age_max": "29"})
    admin_id = make_user("admin@example.it", admin=True)
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.title == FORMATIVE["title"]))
        services.approve(db.session.get(User, admin_id), entry)
        db.session.commit()
        slug = entry.slug
    html = unescape(app.test_client().get(f"/directory/opportunities/{slug}").get_data(as_text=True))
    for text in ("Tirocinio extracurricolare formativo e di orientamento", "Soggetto promotore", "Centro per l'impiego",
                 "Soggetto ospitante", "Logistica Tanaro", "6 mesi", "600", "Da 18 a 29 anni",
                 "Giovani che non studiano, non lavorano e non sono in formazione (NEET)"):  # fmt: skip
        assert text in html, text


def _facts_in_italian(app, entry) -> dict[str, str]:
    from flask_babel import force_locale

    from portal.directory.template_helpers import entry_facts, who_may_take_part

    with app.test_request_context(), force_locale("it"):
        return dict(entry_facts(entry) + who_may_take_part(entry))


def test_a_page_states_what_was_entered_and_nothing_more(app):
    from portal.models import Opportunity, TrainingOffer
    from portal.models.directory import OpportunityType

    course = TrainingOffer(title="Italiano", address="Via Roma 1", comune="Asti", province="AT", is_free=False,
                           subject_area="lingua italiana", age_min=18, age_max=18, target_groups=[])  # fmt: skip
    facts = _facts_in_italian(app, course)
    assert facts["Indirizzo"] == "Via Roma 1, Asti (AT)" and facts["Area tematica"] == "lingua italiana"
    assert "Costo" not in facts  # neither free nor a cost given: the page does not say "paid"
    assert facts["Età"] == "18 anni"
    assert _facts_in_italian(app, TrainingOffer(age_min=50, target_groups=[]))["Età"] == "Almeno 50 anni"
    grant = Opportunity(opportunity_type=OpportunityType.WORK_GRANT, promoter="Comune di Asti", monthly_allowance=1200,
                        allowance_paid_by="project", organisation=Organisation(name="Bottega"), target_groups=[])  # fmt: skip
    facts = _facts_in_italian(app, grant)
    assert facts["Soggetto promotore"] == "Comune di Asti"
    assert facts["Indennità mensile (lorda)"].startswith("1.200\xa0€")  # written as the refusal messages write it


@pytest.mark.parametrize(
    ("comune", "province", "message"),
    [
        ("Trevignano", "RM", "Forse: Trevignano Romano"),  # not Treviso's Trevignano
        ("Calliano", "AT", "Forse: Calliano Monferrato"),  # not Trento's Calliano
        ("Treviso", "RM", "Treviso si trova nella provincia di Treviso"),
    ],
)
def test_a_comune_in_the_chosen_province_is_suggested_before_one_elsewhere(app, partner, comune, province, message):
    html = _refused(partner.submit(partner.new_opportunity, {**FORMATIVE, "comune": comune, "province": province}))
    assert message in html


@pytest.mark.parametrize("typed", ["15/01/2027", "15.01.2027", "15-01-2027", "2027-01-15"])
def test_dates_are_accepted_as_italians_write_them(app, partner, typed):
    from datetime import date

    assert partner.submit(partner.new_opportunity, {**FORMATIVE, "deadline": typed}).status_code == 302
    assert _saved(app, FORMATIVE["title"]).deadline == date(2027, 1, 15)


def test_an_end_before_the_start_is_refused_by_the_rules_too(app):
    from datetime import date

    from portal.directory.rules import entry_problems

    data = {"start_date": date(2027, 3, 1), "end_date": date(2027, 2, 1)}
    with app.test_request_context():
        assert set(entry_problems("training", data, Organisation(name="x"))) == {"end_date"}


def test_the_history_of_changes_reads_as_words(app, partner, make_user, new_browser):
    from portal.directory import services

    partner.submit(partner.new_opportunity, FORMATIVE)
    admin_id = make_user("admin@example.it", admin=True)
    coordinator = new_browser().sign_in("coord.asti@example.it")
    with app.app_context():
        entry = _saved(app, FORMATIVE["title"])
        entry = db.session.get(Entry, entry.id)
        services.approve(db.session.get(User, admin_id), entry)
        db.session.commit()
        slug = entry.slug
    html = unescape(coordinator.get(f"/directory/opportunities/{slug}").get_data(as_text=True))
    assert "Storico delle modifiche" in html
    assert "Maria Rossi ha creato la scheda." in html  # who, in a sentence (the partner's name)
    assert "ha approvato e pubblicato la scheda." in html
    assert "approve" not in html.split("Storico delle modifiche")[1]


# --- organisations -----------------------------------------------------------------------------------


@pytest.fixture
def coordinator(app, tenants, make_user, new_browser):
    make_user("coord.asti@example.it", role="coordinator", tenant=tenants["asti-est"])
    browser = new_browser().sign_in("coord.asti@example.it")
    browser.tenant_id = tenants["asti-est"].id
    return browser


def _organisation(coordinator, **changes):
    data = {"name": "Cooperativa Il Ponte", "kind": "social_coop_b", "comune": "Asti", "province": "AT",
            "fiscal_code": "00743110157", "ateco_code": "81.2", "headcount_band": "10-49",
            "accreditations": ["albo_381"], "hosts_interns": "y", "intern_places": "3",
            "intern_profiles": "Pulizie, cura del verde", "tenant_ids": [coordinator.tenant_id], **changes}  # fmt: skip
    return coordinator.submit("/directory/manage/organisations/new", data)


def test_an_organisation_is_saved_with_official_codes(app, coordinator):
    assert _organisation(coordinator).status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Cooperativa Il Ponte"))
        assert (org.kind.value, org.ateco_code, org.comune_code, org.headcount_band) == ("social_coop_b", "81.2",
                                                                                          "005005", "10-49")  # fmt: skip
        assert org.accreditations == ["albo_381"] and org.intern_profiles == "Pulizie, cura del verde"
    page = unescape(app.test_client().get("/directory/organisations/cooperativa-il-ponte").get_data(as_text=True))
    assert "81.2 – Attività di pulizia" in page and "Pulizie, cura del verde" in page


def test_codes_are_saved_and_compared_in_their_compact_form(app, coordinator):
    assert _organisation(coordinator, fiscal_code="", vat_number="IT 000 0077 0057").status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Cooperativa Il Ponte"))
        assert (org.vat_number, org.fiscal_code) == ("00000770057", "")
    # the same number as a fiscal code, typed another way, is the same body
    html = _refused(_organisation(coordinator, name="Il Ponte bis", fiscal_code="it00000770057"))
    assert "Cooperativa Il Ponte è già presente" in html


def test_approving_a_code_another_organisation_took_meanwhile_is_a_clear_refusal(app, coordinator, make_user):
    from portal.directory import services

    assert _organisation(coordinator).status_code == 302
    editor_id = make_user("editor.ponte@example.it")
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Cooperativa Il Ponte"))
        coordinator_user = db.session.scalar(select(User).where(User.email == "coord.asti@example.it"))
        services.add_editor(coordinator_user, org, "editor.ponte@example.it")
        data = {**services.editable_data(org), "vat_number": "00000780056"}
        services.update_organisation(db.session.get(User, editor_id), org, data, org.version)
        db.session.commit()
        org_id = org.id
    assert _organisation(coordinator, name="Altra cooperativa", fiscal_code="00000780056").status_code == 302
    page = coordinator.submit(f"/directory/moderation/organisations/{org_id}", {"approve": "y"},
                              page="/directory/moderation/", follow_redirects=True)  # fmt: skip
    assert page.status_code == 200
    assert "non può essere approvata" in unescape(page.get_data(as_text=True))
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        assert org.vat_number == "" and org.pending_changes


def test_a_second_organisation_with_the_same_fiscal_code_is_refused(app, coordinator):
    assert _organisation(coordinator).status_code == 302
    html = _refused(_organisation(coordinator, name="Il Ponte bis"))
    assert "Cooperativa Il Ponte è già presente" in html
    with app.app_context():
        assert db.session.scalar(select(Organisation).where(Organisation.name == "Il Ponte bis")) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ateco_code": "99.9"}, "Non è un codice ATECO 2025"),
        ({"fiscal_code": "RSSMRA80A01H501X"}, "Codice fiscale non valido"),
        ({"vat_number": "12345678901"}, "Partita IVA non valida"),
        ({"kind": "cooperative"}, "Non è una scelta valida"),  # the old kind is no longer offered
        ({"comune": "Torino"}, "Torino si trova nella provincia di Torino"),
    ],
)
def test_bad_organisations_get_a_clear_message(app, coordinator, changes, message):
    html = _refused(_organisation(coordinator, **changes))
    feedback = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)<', html)
    assert sum(text.count(message) for text in feedback) == 1, feedback  # said once, on its field
    assert message in html


# --- second review: what partners, coordinators and residents saw -------------------------------


def test_every_choice_of_the_italian_form_is_in_italian(partner):
    html = unescape(partner.get(partner.new_opportunity).get_data(as_text=True))
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert "Richiesta" in options and "Non indicato" in options
    assert not {"Not stated", "Required", "Not required", "Yes"} & set(options)  # "No" is Italian too


def test_a_vat_number_that_is_only_a_prefix_is_refused(app, coordinator):
    html = _refused(_organisation(coordinator, fiscal_code="", vat_number="IT"))
    assert "Partita IVA non valida" in html


def test_a_garbled_start_says_it_is_not_a_date(app, partner):
    page = partner.new_opportunity.replace("/opportunity/new", "/event/new")
    html = _refused(partner.submit(page, {"title": "Incontro", "description": "x", "comune": "Asti", "province": "AT",
                                          "starts_at": "domani"}))  # fmt: skip
    assert "Non è una data con orario valida" in html


def test_a_course_that_says_nothing_about_cost_is_not_listed_as_paid(app, partner, make_user, index):
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    start = rome_today() + timedelta(days=20)
    partner.submit(partner.new_training, {"title": "Corso muto", "description": "x", "comune": "Asti", "province": "AT",
                                          "start_date": start.isoformat()})  # fmt: skip
    with app.app_context():
        services.approve(db.session.get(User, admin_id), db.session.get(Entry, _saved(app, "Corso muto").id))
        db.session.commit()
    index.sync()
    client = app.test_client()
    assert "Corso muto" not in client.get("/search?cost=paid").get_data(as_text=True)
    assert "Corso muto" in client.get("/search?q=muto").get_data(as_text=True)


def test_an_event_says_when_in_words(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from portal.directory.facts import when

    starts, ends = datetime(2026, 12, 16, 9, tzinfo=UTC), datetime(2026, 12, 16, 11, tzinfo=UTC)
    with app.test_request_context(), force_locale("it"):
        assert when(starts, ends) == "mercoledì 16 dicembre 2026, 10:00–12:00"  # Italian time
    saturday = datetime(2026, 12, 5, 15, tzinfo=UTC), datetime(2026, 12, 5, 17, tzinfo=UTC)
    with app.test_request_context(), force_locale("it"):
        assert when(*saturday) == "sabato 5 dicembre 2026, 16:00–18:00"
    with app.test_request_context(), force_locale("en"):
        assert when(*saturday) == "Saturday 5 December 2026, 16:00–18:00"  # no seconds, no "CET", no "4:00 PM"
        two_days = when(saturday[0], datetime(2026, 12, 6, 17, tzinfo=UTC))
        assert two_days == "Saturday 5 December 2026, 16:00 – Sunday 6 December 2026, 18:00"


def test_the_moderation_queue_shows_what_changes_in_words(app, partner, make_user, new_browser):
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    partner.submit(partner.new_opportunity, FORMATIVE)
    with app.app_context():
        entry = db.session.get(Entry, _saved(app, FORMATIVE["title"]).id)
        services.approve(db.session.get(User, admin_id), entry)
        db.session.commit()
        entry_id, version = entry.id, entry.version
    page = f"/directory/manage/entries/{entry_id}"
    partner.submit(page, {**FORMATIVE, "opportunity_type": "tirocinio_inserimento", "version": str(version)})
    coordinator = new_browser().sign_in("coord.asti@example.it")
    html = unescape(coordinator.get("/directory/moderation/").get_data(as_text=True))
    table = html[html.find("Proposte di modifica") if "Proposte di modifica" in html else html.find("<table") :]
    assert "Tirocinio extracurricolare di inserimento o reinserimento" in table
    assert "opportunity_type" not in html and "comune_code" not in html and "None" not in table[:3000]


def test_approval_applies_todays_rules(app, partner, make_user):
    from flask_babel import force_locale

    from portal.directory import services
    from portal.errors import Conflict

    admin_id = make_user("admin@example.it", admin=True)
    partner.submit(partner.new_opportunity, FORMATIVE)
    with app.test_request_context(), force_locale("it"):
        entry = db.session.get(Entry, _saved(app, FORMATIVE["title"]).id)
        entry.monthly_allowance = 100  # saved under older rules, or before the data table changed
        db.session.commit()
        with pytest.raises(Conflict, match="Non è possibile approvarla"):
            services.approve(db.session.get(User, admin_id), db.session.get(Entry, entry.id))


def test_a_region_missing_from_the_table_is_said_so(app, partner):
    data = {**FORMATIVE, "comune": "Bologna", "province": "BO", "monthly_allowance": "250"}
    html = _refused(partner.submit(partner.new_opportunity, data))
    assert "soglia nazionale" in html and "non dispone della normativa della Regione Emilia-Romagna" in html


def test_two_registrations_of_one_code_at_the_same_moment_are_a_message_not_a_crash(app, coordinator, monkeypatch):
    from portal.directory import services

    assert _organisation(coordinator).status_code == 302
    monkeypatch.setattr(services, "_code_owners", lambda data, org: {})  # both requests passed the check
    html = _refused(_organisation(coordinator, name="Il Ponte, di nuovo"))
    assert "è stata appena registrata" in html
