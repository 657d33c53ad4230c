"""The person's answers, from a JSON body (the page's script) or a form (without JavaScript),
checked and turned into a `Profile`. Every answer is optional. A value of the wrong type, an
unknown choice or an unknown key is refused (`BadAnswers`: a 400 with the reason); an unknown
comune or answers that contradict each other are not errors: the profile uses what it can and
`problems` says what was set aside, in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.matching.scoring import AGE_BANDS, CEFR, HOURS, LOOKING_FOR, SITUATIONS, TRAVEL, Profile
from portal.vocabularies.ateco import sections
from portal.vocabularies.places import coordinates, find_comune, provinces, region_of, similar_comuni

SINGLE = ("age", "comune", "province", "travel", "italian", "hours")
MULTIPLE = ("looking", "situation", "sectors")
ITALIAN = ("none", *CEFR)
NONE_OF_THESE = "none"
MAX_TEXT = 100
CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


# The questions as the form words them (legends without their number): error messages name the
# question, never the key the page sends.
QUESTIONS = {
    "age": _l("How old are you?"), "comune": _l("Comune (town)"), "province": _l("Province"),
    "travel": _l("How far can you travel?"), "italian": _l("How well do you speak Italian?"),
    "looking": _l("What are you looking for?"), "hours": _l("How many hours a week can you give?"),
    "situation": _l("Does any of these apply to you?"), "sectors": _l("Which sectors interest you?"),
}  # fmt: skip


def question(name: str) -> str:
    return str(QUESTIONS.get(name, name))


class BadAnswers(ValueError):
    """The body cannot be answers at all; the message says why (shown as a 400)."""


@dataclass
class Parsed:
    profile: Profile
    problems: list[str] = field(default_factory=list)
    answered: int = 0


def _choices() -> dict[str, tuple[str, ...]]:
    return {
        "age": tuple(AGE_BANDS), "travel": TRAVEL, "italian": ITALIAN, "hours": tuple(HOURS),
        "looking": LOOKING_FOR, "situation": (*SITUATIONS, NONE_OF_THESE),
        "sectors": tuple(s.code for s in sections()),
    }  # fmt: skip


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadAnswers(_("The answer to “%(name)s” must be text.", name=question(name)))
    if len(value) > MAX_TEXT:
        raise BadAnswers(_("The answer to “%(name)s” is too long.", name=question(name)))
    if CONTROL.search(value):
        raise BadAnswers(_("The answer to “%(name)s” contains characters that cannot be used.", name=question(name)))
    return " ".join(value.split())


def _list(name: str, value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or len(value) > 30:
        raise BadAnswers(_("The answer to “%(name)s” must be a list of choices.", name=question(name)))
    return [_text(name, item) for item in value]


def normalise(raw: Any) -> dict[str, Any]:
    """Checked answers: {name: text or list of texts}, every value one of the offered choices
    (the comune is free text). Raises BadAnswers."""
    if not isinstance(raw, dict):
        raise BadAnswers(_("The answers must be sent as a JSON object."))
    unknown = sorted(str(key)[:40] for key in raw if key not in SINGLE + MULTIPLE)
    if unknown:
        raise BadAnswers(
            _("The form has no question called %(names)s.", names=", ".join(f"“{u}”" for u in unknown[:5]))
        )
    choices = _choices()
    answers: dict[str, Any] = {}
    for name in SINGLE:
        value = _text(name, raw.get(name))
        if name == "province":
            value = value.upper()
        if value and name in choices and value not in choices[name]:
            raise BadAnswers(_("“%(value)s” is not one of the choices for “%(name)s”.", value=value[:40],
                               name=question(name)))  # fmt: skip
        if value and name == "province" and value not in provinces():
            raise BadAnswers(_("Unknown province: %(value)s.", value=value[:40]))
        answers[name] = value
    for name in MULTIPLE:
        values = _list(name, raw.get(name))
        bad = [v for v in values if v not in choices[name]]
        if bad:
            raise BadAnswers(_("“%(value)s” is not one of the choices for “%(name)s”.", value=bad[0][:40],
                               name=question(name)))  # fmt: skip
        answers[name] = sorted(set(values))
    return answers


def from_form(form) -> dict[str, Any]:
    """A posted form (no JavaScript) as the same raw answers."""
    raw: dict[str, Any] = {}
    for name in form:
        if name in MULTIPLE:
            raw[name] = form.getlist(name)
        else:
            raw[name] = form.get(name)
    return raw


def refill(raw: Any) -> dict[str, Any]:
    """What the form without JavaScript shows again after a post: the values it offers that were
    sent (anything else is dropped), the comune as typed (cut to MAX_TEXT). Nothing is kept."""
    if not isinstance(raw, dict):
        return {}
    choices = {**_choices(), "province": tuple(provinces())}
    values: dict[str, Any] = {}
    for name in SINGLE:
        value = raw.get(name)
        if not isinstance(value, str):
            continue
        if name == "comune":
            values[name] = CONTROL.sub("", value)[:MAX_TEXT]
        elif value in choices.get(name, ()):
            values[name] = value
    for name in MULTIPLE:
        given = raw.get(name)
        listed = given if isinstance(given, list) else [given]
        values[name] = [v for v in listed[:30] if isinstance(v, str) and v in choices[name]]
    return values


def parse(raw: Any) -> Parsed:
    """The profile for these answers, and what could not be used (unknown comune, contradictions)."""
    answers = normalise(raw)
    problems: list[str] = []
    province = answers["province"] or None
    comune_code = None
    if answers["comune"]:
        found = find_comune(answers["comune"], province) or (find_comune(answers["comune"]) if province else None)
        if found is None:
            alike = ", ".join(c.name for c in similar_comuni(answers["comune"], province))
            message = _("We did not find the comune “%(name)s”.", name=answers["comune"])
            if alike:
                message += " " + _("Did you mean: %(names)s?", names=alike)
            if province:
                message += " " + _("Results use the province you chose.")
            problems.append(message)
        else:
            if province and found.province != province:
                problems.append(_("%(comune)s is in the province of %(found)s, not %(chosen)s: results use %(comune)s.",
                                  comune=found.name, found=found.province, chosen=province))  # fmt: skip
            comune_code, province = found.code, found.province
    situations = set(answers["situation"])
    if NONE_OF_THESE in situations and len(situations) > 1:
        problems.append(
            _("You chose “none of these situations” and also a situation: the results use the situations you chose.")
        )
    situations.discard(NONE_OF_THESE)
    travel = answers["travel"] or None
    if travel and not (comune_code or province):
        problems.append(_("To use how far you can travel, say where you live (comune or province)."))
    elif travel and travel != "anywhere" and coordinates(comune_code) is None:
        # no distance can be measured from a province: the limit is read as a reach (TRAVEL_REACH)
        problems.append(_("Without your comune, distances cannot be measured: the results use your province "
                          "and region instead. Add your comune to see the distance in km."))  # fmt: skip
    band = AGE_BANDS.get(answers["age"] or "")
    if "neet" in situations and band and band[0] >= 30:
        situations.discard("neet")
        problems.append(_("NEET paths are for people under 30: the results leave that answer out."))
    italian = ITALIAN.index(answers["italian"]) if answers["italian"] else None
    profile = Profile(
        age_band=answers["age"] or None,
        comune_code=comune_code,
        province=province,
        region=region_of(province),
        travel=travel,
        italian=italian,
        looking_for=frozenset(answers["looking"]),
        hours=HOURS[answers["hours"]] if answers["hours"] else None,
        situation_answered=bool(answers["situation"]),
        situations=frozenset(situations),
        sectors=frozenset(answers["sectors"]),
    )
    answered = sum(1 for name in (*SINGLE, *MULTIPLE) if answers[name])
    return Parsed(profile, problems, answered)
