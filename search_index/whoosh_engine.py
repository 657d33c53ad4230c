"""The Whoosh implementation of the search contract."""
from __future__ import annotations

import html
import math
import os
import shutil
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from whoosh import index, sorting
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.query import And, Every, NullQuery, NumericRange, Or, Require, Term

from search_index.contract import FACET_FIELDS, Document, FacetValue, Hit, IndexUnavailable, SearchQuery, SearchResult
from search_index.querying import clean_text, make_parser, parse
from search_index.schema import NO_DEADLINE, EntrySchema

QUERY_TIME_LIMIT = 1.5  # seconds; a query that takes longer answers with what it has
SNIPPET_CHARS = 220
MULTI_VALUED = {"tenants", "targets"}


def _day_number(day: date | None) -> int:
    return int(day.strftime("%Y%m%d")) if day else NO_DEADLINE


def _from_day_number(number: int | None) -> date | None:
    if not number or number == NO_DEADLINE:
        return None
    return date(number // 10000, number // 100 % 100, number % 100)


def _fields(doc: Document) -> dict:
    published = doc.published_at or datetime.now(UTC)
    return {
        "id": doc.id, "kind": doc.kind, "title": doc.title, "body": doc.body,
        "spell": f"{doc.title} {doc.body}", "url_slug": doc.url_slug, "organisation": doc.organisation,
        "tenants": ",".join(doc.tenants), "province": doc.province, "comune": doc.comune,
        "sector": doc.sector, "targets": ",".join(doc.targets),
        "cost": "" if doc.free is None else ("free" if doc.free else "paid"),
        "closes_on": _day_number(doc.closes_on), "published": int(published.timestamp()), "visibility": "public",
    }


class WhooshEngine:
    """One index folder; readers in any process, a single writer (the indexer)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._local = threading.local()

    # --- writing (the indexer only) ---------------------------------------

    def _writable_index(self):
        if index.exists_in(self.path):
            return index.open_dir(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        return index.create_in(self.path, EntrySchema())

    def apply(self, upserts: Iterable[Document] = (), deletes: Iterable[str] = ()) -> None:
        """Add or replace `upserts` and remove `deletes` in one commit."""
        writer = self._writable_index().writer(timeout=30)
        try:
            for doc_id in deletes:
                writer.delete_by_term("id", doc_id)
            for doc in upserts:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents: Iterable[Document]) -> int:
        """Build a fresh index beside the current one, then swap it in."""
        fresh = self.path.with_name(self.path.name + ".rebuilding")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        writer = index.create_in(fresh, EntrySchema()).writer(limitmb=256)
        count = 0
        for doc in documents:
            writer.add_document(**_fields(doc))
            count += 1
        writer.commit(optimize=True)
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        fresh.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)
        return count

    # --- reading -----------------------------------------------------------

    def is_healthy(self) -> bool:
        try:
            with self._searcher() as searcher:
                searcher.doc_count()
            return True
        except IndexUnavailable:
            return False

    def doc_count(self) -> int:
        with self._searcher() as searcher:
            return searcher.doc_count()

    def _searcher(self):
        """A per-thread searcher, refreshed when the index changed or was swapped."""
        try:
            identity = os.stat(self.path).st_ino
            cached = getattr(self._local, "searcher", None)
            if cached is None or self._local.identity != identity:
                cached = index.open_dir(self.path).searcher()
            else:
                cached = cached.refresh()
            self._local.searcher, self._local.identity = cached, identity
        except Exception as exc:  # missing folder, empty or corrupt files
            self._local.searcher = None
            raise IndexUnavailable(str(exc)) from exc
        return _Borrowed(cached)

    def search(self, request: SearchQuery) -> SearchResult:
        text, shortened = clean_text(request.text)
        with self._searcher() as searcher:
            parser = make_parser(searcher.schema)
            query = parse(parser, text) if text else Every()
            if query is NullQuery:
                return SearchResult([], 0, 1, 0, {}, notice="empty-query")
            today = _day_number(request.today or date.today())
            base = self._base_filters(request, today)
            hits, total, timed_out = self._hits(searcher, query, request, base, today)
            facets = self._facets(searcher, query, request, base, today)
            suggestion = self._suggest(searcher, parser, text, base) if text and total < 3 else None
        pages = max(1, math.ceil(total / request.per_page)) if total else 0
        return SearchResult(hits, total, request.page, pages, facets, suggestion,
                            notice="shortened" if shortened else None, timed_out=timed_out)

    @staticmethod
    def _status_filter(status: list[str], today: int):
        ranges = []
        if "open" in status:
            ranges.append(NumericRange("closes_on", today, None))
        if "closed" in status:
            ranges.append(NumericRange("closes_on", 0, today, endexcl=True))
        return Or(ranges) if ranges else None

    def _base_filters(self, request: SearchQuery, today: int) -> dict:
        """Filters by facet name; `None` key holds the ones that always apply."""
        always = [Term("visibility", "public")]
        if request.tenant:
            always.append(Term("tenants", request.tenant))
        filters: dict = {None: always}
        for name, values in request.filters.items():
            values = [v for v in values if v][:20]
            if not values or name not in FACET_FIELDS:
                continue
            if name == "status":
                clause = self._status_filter(values, today)
                if clause is not None:
                    filters[name] = clause
            else:
                filters[name] = Or([Term(name, v) for v in values])
        if "status" not in filters and not request.include_closed:
            filters["status"] = NumericRange("closes_on", today, None)
        return filters

    @staticmethod
    def _combine(filters: dict, leave_out: str | None = "__none__"):
        parts = list(filters[None]) + [q for name, q in filters.items() if name is not None and name != leave_out]
        return And(parts)

    def _hits(self, searcher, query, request: SearchQuery, filters: dict, today: int):
        sort = {"newest": ("published", True), "deadline": ("closes_on", False)}.get(request.sort)
        # optimize=False: Whoosh's block-quality skipping trips an assertion inside Require.
        collector = searcher.collector(limit=request.page * request.per_page, optimize=False,
                                       sortedby=sort[0] if sort else None, reverse=sort[1] if sort else False)
        timed = TimeLimitCollector(collector, timelimit=QUERY_TIME_LIMIT, use_alarm=False)
        timed_out = False
        try:
            # Require, not a FilterCollector: Whoosh's TimeLimitCollector bypasses a wrapped filter.
            searcher.search_with_collector(Require(query, self._combine(filters)), timed)
        except TimeLimit:
            timed_out = True
        results = timed.results()
        results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70)
        results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        start = (request.page - 1) * request.per_page
        hits = [self._hit(hit, today) for hit in results[start:start + request.per_page]]
        return hits, len(results), timed_out

    @staticmethod
    def _hit(hit, today: int) -> Hit:
        snippet = hit.highlights("body")
        if not snippet:
            body = hit.get("body", "")
            snippet = html.escape(body[:SNIPPET_CHARS] + ("…" if len(body) > SNIPPET_CHARS else ""))
        closes = hit.get("closes_on")
        return Hit(id=hit["id"], kind=hit["kind"], title=hit["title"], url_slug=hit["url_slug"],
                   snippet_html=snippet, organisation=hit.get("organisation", ""), comune=hit.get("comune", ""),
                   province=hit.get("province", ""), closes_on=_from_day_number(closes),
                   is_open=(closes or NO_DEADLINE) >= today)

    def _facets(self, searcher, query, request: SearchQuery, filters: dict, today: int) -> dict:
        """Counts per value; a facet's own selection is left out so its other values stay visible."""
        facets: dict[str, list[FacetValue]] = {}
        groups: dict[str | None, dict] = {}
        for name in FACET_FIELDS:
            key = name if name in filters else None
            groups.setdefault(key, {})[name] = self._facet_definition(name, today)
        for key, definitions in groups.items():
            results = searcher.search(query, filter=self._combine(filters, leave_out=key), limit=1,
                                      groupedby=definitions, maptype=sorting.Count)
            for name in definitions:
                counts = results.groups(name)
                selected = set(request.filters.get(name, []))
                values = [FacetValue(str(v), c, str(v) in selected) for v, c in counts.items() if v not in ("", None)]
                facets[name] = sorted(values, key=lambda f: (-f.count, f.value))[:50]
        return facets

    @staticmethod
    def _facet_definition(name: str, today: int):
        if name == "status":
            return sorting.QueryFacet({"open": NumericRange("closes_on", today, None),
                                       "closed": NumericRange("closes_on", 0, today, endexcl=True)})
        return sorting.FieldFacet(name, allow_overlap=name in MULTI_VALUED)

    def _suggest(self, searcher, parser, text: str, filters: dict) -> str | None:
        """A corrected query, offered only if it finds something the asker may see."""
        corrector = searcher.corrector("spell")
        words, changed = [], False
        reader = searcher.reader()
        for word in text.split():
            if word in {"AND", "OR", "NOT"} or not word.isalpha() or reader.frequency("spell", word.lower()):
                words.append(word)
                continue
            suggestions = corrector.suggest(word.lower(), limit=1, maxdist=2)
            if suggestions and suggestions[0] != word.lower():
                words.append(suggestions[0])
                changed = True
            else:
                words.append(word)
        if not changed:
            return None
        candidate = " ".join(words)
        found = searcher.search(Require(parse(parser, candidate), self._combine(filters)), limit=1, optimize=False)
        return candidate if found.scored_length() else None


class _Borrowed:
    """Context manager around a cached searcher (kept open for the thread's next query)."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher

    def __enter__(self):
        return self.searcher

    def __exit__(self, *exc) -> None:
        return None
