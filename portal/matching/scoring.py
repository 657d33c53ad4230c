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
soonest deadline, then the entry's id:

* place: same comune 40, same province 25, same region 10, online 30; an entry further than the
  person said they can travel loses 30 (and says so);
* kind: the kind of thing the person looks for, 30;
* sector: an ATECO section the person chose, 15;
* hours: weekly hours within those available 10, more than available -10;
* situation: meant for a group the person said they belong to, 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.vocabularies.internships import INTERNSHIPS

# The person's Italian: 0 = not yet, 1..6 = A1..C2. An entry's requirement uses the same scale.
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
AGE_BANDS: dict[str, tuple[int, int]] = {
    "16-17": (16, 17), "18-24": (18, 24), "25-29": (25, 29), "30-49": (30, 49), "50-64": (50, 64), "65+": (65, 120),
}  # fmt: skip
HOURS = {"10": 10, "20": 20, "30": 30, "40": 40}
TRAVEL = ("comune", "province", "region", "anywhere")
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


def age_rule(c: Criteria, p: Profile) -> tuple[bool, str | None]:
    if c.age_min is None and c.age_max is None:
        return True, None
    low, high = c.age_min or 0, c.age_max or 120
    span = f"{low}–{high}" if c.age_max is not None else f"{low}+"
    if p.age_band not in AGE_BANDS:
        return True, _("For ages %(span)s.", span=span)
    band_low, band_high = AGE_BANDS[p.age_band]
    if high < band_low or low > band_high:
        return False, _("For ages %(span)s.", span=span)
    if low <= band_low and band_high <= high:
        return True, _("For ages %(span)s: your age fits.", span=span)
    return True, _("For ages %(span)s: check that your age fits.", span=span)  # the band only overlaps


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
            fits.append(_("Reserved for people registered with the CPI — you said you are."))
        elif said:
            missing.append(_("Reserved for people registered with a Centro per l'Impiego (DID)."))
        else:
            fits.append(_("Reserved for people registered with a Centro per l'Impiego (DID): check that you are."))
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


def place_points(c: Criteria, p: Profile) -> tuple[int, str | None]:
    """Same comune > same province > same region; online counts as near; beyond the travel limit loses points."""
    if not (p.comune_code or p.province):
        return 0, None
    if not (c.province or c.comune_code or c.online):
        return 0, None  # the entry does not say where: noted (incomplete_note), never counted as far
    if p.comune_code and c.comune_code == p.comune_code:
        level, reason = "comune", _("Near you: in %(comune)s.", comune=c.comune)
    elif c.online:
        level, reason = "online", _("Online: no travel needed.")
    elif p.province and c.province == p.province:
        level, reason = "province", _("In your province: %(comune)s (%(province)s).", comune=c.comune,
                                      province=c.province)  # fmt: skip
    elif p.region and c.region == p.region:
        level, reason = "region", _("In your region: %(comune)s (%(province)s).", comune=c.comune,
                                    province=c.province)  # fmt: skip
    else:
        level, reason = "far", _("Far from you: %(comune)s (%(province)s).", comune=c.comune, province=c.province)
    points = WEIGHTS.get(level, 0)
    limit = TRAVEL.index(p.travel) if p.travel in TRAVEL else None
    reach = {"comune": 0, "online": -1, "province": 1, "region": 2, "far": 3}[level]
    if limit is not None and reach > limit:
        points += WEIGHTS["too_far"]
        reason = (reason or "") + " " + _("Further than you said you can travel.")
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
    if not unknown:
        return None
    return _("Not stated by the organisation: %(what)s. Ask before applying.", what=", ".join(unknown))


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
    note = incomplete_note(c, p)
    if note:
        verdict.notes.append(note)
    return verdict


def looking_for_label(value: str) -> str:
    labels = {"internship": _("an internship"), "work_grant": _("a work grant"), "job": _("a job"),
              "course": _("a course"), "volunteering": _("volunteering")}  # fmt: skip
    return labels.get(value, value)
