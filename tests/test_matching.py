"""Issue 16, "Cosa fa per me?": one test per scoring rule, the fast columnar ranking agreeing with
the reference function, "what would open more", and the stateless endpoint (ranked JSON, bad
bodies refused with a 4xx, nothing written, no cookie, nothing logged)."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.matching.answers import BadAnswers, parse
from portal.matching.criteria import Shown, allowed_mask, build_columns, rank
from portal.matching.scoring import (
    AGE_BANDS,
    DISTANCE_POINTS,
    LOOKING_FOR,
    SITUATIONS,
    TRAVEL,
    TRAVEL_REACH,
    WEIGHTS,
    Criteria,
    Profile,
    age_rule,
    closed_rule,
    distance_points,
    eligibility_rule,
    group_points,
    hard_rules,
    hours_points,
    italian_rule,
    judge,
    kind_points,
    place_points,
    sector_points,
)

TODAY = date(2026, 12, 1)
ASTI = "005005"  # ISTAT code of Asti


@pytest.fixture
def ctx(app):
    with app.test_request_context("/?lang=en"):
        yield


def entry(**fields) -> Criteria:
    base = {"id": 1, "kind": "opportunity", "looking_for": "internship"}
    return Criteria(**{**base, **fields})


# --- hard rules ---------------------------------------------------------------------------


def test_age_outside_the_entry_range_excludes_and_inside_says_it_fits(ctx):
    course = entry(age_min=18, age_max=29)
    assert age_rule(course, Profile(age_band="50-64"))[0] is False
    assert hard_rules(course, Profile(age_band="50-64"), TODAY) == ["age"]
    passes, reason = age_rule(course, Profile(age_band="18-24"))
    assert passes and reason == "From 18 to 29 years of age: your age fits."
    assert age_rule(entry(age_min=50), Profile(age_band="30-49"))[0] is False
    assert age_rule(entry(age_max=17), Profile(age_band="16-17"))[0] is True


def test_an_age_band_that_only_overlaps_the_range_is_kept_with_a_check(ctx):
    passes, reason = age_rule(entry(age_min=18, age_max=25), Profile(age_band="25-29"))
    assert passes and reason == "From 18 to 25 years of age: check that your age fits."


def test_an_entry_that_does_not_say_where_is_noted_not_called_far(ctx):
    from portal.matching.scoring import incomplete_note

    person = Profile(comune_code=ASTI, province="AT", region="Piemonte", travel="30")
    assert place_points(entry(), person) == (0, None)
    assert "place" in (incomplete_note(entry(), person) or "")
    assert place_points(entry(province="NA", comune="Napoli", region="Campania"), person)[0] < 0  # far stays far


def test_italian_required_above_the_persons_level_excludes(ctx):
    course = entry(italian=3)  # B1
    assert italian_rule(course, Profile(italian=2)) == (False, "Requires Italian B1.")
    assert italian_rule(course, Profile(italian=3)) == (True, "Italian B1 is enough.")
    assert italian_rule(entry(italian=1), Profile(italian=0))[0] is False  # "not yet" is below A1
    assert hard_rules(course, Profile(italian=2), TODAY) == ["italian"]


def test_reserved_for_cpi_registered_excludes_who_said_they_are_not_and_says_so_to_who_is(ctx):
    job = entry(did_required=True)
    assert eligibility_rule(job, Profile(situation_answered=True))[0] is False
    passes, reasons = eligibility_rule(job, Profile(situation_answered=True, situations=frozenset({"cpi"})))
    assert passes and reasons == ["Reserved for people who made the DID at a Centro per l'Impiego — you said you did."]


def test_law_68_places_need_the_disability_answer(ctx):
    job = entry(l68_reserved=True)
    assert eligibility_rule(job, Profile(situation_answered=True, situations=frozenset({"neet"})))[0] is False
    assert eligibility_rule(job, Profile(situation_answered=True, situations=frozenset({"disability"})))[0] is True


def test_entries_reserved_for_protection_or_adi_exclude_others_but_not_mixed_audiences(ctx):
    reserved = entry(targets=frozenset({"protezione-internazionale"}))
    someone = Profile(situation_answered=True, situations=frozenset({"adi_sfl"}))
    assert eligibility_rule(reserved, someone)[0] is False
    assert eligibility_rule(reserved, replace(someone, situations=frozenset({"protection"})))[0] is True
    mixed = entry(targets=frozenset({"protezione-internazionale", "over-50"}))  # not only situations
    assert eligibility_rule(mixed, someone)[0] is True


def test_closed_to_permit_holders_excludes_holders_of_protection(ctx):
    job = entry(permit_accepted=False)
    assert eligibility_rule(job, Profile(situation_answered=True, situations=frozenset({"protection"})))[0] is False
    assert eligibility_rule(job, Profile(situation_answered=True))[0] is True


def test_skipping_the_situation_question_keeps_reserved_entries_with_a_note(ctx):
    job = entry(did_required=True, l68_reserved=True)
    passes, notes = eligibility_rule(job, Profile())
    assert passes
    assert "check that you did" in notes[0] and "check that it applies" in notes[1]


def test_deadline_passed_excludes():
    assert closed_rule(entry(closes_on=TODAY - timedelta(days=1)), TODAY) is False
    assert closed_rule(entry(closes_on=TODAY), TODAY) is True
    assert closed_rule(entry(), TODAY) is True


def test_unstated_criteria_never_exclude_and_leave_a_note(ctx):
    verdict = judge(entry(looking_for=None), Profile(age_band="50-64", italian=0, looking_for=frozenset({"job"}),
                                                     hours=10), TODAY)  # fmt: skip
    assert verdict.excluded == []
    assert verdict.notes == ["Criteria not stated: age, Italian level, kind of opportunity, hours a week. "
                             "Ask the organisation before applying."]  # fmt: skip


# --- soft rules ---------------------------------------------------------------------------


def test_place_same_comune_then_online_then_the_distance_in_km(ctx):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte")
    here = entry(comune_code=ASTI, comune="Asti", province="AT", region="Piemonte")
    assert place_points(here, me) == (WEIGHTS["comune"], "Near you: in Asti.")
    rome = entry(comune_code="058091", comune="Roma", province="RM", region="Lazio")
    assert place_points(replace(rome, online=True), me) == (WEIGHTS["online"], "Online: no travel needed.")
    assert place_points(here, Profile()) == (0, None)  # the person did not say where


@pytest.mark.parametrize(("code", "name", "km", "points"), [
    ("005087", "Portacomaro", 7, 30),  # 7 km from Asti: the "up to 15 km" band
    ("005017", "Canelli", 22, 25),  # up to 30 km
    ("006003", "Alessandria", 35, 15),  # up to 60 km
    ("004078", "Cuneo", 75, 10),  # up to 120 km
    ("058091", "Roma", 482, 0),  # beyond
])  # fmt: skip
def test_the_distance_between_the_comuni_gives_the_points_and_the_reason_in_km(ctx, code, name, km, points):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte")
    there = entry(comune_code=code, comune=name, province="XX", region="Somewhere")
    got, reason = place_points(there, me)
    assert got == points == distance_points(km)
    if km <= 30:
        assert reason == f"Near you: {km} km ({name})."
    else:
        assert reason == f"{km} km from you: {name} (XX)."


def test_distance_bands_are_the_documented_ones():
    assert DISTANCE_POINTS == ((5, 35), (15, 30), (30, 25), (60, 15), (120, 10))
    assert [distance_points(km) for km in (1, 5, 6, 15, 16, 30, 31, 60, 61, 120, 121)] == [
        35, 35, 30, 30, 25, 25, 15, 15, 10, 10, 0]  # fmt: skip
    assert WEIGHTS == {"comune": 40, "province": 25, "region": 10, "online": 30, "too_far": -30, "kind": 30,
                       "sector": 15, "hours_fit": 10, "hours_over": -10, "group": 10}  # fmt: skip


def test_the_haversine_distance_between_two_comuni_centroids():
    from portal.vocabularies.places import coordinates, distance_km

    assert round(distance_km(ASTI, "001272")) == 44  # Asti – Torino
    assert round(distance_km("015146", "058091")) == 478  # Milano – Roma, as the crow flies
    assert distance_km(ASTI, ASTI) == 0.0
    assert coordinates("024129") is None  # Castegnero Nanto (2025): no boundary in the 2023 file
    assert distance_km(ASTI, "024129") is None and distance_km(None, ASTI) is None


def test_beyond_the_km_the_person_can_travel_loses_points_and_says_so(ctx):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte", travel="15")
    canelli = entry(comune_code="005017", comune="Canelli", province="AT", region="Piemonte")
    points, reason = place_points(canelli, me)
    assert points == 25 + WEIGHTS["too_far"]
    assert reason == "Near you: 22 km (Canelli). Beyond the 15 km you said you can travel."
    assert place_points(canelli, replace(me, travel="30")) == (25, "Near you: 22 km (Canelli).")
    assert place_points(canelli, replace(me, travel="anywhere"))[0] == 25


def test_without_coordinates_the_place_falls_back_to_province_and_region(ctx):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte")
    in_province = entry(province="AT", comune="", region="Piemonte")  # the comune is not stated
    in_region = entry(comune_code="024129", comune="Castegnero Nanto", province="TO", region="Piemonte")
    elsewhere = entry(comune_code="024129", comune="Castegnero Nanto", province="VI", region="Veneto")
    assert place_points(in_province, me) == (WEIGHTS["province"], "In your province:  (AT).")
    assert place_points(in_region, me)[0] == WEIGHTS["region"]
    assert place_points(elsewhere, me)[0] == 0
    only_province = Profile(province="AT", region="Piemonte", travel="5")  # 5 km reaches the comune only
    points, reason = place_points(entry(comune_code="005001", comune="Agliano Terme", province="AT",
                                        region="Piemonte"), only_province)  # fmt: skip
    assert points == WEIGHTS["province"] + WEIGHTS["too_far"] and reason.endswith(
        "Further than you said you can travel."
    )
    assert place_points(in_region, replace(only_province, travel="60"))[0] == WEIGHTS["region"]
    assert TRAVEL_REACH == {"5": 0, "15": 1, "30": 1, "60": 2, "anywhere": 3}


def test_the_kind_looked_for_adds_its_weight(ctx):
    me = Profile(looking_for=frozenset({"course"}))
    assert kind_points(entry(kind="training", looking_for="course"), me) == (
        WEIGHTS["kind"],
        "It is what you are looking for: a course.",
    )
    assert kind_points(entry(), me) == (0, None)
    assert kind_points(entry(looking_for=None), me) == (0, None)


def test_a_chosen_sector_adds_its_weight(ctx):
    me = Profile(sectors=frozenset({"C"}))
    points, reason = sector_points(entry(sector="C"), me)
    assert points == WEIGHTS["sector"] and reason.startswith("In a sector you chose: ")
    assert sector_points(entry(sector="Q"), me) == (0, None)
    assert sector_points(entry(), me) == (0, None)


def test_hours_within_the_time_add_and_beyond_it_subtract(ctx):
    me = Profile(hours=20)
    assert hours_points(entry(hours_per_week=18), me) == (
        WEIGHTS["hours_fit"],
        "18 hours a week: within the time you have.",
    )
    assert hours_points(entry(hours_per_week=20), me)[0] == WEIGHTS["hours_fit"]
    assert hours_points(entry(hours_per_week=36), me) == (
        WEIGHTS["hours_over"],
        "36 hours a week: more than the time you have.",
    )
    assert hours_points(entry(), me) == (0, None)
    assert hours_points(entry(hours_per_week=36), Profile()) == (0, None)


def test_an_entry_meant_also_for_the_persons_group_adds_its_weight(ctx):
    me = Profile(situation_answered=True, situations=frozenset({"neet"}))
    mixed = entry(targets=frozenset({"neet", "over-50"}))
    points, reason = group_points(mixed, me)
    assert points == WEIGHTS["group"] and reason.startswith("Meant also for: ")
    assert group_points(entry(targets=frozenset({"neet"})), me) == (0, None)  # reserved: said by the eligibility rule
    assert group_points(entry(targets=frozenset({"over-50"})), me) == (0, None)


def test_the_total_is_the_sum_of_the_soft_rules(ctx):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte", looking_for=frozenset({"internship"}),
                 sectors=frozenset({"C"}), hours=20)  # fmt: skip
    verdict = judge(entry(comune_code=ASTI, comune="Asti", province="AT", region="Piemonte", sector="C",
                          hours_per_week=36), me, TODAY)  # fmt: skip
    assert verdict.score == WEIGHTS["comune"] + WEIGHTS["kind"] + WEIGHTS["sector"] + WEIGHTS["hours_over"]


def test_every_result_has_a_reason_even_when_no_rule_says_anything(ctx):
    verdict = judge(entry(looking_for=None), Profile(), TODAY)
    assert verdict.excluded == [] and verdict.reasons == ["None of your answers rules it out."]


def test_an_entry_silent_on_who_may_take_part_is_noted_when_the_situation_was_answered(ctx):
    me = Profile(situation_answered=True, situations=frozenset({"cpi"}))
    verdict = judge(entry(), me, TODAY)
    assert verdict.excluded == [] and verdict.notes == [
        "Criteria not stated: who may take part. Ask the organisation before applying."
    ]
    assert judge(entry(did_required=False), me, TODAY).notes == []


# --- the columnar ranking is the reference function, faster ---------------------------------


def _random_entries(rng: random.Random, count: int) -> list[Criteria]:
    places = [(ASTI, "Asti", "AT", "Piemonte"), ("005001", "Agliano Terme", "AT", "Piemonte"),
              ("001272", "Torino", "TO", "Piemonte"), ("058091", "Roma", "RM", "Lazio"),
              ("024129", "Castegnero Nanto", "VI", "Veneto"), ("", "", "AT", "Piemonte"), ("", "", "", "")]  # fmt: skip
    rows = []
    for number in range(1, count + 1):
        code, name, province, region = rng.choice(places)
        low = rng.choice([None, 16, 18, 30, 50])
        rows.append(Criteria(
            id=number, kind=rng.choice(["opportunity", "training"]), looking_for=rng.choice([*LOOKING_FOR, None]),
            age_min=low, age_max=rng.choice([None, 29, 35, 64]) if low is None or low < 29 else None,
            italian=rng.choice([None, 1, 2, 3, 4]), did_required=rng.choice([None, True, False]),
            l68_reserved=rng.choice([None, True, False, False]), permit_accepted=rng.choice([None, True, False]),
            targets=frozenset(rng.sample(["neet", "adi-sfl", "protezione-internazionale", "over-50", "disabilita-l68"],
                                         rng.randint(0, 2))),
            hours_per_week=rng.choice([None, 10, 20, 30, 40]), sector=rng.choice(["", "C", "Q", "I"]),
            comune_code=code, comune=name, province=province, region=region, online=rng.random() < 0.1,
            closes_on=rng.choice([None, TODAY - timedelta(days=2), TODAY + timedelta(days=rng.randint(0, 90))])))  # fmt: skip
    return rows


def _random_profile(rng: random.Random) -> Profile:
    place = rng.choice([(None, None, None), (ASTI, "AT", "Piemonte"), (None, "TO", "Piemonte"),
                        ("005001", "AT", "Piemonte"), ("024129", "VI", "Veneto")])  # fmt: skip
    answered = rng.random() < 0.6
    return Profile(
        age_band=rng.choice([None, *AGE_BANDS]), comune_code=place[0], province=place[1], region=place[2],
        travel=rng.choice([None, *TRAVEL]), italian=rng.choice([None, 0, 1, 2, 3, 6]),
        looking_for=frozenset(rng.sample(LOOKING_FOR, rng.randint(0, 2))), hours=rng.choice([None, 10, 20, 40]),
        situation_answered=answered,
        situations=frozenset(rng.sample(list(SITUATIONS), rng.randint(0, 2))) if answered else frozenset(),
        sectors=frozenset(rng.sample(["C", "Q", "I"], rng.randint(0, 1))))  # fmt: skip


@pytest.mark.once  # pure computation, no database: once per `make test`
@pytest.mark.parametrize("keep_comune_masks", [True, False])
def test_columnar_ranking_gives_the_reference_order_for_random_profiles(ctx, monkeypatch, keep_comune_masks):
    from portal.matching import criteria

    if not keep_comune_masks:  # a copy too large to keep one mask per comune builds them per request
        monkeypatch.setattr(criteria, "COMUNE_MASKS_BUDGET", 0)
    rng = random.Random(16)
    rows = _random_entries(rng, 400)
    columns = build_columns(rows, [Shown(f"t{r.id}", f"s{r.id}", "o") for r in rows], TODAY)
    assert bool(columns.comune_masks) is keep_comune_masks
    for _ in range(60):
        profile = _random_profile(rng)
        verdicts = [(judge(c, profile, TODAY), c) for c in rows]
        passing = [(v.score, c) for v, c in verdicts if not v.excluded]
        expected = sorted(passing, key=lambda pair: (-pair[0], pair[1].closes_on or date.max, pair[1].id))
        ranking = rank(columns, profile, limit=25)
        assert ranking.total == len(passing)
        assert [columns.rows[i].id for i in ranking.indexes] == [c.id for _s, c in expected[:25]]
        assert ranking.scores == [s for s, _c in expected[:25]]


def test_what_would_open_more_relaxes_one_answer(ctx):
    from portal.matching.results import widen

    rows = [entry(id=1, kind="training", looking_for="course", italian=2),
            entry(id=2, kind="training", looking_for="course", italian=3),
            entry(id=3, kind="training", looking_for="course", italian=3),
            entry(id=4, did_required=True)]  # fmt: skip
    columns = build_columns(rows, [Shown("t", "s", "o")] * 4, TODAY)
    me = Profile(italian=2, situation_answered=True, situations=frozenset({"neet"}))
    allowed = allowed_mask(columns, me)
    assert allowed.bit_count() == 1
    assert widen(columns, me, allowed, 1) == [
        "With Italian B1: 2 more courses.",
        "If you make the DID at a Centro per l'Impiego: 1 more internship.",
    ]


# --- answers ------------------------------------------------------------------------------


def test_answers_resolve_the_comune_and_say_what_could_not_be_used(ctx):
    parsed = parse({"comune": "asti", "province": "TO", "situation": ["none", "cpi"], "italian": "B1"})
    assert parsed.profile.comune_code == ASTI and parsed.profile.province == "AT"
    assert parsed.profile.italian == 3 and parsed.profile.situations == {"cpi"}
    assert len(parsed.problems) == 2  # comune in another province; "none of these" and a situation
    unknown = parse({"comune": "Astti", "province": "AT"})
    assert unknown.profile.comune_code is None and unknown.profile.province == "AT"
    assert "Did you mean: Asti?" in unknown.problems[0]


@pytest.mark.parametrize("body", [
    [], "tirocinio", {"age": 30}, {"age": "12-15"}, {"looking": "jobs"}, {"looking": [1]}, {"comune": "x" * 500},
    {"comune": "Asti\x07"}, {"province": "ZZ"}, {"nickname": "me"}, {"sectors": ["C"] * 40},
])  # fmt: skip
def test_bad_answers_are_refused_with_a_reason(ctx, body):
    with pytest.raises(BadAnswers):
        parse(body)


# --- the endpoint ---------------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    with db.engine.connect() as connection:  # the engine: every table, no tenant guard
        return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


ANSWERS = {"age": "18-24", "comune": "Asti", "travel": "30", "italian": "A2",
           "looking": ["internship", "course"], "situation": ["cpi"]}  # fmt: skip


def test_the_endpoint_ranks_with_reasons_keeps_nothing_and_logs_no_answer(app, demo_data, client, caplog):
    with app.app_context():
        before = _row_counts()
    caplog.set_level(logging.INFO)
    response = client.post("/cosa-fa-per-me/risultati?lang=en", json=ANSWERS)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_json()
    assert body["total"] > 0 and body["results"]
    first = body["results"][0]
    assert first["reasons"] and first["url"].startswith("/directory/")
    assert any("Near you: in Asti." in r["reasons"] for r in body["results"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert "What suits you" in body["html"]
    assert body["alert_url"].startswith("/alerts/new?search=province%3DAT")
    assert "targets" not in body["alert_url"]  # a situation never travels in a link
    with app.app_context():
        assert _row_counts() == before
    assert "Asti" not in caplog.text and "18-24" not in caplog.text


def test_italian_is_the_default_language_of_the_reasons(demo_data, client):
    body = client.post("/cosa-fa-per-me/risultati?lang=it", json={"comune": "Asti"}).get_json()
    assert any("Vicino a lei" in reason for r in body["results"] for reason in r["reasons"])


def test_a_profile_that_fits_nothing_says_what_would_widen_it(demo_data, client):
    body = client.post("/cosa-fa-per-me/risultati?lang=en", json={"italian": "none", "age": "65+",
                                                                  "situation": ["none"]}).get_json()  # fmt: skip
    if body["total"] == 0:
        assert "No open entry fits all your answers." in body["html"]
        assert body["widen"]
    else:  # the demo data has entries open to everyone: say why they still fit
        assert all(r["reasons"] or r["notes"] for r in body["results"])


@pytest.mark.parametrize("data,content_type", [
    ("[1, 2]", "application/json"), ("{not json", "application/json"), ('{"age": {"$gt": 1}}', "application/json"),
    ('{"comune": "' + "a" * 200 + '"}', "application/json"), ('{"comune": "\\u0000"}', "application/json"),
    ('{"x": 1}', "application/json"), ("{" * 5000, "application/json"),
    ('{"comune": "' + "a" * 20000 + '"}', "application/json"),
])  # fmt: skip
def test_bad_bodies_get_a_4xx_never_a_500(demo_data, client, data, content_type):
    response = client.post("/cosa-fa-per-me/risultati", data=data, content_type=content_type)
    assert 400 <= response.status_code < 500


def test_without_javascript_the_form_posts_once_and_gets_a_page(demo_data, client):
    response = client.post("/cosa-fa-per-me/risultati?lang=en", data={"comune": "Asti", "looking": ["course"]})
    assert response.status_code == 200 and "What suits you" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    bad = client.post("/cosa-fa-per-me/risultati?lang=en", data={"age": "<script>"})
    assert bad.status_code == 400 and "<script>" not in bad.get_data(as_text=True)


def test_the_form_page_is_cacheable_and_linked_from_the_hub_and_search(demo_data, client):
    page = client.get("/cosa-fa-per-me?lang=en")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "public" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    assert "Nothing is kept:" in html and "<noscript>" in html and "/static/js/matching." in html
    assert "<script>" not in html.replace("<script src=", "")
    assert "/cosa-fa-per-me" in client.get("/?lang=en").get_data(as_text=True)
    assert "/cosa-fa-per-me" in client.get("/search?q=tirocinio&lang=en").get_data(as_text=True)


def test_project_workers_see_the_aggregate_others_are_refused(demo_data, new_browser):
    anonymous = new_browser().get("/cosa-fa-per-me/operatori/")
    assert anonymous.status_code in (302, 401)
    resident = new_browser().sign_in("residente@crocevia.example").get("/cosa-fa-per-me/operatori/")
    assert resident.status_code == 403
    for email in ("partner.alice@crocevia.example", "coordinatore.asti-est@crocevia.example"):
        page = new_browser().sign_in(email).get("/cosa-fa-per-me/operatori/?lang=en")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Holders of international protection" in html and " / 28</td>" in html


def test_the_workers_page_says_when_it_lists_only_the_soonest_entries(demo_data, new_browser, monkeypatch):
    from portal.matching import results, routes

    monkeypatch.setattr(routes, "aggregate", lambda today: results.aggregate(today, limit=3))
    html = new_browser().sign_in("coordinatore.asti-est@crocevia.example").get("/cosa-fa-per-me/operatori/?lang=en")
    assert "3 of " in html.get_data(as_text=True) and "open entries are listed" in html.get_data(as_text=True)


def test_a_large_stale_copy_serves_while_one_thread_rebuilds_it(app, demo_data, monkeypatch):
    import time

    from portal.content_cache import generation
    from portal.matching import criteria

    with app.app_context():
        first = criteria.open_columns(TODAY)
        assert criteria.open_columns(TODAY) is first  # same generation: the same copy
        monkeypatch.setattr(criteria, "REBUILD_IN_BACKGROUND_ABOVE", 0)
        generation().bump()
        assert criteria.open_columns(TODAY) is first  # stale, while the thread rebuilds
        for _ in range(100):
            if criteria.open_columns(TODAY) is not first:
                break
            time.sleep(0.05)
        assert criteria.open_columns(TODAY) is not first
        assert len(criteria.open_columns(TODAY)) == len(first)


def test_a_province_without_a_comune_reads_the_km_as_a_reach_and_says_so(ctx):
    parsed = parse({"province": "AT", "travel": "30"})
    assert parsed.profile.travel == "30"
    assert any("distances cannot be measured" in problem for problem in parsed.problems)
    points, reason = place_points(entry(province="AT", comune="Asti", region="Piemonte"), parsed.profile)
    assert points == WEIGHTS["province"] and "Further than" not in (reason or "")
    assert not any("distances" in problem for problem in parse({"comune": "Asti", "travel": "30"}).problems)


def test_neet_with_an_age_of_thirty_or_more_is_explained_and_left_out(ctx):
    parsed = parse({"age": "50-64", "situation": ["neet"]})
    assert "neet" not in parsed.profile.situations
    assert any("under 30" in problem for problem in parsed.problems)
    assert parse({"age": "18-24", "situation": ["neet"]}).problems == []


def test_reloading_a_result_page_goes_back_to_the_form(demo_data, client):
    response = client.get("/cosa-fa-per-me/risultati?lang=it")
    assert response.status_code == 303 and response.headers["Location"].endswith("/cosa-fa-per-me")


# --- the review's findings: refill, 413, 429, labels, live summary, the rebuild -------------


def test_without_javascript_the_form_comes_back_filled_with_what_was_sent(demo_data, client):
    sent = {"age": "18-24", "comune": "Asti", "province": "AT", "travel": "15", "italian": "B1",
            "looking": ["internship", "course"], "situation": ["cpi"], "sectors": ["C"]}  # fmt: skip
    html = client.post("/cosa-fa-per-me/risultati?lang=en", data=sent).get_data(as_text=True)
    assert 'name="age" value="18-24" id="age-3" checked' in html
    assert 'name="age" value="" id="age-1" checked' not in html
    assert 'name="comune" class="form-control" maxlength="100" autocomplete="address-level2" value="Asti"' in html
    assert '<option value="AT" selected>' in html
    assert 'name="travel" value="15" id="travel-3" checked' in html
    assert 'name="italian" value="B1" id="italian-5" checked' in html
    assert 'value="internship" id="looking-1" checked' in html and 'value="course" id="looking-4" checked' in html
    assert 'value="job" id="looking-3" checked' not in html
    assert 'value="cpi" id="situation-1" checked' in html and 'id="sectors-C" checked' in html
    refused = client.post("/cosa-fa-per-me/risultati?lang=en", data={**sent, "hours": "99"})
    assert refused.status_code == 400  # refused, and still refilled with what could be read
    assert 'name="italian" value="B1" id="italian-5" checked' in refused.get_data(as_text=True)


def test_errors_name_the_question_never_the_key(demo_data, client):
    body = client.post("/cosa-fa-per-me/risultati?lang=en", json={"hours": "99"}).get_json()
    assert body["error"] == "“99” is not one of the choices for “How many hours a week can you give?”."
    body = client.post("/cosa-fa-per-me/risultati?lang=it", json={"looking": "jobs"}).get_json()
    assert body["error"] == "«jobs» non è tra le scelte possibili per «Che cosa cerca?»."
    body = client.post("/cosa-fa-per-me/risultati?lang=en", json={"comune": 3}).get_json()
    assert body["error"] == "The answer to “Comune (town)” must be text."


def test_a_request_too_large_is_explained_in_the_persons_language(demo_data, client):
    big = {"comune": "Asti", "sectors": ["C"], "padding": "x" * 20000}
    response = client.post("/cosa-fa-per-me/risultati?lang=it", json=big)
    assert response.status_code == 413
    assert response.get_json()["error"].startswith("Le sue risposte sono troppo lunghe")
    page = client.post("/cosa-fa-per-me/risultati?lang=en", data={"comune": "x" * 20000})
    assert page.status_code == 413
    assert "Your answers are too long to be read." in page.get_data(as_text=True)
    huge = client.post("/cosa-fa-per-me/risultati?lang=en", data="{" + " " * (2 * 1024 * 1024) + "}",
                       content_type="application/json")  # over the app's MAX_CONTENT_LENGTH  # fmt: skip
    assert huge.status_code == 413 and "too long to be read" in huge.get_json()["error"]


def test_the_results_are_rate_limited_per_address_with_a_clear_message(app_factory, demo_data):
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MATCHING="3 per minute")
    client = limited.test_client()
    for _ in range(3):
        assert client.post("/cosa-fa-per-me/risultati?lang=en", json={"comune": "Asti"}).status_code == 200
    refused = client.post("/cosa-fa-per-me/risultati?lang=it", json={"comune": "Asti"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["error"].startswith("Ha chiesto l'elenco molte volte")
    page = client.post("/cosa-fa-per-me/risultati?lang=en", data={"comune": "Asti"})
    assert page.status_code == 429 and "Wait a minute, then try again." in page.get_data(as_text=True)
    assert client.get("/cosa-fa-per-me?lang=en").status_code == 200  # the form itself is never limited


def test_only_a_short_summary_is_announced(demo_data, client):
    body = client.post("/cosa-fa-per-me/risultati?lang=it", json={"comune": "Asti"}).get_json()
    assert body["summary"] == (f"{body['total']} risultati" if body["total"] != 1 else "1 risultato")
    html = client.get("/cosa-fa-per-me?lang=en").get_data(as_text=True)
    assert '<p id="match-summary" class="visually-hidden" role="status" aria-live="polite"' in html
    assert '<div id="match-results">' in html and html.count("aria-live") == 1


def test_every_group_of_choices_is_a_fieldset_with_a_legend(client):
    import re

    html = client.get("/cosa-fa-per-me?lang=en").get_data(as_text=True)
    for name in ("age", "travel", "italian", "looking", "hours", "situation", "sectors"):
        first_input = html.index(f'name="{name}"')
        opened = html.rindex("<fieldset", 0, first_input)  # the innermost fieldset around the group
        assert "</fieldset>" not in html[opened:first_input], name
        assert re.search(r"<fieldset[^>]*>\s*<legend", html[opened:first_input]), name
        assert len(re.findall(r"<fieldset", html[opened:first_input])) == 1, name
    assert '<legend class="h5">How far can you travel?</legend>' in html


def test_the_italian_wording_explains_the_acronyms_and_is_natural(demo_data, client):
    html = client.get("/cosa-fa-per-me?lang=it").get_data(as_text=True)
    assert "DID (la dichiarazione di immediata disponibilità al lavoro)" in html
    assert "ADI (Assegno di inclusione)" in html and "SFL (Supporto per la formazione e il lavoro)" in html
    assert "Quadro comune europeo di riferimento per le lingue (QCER)" in html
    assert "Nessuna di queste situazioni" in html
    with client.application.test_request_context("/?lang=it"):
        assert age_rule(entry(age_min=18), Profile())[1] == "Dai 18 anni."
        assert age_rule(entry(age_min=18, age_max=29), Profile(age_band="18-24"))[1] == (
            "Dai 18 ai 29 anni: la sua età rientra."
        )
        assert age_rule(entry(age_max=17), Profile())[1] == "Fino a 17 anni."


def test_the_copy_is_rebuilt_once_while_the_other_threads_use_the_previous_one(app, demo_data, monkeypatch):
    import threading
    import time

    from portal.content_cache import generation
    from portal.matching import criteria

    with app.app_context():
        first = criteria.open_columns(TODAY)
    real, calls, gate = criteria.load_columns, [], threading.Event()

    def slow_load(today):
        calls.append(today)
        gate.wait(5)
        return real(today)

    monkeypatch.setattr(criteria, "load_columns", slow_load)
    with app.app_context():
        generation().bump()
    got: list = []

    def ask():
        with app.app_context():
            got.append(criteria.open_columns(TODAY))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for _ in range(100):  # the four that did not rebuild answered at once, from the previous copy
        if len(got) == 4:
            break
        time.sleep(0.02)
    assert len(got) == 4 and all(columns is first for columns in got)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1 and len(got) == 5 and got[-1] is not first
    with app.app_context():
        assert criteria.open_columns(TODAY) is got[-1]


def test_a_change_the_generation_did_not_see_is_caught_by_the_fingerprint(app, demo_data, monkeypatch):
    from portal.matching import criteria
    from portal.models.directory import Entry

    monkeypatch.setattr(criteria, "FINGERPRINT_EVERY", 0.0)
    with app.app_context():
        first = criteria.open_columns(TODAY)
        one = first.rows[0].id
        with db.engine.begin() as connection:  # a script writing with plain SQL: no session, no generation bump
            connection.execute(Entry.__table__.update().where(Entry.__table__.c.id == one)
                               .values(status="withdrawn", version=Entry.__table__.c.version + 1))  # fmt: skip
        fresh = criteria.open_columns(TODAY)
        assert fresh is not first and one not in {row.id for row in fresh.rows}


def test_a_copy_from_yesterday_serves_today_with_the_deadlines_passed_closed(ctx):
    from portal.matching.criteria import for_day

    rows = [entry(id=1, closes_on=TODAY), entry(id=2, closes_on=TODAY + timedelta(days=1)), entry(id=3)]
    columns = build_columns(rows, [Shown("t", "s", "o")] * 3, TODAY)
    tomorrow = for_day(columns, TODAY + timedelta(days=1))
    assert [tomorrow.rows[i].id for i in rank(tomorrow, Profile(), 10).indexes] == [2, 3]
    assert for_day(columns, TODAY) is columns


def test_a_resident_of_portacomaro_sees_asti_at_7_km_ranked_by_distance_and_out_of_reach_said(demo_data, client):
    body = client.post("/cosa-fa-per-me/risultati?lang=it", json={"comune": "Portacomaro", "travel": "5"}).get_json()
    reasons = [r["reasons"][0] for r in body["results"]]
    assert "Vicino a lei: 7 km (Asti). Oltre i 5 km che ha indicato di poter percorrere." in reasons
    assert body["total"] > 0  # soft: out of reach ranks lower, never excludes
    near = client.post("/cosa-fa-per-me/risultati?lang=it", json={"comune": "Portacomaro", "travel": "15"}).get_json()
    assert near["results"][0]["reasons"][0] == "Vicino a lei: 7 km (Asti)."
    scores = [r["score"] for r in near["results"]]
    assert scores == sorted(scores, reverse=True) and near["results"][0]["score"] >= 30
