"""The Whoosh implementation of the search contract."""

from __future__ import annotations

import functools
import html
import math
import operator
import os
import shutil
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import HtmlFormatter, SentenceFragmenter
from whoosh.query import Every, NullQuery
from whoosh.scoring import BM25F
from whoosh.searching import Results

from search_index.analysis import is_stop_word
from search_index.bitsets import DateOrders, mask_of, members
from search_index.contract import (
    DEADLINE_WINDOWS,
    FACET_FIELDS,
    Document,
    FacetValue,
    Hit,
    IndexUnavailable,
    SearchQuery,
    SearchResult,
)
from search_index.querying import (
    EXACT_RANK_LIMIT,
    NO_DEADLINE,
    clean_text,
    day_number,
    epoch,
    expanded_text,
    from_day_number,
    make_parser,
    opening,
    parse,
    spelling_of_term,
)
from search_index.schema import EntrySchema
from search_index.snippets import Snippets
from search_index.whoosh_ranking import TermSets, is_plain, scored_by_whoosh

RANKS_KEPT = 64  # queries whose scores are kept per searcher

SNIPPET_CHARS = 220


def _fields(doc: Document) -> dict[str, Any]:
    published = doc.published_at or datetime.now(UTC)
    return {
        "id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "body": doc.body,
        "spell": f"{doc.title} {doc.title_en} {doc.organisation} {doc.comune}",
        "url_slug": doc.url_slug,
        "organisation": doc.organisation,
        "tenants": ",".join(doc.tenants),
        "province": doc.province,
        "comune": doc.comune,
        "sector": doc.sector,
        "targets": ",".join(doc.targets),
        "cost": "" if doc.free is None else ("free" if doc.free else "paid"),
        "opportunity_type": doc.opportunity_type,
        "allowance": doc.allowance,
        "summary": doc.summary,
        "title_en": doc.title_en,
        "body_en": doc.body_en,
        "summary_en": doc.summary_en,
        "closes_on": day_number(doc.closes_on),
        "published": epoch(published),
    }


class WhooshEngine:
    """One index folder; readers in any process, a single writer (the indexer)."""

    follows_transactions = False

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()

    # --- writing (the indexer only) ---------------------------------------

    def _writable_index(self) -> Any:
        if index.exists_in(self.path):
            return index.open_dir(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        return index.create_in(self.path, EntrySchema())

    def apply(self, upserts: Iterable[Document] = (), deletes: Iterable[str] = ()) -> None:
        """Add or replace `upserts` and remove `deletes` in one commit."""
        writer = self._writable_index().writer(timeout=30)
        known = set(writer.schema.names())  # an index built before a new field: that field waits for the rebuild
        try:
            for doc_id in deletes:
                writer.delete_by_term("id", doc_id)
            for doc in upserts:
                writer.update_document(**{k: v for k, v in _fields(doc).items() if k in known})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents: Iterable[Document], parallel: bool = False) -> int:
        """Build a fresh index beside the current one, then swap it in.

        `parallel` analyses in one worker process per core (it forks: only from a
        single-threaded process such as the CLI, never from the web process's indexer thread).
        """
        fresh = self.path.with_name(self.path.name + ".rebuilding")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        procs = max(1, min(4, os.cpu_count() or 1)) if parallel else 1
        writer = index.create_in(fresh, EntrySchema()).writer(procs=procs, limitmb=128, multisegment=procs > 1)
        count = 0
        for doc in documents:
            writer.add_document(**_fields(doc))
            count += 1
        writer.commit()  # no optimize: merging the per-process segments costs more than it saves
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        fresh.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)
        return count

    def maintain(self) -> str:
        return "the Whoosh index merges its own segments as it writes: nothing to do"

    def vacuum(self) -> None:
        return None

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
            return int(searcher.doc_count())

    def _searcher(self) -> _Borrowed:
        """A per-thread searcher, opened again when the index changed or was swapped.

        Opened again rather than `refresh()`ed: a refreshed searcher kept the readers of segments
        merged away and returned some documents twice (one search between six writes showed it)."""
        try:
            identity = os.stat(self.path).st_ino
            cached = getattr(self._local, "searcher", None)
            if cached is None or self._local.identity != identity or not cached.up_to_date():
                if cached is not None:
                    cached.close()
                # Plain reads, not mmap: the index's pages stay in the OS cache instead of the
                # worker's resident memory.
                cached = FileStorage(str(self.path), supports_mmap=False).open_index().searcher()
                missing = set(EntrySchema().names()) - set(cached.schema.names())
                if missing:  # built by an older version: answered from the database until rebuilt
                    raise IndexUnavailable(f"index lacks {', '.join(sorted(missing))}: rebuild it")
            self._local.searcher, self._local.identity = cached, identity
        except Exception as exc:  # missing folder, empty or corrupt files
            self._local.searcher = None
            raise IndexUnavailable(str(exc)) from exc
        return _Borrowed(cached)

    def search(self, request: SearchQuery) -> SearchResult:
        text, shortened = clean_text(request.text)
        with self._searcher() as searcher:
            parser = make_parser(searcher.schema)
            query = parse(parser, expanded_text(text, request.synonyms, is_stop_word)) if text else Every()
            if query is NullQuery:
                return SearchResult([], 0, 1, 0, {}, notice="empty-query")
            cache = _DocSets.of(searcher)
            day = request.today or date.today()
            today = day_number(day)
            windows = {name: cache.closing_between(today, day_number(day + timedelta(days=days)))
                       for name, days in DEADLINE_WINDOWS.items()}  # fmt: skip
            base, selected = self._filters(cache, request, today, windows)
            matched = cache.matching(searcher, query) if text else cache.all
            allowed = _intersect(base, *selected.values())
            total = (matched & allowed).bit_count()
            hits = self._hits(searcher, cache, query if text else None, request, allowed & matched, total, today)
            facets = (
                self._facets(cache, request, matched & base, selected, today, windows) if request.with_facets else {}
            )
            suggestion = (
                self._suggest(searcher, cache, parser, text, allowed, request.synonyms) if text and not total else None
            )
        pages = max(1, math.ceil(total / request.per_page)) if total else 0
        return SearchResult(
            hits, total, request.page, pages, facets, suggestion, notice="shortened" if shortened else None
        )

    @staticmethod
    def _filters(
        cache: _DocSets, request: SearchQuery, today: int, windows: dict[str, int]
    ) -> tuple[int, dict[str, int]]:
        """The documents always allowed, and per facet the ones its selection allows (as bitmaps)."""
        base = cache.all
        if request.tenant:
            base = base & cache.values("tenants").get(request.tenant, 0)
        if request.published_after or request.published_until:
            base = base & cache.published_between(epoch(request.published_after), epoch(request.published_until))
        selected: dict[str, int] = {}
        for name, values in request.filters.items():
            values = [v for v in values if v][:20]
            if not values or name not in FACET_FIELDS:
                continue
            if name == "status":
                open_docs = cache.open_on(today)
                parts = [open_docs if v == "open" else cache.all ^ open_docs for v in values if v in ("open", "closed")]
            elif name == "deadline":
                parts = [windows[v] for v in values if v in windows]
            else:
                table = cache.values(name)
                parts = [table.get(v, 0) for v in values]
            selected[name] = functools.reduce(operator.or_, parts, 0)
        if "status" not in selected and not request.include_closed:
            selected["status"] = cache.open_on(today)
        return base, selected

    def _hits(
        self, searcher: Any, cache: _DocSets, query: Any, request: SearchQuery, shown: int, total: int, today: int
    ) -> list[Hit]:
        """The asked page of `shown` (holding `total`): by date, or by relevance (BM25F, then newest,
        then number) over the EXACT_RANK_LIMIT most recently published, the rest newest first, as
        the PostgreSQL engine orders them."""
        if not total:
            return []
        start, count = (request.page - 1) * request.per_page, request.per_page
        ranked: list[int] = []
        scores: dict[int, float] = {}
        if query is not None and request.sort not in ("newest", "deadline"):
            window = cache.orders.ordered(True, shown, total, 0, EXACT_RANK_LIMIT)
            scores = cache.scores(searcher, query, window)
            ranked = sorted(window, key=lambda doc: (-scores[doc], cache.orders.newest_index[doc]))
        page = ranked[start : start + count]
        if len(page) < count and start + len(page) < total:
            rest_start = max(start, len(ranked))
            page += cache.orders.ordered(
                request.sort != "deadline", shown, total, rest_start, start + count - rest_start
            )
        results = Results(searcher, query or Every(), [(scores.get(doc, 0.0), doc) for doc in page])
        results.fragmenter = _WholeSentences(maxchars=SNIPPET_CHARS * 2)
        results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        return [self._hit(results[place], today, request.locale, cache.snippets) for place in range(len(page))]

    @staticmethod
    def _hit(hit: Any, today: int, locale: str, snippets: Snippets) -> Hit:
        english = locale == "en" and bool(hit.get("title_en"))
        english_summary = locale == "en" and bool(hit.get("summary_en"))
        summary = hit["summary_en"] if english_summary else (hit.get("summary") or hit.get("body", ""))
        snippet = snippets.highlight(hit, "body_en" if english_summary else "body", summary)
        if not snippet:
            snippet = html.escape(opening(summary))
        closes = hit.get("closes_on")
        return Hit(
            id=hit["id"],
            kind=hit["kind"],
            title=hit["title_en"] if english else hit["title"],
            url_slug=hit["url_slug"],
            snippet_html=snippet,
            organisation=hit.get("organisation", ""),
            comune=hit.get("comune", ""),
            province=hit.get("province", ""),
            closes_on=from_day_number(closes),
            is_open=(closes or NO_DEADLINE) >= today,
            lang="en" if english else "it",
            snippet_lang="en" if english_summary else "it",
        )

    @staticmethod
    def _facets(
        cache: _DocSets,
        request: SearchQuery,
        candidates: int,
        selected: dict[str, int],
        today: int,
        windows: dict[str, int],
    ) -> dict[str, list[FacetValue]]:
        """Counts per value; a facet's own selection is left out so its other values stay visible."""
        facets: dict[str, list[FacetValue]] = {}
        for name in FACET_FIELDS:
            pool = _intersect(candidates, *(docs for other, docs in selected.items() if other != name))
            chosen = set(request.filters.get(name, []))
            if name == "status":
                open_count = (pool & cache.open_on(today)).bit_count()
                counts = {"open": open_count, "closed": pool.bit_count() - open_count}
            elif name == "deadline":
                counts = {value: (pool & docs).bit_count() for value, docs in windows.items()}
            else:
                counts = {value: (pool & docs).bit_count() for value, docs in cache.values(name).items()}
            values = [FacetValue(v, c, v in chosen) for v, c in counts.items() if c and v]
            if name != "deadline":  # a week, then a month: in their own order
                values.sort(key=lambda f: (-f.count, f.value))
            facets[name] = values[:50]
        return facets

    def _suggest(
        self, searcher: Any, cache: _DocSets, parser: Any, text: str, allowed: int, synonyms: Any = None
    ) -> str | None:
        """A corrected query, offered only if it finds something the asker may see. An English
        term of the synonym list is a known word, and a misspelt one is corrected to it."""
        corrector = searcher.corrector("spell")
        words, changed = [], False
        reader = searcher.reader()
        for word in text.split():
            if word in {"AND", "OR", "NOT"} or not word.isalpha() or reader.frequency("spell", word.lower()):
                words.append(word)
                continue
            term = spelling_of_term(word, synonyms)
            suggestions = [term] if term else corrector.suggest(word.lower(), limit=1, maxdist=2, prefix=1)
            if suggestions and suggestions[0] != word.lower():
                words.append(suggestions[0])
                changed = True
            else:
                words.append(word)
        if not changed:
            return None
        candidate = " ".join(words)
        found = cache.matching(searcher, parse(parser, expanded_text(candidate, synonyms, is_stop_word)))
        return candidate if found & allowed else None


class _WholeSentences(SentenceFragmenter):
    """Sentences of the description with a match, from their first word: the Italian analyser drops
    stop words, so Whoosh's own fragments would start after an opening "Il" or "La"."""

    def fragment_tokens(self, text: str, tokens: Any) -> Any:
        for fragment in super().fragment_tokens(text, tokens):
            start = max(text.rfind(mark, 0, fragment.startchar) for mark in (". ", "! ", "? ", "\n"))
            start = 0 if start < 0 else start + 1
            while start < fragment.startchar and text[start].isspace():
                start += 1
            if fragment.startchar - start < SNIPPET_CHARS // 2:
                fragment.startchar = start
            if fragment.endchar < len(text) and text[fragment.endchar] in ".!?":
                fragment.endchar += 1  # the sentence's own full stop
            yield fragment


def _intersect(first: int, *others: int) -> int:
    return functools.reduce(operator.and_, others, first)


class _DocSets:
    """Per-searcher sets of document numbers (bitsets.py): facet values, tenants, open-on-a-day,
    term matches; the two date orders; the scores computed for the last RANKS_KEPT queries.
    Built lazily from the index's own postings and columns; kept until the searcher is reopened."""

    def __init__(self, searcher: Any) -> None:
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.all: int = mask_of(self.reader.all_doc_ids(), self.size)
        self.terms = TermSets(searcher, self.size, self.all)
        self.snippets = Snippets(searcher.schema)
        self._values: dict[str, dict[str, int]] = {}
        self._between: dict[tuple[int, int], int] = {}
        self._scores: dict[Any, dict[int, float]] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, searcher: Any) -> _DocSets:
        cache = getattr(searcher, "_crocevia_docsets", None)
        if cache is None:
            cache = cls(searcher)
            searcher._crocevia_docsets = cache
        return cache

    def values(self, field: str) -> dict[str, int]:
        if field not in self._values:
            with self._lock:
                table = {}
                for term in self.reader.lexicon(field):
                    value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    table[value] = mask_of(self.reader.postings(field, term).all_ids(), self.size) & self.all
                self._values[field] = table
        return self._values[field]

    @functools.cached_property
    def orders(self) -> DateOrders:
        """Live documents newest first and by deadline, ties broken as on PostgreSQL (newest, then
        the document number)."""
        published, closes = list(self.reader.column_reader("published")), list(self.reader.column_reader("closes_on"))
        newest = sorted(members(self.all), key=lambda doc: (-published[doc], doc))
        place = {doc: index for index, doc in enumerate(newest)}
        soonest = sorted(newest, key=lambda doc: (closes[doc], place[doc]))
        return DateOrders(newest, soonest, [closes[doc] for doc in soonest], self.size)

    def closing_between(self, first: int, last: int) -> int:
        """Documents whose closing day is between `first` and `last` (yyyymmdd numbers, inclusive)."""
        return self.orders.closing_between(first, last)

    def open_on(self, day: int) -> int:
        return self.closing_between(day, NO_DEADLINE)

    def published_between(self, after: int | None, until: int | None) -> int:
        """Documents published in (after, until], epoch seconds (either bound may be open)."""
        published = self.reader.column_reader("published")
        low, high = after if after is not None else -1, until if until is not None else 2**62
        return mask_of((doc for doc in self.reader.all_doc_ids() if low < published[doc] <= high), self.size)

    def matching(self, searcher: Any, query: Any) -> int:
        return self.terms.of_query(query) if is_plain(query) else self.terms.whole(query)

    def scores(self, searcher: Any, query: Any, documents: list[int]) -> dict[int, float]:
        """`documents`' scores under `query`, computed once per searcher for each (RANKS_KEPT queries)."""
        with self._lock:
            kept = self._scores.pop(query, None)
            if kept is None:
                kept = {}
                if len(self._scores) >= RANKS_KEPT:
                    self._scores.pop(next(iter(self._scores)))
            self._scores[query] = kept
        unscored = [doc for doc in documents if doc not in kept]
        if unscored:
            if is_plain(query) and type(searcher.weighting) is BM25F:
                kept.update(self.terms.scores(query, unscored))
            else:
                kept.update(scored_by_whoosh(searcher, query, unscored))
        return kept


class _Borrowed:
    """Context manager around a cached searcher (kept open for the thread's next query)."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher

    def __enter__(self) -> Any:
        return self.searcher

    def __exit__(self, *exc: object) -> None:
        return None
