"""Which open entries suit a person, and why: a documented, explainable scoring function.

Nothing here touches the database or the request: `Profile` is what the person answered (every
answer optional), `Criteria` is what one entry says about who may take part. Two kinds of rules:

Hard rules exclude an entry (each returns the reason, or None when the entry passes):

* ``age``          the entry's age range does not overlap the person's age band;
* ``italian``      the entry requires a higher CEFR level of Italian than the person's;
* ``eligibility``  the entry is reserved for people the person said they are not: registered
                   with a Centro per l'Impiego (DID), Law 68/1999, or reserved (every target group
                   is one of RESERVABLE) for NEET, holders of international protection or ADI/SFL
                   recipients; or it is closed to residence-permit holders and the person holds
                   international protection. Applied only when the person answered the
                   "situation" question (else the entry stays, with a note);
* ``closed``       the deadline has passed.

A criterion the entry does not state never excludes: the entry is kept, with a note.

Soft rules add points (WEIGHTS) and a reason in words; the ranking is by total points, then the
soonest deadline, then the entry's id. Every weight below is pinned by a test in tests/test_matching.py:

* place (``place_points``), the first that applies:

  - same comune as the person: 40 ("Near you: in Asti.");
  - online: 30 ("Online: no travel needed.");
  - both comuni have coordinates (data/comuni_coordinates.csv: each comune's centroid): the
    haversine distance, rounded to whole km (at least 1 between two comuni), gives
    up to 5 km 35, up to 15 km 30, up to 30 km 25, up to 60 km 15, up to 120 km 10, beyond 0
    (DISTANCE_POINTS; "Near you: 4 km (Agliano Terme)." up to 30 km, else "85 km from you");
  - otherwise (a comune without coordinates, or the person gave only a province): same province
    25, same region 10, elsewhere 0;
  - the travel answer is a limit in km (TRAVEL_KM: 5, 15, 30, 60 or anywhere). It is soft: an
    entry beyond it loses 30 (``too_far``) and says "Beyond the 15 km you said you can travel.".
    Where no distance can be measured, the limit is read as a reach (TRAVEL_REACH: 5 km = the
    comune, 15 and 30 km = the province, 60 km = the region) and an entry beyond it loses the same
    30 ("Further than you said you can travel.");
  - the person did not say where: 0; the entry does not say where: 0, with a note.

* kind: the kind of thing the person looks for, 30;
* sector: the organisation's ATECO section is one the person chose, 15;
* hours: weekly hours within those available 10, more than available -10, not stated 0;
* situation: meant (among others: not reserved) for a group the person said they belong to, 10.

Every result carries at least one reason in words (when no rule says anything, "None of your
answers rules it out."), and criteria the entry does not state get the note "Criteria not
stated: …" (``incomplete_note``).

The tests that pin each rule (tests/test_matching.py): age ``test_age_outside_the_entry_range_…``,
``test_an_age_band_that_only_overlaps_…``; Italian ``test_italian_required_above_…``; eligibility
``test_reserved_for_cpi_…``, ``test_law_68_…``, ``test_entries_reserved_for_protection_or_adi_…``,
``test_closed_to_permit_holders_…``, ``test_skipping_the_situation_question_…``; deadline
``test_deadline_passed_excludes``; place ``test_place_same_comune_then_online_…``,
``test_the_distance_between_the_comuni_…`` (one case per band), ``test_distance_bands_are_the_documented_ones``
(DISTANCE_POINTS and WEIGHTS as written here), ``test_beyond_the_km_…``, ``test_without_coordinates_…``;
kind ``test_the_kind_looked_for_…``; sector ``test_a_chosen_sector_…``; hours ``test_hours_within_…``;
situation ``test_an_entry_meant_also_for_…``; the sum ``test_the_total_is_the_sum_…``; reasons and
notes ``test_every_result_has_a_reason_…``, ``test_unstated_criteria_never_exclude_…``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.vocabularies.internships import INTERNSHIPS
from portal.vocabularies.places import distance_km

# The person's Italian: 0 = not yet, 1..6 = A1..C2. An entry's requirement uses the same scale.
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
AGE_BANDS: dict[str, tuple[int, int]] = {
    "16-17": (16, 17), "18-24": (18, 24), "25-29": (25, 29), "30-49": (30, 49), "50-64": (50, 64), "65+": (65, 120),
}  # fmt: skip
HOURS = {"10": 10, "20": 20, "30": 30, "40": 40}
# How far the person can travel: a limit in km (None: anywhere), and, where no distance can be
# measured, how far that reaches among 0 comune, 1 province, 2 region, 3 anywhere.
TRAVEL_KM: dict[str, int | None] = {"5": 5, "15": 15, "30": 30, "60": 60, "anywhere": None}
TRAVEL = tuple(TRAVEL_KM)
TRAVEL_REACH = {"5": 0, "15": 1, "30": 1, "60": 2, "anywhere": 3}
# (up to km, points) for an entry at a measured distance; beyond the last, 0.
DISTANCE_POINTS = ((5, 35), (15, 30), (30, 25), (60, 15), (120, 10))
NEAR_KM = 30  # up to this distance the reason says "near you"
LOOKING_FOR = ("internship", "work_grant", "job", "course", "volunteering")
# Situations that open specific paths; the target group each one corresponds to.
SITUATIONS = {"cpi": None, "adi_sfl": "adi-sfl", "protection": "protezione-internazionale",
              "disability": "disabilita-l68", "neet": "neet"}  # fmt: skip
GROUP_OF_SITUATION = {key: group for key, group in SITUATIONS.items() if group}
# An entry whose target groups are all among these is reserved for people in one of them.
RESERVABLE = frozenset(GROUP_OF_SITUATION.values())
WEIGHTS = {
    "comune": 40, "province": 25, "region": 10, "online": 30, "too_far": -30,
    "kind": 30, "sector": 15, "hours_fit": 10, "hours_over": -10, "group": 10,
}  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """What a person answered; None or empty means "skipped"."""

    age_band: str | None = None
    comune_code: str | None = None
    province: str | None = None
    region: str | None = None
    travel: str | None = None
    italian: int | None = None  # 0 (not yet) .. 6 (C2)
    looking_for: frozenset[str] = frozenset()
    hours: int | None = None
    situation_answered: bool = False  # the "situation" question was answered (even "none of these")
    situations: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(GROUP_OF_SITUATION[s] for s in self.situations if s in GROUP_OF_SITUATION)


@dataclass(frozen=True, slots=True)
class Criteria:
    """One open entry's criteria, as the columnar copy keeps them (portal/matching/criteria.py)."""

    id: int
    kind: str  # "opportunity" or "training"
    looking_for: str | None  # LOOKING_FOR value, None when the opportunity type is not stated
    age_min: int | None = None
    age_max: int | None = None
    italian: int | None = None  # 1..6, required level
    did_required: bool | None = None
    l68_reserved: bool | None = None
    permit_accepted: bool | None = None
    targets: frozenset[str] = frozenset()
    hours_per_week: int | None = None
    sector: str = ""
    comune_code: str = ""
    comune: str = ""
    province: str = ""
    region: str = ""
    online: bool = False
    closes_on: date | None = None

    @property
    def reserved_for(self) -> frozenset[str]:
        return self.targets if self.targets and self.targets <= RESERVABLE else frozenset()


@dataclass
class Verdict:
    """The outcome for one entry: excluded (with why), or its points, reasons and notes."""

    excluded: list[str] = field(default_factory=list)  # hard rules that failed (names)
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def looking_for_of(kind: str, opportunity_type: str | None) -> str | None:
    """Which answer to "what are you looking for" an entry is."""
    if kind == "training":
        return "course"
    if opportunity_type in INTERNSHIPS:
        return "internship"
    return {"borsa_lavoro": "work_grant", "lavoro": "job", "volontariato": "volunteering"}.get(opportunity_type or "")


def level_name(level: int) -> str:
    return CEFR[level - 1] if 1 <= level <= 6 else _("none")


def _group_names(groups) -> str:
    from portal.vocabularies.people import TARGET_GROUPS

    return ", ".join(str(TARGET_GROUPS.get(g, g)) for g in sorted(groups))


# --- hard rules: each returns (passes, reason or note) --------------------------------------


def age_span(low: int | None, high: int | None) -> str:
    """The entry's age range in words: "From 18 to 29 years of age", "From 18 years of age"…"""
    if low and high is not None:
        return _("From %(low)d to %(high)d years of age", low=low, high=high)
    if low:
        return _("From %(low)d years of age", low=low)
    return _("Up to %(high)d years of age", high=high or 120)


def age_rule(c: Criteria, p: Profile) -> tuple[bool, str | None]:
    if c.age_min is None and c.age_max is None:
        return True, None
    low, high = c.age_min or 0, c.age_max or 120
    span = age_span(c.age_min, c.age_max)
    if p.age_band not in AGE_BANDS:
        return True, span + "."
    band_low, band_high = AGE_BANDS[p.age_band]
    if high < band_low or low > band_high:
        return False, span + "."
    if low <= band_low and band_high <= high:
        return True, _("%(span)s: your age fits.", span=span)
    return True, _("%(span)s: check that your age fits.", span=span)  # the band only overlaps


def italian_rule(c: Criteria, p: Profile) -> tuple[bool, str | None]:
    if c.italian is None:
        return True, None
    needed = level_name(c.italian)
    if p.italian is None:
        return True, _("Requires Italian %(level)s.", level=needed)
    if p.italian < c.italian:
        return False, _("Requires Italian %(level)s.", level=needed)
    return True, _("Italian %(level)s is enough.", level=needed)


def eligibility_rule(c: Criteria, p: Profile) -> tuple[bool, list[str]]:
    """Passes, and the reasons (when it passes) or what the person lacks (when it does not)."""
    said, missing, fits = p.situation_answered, [], []
    if c.did_required:
        if "cpi" in p.situations:
            fits.append(_("Reserved for people who made the DID at a Centro per l'Impiego — you said you did."))
        elif said:
            missing.append(_("Reserved for people who made the DID (the declaration that they are available to "
                                 "work) at a Centro per l'Impiego."))  # fmt: skip
        else:
            fits.append(_("Reserved for people who made the DID (the declaration that they are available to work) "
                             "at a Centro per l'Impiego: check that you did."))  # fmt: skip
    if c.l68_reserved:
        if "disability" in p.situations:
            fits.append(_("Places reserved under Law 68/1999 — you said it applies to you."))
        elif said:
            missing.append(_("Reserved for people registered under Law 68/1999."))
        else:
            fits.append(_("Reserved for people registered under Law 68/1999: check that it applies to you."))
    reserved = c.reserved_for
    if reserved:
        if reserved & p.groups:
            fits.append(_("Meant for: %(groups)s — you said this is your situation.", groups=_group_names(reserved)))
        elif said:
            missing.append(_("Reserved for: %(groups)s.", groups=_group_names(reserved)))
        else:
            fits.append(
                _("Reserved for: %(groups)s: check that this is your situation.", groups=_group_names(reserved))
            )
    if c.permit_accepted is False and "protection" in p.situations:
        missing.append(_("Not open to holders of a residence permit."))
    return (not missing), (missing or fits)


def closed_rule(c: Criteria, today: date) -> bool:
    return c.closes_on is None or c.closes_on >= today


def hard_rules(c: Criteria, p: Profile, today: date) -> list[str]:
    """The names of the hard rules the entry fails for this person (empty: it may be shown)."""
    failed = []
    if not age_rule(c, p)[0]:
        failed.append("age")
    if not italian_rule(c, p)[0]:
        failed.append("italian")
    if not eligibility_rule(c, p)[0]:
        failed.append("eligibility")
    if not closed_rule(c, today):
        failed.append("closed")
    return failed


# --- soft rules: points and reasons ----------------------------------------------------------


def distance_points(km: int) -> int:
    """The points of an entry `km` away (DISTANCE_POINTS)."""
    for up_to, points in DISTANCE_POINTS:
        if km <= up_to:
            return points
    return 0


def rounded_km(distance: float) -> int:
    """Whole km, at least 1: two comuni are never "0 km" apart."""
    return max(1, round(distance))


def place_points(c: Criteria, p: Profile) -> tuple[int, str | None]:
    """Same comune > online > the measured distance (or, without coordinates, same province >
    same region); beyond the travel limit loses points and says so."""
    if not (p.comune_code or p.province):
        return 0, None
    if not (c.province or c.comune_code or c.online):
        return 0, None  # the entry does not say where: noted (incomplete_note), never counted as far
    if p.comune_code and c.comune_code == p.comune_code:
        return WEIGHTS["comune"], _("Near you: in %(comune)s.", comune=c.comune)
    if c.online:
        return WEIGHTS["online"], _("Online: no travel needed.")
    distance = distance_km(p.comune_code, c.comune_code) if p.comune_code else None
    if distance is not None:
        km = rounded_km(distance)
        points = distance_points(km)
        if km <= NEAR_KM:
            reason = _("Near you: %(km)d km (%(comune)s).", km=km, comune=c.comune)
        else:
            reason = _("%(km)d km from you: %(comune)s (%(province)s).", km=km, comune=c.comune, province=c.province)
        limit = TRAVEL_KM.get(p.travel or "")
        if limit is not None and km > limit:
            points += WEIGHTS["too_far"]
            reason += " " + _("Beyond the %(km)d km you said you can travel.", km=limit)
        return points, reason
    if p.province and c.province == p.province:
        level, reason = "province", _("In your province: %(comune)s (%(province)s).", comune=c.comune,
                                      province=c.province)  # fmt: skip
    elif p.region and c.region == p.region:
        level, reason = "region", _("In your region: %(comune)s (%(province)s).", comune=c.comune,
                                    province=c.province)  # fmt: skip
    else:
        level, reason = "far", _("Far from you: %(comune)s (%(province)s).", comune=c.comune, province=c.province)
    points = WEIGHTS.get(level, 0)
    reach = {"province": 1, "region": 2, "far": 3}[level]
    if p.travel in TRAVEL_REACH and reach > TRAVEL_REACH[p.travel]:
        points += WEIGHTS["too_far"]
        reason += " " + _("Further than you said you can travel.")
    return points, reason


def kind_points(c: Criteria, p: Profile) -> tuple[int, str | None]:
    if c.looking_for and c.looking_for in p.looking_for:
        return WEIGHTS["kind"], _("It is what you are looking for: %(kind)s.", kind=looking_for_label(c.looking_for))
    return 0, None


def sector_points(c: Criteria, p: Profile) -> tuple[int, str | None]:
    if c.sector and c.sector in p.sectors:
        from portal.templating import current_locale
        from portal.vocabularies.ateco import code

        found = code(c.sector)
        name = found.description(current_locale()) if found else c.sector
        return WEIGHTS["sector"], _("In a sector you chose: %(sector)s.", sector=name)
    return 0, None


def hours_points(c: Criteria, p: Profile) -> tuple[int, str | None]:
    if c.hours_per_week is None or p.hours is None:
        return 0, None
    if c.hours_per_week <= p.hours:
        return WEIGHTS["hours_fit"], ngettext(
            "%(num)d hour a week: within the time you have.", "%(num)d hours a week: within the time you have.",
            c.hours_per_week)  # fmt: skip
    return WEIGHTS["hours_over"], ngettext(
        "%(num)d hour a week: more than the time you have.", "%(num)d hours a week: more than the time you have.",
        c.hours_per_week)  # fmt: skip


def group_points(c: Criteria, p: Profile) -> tuple[int, str | None]:
    shared = c.targets & p.groups
    if shared and not c.reserved_for:  # reserved entries already say so
        return WEIGHTS["group"], _("Meant also for: %(groups)s.", groups=_group_names(shared))
    return 0, None


SOFT_RULES = (place_points, kind_points, sector_points, hours_points, group_points)


def incomplete_note(c: Criteria, p: Profile) -> str | None:
    """Criteria the entry does not state, among those the person answered: ranked, with a note."""
    unknown = []
    if p.age_band and c.age_min is None and c.age_max is None:
        unknown.append(_("age"))
    if p.italian is not None and c.italian is None:
        unknown.append(_("Italian level"))
    if p.looking_for and c.looking_for is None:
        unknown.append(_("kind of opportunity"))
    if p.hours is not None and c.kind == "opportunity" and c.hours_per_week is None:
        unknown.append(_("hours a week"))
    if (p.comune_code or p.province) and not (c.province or c.comune_code or c.online):
        unknown.append(_("place"))
    if p.situation_answered and c.did_required is None and c.l68_reserved is None and not c.targets:
        unknown.append(_("who may take part"))
    if not unknown:
        return None
    return _("Criteria not stated: %(what)s. Ask the organisation before applying.", what=", ".join(unknown))


def judge(c: Criteria, p: Profile, today: date) -> Verdict:
    """The whole verdict for one entry: the hard rules, then the points and reasons."""
    verdict = Verdict(excluded=hard_rules(c, p, today))
    if verdict.excluded:
        return verdict
    for rule in SOFT_RULES:
        points, reason = rule(c, p)
        verdict.score += points
        if reason:
            verdict.reasons.append(reason)
    for passed_reason in (age_rule(c, p)[1], italian_rule(c, p)[1]):
        if passed_reason:
            verdict.reasons.append(passed_reason)
    verdict.reasons.extend(eligibility_rule(c, p)[1])
    if not verdict.reasons:  # every result says why it is there
        verdict.reasons.append(_("None of your answers rules it out."))
    note = incomplete_note(c, p)
    if note:
        verdict.notes.append(note)
    return verdict


def looking_for_label(value: str) -> str:
    labels = {"internship": _("an internship"), "work_grant": _("a work grant"), "job": _("a job"),
              "course": _("a course"), "volunteering": _("volunteering")}  # fmt: skip
    return labels.get(value, value)
