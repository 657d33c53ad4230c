"""A compact, per-process columnar copy of the open entries' criteria, and the fast ranking.

Every open, published opportunity and training offer (of a published organisation) is read once
per content generation (portal/content_cache.py: any change to public content on any host drops
it) into `Columns`: the rows as `Criteria`, ordered by deadline then id, and for every value a
hard or soft rule looks at, a bitmask (a Python int, bit i = row i). Ranking one profile is then
a few dozen big-integer ANDs/ORs: the hard rules give the allowed mask, the soft rules split it
into groups of equal points, and the best `limit` rows are read from the highest group down.
The distance rule computes one haversine per distinct comune of the copy (a few thousand at
most) from the person's comune, and ORs the rows of each distance band into one mask.
`scoring.judge` is the reference: tests check this gives the same rows in the same order.
When the copy is rebuilt, and how concurrent requests share it: `open_columns`.
"""

from __future__ import annotations

import bisect
import functools
import logging
import math
import operator
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain, product
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, or_, select

from portal.content_cache import generation
from portal.extensions import db
from portal.matching.scoring import (
    AGE_BANDS,
    CEFR,
    LOOKING_FOR,
    TRAVEL_KM,
    TRAVEL_REACH,
    WEIGHTS,
    Criteria,
    Profile,
    distance_points,
    looking_for_of,
    rounded_km,
)
from portal.models.directory import Entry, Organisation, Status
from portal.vocabularies.ateco import section_of
from portal.vocabularies.places import coordinates, haversine_radians, region_of

log = logging.getLogger(__name__)
FAR_DATE = date.max


@dataclass
class Shown:
    """What a result shows besides its reasons."""

    title: str
    slug: str
    organisation: str
    title_en: str = ""  # the English title, when the entry has one (portal/bilingual.py)

    def title_in(self, locale: str) -> tuple[str, str]:
        """(the title in `locale` when the entry has it, else the Italian; the language it is in)."""
        english = (self.title_en or "").strip()
        return (english, "en") if locale == "en" and english else (self.title, "it")


@dataclass
class Columns:
    rows: list[Criteria]
    shown: list[Shown]
    today: date
    deadlines: list[date] = field(default_factory=list)  # the rows' deadlines (date.max: none), ascending
    all: int = 0
    age_fail: dict[str, int] = field(default_factory=dict)
    italian_over: list[int] = field(default_factory=list)  # [level]: rows requiring more than `level`
    did: int = 0
    l68: int = 0
    permit_refused: int = 0
    reserved_any: int = 0
    reserved_by_group: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    rows_by_comune: dict[str, list[int]] = field(default_factory=dict)
    # The comuni of the rows that have coordinates: (code, latitude, longitude) in radians, and
    # the mask of their rows (the place rule measures a distance for those).
    located: list[tuple[str, float, float]] = field(default_factory=list)
    located_rows: int = 0
    # One mask per comune, kept when they fit in COMUNE_MASKS_BUDGET (each costs about rows/8
    # bytes): then the distance rule ORs a few thousand ints instead of rebuilding its masks.
    comune_masks: dict[str, int] = field(default_factory=dict)
    placed: int = 0  # rows that say where (a province, a comune or online)
    by_province: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    online: int = 0
    by_looking: dict[str, int] = field(default_factory=dict)
    by_sector: dict[str, int] = field(default_factory=dict)
    hours_at_most: dict[int, int] = field(default_factory=dict)
    hours_stated: int = 0
    closed: int = 0

    def __len__(self) -> int:
        return len(self.rows)


def mask_of(indexes: Iterable[int], size: int) -> int:
    """The bitmask with bit i set for every i in `indexes` (built once, not bit by bit: OR-ing one
    bit at a time into a growing integer is quadratic)."""
    buffer = bytearray((size >> 3) + 1)
    for i in indexes:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


COMUNE_MASKS_BUDGET = 64 * 1024 * 1024  # bytes: at 105k rows, about 5,000 comuni
SCALARS = (
    "all",
    "did",
    "l68",
    "permit_refused",
    "reserved_any",
    "online",
    "hours_stated",
    "closed",
    "located_rows",
    "placed",
)
TABLES = ("age_fail", "reserved_by_group", "by_target", "by_province", "by_region", "by_looking", "by_sector")


def build_columns(rows: Iterable[Criteria], shown: Iterable[Shown], today: date) -> Columns:
    """The masks of `rows` (kept in deadline, then id, order)."""
    pairs = sorted(zip(rows, shown, strict=True), key=lambda pair: (pair[0].closes_on or FAR_DATE, pair[0].id))
    columns = Columns([r for r, _s in pairs], [s for _r, s in pairs], today)
    columns.deadlines = [r.closes_on or FAR_DATE for r in columns.rows]
    size = len(columns.rows)
    lists: dict[tuple[str, Any], list[int]] = {}

    def add(name: str, key: Any, i: int) -> None:
        lists.setdefault((name, key), []).append(i)

    for i, row in enumerate(columns.rows):
        add("all", None, i)
        if row.province or row.comune_code or row.online:
            add("placed", None, i)
        if row.age_min is not None or row.age_max is not None:
            low, high = row.age_min or 0, row.age_max or 120
            for band, (band_low, band_high) in AGE_BANDS.items():
                if high < band_low or low > band_high:
                    add("age_fail", band, i)
        if row.italian is not None:
            add("italian_exact", row.italian, i)
        if row.did_required:
            add("did", None, i)
        if row.l68_reserved:
            add("l68", None, i)
        if row.permit_accepted is False:
            add("permit_refused", None, i)
        if row.reserved_for:
            add("reserved_any", None, i)
            for group in row.reserved_for:
                add("reserved_by_group", group, i)
        for group in row.targets:
            add("by_target", group, i)
        columns.rows_by_comune.setdefault(row.comune_code, []).append(i)
        add("by_province", row.province, i)
        add("by_region", row.region, i)
        if row.online:
            add("online", None, i)
        add("by_looking", row.looking_for, i)
        add("by_sector", row.sector, i)
        if row.hours_per_week is not None:
            add("hours_stated", None, i)
            add("hours_exact", min(max(row.hours_per_week, 0), 200), i)
        if row.closes_on is not None and row.closes_on < today:
            add("closed", None, i)
    for code, indexes in columns.rows_by_comune.items():
        point = coordinates(code)
        if point is not None:
            columns.located.append((code, math.radians(point[0]), math.radians(point[1])))
            lists.setdefault(("located_rows", None), []).extend(indexes)
    masks = {pair: mask_of(indexes, size) for pair, indexes in lists.items()}
    if len(columns.rows_by_comune) * (size // 8 + 32) <= COMUNE_MASKS_BUDGET:
        columns.comune_masks = {
            code: mask_of(indexes, size) for code, indexes in columns.rows_by_comune.items() if code
        }
    for name in SCALARS:
        setattr(columns, name, masks.get((name, None), 0))
    for (name, key), mask in masks.items():
        if name in TABLES:
            getattr(columns, name)[key] = mask
    columns.italian_over = [0] * 7
    for level in range(5, -1, -1):  # rows requiring more than `level`
        columns.italian_over[level] = columns.italian_over[level + 1] | masks.get(("italian_exact", level + 1), 0)
    running = 0
    for hours in range(0, 201):
        running |= masks.get(("hours_exact", hours), 0)
        columns.hours_at_most[hours] = running
    return columns


def comune_mask(columns: Columns, code: str | None) -> int:
    """The rows in one comune: kept, or built when asked (when keeping them all would cost too much)."""
    if not code:
        return 0
    kept = columns.comune_masks.get(code)
    return kept if kept is not None else mask_of(columns.rows_by_comune.get(code, ()), len(columns.rows))


def _any(table: dict, keys: Iterable) -> int:
    mask = 0
    for key in keys:
        mask |= table.get(key, 0)
    return mask


def allowed_mask(columns: Columns, p: Profile) -> int:
    """The rows that pass every hard rule for `p` (scoring.hard_rules, as masks)."""
    excluded = columns.closed
    if p.age_band in AGE_BANDS:
        excluded |= columns.age_fail.get(p.age_band, 0)
    if p.italian is not None:
        excluded |= columns.italian_over[min(max(p.italian, 0), 6)]
    if p.situation_answered:
        if "cpi" not in p.situations:
            excluded |= columns.did
        if "disability" not in p.situations:
            excluded |= columns.l68
        excluded |= columns.reserved_any & ~_any(columns.reserved_by_group, p.groups)
    if "protection" in p.situations:
        excluded |= columns.permit_refused
    return columns.all & ~excluded


def _distance_levels(columns: Columns, p: Profile, skip: str) -> list[tuple[int, int]]:
    """(mask, points) for the rows in comuni with coordinates (but `skip`), measured from the
    person's comune: scoring.place_points' distance branch, one haversine per distinct comune."""
    here = coordinates(p.comune_code)
    if here is None:
        return []
    lat1, lon1 = math.radians(here[0]), math.radians(here[1])
    limit = TRAVEL_KM.get(p.travel or "")
    codes: dict[int, list[str]] = {}
    for code, lat2, lon2 in columns.located:
        if code == skip:
            continue
        km = rounded_km(haversine_radians(lat1, lon1, lat2, lon2))
        points = distance_points(km)
        if limit is not None and km > limit:
            points += WEIGHTS["too_far"]
        codes.setdefault(points, []).append(code)
    size, kept = len(columns.rows), columns.comune_masks
    levels = []
    for points, group in codes.items():
        if kept:
            levels.append((functools.reduce(operator.or_, (kept[code] for code in group), 0), points))
        else:
            levels.append((mask_of(chain.from_iterable(columns.rows_by_comune[c] for c in group), size), points))
    return levels


def _place_levels(columns: Columns, p: Profile) -> list[tuple[int, int]]:
    """(mask, points) for the place rule (scoring.place_points)."""
    if not (p.comune_code or p.province):
        return [(columns.all, 0)]
    comune = comune_mask(columns, p.comune_code)
    online = columns.online & ~comune
    taken = comune | online
    levels = [(comune, WEIGHTS["comune"]), (online, WEIGHTS["online"])]
    if coordinates(p.comune_code) is not None:
        levels += [(mask & ~taken, points) for mask, points in _distance_levels(columns, p, p.comune_code or "")]
        taken |= columns.located_rows
    reach = TRAVEL_REACH.get(p.travel or "")
    province = (columns.by_province.get(p.province, 0) if p.province else 0) & ~taken
    taken |= province
    region = (columns.by_region.get(p.region, 0) if p.region else 0) & ~taken
    far = columns.placed & ~(taken | region)
    levels.append((columns.all & ~columns.placed, 0))  # no place stated: noted, never counted as far
    for mask, name, level in ((province, "province", 1), (region, "region", 2), (far, "far", 3)):
        points = WEIGHTS.get(name, 0)
        if reach is not None and level > reach:
            points += WEIGHTS["too_far"]
        levels.append((mask, points))
    return levels


def _soft_splits(columns: Columns, p: Profile) -> list[list[tuple[int, int]]]:
    """For each soft rule, the (mask, points) partition of all rows."""
    splits = [_place_levels(columns, p)]
    kind = _any(columns.by_looking, p.looking_for)
    splits.append([(kind, WEIGHTS["kind"]), (columns.all & ~kind, 0)])
    sector = _any(columns.by_sector, (s for s in p.sectors if s))
    splits.append([(sector, WEIGHTS["sector"]), (columns.all & ~sector, 0)])
    if p.hours is not None:
        fit = columns.hours_at_most[min(max(p.hours, 0), 200)]
        over = columns.hours_stated & ~fit
        splits.append([(fit, WEIGHTS["hours_fit"]), (over, WEIGHTS["hours_over"]),
                       (columns.all & ~columns.hours_stated, 0)])  # fmt: skip
    group = _any(columns.by_target, p.groups) & ~columns.reserved_any
    splits.append([(group, WEIGHTS["group"]), (columns.all & ~group, 0)])
    return splits


def _bits(mask: int, limit: int) -> list[int]:
    found: list[int] = []
    while mask and len(found) < limit:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


@dataclass
class Ranking:
    total: int  # how many rows pass the hard rules
    indexes: list[int]  # the best `limit` of them, best first
    scores: list[int]


def rank(columns: Columns, p: Profile, limit: int = 30) -> Ranking:
    """The best `limit` rows for `p`: most points first, then soonest deadline, then id."""
    allowed = allowed_mask(columns, p)
    parts: dict[int, int] = {0: allowed}
    for split in _soft_splits(columns, p):
        regrouped: dict[int, int] = {}
        for (score, part), (mask, points) in product(parts.items(), split):
            both = part & mask
            if both:
                regrouped[score + points] = regrouped.get(score + points, 0) | both
        parts = regrouped
    indexes: list[int] = []
    scores: list[int] = []
    for score in sorted(parts, reverse=True):
        taken = _bits(parts[score], limit - len(indexes))
        indexes += taken
        scores += [score] * len(taken)
        if len(indexes) >= limit:
            break
    return Ranking(allowed.bit_count(), indexes, scores)


def count_by_kind(columns: Columns, mask: int) -> dict[str, int]:
    return {kind: (mask & columns.by_looking.get(kind, 0)).bit_count() for kind in LOOKING_FOR}


def _looked_up(seen: dict[str, str], value: str | None, look_up: Callable[[str], str | None]) -> str:
    """`look_up(value)`, asked once per distinct value."""
    key = value or ""
    if key not in seen:
        seen[key] = look_up(key) or ""
    return seen[key]


def load_columns(today: date) -> Columns:
    """Read the open entries' criteria from the database (one query)."""
    entry, organisation = Entry.__table__, Organisation.__table__
    e, o = entry.c, organisation.c
    query = (
        select(
            e.id,
            e.kind,
            e.title,
            e.title_en,
            e.slug,
            e.opportunity_type,
            e.age_min,
            e.age_max,
            e.italian_level,
            e.did_required,
            e.l68_reserved,
            e.permit_accepted,
            e.target_groups,
            e.hours_per_week,
            e.comune_code,
            e.comune,
            e.province,
            e.online,
            e.closes_on,
            o.ateco_code,
            o.name,
        )  # fmt: skip
        .join(organisation, o.id == e.organisation_id)
        .where(
            e.status == Status.PUBLISHED.value,
            o.status == Status.PUBLISHED.value,
            e.kind.in_(("opportunity", "training")),
            or_(e.closes_on.is_(None), e.closes_on >= today),
        )  # fmt: skip
    )
    groups: dict[tuple[str, ...], frozenset[str]] = {}
    regions: dict[str, str] = {}
    sectors: dict[str, str] = {}
    rows, shown = [], []
    for r in db.session.execute(query):
        targets = tuple(sorted(t for t in (r.target_groups or []) if isinstance(t, str)))
        level = r.italian_level.upper() if isinstance(r.italian_level, str) else None
        rows.append(Criteria(
            id=r.id, kind=r.kind, looking_for=looking_for_of(r.kind, r.opportunity_type),
            age_min=r.age_min, age_max=r.age_max, italian=CEFR.index(level) + 1 if level in CEFR else None,
            did_required=r.did_required, l68_reserved=r.l68_reserved, permit_accepted=r.permit_accepted,
            targets=groups.setdefault(targets, frozenset(targets)), hours_per_week=r.hours_per_week,
            sector=_looked_up(sectors, r.ateco_code, section_of), comune_code=r.comune_code or "", comune=r.comune or "",
            province=r.province or "", region=_looked_up(regions, r.province, region_of), online=bool(r.online),
            closes_on=r.closes_on))  # fmt: skip
        shown.append(Shown(r.title, r.slug, r.name, r.title_en or ""))
    return build_columns(rows, shown, today)


# Above this many rows a stale copy keeps serving while one thread rebuilds it in the background
# (about 10 s at 100k open entries on the project's machine: bench/README.md); below, the request
# that finds the copy stale rebuilds it, and any request meanwhile uses the previous copy.
REBUILD_IN_BACKGROUND_ABOVE = 5000
# How often a process checks the entries' fingerprint (count, last change, sum of versions), which
# catches writes the content generation does not see (a job or a script writing with plain SQL).
FINGERPRINT_EVERY = 5.0


class _Holder:
    """The last copy built by this process, for which app, version of the entries and day; the
    lock that lets one rebuild run at a time. Never keyed by anything a person answered."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards the fields below (held for microseconds)
        self.rebuilding = threading.Lock()  # held by the one thread rebuilding the copy
        self.key: tuple[int, str, tuple, date] | None = None  # (which app, generation, fingerprint, day)
        self.columns: Columns | None = None
        self.fingerprint: tuple = ()
        self.fingerprint_at = -math.inf
        self.fingerprint_app = 0


_HOLDER = _Holder()


def entries_fingerprint() -> tuple:
    """A cheap summary of the entries and organisations: changes whenever a row is added, removed
    or updated through the ORM (updated_at, version), however the content generation was told."""
    e, o = Entry.__table__.c, Organisation.__table__.c
    query = select(func.count(e.id), func.max(e.updated_at), func.coalesce(func.sum(e.version), 0),
                   select(func.count(o.id)).scalar_subquery(), select(func.max(o.updated_at)).scalar_subquery())  # fmt: skip
    row = db.session.execute(query).one()
    return tuple(str(value) for value in row)


def _fingerprint(app: Flask) -> tuple:
    now = time.monotonic()
    with _HOLDER.lock:
        if _HOLDER.fingerprint_app == id(app) and now - _HOLDER.fingerprint_at < FINGERPRINT_EVERY:
            return _HOLDER.fingerprint
    value = entries_fingerprint()
    with _HOLDER.lock:
        _HOLDER.fingerprint, _HOLDER.fingerprint_at, _HOLDER.fingerprint_app = value, now, id(app)
    return value


def for_day(columns: Columns, today: date) -> Columns:
    """A copy built on an earlier day, valid for `today`: the rows whose deadline has passed since
    (a prefix: rows are in deadline order) are closed. Shares every mask; costs a bisection."""
    if columns.today == today:
        return columns
    passed = bisect.bisect_left(columns.deadlines, today)
    return replace(columns, today=today, closed=columns.closed | ((1 << passed) - 1))


def _store(key: tuple[int, str, tuple, date], fresh: Columns) -> None:
    with _HOLDER.lock:
        _HOLDER.key, _HOLDER.columns = key, fresh


def _rebuild_in_background(app: Flask, key: tuple[int, str, tuple, date]) -> None:
    try:
        with app.app_context():
            fresh = load_columns(key[3])
            db.session.remove()
        _store(key, fresh)
    except Exception:  # the stale copy keeps serving; the next request tries again
        log.exception("matching: rebuilding the columnar copy failed")
    finally:
        _HOLDER.rebuilding.release()


def open_columns(today: date) -> Columns:
    """The columnar copy for `today`, rebuilt when the entries change (the content generation,
    portal/content_cache.py, or the entries' fingerprint) or the day does.

    One rebuild at a time: while one thread rebuilds, every other request answers from the
    previous copy (made valid for today by `for_day`); only a process's very first request, with
    no copy at all, waits, and then for the one build under way rather than starting another.
    A large copy is rebuilt by a background thread, a small one by the request that found it stale."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = (id(app), generation().current(), _fingerprint(app), today)
    with _HOLDER.lock:
        columns, current = _HOLDER.columns, _HOLDER.key
    if columns is not None and current == key:
        return columns
    if columns is not None and current is not None and current[0] == key[0]:
        if not _HOLDER.rebuilding.acquire(blocking=False):
            return for_day(columns, today)  # another thread is rebuilding it
        if len(columns) > REBUILD_IN_BACKGROUND_ABOVE:
            threading.Thread(target=_rebuild_in_background, args=(app, key), daemon=True,
                             name="matching-rebuild").start()  # fmt: skip
            return for_day(columns, today)
        try:
            fresh = load_columns(today)
            _store(key, fresh)
            return fresh
        finally:
            _HOLDER.rebuilding.release()
    with _HOLDER.rebuilding:  # no copy for this app yet: build it once, the others wait for it
        with _HOLDER.lock:
            if _HOLDER.columns is not None and _HOLDER.key is not None and _HOLDER.key[0] == key[0]:
                return for_day(_HOLDER.columns, today)
        fresh = load_columns(today)
        _store(key, fresh)
        return fresh
