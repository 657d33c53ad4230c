"""A compact, per-process columnar copy of the open entries' criteria, and the fast ranking.

Every open, published opportunity and training offer (of a published organisation) is read once
per content generation (portal/content_cache.py: any change to public content on any host drops
it) into `Columns`: the rows as `Criteria`, ordered by deadline then id, and for every value a
hard or soft rule looks at, a bitmask (a Python int, bit i = row i). Ranking one profile is then
a few dozen big-integer ANDs/ORs: the hard rules give the allowed mask, the soft rules split it
into groups of equal points, and the best `limit` rows are read from the highest group down.
`scoring.judge` is the reference: tests check this gives the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import product

from sqlalchemy import or_, select

from portal.content_cache import ProcessCache
from portal.extensions import db
from portal.matching.scoring import (
    AGE_BANDS,
    CEFR,
    LOOKING_FOR,
    TRAVEL,
    WEIGHTS,
    Criteria,
    Profile,
    looking_for_of,
)
from portal.models.directory import Entry, Organisation, Status
from portal.vocabularies.ateco import section_of
from portal.vocabularies.places import region_of

_CACHE = ProcessCache()
FAR_DATE = date.max


@dataclass
class Shown:
    """What a result shows besides its reasons."""

    title: str
    slug: str
    organisation: str


@dataclass
class Columns:
    rows: list[Criteria]
    shown: list[Shown]
    today: date
    all: int = 0
    age_fail: dict[str, int] = field(default_factory=dict)
    italian_over: list[int] = field(default_factory=list)  # [level]: rows requiring more than `level`
    did: int = 0
    l68: int = 0
    permit_refused: int = 0
    reserved_any: int = 0
    reserved_by_group: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    by_comune: dict[str, int] = field(default_factory=dict)
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


def build_columns(rows: Iterable[Criteria], shown: Iterable[Shown], today: date) -> Columns:
    """The masks of `rows` (kept in deadline, then id, order)."""
    pairs = sorted(zip(rows, shown, strict=True), key=lambda pair: (pair[0].closes_on or FAR_DATE, pair[0].id))
    columns = Columns([r for r, _s in pairs], [s for _r, s in pairs], today)

    def add(table: dict, key, bit: int) -> None:
        table[key] = table.get(key, 0) | bit

    hours_exact: dict[int, int] = {}
    italian_exact = [0] * 7
    for i, row in enumerate(columns.rows):
        bit = 1 << i
        columns.all |= bit
        if row.age_min is not None or row.age_max is not None:
            low, high = row.age_min or 0, row.age_max or 120
            for band, (band_low, band_high) in AGE_BANDS.items():
                if high < band_low or low > band_high:
                    add(columns.age_fail, band, bit)
        if row.italian is not None:
            italian_exact[row.italian] |= bit
        if row.did_required:
            columns.did |= bit
        if row.l68_reserved:
            columns.l68 |= bit
        if row.permit_accepted is False:
            columns.permit_refused |= bit
        if row.reserved_for:
            columns.reserved_any |= bit
            for group in row.reserved_for:
                add(columns.reserved_by_group, group, bit)
        for group in row.targets:
            add(columns.by_target, group, bit)
        add(columns.by_comune, row.comune_code, bit)
        add(columns.by_province, row.province, bit)
        add(columns.by_region, row.region, bit)
        if row.online:
            columns.online |= bit
        add(columns.by_looking, row.looking_for, bit)
        add(columns.by_sector, row.sector, bit)
        if row.hours_per_week is not None:
            columns.hours_stated |= bit
            add(hours_exact, min(max(row.hours_per_week, 0), 200), bit)
        if row.closes_on is not None and row.closes_on < today:
            columns.closed |= bit
    columns.italian_over = [0] * 7
    for level in range(5, -1, -1):  # rows requiring more than `level`
        columns.italian_over[level] = columns.italian_over[level + 1] | italian_exact[level + 1]
    running = 0
    for hours in range(0, 201):
        running |= hours_exact.get(hours, 0)
        columns.hours_at_most[hours] = running
    return columns


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


def _place_levels(columns: Columns, p: Profile) -> list[tuple[int, int]]:
    """(mask, points) for the place rule (scoring.place_points)."""
    if not (p.comune_code or p.province):
        return [(columns.all, 0)]
    limit = TRAVEL.index(p.travel) if p.travel in TRAVEL else None
    comune = columns.by_comune.get(p.comune_code, 0) if p.comune_code else 0
    online = columns.online & ~comune
    taken = comune | online
    province = (columns.by_province.get(p.province, 0) if p.province else 0) & ~taken
    taken |= province
    region = (columns.by_region.get(p.region, 0) if p.region else 0) & ~taken
    far = columns.all & ~(taken | region)
    levels = []
    for mask, name, reach in ((comune, "comune", 0), (online, "online", -1), (province, "province", 1),
                              (region, "region", 2), (far, "far", 3)):  # fmt: skip
        points = WEIGHTS.get(name, 0)
        if limit is not None and reach > limit:
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


def load_columns(today: date) -> Columns:
    """Read the open entries' criteria from the database (one query)."""
    entry, organisation = Entry.__table__, Organisation.__table__
    e, o = entry.c, organisation.c
    query = (
        select(
            e.id,
            e.kind,
            e.title,
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
    rows, shown = [], []
    for r in db.session.execute(query):
        targets = tuple(sorted(t for t in (r.target_groups or []) if isinstance(t, str)))
        level = r.italian_level.upper() if isinstance(r.italian_level, str) else None
        rows.append(Criteria(
            id=r.id, kind=r.kind, looking_for=looking_for_of(r.kind, r.opportunity_type),
            age_min=r.age_min, age_max=r.age_max, italian=CEFR.index(level) + 1 if level in CEFR else None,
            did_required=r.did_required, l68_reserved=r.l68_reserved, permit_accepted=r.permit_accepted,
            targets=groups.setdefault(targets, frozenset(targets)), hours_per_week=r.hours_per_week,
            sector=section_of(r.ateco_code), comune_code=r.comune_code or "", comune=r.comune or "",
            province=r.province or "", region=region_of(r.province) or "", online=bool(r.online),
            closes_on=r.closes_on))  # fmt: skip
        shown.append(Shown(r.title, r.slug, r.name))
    return build_columns(rows, shown, today)


def open_columns(today: date) -> Columns:
    """The columnar copy for `today`, kept until public content changes."""
    return _CACHE.get(("matching-columns", today), lambda: load_columns(today))
