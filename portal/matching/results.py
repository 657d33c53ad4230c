"""The answer to one profile: the ranked entries with their reasons, what would open more, and
the saved-search link; and the project workers' aggregate over fixed synthetic profiles."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.directory.kinds import detail_url
from portal.matching.criteria import Columns, allowed_mask, count_by_kind, open_columns, rank
from portal.matching.scoring import AGE_BANDS, CEFR, LOOKING_FOR, Profile, judge, level_name
from portal.templating import current_locale

LIMIT = 30
KIND_NAMES = {"internship": _l("Internship"), "work_grant": _l("Work grant"), "job": _l("Job"), "course": _l("Course"),
              "volunteering": _l("Volunteering")}  # fmt: skip


@dataclass
class Result:
    id: int
    title: str
    url: str
    organisation: str
    kind: str
    closes_on: date | None
    score: int
    reasons: list[str]
    notes: list[str]
    lang: str = "it"  # the language of the title (Italian when the entry has no English title)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "lang": self.lang, "url": self.url, "organisation": self.organisation,
                "kind": self.kind, "closes_on": self.closes_on.isoformat() if self.closes_on else None,
                "score": self.score, "reasons": self.reasons, "notes": self.notes}  # fmt: skip


@dataclass
class Answer:
    total: int
    results: list[Result]
    widen: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    alert_url: str | None = None

    @property
    def summary(self) -> str:
        """The one line a screen reader announces when the list changes ("12 results")."""
        return ngettext("%(num)d result", "%(num)d results", self.total)

    def as_json(self) -> dict[str, Any]:
        return {"total": self.total, "summary": self.summary, "results": [r.as_json() for r in self.results],
                "widen": self.widen, "problems": self.problems, "alert_url": self.alert_url}  # fmt: skip


def _more(counts: dict[str, int]) -> str:
    """ "6 more courses, 2 more internships" """
    words = {
        "internship": lambda n: ngettext("%(num)d more internship", "%(num)d more internships", n),
        "work_grant": lambda n: ngettext("%(num)d more work grant", "%(num)d more work grants", n),
        "job": lambda n: ngettext("%(num)d more job", "%(num)d more jobs", n),
        "course": lambda n: ngettext("%(num)d more course", "%(num)d more courses", n),
        "volunteering": lambda n: ngettext("%(num)d more volunteering offer", "%(num)d more volunteering offers", n),
    }
    parts = [words[kind](n) for kind, n in counts.items() if n]
    return ", ".join(parts)


def widen(columns: Columns, p: Profile, allowed: int, total: int) -> list[str]:
    """What would open more: the hard rules re-run with one answer relaxed, and what that adds."""
    found = []
    relaxed: list[tuple[Profile, Any]] = []
    if p.italian is not None and p.italian < len(CEFR):
        level = level_name(p.italian + 1)
        relaxed.append((replace(p, italian=p.italian + 1), lambda text, lv=level: _("With Italian %(level)s: %(more)s.",
                                                                                      level=lv, more=text)))  # fmt: skip
    if p.situation_answered and "cpi" not in p.situations:
        relaxed.append(
            (
                replace(p, situations=p.situations | {"cpi"}),
                lambda text: _("If you make the DID at a Centro per l'Impiego: %(more)s.", more=text),
            )
        )
    if total == 0 and p.age_band:
        relaxed.append((replace(p, age_band=None), lambda text: _("Without the age limits: %(more)s.", more=text)))
    if total == 0 and p.situation_answered:
        relaxed.append(
            (
                replace(p, situation_answered=False, situations=frozenset()),
                lambda text: _("Leaving out the situation question: %(more)s.", more=text),
            )
        )
    for profile, say in relaxed:
        gained = allowed_mask(columns, profile) & ~allowed
        text = _more(count_by_kind(columns, gained))
        if text:
            found.append(say(text))
    return found


def alert_link(p: Profile) -> str | None:
    """ "Get alerts" for the search these answers map to: only the search, never the answers."""
    # Where and what only: a situation (disability, protection, ADI/SFL…) would travel in a link
    # and be stored with an address, which is exactly what this tool promises not to do.
    pairs: list[tuple[str, str]] = []
    if p.province:
        pairs.append(("province", p.province))
    kind = ""
    if p.looking_for == frozenset({"course"}):
        kind = "training"
    elif p.looking_for and "course" not in p.looking_for:
        kind = "opportunity"
    if not pairs and not kind:
        return None
    return (
        url_for("alerts.new", search=urlencode(pairs), kind=kind)
        if kind
        else url_for("alerts.new", search=urlencode(pairs))
    )


def answer(p: Profile, today: date, problems: list[str] | None = None, limit: int = LIMIT) -> Answer:
    columns = open_columns(today)
    ranking = rank(columns, p, limit)
    results = []
    for index, score in zip(ranking.indexes, ranking.scores, strict=True):
        criteria, shown = columns.rows[index], columns.shown[index]
        verdict = judge(criteria, p, today)
        title, lang = shown.title_in(current_locale())
        results.append(Result(criteria.id, title, detail_url(criteria.kind, shown.slug), shown.organisation,
                              str(KIND_NAMES.get(criteria.looking_for or "", "")),
                              criteria.closes_on, score, verdict.reasons, verdict.notes, lang))  # fmt: skip
    allowed = allowed_mask(columns, p)
    return Answer(ranking.total, results, widen(columns, p, allowed, ranking.total), list(problems or []),
                  alert_link(p))  # fmt: skip


# --- for project workers: how many synthetic profiles of each kind an opportunity fits ---------

# Each kind is a family of synthetic profiles: the situation is fixed, the age bands and the
# Italian levels vary (every combination is one profile). Not people: a fixed, documented grid.
PROFILE_KINDS: list[tuple[str, Any, dict[str, Any], tuple[str, ...]]] = [
    ("neet", _l("Young people not in education or work (NEET), registered with a Centro per l'Impiego"),
     {"situations": frozenset({"neet", "cpi"})}, ("16-17", "18-24", "25-29")),
    ("protection", _l("Holders of international protection, registered with a Centro per l'Impiego"),
     {"situations": frozenset({"protection", "cpi"})}, ("18-24", "25-29", "30-49", "50-64")),
    ("disability", _l("People with disabilities under Law 68/1999, registered with a Centro per l'Impiego"),
     {"situations": frozenset({"disability", "cpi"})}, ("18-24", "25-29", "30-49", "50-64")),
    ("adi", _l("ADI or SFL recipients"), {"situations": frozenset({"adi_sfl"})}, ("18-24", "25-29", "30-49", "50-64")),
    ("unemployed", _l("Unemployed adults registered with a Centro per l'Impiego"), {"situations": frozenset({"cpi"})},
     ("25-29", "30-49", "50-64")),
]  # fmt: skip
ITALIAN_GRID = tuple(range(0, 7))  # not yet, A1 .. C2


def synthetic_profiles() -> dict[str, list[Profile]]:
    grid: dict[str, list[Profile]] = {}
    for key, _label, fixed, bands in PROFILE_KINDS:
        grid[key] = [Profile(age_band=band, italian=level, situation_answered=True, **fixed)
                     for band in bands for level in ITALIAN_GRID if band in AGE_BANDS]  # fmt: skip
    return grid


@dataclass
class FitRow:
    title: str
    url: str
    organisation: str
    closes_on: date | None
    fits: dict[str, int]  # kind -> how many of its profiles the entry fits
    lang: str = "it"  # the language of the title


def open_total(today: date) -> int:
    """How many open entries the copy holds (the workers' page lists the first of them)."""
    return len(open_columns(today))


def aggregate(today: date, limit: int = 200) -> tuple[dict[str, int], list[FitRow]]:
    """(profiles per kind, one row per open entry, soonest deadline first, at most `limit`)."""
    columns = open_columns(today)
    grid = synthetic_profiles()
    masks = {key: [allowed_mask(columns, p) for p in profiles] for key, profiles in grid.items()}
    rows = []
    for index in range(min(len(columns), limit)):
        bit = 1 << index
        criteria, shown = columns.rows[index], columns.shown[index]
        title, lang = shown.title_in(current_locale())
        rows.append(FitRow(title, detail_url(criteria.kind, shown.slug), shown.organisation, criteria.closes_on,
                           {key: sum(1 for m in ms if m & bit) for key, ms in masks.items()}, lang))  # fmt: skip
    return {key: len(profiles) for key, profiles in grid.items()}, rows


def kind_labels() -> dict[str, str]:
    return {key: str(label) for key, label, _fixed, _bands in PROFILE_KINDS}


__all__ = ["LOOKING_FOR", "aggregate", "answer", "kind_labels"]
