"""A per-process columnar copy of search_document's facet values, for the PostgreSQL engine.

Every document has a number (`num`, migration 0020_search_numbers); the copy stores, for each
facet value, the set of documents holding it as a bitset (a Python int, bit `num - base`), and
two orders computed by PostgreSQL (newest first; by deadline, with the deadlines). A search
then asks PostgreSQL only for the numbers matching its words (or nothing, without words) and
counts every facet with big-integer ANDs and `int.bit_count()`; the page of a date order is read
from the precomputed order. The copy also keeps the last MATCHES_KEPT match sets, by tsquery.

The copy is loaded in one statement and is valid for one `key` (see PostgresEngine._copy_key);
the engine decides when to use it and when to answer from SQL instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from search_index.bitsets import DateOrders, mask_of, mask_of_words
from search_index.contract import DEADLINE_WINDOWS, FACET_FIELDS, FacetValue, SearchQuery
from search_index.querying import day_number

ARRAY_FACETS = ("tenants", "targets")
SCALAR_FACETS = ("kind", "opportunity_type", "allowance", "province", "comune", "sector", "cost")
MAX_FACET_VALUES = 50
MATCHES_KEPT = 256  # match sets kept per copy (about size / 8 bytes each)
RANKS_KEPT = 64  # queries whose ranks are kept per copy (up to EXACT_RANK_LIMIT each)
STALE = -1  # a match set holding a document the copy does not know
# A tsquery's text when it is nothing but lexemes OR-ed ('lavor' | 'lavoro'): its match set is the
# union of theirs. Anything else (phrases, negation, prefixes, weights) is matched by PostgreSQL.
_LEXEME = r"'((?:[^'\\]|'')+)'"
_PLAIN_OR = re.compile(rf"{_LEXEME}(?: \| {_LEXEME})*")
_FACET_ROWS = " UNION ALL ".join(
    [f"SELECT '{name}' AS facet, {name} AS value, num FROM d" for name in SCALAR_FACETS]
    + [f"SELECT '{name}', unnest({name}), num FROM d" for name in ARRAY_FACETS]
)
# One statement (one snapshot): a row with the two orders (and the deadlines in the second), then a
# row per facet value with its documents as 64-bit words.
LOAD_SQL = (
    f"WITH d AS MATERIALIZED (SELECT num, published, id, closes_on, {', '.join((*SCALAR_FACETS, *ARRAY_FACETS))} "
    "FROM search_document) "
    "SELECT '' AS facet, '' AS value, array_agg(num ORDER BY published DESC, id) AS a, "
    "array_agg(num ORDER BY closes_on, published DESC, id) AS b, "
    "array_agg(closes_on ORDER BY closes_on, published DESC, id) AS c FROM d "
    "UNION ALL SELECT facet, value, array_agg(w ORDER BY w), array_agg(v ORDER BY w), NULL FROM ("
    "SELECT facet, value, num >> 6 AS w, bit_or(1::bigint << (num & 63)::int) AS v "
    f"FROM ({_FACET_ROWS}) f GROUP BY 1, 2, 3) s GROUP BY 1, 2"
)


@dataclass
class FacetCopy:
    """The facet values of every document as bitsets; positions are `num - base`."""

    key: tuple[Any, ...]
    base: int
    size: int
    all: int = 0
    values: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> bitset
    # positions by published DESC, id and by closes_on ASC, published DESC, id
    orders: DateOrders = field(default_factory=lambda: DateOrders([], [], [], 0))
    matches: dict[str, int] = field(default_factory=dict)  # tsquery text -> match set (oldest first)
    lexemes: dict[str, int] = field(default_factory=dict)  # a frequent lexeme -> its match set
    rare: set[str] = field(default_factory=set)  # lexemes with no kept set (search_lexeme)
    ranks: dict[Any, dict[int, float]] = field(default_factory=dict)  # a query -> position -> ts_rank_cd

    def from_words(self, words: Sequence[int], values: Sequence[int]) -> int:
        """The match set of PostgreSQL's 64-bit words as positions (STALE when it holds a document
        the copy does not know)."""
        found = mask_of_words(words, values)
        if found & ((1 << self.base) - 1):
            return STALE
        found >>= self.base
        return STALE if found & ~self.all else found

    def from_kept(self, words: Sequence[int], values: Sequence[int], newer: Iterable[int]) -> int:
        """A kept set (`search_lexeme`'s 64-bit words) and the numbers matched after it, as positions:
        the documents gone since are left out; STALE when it holds a document the copy does not know."""
        found = mask_of_words(words, values) >> self.base
        for num in newer:
            if num >= self.base:
                found |= 1 << (num - self.base)
        return STALE if found >> self.size else found & self.all

    def lexemes_of(self, query: str) -> list[str] | None:
        """The lexemes of a tsquery text that only ORs lexemes; None for any other tsquery."""
        if not _PLAIN_OR.fullmatch(query):
            return None
        return [quoted.replace("''", "'") for quoted in re.findall(_LEXEME, query)]

    def ranks_of(self, query: Any) -> dict[int, float]:
        """The ranks computed so far for `query` (kept for the last RANKS_KEPT queries)."""
        found = self.ranks.pop(query, None)
        if found is None:
            found = {}
            if len(self.ranks) >= RANKS_KEPT:
                self.ranks.pop(next(iter(self.ranks)), None)
        self.ranks[query] = found
        return found

    def keep_match(self, query: str, match: int) -> None:
        """Keep `match` as the set of `query`, forgetting the oldest past MATCHES_KEPT."""
        self.matches.pop(query, None)
        if len(self.matches) >= MATCHES_KEPT:
            self.matches.pop(next(iter(self.matches)), None)
        self.matches[query] = match

    @property
    def highest(self) -> int:
        """The highest document number the copy knows."""
        return self.base + self.size - 1

    def closing_between(self, first: int, last: int) -> int:
        return self.orders.closing_between(first, last)

    def ordered(self, by_newest: bool, mask: int, total: int, start: int, count: int) -> list[int]:
        return self.orders.ordered(by_newest, mask, total, start, count)

    def nums(self, positions: Iterable[int]) -> list[int]:
        return [self.base + p for p in positions]


def load_copy(rows: Iterable[Any], key: tuple[Any, ...]) -> FacetCopy:
    """The copy from LOAD_SQL's rows: the orders first, then one row per facet value."""
    found = iter(rows)
    _facet, _value, newest, soonest, days = next(found)
    newest, soonest = newest or [], soonest or []
    base = min(newest, default=0)
    size = max(newest, default=base) - base + 1
    copy = FacetCopy(key, base, size, all=mask_of((n - base for n in newest), size))
    copy.orders = DateOrders((n - base for n in newest), (n - base for n in soonest), days or [], size)
    copy.values = {name: {} for name in (*SCALAR_FACETS, *ARRAY_FACETS)}
    for facet, value, words, bits, _days in found:
        copy.values[facet][value] = mask_of_words(words, bits) >> base
    return copy


class Selection:
    """A SearchQuery's scope and filters as bitsets over one copy (the same meaning as the SQL
    conditions of postgres_engine._Filters)."""

    def __init__(self, copy: FacetCopy, request: SearchQuery) -> None:
        self.copy = copy
        day = request.today or date.today()
        self.today = day_number(day)
        self.until = {window: day_number(day + timedelta(days=days)) for window, days in DEADLINE_WINDOWS.items()}
        self.selected = {name: set(values) for name, values in request.filters.items()}
        self.base = copy.all
        if request.tenant:
            self.base &= copy.values["tenants"].get(request.tenant, 0)
        self.by_facet: dict[str, int] = {}
        for name, values in request.filters.items():
            values = [v for v in values if v][:20]
            if values and name in FACET_FIELDS:
                self._add(name, values)
        if "status" not in self.by_facet and not request.include_closed:
            self.by_facet["status"] = self.open

    @property
    def open(self) -> int:
        return self.copy.closing_between(self.today, 99999999)

    def _add(self, name: str, values: list[str]) -> None:
        if name == "status":
            wanted = {v for v in values if v in ("open", "closed")}
            if wanted == {"open"}:
                self.by_facet[name] = self.open
            elif wanted == {"closed"}:
                self.by_facet[name] = self.copy.all & ~self.open
            elif not wanted:
                self.by_facet[name] = 0
            return
        if name == "deadline":
            mask = 0
            for window in (v for v in DEADLINE_WINDOWS if v in values):
                mask |= self.copy.closing_between(self.today, self.until[window])
            self.by_facet[name] = mask
            return
        table = self.copy.values.get(name, {})
        mask = 0
        for value in values:
            mask |= table.get(value, 0)
        self.by_facet[name] = mask

    def where(self, match: int | None, without: str | None = None) -> int:
        """The documents in scope, matching (None: no words), passing every filter but `without`'s."""
        mask = self.base if match is None else self.base & match
        for name, accepted in self.by_facet.items():
            if name != without:
                mask &= accepted
        return mask

    def facets(self, match: int | None) -> dict[str, list[FacetValue]]:
        """Counts per value; a facet's own selection is left out so its other values stay visible."""
        counts = {name: list(self._counts(name, self.where(match, without=name))) for name in FACET_FIELDS}
        return {
            name: (values if name == "deadline" else sorted(values, key=lambda f: (-f.count, f.value)))[
                :MAX_FACET_VALUES
            ]
            for name, values in counts.items()
        }

    def _counts(self, name: str, scope: int) -> Iterator[FacetValue]:
        if name == "deadline":
            pairs = [(w, self.copy.closing_between(self.today, self.until[w])) for w in DEADLINE_WINDOWS]
        elif name == "status":
            pairs = [("open", self.open), ("closed", self.copy.all & ~self.open)]
        else:
            pairs = list(self.copy.values.get(name, {}).items())
        for value, mask in pairs:
            number = (scope & mask).bit_count()
            if value and number:
                yield FacetValue(value, number, value in self.selected.get(name, set()))
