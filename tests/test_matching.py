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
    LOOKING_FOR,
    SITUATIONS,
    TRAVEL,
    WEIGHTS,
    Criteria,
    Profile,
    age_rule,
    closed_rule,
    eligibility_rule,
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
    assert passes and reason == "For ages 18–29: your age fits."
    assert age_rule(entry(age_min=50), Profile(age_band="30-49"))[0] is False
    assert age_rule(entry(age_max=17), Profile(age_band="16-17"))[0] is True


def test_an_age_band_that_only_overlaps_the_range_is_kept_with_a_check(ctx):
    passes, reason = age_rule(entry(age_min=18, age_max=25), Profile(age_band="25-29"))
    assert passes and reason == "For ages 18–25: check that your age fits."


def test_an_entry_that_does_not_say_where_is_noted_not_called_far(ctx):
    from portal.matching.scoring import incomplete_note

    person = Profile(comune_code=ASTI, province="AT", region="Piemonte", travel="province")
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
    assert passes and reasons == ["Reserved for people registered with the CPI — you said you are."]


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
    assert "check that you are" in notes[0] and "check that it applies" in notes[1]


def test_deadline_passed_excludes():
    assert closed_rule(entry(closes_on=TODAY - timedelta(days=1)), TODAY) is False
    assert closed_rule(entry(closes_on=TODAY), TODAY) is True
    assert closed_rule(entry(), TODAY) is True


def test_unstated_criteria_never_exclude_and_leave_a_note(ctx):
    verdict = judge(entry(looking_for=None), Profile(age_band="50-64", italian=0, looking_for=frozenset({"job"}),
                                                     hours=10), TODAY)  # fmt: skip
    assert verdict.excluded == []
    assert verdict.notes == ["Not stated by the organisation: age, Italian level, kind of opportunity, hours a week. "
                             "Ask before applying."]  # fmt: skip


# --- soft rules ---------------------------------------------------------------------------


def test_place_same_comune_beats_province_beats_region_beats_far(ctx):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte")
    here = entry(comune_code=ASTI, comune="Asti", province="AT", region="Piemonte")
    province = replace(here, comune_code="005001", comune="Agliano Terme")
    region = replace(here, comune_code="001272", comune="Torino", province="TO")
    far = replace(here, comune_code="058091", comune="Roma", province="RM", region="Lazio")
    points = [place_points(c, me)[0] for c in (here, province, region, far)]
    assert points == [WEIGHTS["comune"], WEIGHTS["province"], WEIGHTS["region"], 0]
    assert place_points(here, me)[1] == "Near you: in Asti."
    assert place_points(replace(far, online=True), me) == (WEIGHTS["online"], "Online: no travel needed.")
    assert place_points(here, Profile()) == (0, None)


def test_further_than_the_person_can_travel_loses_points_and_says_so(ctx):
    me = Profile(comune_code=ASTI, province="AT", region="Piemonte", travel="comune")
    province = entry(comune_code="005001", comune="Agliano Terme", province="AT", region="Piemonte")
    points, reason = place_points(province, me)
    assert points == WEIGHTS["province"] + WEIGHTS["too_far"]
    assert reason.endswith("Further than you said you can travel.")


def test_kind_sector_and_hours(ctx):
    me = Profile(looking_for=frozenset({"course"}), sectors=frozenset({"C"}), hours=20)
    assert kind_points(entry(kind="training", looking_for="course"), me)[0] == WEIGHTS["kind"]
    assert kind_points(entry(), me) == (0, None)
    assert sector_points(entry(sector="C"), me)[0] == WEIGHTS["sector"]
    assert sector_points(entry(sector="Q"), me) == (0, None)
    assert hours_points(entry(hours_per_week=18), me) == (
        WEIGHTS["hours_fit"],
        "18 hours a week: within the time you have.",
    )
    assert hours_points(entry(hours_per_week=36), me)[0] == WEIGHTS["hours_over"]
    assert hours_points(entry(), me) == (0, None)


# --- the columnar ranking is the reference function, faster ---------------------------------


def _random_entries(rng: random.Random, count: int) -> list[Criteria]:
    places = [(ASTI, "Asti", "AT", "Piemonte"), ("005001", "Agliano Terme", "AT", "Piemonte"),
              ("001272", "Torino", "TO", "Piemonte"), ("058091", "Roma", "RM", "Lazio")]  # fmt: skip
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
    place = rng.choice([(None, None, None), (ASTI, "AT", "Piemonte"), (None, "TO", "Piemonte")])
    answered = rng.random() < 0.6
    return Profile(
        age_band=rng.choice([None, *AGE_BANDS]), comune_code=place[0], province=place[1], region=place[2],
        travel=rng.choice([None, *TRAVEL]), italian=rng.choice([None, 0, 1, 2, 3, 6]),
        looking_for=frozenset(rng.sample(LOOKING_FOR, rng.randint(0, 2))), hours=rng.choice([None, 10, 20, 40]),
        situation_answered=answered,
        situations=frozenset(rng.sample(list(SITUATIONS), rng.randint(0, 2))) if answered else frozenset(),
        sectors=frozenset(rng.sample(["C", "Q", "I"], rng.randint(0, 1))))  # fmt: skip


def test_columnar_ranking_gives_the_reference_order_for_random_profiles(ctx):
    rng = random.Random(16)
    rows = _random_entries(rng, 400)
    columns = build_columns(rows, [Shown(f"t{r.id}", f"s{r.id}", "o") for r in rows], TODAY)
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
        "If you register with a Centro per l'Impiego (DID): 1 more internship.",
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


ANSWERS = {"age": "18-24", "comune": "Asti", "travel": "province", "italian": "A2",
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
    assert "Nothing is kept:" in html and "<noscript>" in html and "js/matching.js" in html
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


def test_a_province_without_a_comune_counts_the_whole_province_as_within_reach(ctx):
    parsed = parse({"province": "AT", "travel": "comune"})
    assert parsed.profile.travel == "province"
    assert any("whole province counts as within reach" in problem for problem in parsed.problems)
    points, reason = place_points(entry(province="AT", comune="Asti", region="Piemonte"), parsed.profile)
    assert points == WEIGHTS["province"] and "Further than" not in (reason or "")


def test_neet_with_an_age_of_thirty_or_more_is_explained_and_left_out(ctx):
    parsed = parse({"age": "50-64", "situation": ["neet"]})
    assert "neet" not in parsed.profile.situations
    assert any("under 30" in problem for problem in parsed.problems)
    assert parse({"age": "18-24", "situation": ["neet"]}).problems == []


def test_reloading_a_result_page_goes_back_to_the_form(demo_data, client):
    response = client.get("/cosa-fa-per-me/risultati?lang=it")
    assert response.status_code == 303 and response.headers["Location"].endswith("/cosa-fa-per-me")
