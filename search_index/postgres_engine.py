"""The PostgreSQL full-text implementation of the search contract.

The index is two tables in the application's database (created by the migration
`0005_postgres_search`): `search_document` (one row per public entry, a weighted `tsvector`
over an Italian configuration `crocevia_it` = Italian Snowball stemmer after `unaccent`, with a
GIN index) and `search_word` (the words of titles, for "did you mean" through `pg_trgm`).
Writes run on the caller's session, inside its transaction: the index follows the data with
no outbox and no worker, and a rolled-back change never reaches it.

Queries: `websearch_to_tsquery` on the cleaned text (the same cleaning as the Whoosh engine),
`ts_rank_cd` for relevance, `ts_headline` snippets escaped here with `<mark>` around matches,
and a statement timeout so that no query runs away.

Facets and totals come from a per-process columnar copy of the facet values
(search_index/facet_copy.py, keyed on `max(num)` and the content generation, or a row count when
the engine has no generation): PostgreSQL returns only the numbers of the documents matching the
words, from the narrow `search_match` table (number and tsvector only), in one round trip, and
filters without words need no SQL but the page's rows. Match sets are kept with the copy (the
last MATCHES_KEPT, by tsquery): the other pages, sorts and filters of the same words reuse them. The SQL path (every facet counted in one statement) answers instead when
the copy may not be current: in a transaction that wrote to the index, while another thread
loads the copy, for a published-date range (alerts), or when the database holds a document the
copy does not know.

Relevance for broad queries is approximate: when more than EXACT_RANK_LIMIT documents match (after
the filters), `ts_rank_cd` orders only the EXACT_RANK_LIMIT most recently published of them (the
first EXACT_RANK_LIMIT / per_page pages), and the rest follow newest first. Up to EXACT_RANK_LIMIT
matches the order is exact (ts_rank_cd, then newest, then id), as on the SQL path.
"""

from __future__ import annotations

import html
import logging
import math
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from search_index import lexeme_sets
from search_index.bitsets import array_literal
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
from search_index.facet_copy import LOAD_SQL, STALE, FacetCopy, Selection, load_copy
from search_index.querying import (
    EXACT_RANK_LIMIT,
    clean_text,
    day_number,
    epoch,
    from_day_number,
    opening,
    query_items,
    spelling_of_term,
)

log = logging.getLogger(__name__)
CONFIG = "crocevia_it"
CONFIG_EN = "crocevia_en"  # English versions (migration 0019_bilingual_content)
# Created by the migrations 0005_postgres_search and 0020_search_numbers, owned by this engine: not portal models.
TABLES = ("search_document", "search_word", "search_match", "search_lexeme")
STATEMENT_TIMEOUT_MS = 3000
ASK = object()  # _copy_key: read max(num) itself
SNIPPET_OPTIONS = "StartSel=\x01, StopSel=\x02, MaxWords=35, MinWords=15, MaxFragments=0"
SNIPPET_CHARS = 220
ARRAY_FACETS = ("tenants", "targets")
SCALAR_FACETS = ("kind", "opportunity_type", "allowance", "province", "comune", "sector", "cost")
# Snippets come from the description alone (rows written before 0013_search_facets: the body).
SUMMARY = "coalesce(nullif(summary, ''), body)"
WORD = re.compile(r"\w{3,}", re.UNICODE)
PARAMETER = re.compile(r"(?<!:):(\w+)")  # a bound parameter's name in SQL text (not a `::` cast)
ALL_TENANTS = {"all_tenants": True}  # these tables are network-wide, not a project's rows
# Whether a document in scope and passing the filters matches the clauses (a suggestion's check).
Exists = Callable[["_Filters", list[tuple[str, bool]], dict[str, Any]], bool]
WROTE = "search_index.wrote_in"  # session.info: the transaction that last wrote to the index
# Loading the copy reads the whole table once (about 1.5 s at 100,000 documents): no JIT, sorts in memory.
LOAD_SETTINGS = ("jit = off", "work_mem = '64MB'", "statement_timeout = 30000")
LOAD_IN_BACKGROUND_ABOVE = 20_000  # documents: a larger copy is reloaded by a thread (about 0.3 s per 20,000)
# Up to this many matches ts_rank_cd orders all of them; above it, the most recent this many.
MATCH_SQL = (
    "SELECT array_agg(w ORDER BY w) AS words, array_agg(v ORDER BY w) AS bits FROM (SELECT num >> 6 AS w, "
    "bit_or(1::bigint << (num & 63)::int) AS v FROM search_match WHERE tsv @@ ({query}) GROUP BY 1) s"
)
RANK_SQL = "SELECT num, ts_rank_cd(tsv, ({query})) AS rank FROM search_match WHERE num = ANY(CAST(:nums AS bigint[]))"

UPSERT = text(f"""
INSERT INTO search_document (id, kind, title, body, url_slug, organisation, tenants, province, comune, sector,
                             targets, cost, opportunity_type, allowance, summary, closes_on, published,
                             title_en, summary_en, tsv)
VALUES (:id, :kind, :title, :body, :url_slug, :organisation, :tenants, :province, :comune, :sector,
        :targets, :cost, :opportunity_type, :allowance, :summary, :closes_on, :published, :title_en, :summary_en,
        setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :body), 'B')
        || setweight(to_tsvector('{CONFIG_EN}', :title_en), 'A') || setweight(to_tsvector('{CONFIG_EN}', :body_en), 'B'))
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, body = excluded.body,
    url_slug = excluded.url_slug, organisation = excluded.organisation, tenants = excluded.tenants,
    province = excluded.province, comune = excluded.comune, sector = excluded.sector, targets = excluded.targets,
    cost = excluded.cost, opportunity_type = excluded.opportunity_type, allowance = excluded.allowance,
    summary = excluded.summary, closes_on = excluded.closes_on, published = excluded.published,
    title_en = excluded.title_en, summary_en = excluded.summary_en, tsv = excluded.tsv, num = excluded.num
""").execution_options(**ALL_TENANTS)
ADD_WORDS = text("INSERT INTO search_word (word) SELECT DISTINCT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING")


def _row(doc: Document) -> dict[str, Any]:
    published = doc.published_at or datetime.now(UTC)
    return {
        "id": doc.id, "kind": doc.kind, "title": doc.title, "body": doc.body, "url_slug": doc.url_slug,
        "organisation": doc.organisation, "tenants": list(doc.tenants), "province": doc.province,
        "comune": doc.comune, "sector": doc.sector, "targets": list(doc.targets),
        "cost": "" if doc.free is None else ("free" if doc.free else "paid"),
        "opportunity_type": doc.opportunity_type, "allowance": doc.allowance, "summary": doc.summary,
        "closes_on": day_number(doc.closes_on), "published": epoch(published),
        "title_en": doc.title_en, "body_en": doc.body_en, "summary_en": doc.summary_en,
    }  # fmt: skip


def _words(doc: Document) -> list[str]:
    """Whole words a suggestion may offer: those of titles, organisations and places."""
    text_ = f"{doc.title} {doc.title_en} {doc.organisation} {doc.comune}"
    return [w.lower() for w in WORD.findall(text_) if not w.isdigit()]


def websearch_text(cleaned: str) -> str:
    """Our query syntax (AND/OR/NOT in capitals, quotes) in websearch_to_tsquery's words."""
    words = cleaned.replace("(", " ").replace(")", " ").split()
    out: list[str] = []
    negate = False
    for word in words:
        if word == "AND":
            continue
        if word == "NOT":
            negate = True
            continue
        out.append(("-" + word) if negate and word != "OR" else word)
        negate = False
    return " ".join(out)


Clause = tuple[str, bool]  # a tsquery expression (SQL) and whether it is negated


def tsquery_sql(cleaned: str, synonyms: Any, params: dict[str, Any], prefix: str = "q") -> str:
    """The cleaned text as one tsquery expression (SQL, its values added to `params`)."""
    return joined(tsquery_clauses(cleaned, synonyms, params, prefix))


def rendered(clause: Clause) -> str:
    expression, negated = clause
    return f"(!! {expression})" if negated else expression


def joined(clauses: list[Clause]) -> str:
    return " && ".join(rendered(clause) for clause in clauses)


def tsquery_clauses(cleaned: str, synonyms: Any, params: dict[str, Any], prefix: str = "q") -> list[Clause]:
    """The cleaned text as AND-ed tsquery clauses (SQL, their values added to `params`).

    Each word, phrase or synonym alternative is taken in both languages (the Italian and the
    English configuration: a document's words are Italian or English lexemes); the alternatives of
    a group are OR-ed, groups AND-ed; "a OR b" joins two groups, NOT negates the next."""
    clauses: list[Clause] = []
    joined_by_or = negate = False
    count = 0
    for item in query_items(cleaned, synonyms):
        if item == "AND":
            continue
        if item == "OR":
            joined_by_or = bool(clauses)
            continue
        if item == "NOT":
            negate = True
            continue
        alternatives = []
        for alternative in item:
            name = f"{prefix}{count}"
            count += 1
            phrase = alternative.startswith('"') or " " in alternative
            params[name] = alternative if alternative.startswith('"') or " " not in alternative else f'"{alternative}"'
            it, en = (f"websearch_to_tsquery('{config}', :{name})" for config in (CONFIG, CONFIG_EN))
            # a single word that either language drops ("di", "the") is left out: a text is indexed
            # in one language and would not hold the other's stop words
            alternatives.append(
                f"{it} || {en}"
                if phrase
                else f"(CASE WHEN numnode({it}) = 0 OR numnode({en}) = 0 THEN ''::tsquery ELSE {it} || {en} END)"
            )
        clause = ("(" + " || ".join(alternatives) + ")", negate)
        if joined_by_or:
            clauses[-1] = (f"({rendered(clauses[-1])} || {rendered(clause)})", False)
        else:
            clauses.append(clause)
        joined_by_or = negate = False
    return clauses


def tsquery_of(lexemes: Iterable[str]) -> str:
    """The tsquery text matching any of `lexemes` (taken as they are: no parsing, no stemming)."""
    return " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)


class _Filters:
    """SQL conditions and their parameters, built from a SearchQuery."""

    def __init__(self, request: SearchQuery, today: int) -> None:
        day = request.today or date.today()
        self.params: dict[str, Any] = {"today": today}
        for window, days in DEADLINE_WINDOWS.items():
            self.params[f"until_{window}"] = day_number(day + timedelta(days=days))
        self.selected = {name: set(values) for name, values in request.filters.items()}
        self.base: list[str] = []
        self.query = ""  # the text's tsquery expression (SQL), when there is text
        self.clauses: list[Clause] = []  # the same, as AND-ed clauses
        self.by_facet: dict[str, str] = {}
        if request.tenant:
            self.base.append(":tenant = ANY(tenants)")
            self.params["tenant"] = request.tenant
        if request.published_after:
            self.base.append("published > :published_after")
            self.params["published_after"] = epoch(request.published_after)
        if request.published_until:
            self.base.append("published <= :published_until")
            self.params["published_until"] = epoch(request.published_until)
        for name, values in request.filters.items():
            values = [v for v in values if v][:20]
            if not values or name not in FACET_FIELDS:
                continue
            key = f"f_{name}"
            if name == "status":
                wanted = {v for v in values if v in ("open", "closed")}
                if wanted == {"open"}:
                    self.by_facet[name] = "closes_on >= :today"
                elif wanted == {"closed"}:
                    self.by_facet[name] = "closes_on < :today"
                elif not wanted:
                    self.by_facet[name] = "false"
                continue
            if name == "deadline":
                windows = [v for v in DEADLINE_WINDOWS if v in values]
                self.by_facet[name] = (
                    " OR ".join(f"closes_on BETWEEN :today AND :until_{v}" for v in windows) or "false"
                )
                self.by_facet[name] = f"({self.by_facet[name]})"
                continue
            self.params[key] = values
            if name in ARRAY_FACETS:
                self.by_facet[name] = f"{name} && CAST(:{key} AS text[])"
            else:
                self.by_facet[name] = f"{name} = ANY(CAST(:{key} AS text[]))"
        if "status" not in self.by_facet and not request.include_closed:
            self.by_facet["status"] = "closes_on >= :today"

    def where(self, *, without: str | None = None, extra: Iterable[str] = ()) -> str:
        parts = [*self.base, *(sql for name, sql in self.by_facet.items() if name != without), *extra]
        return " AND ".join(parts) or "true"


class PostgresEngine:
    """The index in the application's PostgreSQL database, written in the caller's transaction."""

    follows_transactions = True

    def __init__(
        self, session: Callable[[], Session], generation: Callable[[], str] | None = None, use_copy: bool = True
    ) -> None:
        """`generation`: the shared content generation (portal/content_cache.py), which changes
        when a transaction that wrote public content commits; without it the facet copy is
        checked against a row count. `use_copy=False`: always the SQL path."""
        self._session = session
        self._generation = generation
        self._use_copy = use_copy
        self._copy: FacetCopy | None = None
        self._loading = threading.Lock()

    # --- writing (in the caller's transaction) ------------------------------------------

    def apply(self, upserts: Iterable[Document] = (), deletes: Iterable[str] = ()) -> None:
        session = self._session()
        session.info[WROTE] = session.get_transaction()  # this transaction's searches: the SQL path
        deletes = list(deletes)
        if deletes:
            session.execute(
                text("DELETE FROM search_document WHERE id = ANY(CAST(:ids AS text[]))").execution_options(
                    **ALL_TENANTS
                ),
                {"ids": deletes},
            )
        upserts = list(upserts)
        if upserts:
            session.execute(UPSERT, [_row(doc) for doc in upserts])
            words = sorted({w for doc in upserts for w in _words(doc)})
            if words:
                session.execute(ADD_WORDS.execution_options(**ALL_TENANTS), {"words": words})

    def rebuild(self, documents: Iterable[Document], parallel: bool = False, batch: int = 2000) -> int:
        """Empty both tables and index every document again, in the caller's transaction."""
        session = self._session()
        session.execute(text("TRUNCATE search_document, search_word").execution_options(**ALL_TENANTS))
        count, chunk = 0, []
        for doc in documents:
            chunk.append(doc)
            if len(chunk) >= batch:
                self.apply(chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            self.apply(chunk)
            count += len(chunk)
        session.execute(text("ANALYZE search_document, search_match").execution_options(**ALL_TENANTS))
        lexeme_sets.refresh(session, analyze=False)
        return count

    def vacuum(self) -> None:
        """VACUUM (ANALYZE) the search tables on a connection of its own (VACUUM cannot run in a
        transaction). After a rebuild every row is new: without it the first searches pay for
        setting the rows' hint bits and read the heap for each match's visibility."""
        bind = self._session().get_bind()
        engine = bind.engine if isinstance(bind, Connection) else bind
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(
                text("VACUUM (ANALYZE) search_document, search_match, search_lexeme, search_word").execution_options(
                    **ALL_TENANTS
                )
            )

    def maintain(self) -> str:
        """Recompute the kept match sets of frequent words (lexeme_sets.py)."""
        return f"kept the documents of {lexeme_sets.refresh(self._session())} frequent words"

    # --- reading --------------------------------------------------------------------------------

    def _scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return self._session().execute(text(sql).execution_options(**ALL_TENANTS), params or {}).scalar()

    def is_healthy(self) -> bool:
        try:
            self.doc_count()
            return True
        except IndexUnavailable:
            return False

    def doc_count(self) -> int:
        try:
            with self._session().begin_nested():
                return int(self._scalar("SELECT count(*) FROM search_document") or 0)
        except Exception as exc:
            raise IndexUnavailable(str(exc)) from exc

    def search(self, request: SearchQuery) -> SearchResult:
        cleaned, shortened = clean_text(request.text)
        session = self._session()
        try:
            with session.begin_nested():  # a failed or cancelled search leaves the request's transaction usable
                result = self._search(request, shortened, cleaned)
                session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
                return result
        except Exception as exc:
            raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def _search(self, request: SearchQuery, shortened: bool, cleaned: str) -> SearchResult:
        today = day_number(request.today or date.today())
        filters = _Filters(request, today)
        match: list[str] = []
        clauses = tsquery_clauses(cleaned, request.synonyms, filters.params) if websearch_text(cleaned) else []
        query = joined(clauses)
        # One round trip: the search's statement timeout (SET LOCAL), the copy's key, whether the
        # words leave any condition, and each clause's tsquery text (the copy's match sets' keys).
        prelude = ["set_config('statement_timeout', :timeout, true)", "(SELECT max(num) FROM search_document)"]
        if query:
            prelude += [f"numnode({query})"] + [f"CAST({expression} AS text)" for expression, _negated in clauses]
        sql = text("SELECT " + ", ".join(prelude)).execution_options(**ALL_TENANTS)
        _timeout, highest, *found = (
            self._session().execute(sql, {**filters.params, "timeout": str(STATEMENT_TIMEOUT_MS)}).one()
        )
        if query:
            if not found[0]:
                return SearchResult([], 0, 1, 0, {}, notice="empty-query")
            filters.query, filters.clauses = query, clauses
            match = [f"tsv @@ ({query})"]
        elif cleaned:
            return SearchResult([], 0, 1, 0, {}, notice="empty-query")
        copy = self._current_copy(request, highest)
        answered = self._from_copy(copy, request, filters, today, found[1:]) if copy else None
        exists: Exists = self._exists_in_sql
        if answered:
            hits, total, facets, exists = answered
        else:
            hits, total = self._hits(request, filters, match, today)
            facets = self._facets(filters, match) if request.with_facets else {}
        suggestion = self._suggest(cleaned, filters, request.synonyms, exists) if cleaned and not total else None
        pages = max(1, math.ceil(total / request.per_page)) if total else 0
        return SearchResult(
            hits, total, request.page, pages, facets, suggestion, notice="shortened" if shortened else None
        )

    def _hits(self, request: SearchQuery, filters: _Filters, match: list[str], today: int) -> tuple[list[Hit], int]:
        order = {
            "newest": "published DESC, id",
            "deadline": "closes_on ASC, published DESC, id",
        }.get(request.sort, (f"ts_rank_cd(tsv, ({filters.query})) DESC, " if match else "")
              + "published DESC, id")  # fmt: skip
        params = {**filters.params, "limit": request.per_page, "offset": (request.page - 1) * request.per_page,
                  "locale": request.locale}  # fmt: skip
        rows = (
            self._session()
            .execute(
                text(
                    f"SELECT {self._shown(filters, bool(match))}, count(*) OVER () AS total FROM search_document "
                    f"WHERE {filters.where(extra=match)} ORDER BY {order} LIMIT :limit OFFSET :offset"
                ).execution_options(**ALL_TENANTS),
                params,
            )
            .all()
        )
        if rows:
            total = int(rows[0].total)
        else:
            total = int(
                self._scalar(f"SELECT count(*) FROM search_document WHERE {filters.where(extra=match)}", filters.params)
                or 0
            )
        return [self._hit(row, today, headline=bool(match)) for row in rows], total

    @staticmethod
    def _shown(filters: _Filters, match: bool) -> str:
        """The select list of a hit: title and snippet in the reader's language (`:locale`)."""
        # English readers get the English title and description when the document has them.
        english = "(:locale = 'en' AND title_en <> '')"
        english_summary = "(:locale = 'en' AND summary_en <> '')"
        summary = f"CASE WHEN {english_summary} THEN summary_en ELSE {SUMMARY} END"
        # The body is HTML-escaped before ts_headline, which would otherwise drop what looks like a tag.
        escaped_body = f"replace(replace(replace({summary}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
        snippet = (
            f"CASE WHEN {english_summary} "
            f"THEN ts_headline('{CONFIG_EN}', {escaped_body}, ({filters.query}), '{SNIPPET_OPTIONS}') "
            f"ELSE ts_headline('{CONFIG}', {escaped_body}, ({filters.query}), '{SNIPPET_OPTIONS}') END"
            if match
            else f"left({summary}, 400)"
        )
        return (
            f"num, id, kind, CASE WHEN {english} THEN title_en ELSE title END AS title, {english} AS english, "
            f"{english_summary} AS english_summary, url_slug, organisation, comune, province, closes_on, "
            f"{snippet} AS snippet, {summary} AS summary"
        )

    # --- the facet copy ----------------------------------------------------------------------

    def _current_copy(self, request: SearchQuery, highest: int | None) -> FacetCopy | None:
        """The copy, loaded again when its key changed; None when the SQL path must answer.

        A process's first copy, or a small one, is loaded by the request that needs it; a large
        one (LOAD_IN_BACKGROUND_ABOVE) is reloaded by a thread on its own connection while the
        requests answer from SQL, so that no search waits for the reload after a change."""
        session = self._session()
        wrote = session.info.get(WROTE)
        if not self._use_copy or request.published_after or request.published_until:
            return None
        if wrote is not None and wrote is session.get_transaction():
            return None  # the copy cannot hold this transaction's own changes
        key = self._copy_key(highest)
        copy = self._copy
        if copy is not None and copy.key == key:
            return copy
        if not self._loading.acquire(blocking=False):
            return None  # another thread is loading it
        bind = session.get_bind()
        if copy is not None and len(copy.orders.newest) > LOAD_IN_BACKGROUND_ABOVE and isinstance(bind, Engine):
            threading.Thread(target=self._load_apart, args=(bind, key), daemon=True, name="search-copy").start()
            return None
        try:
            self._copy = copy = self._load(session, key)
            return copy
        finally:
            self._loading.release()

    def _load(self, session: Session, key: tuple[Any, ...]) -> FacetCopy:
        """The copy as of now (LOAD_SQL), in `session`'s transaction; its settings restored after."""
        for setting in LOAD_SETTINGS:
            session.execute(text(f"SET LOCAL {setting}"))
        copy = load_copy(session.execute(text(LOAD_SQL).execution_options(**ALL_TENANTS)), key)
        for name in (setting.split()[0] for setting in LOAD_SETTINGS):
            session.execute(text(f"SET LOCAL {name} TO DEFAULT"))
        session.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
        return copy

    def _load_apart(self, bind: Engine, key: tuple[Any, ...]) -> None:
        try:
            with Session(bind=bind) as session, session.begin():
                self._copy = self._load(session, key)
        except Exception:  # the requests keep answering from SQL; the next one tries again
            log.exception("search facet copy not loaded")
        finally:
            self._loading.release()

    def _copy_key(self, highest: Any = ASK) -> tuple[Any, ...]:
        """What a copy is valid for: the database, the highest document number (every write of a
        document gives it a new one; `highest` when the caller has just read it), and the
        generation (deletes), or without one a row count."""
        session = self._session()
        if self._generation is not None:
            changes: Any = self._generation()
            if highest is ASK:
                highest = self._scalar("SELECT max(num) FROM search_document")
        else:
            changes, highest = session.execute(
                text("SELECT count(*), max(num) FROM search_document").execution_options(**ALL_TENANTS)
            ).one()
        return (str(session.get_bind().engine.url), changes, highest)

    def _from_copy(
        self, copy: FacetCopy, request: SearchQuery, filters: _Filters, today: int, keys: Sequence[str]
    ) -> tuple[list[Hit], int, dict[str, list[FacetValue]], Exists] | None:
        """Hits, total, facets and a suggestion's check from the copy; None when the database
        holds what the copy does not know."""
        selection = Selection(copy, request)
        match = self._match_mask(copy, filters.clauses, filters.params, keys) if filters.query else None
        if match == STALE:
            return None
        scope = selection.where(match)
        total = scope.bit_count()
        nums = self._page(copy, request, filters, scope, total)
        rows = self._rows(filters, nums, request.locale) if nums else []
        if len(rows) != len(nums):
            return None  # a document deleted since the copy was loaded
        hits = [self._hit(row, today, headline=bool(filters.query)) for row in rows]
        facets = selection.facets(match) if request.with_facets else {}

        def exists(filters: _Filters, clauses: list[Clause], params: dict[str, Any]) -> bool:
            found = self._match_mask(copy, clauses, params)
            return self._exists_in_sql(filters, clauses, params) if found == STALE else bool(selection.where(found))

        return hits, total, facets, exists

    def _match_mask(
        self, copy: FacetCopy, clauses: list[Clause], params: dict[str, Any], keys: Sequence[str] = ()
    ) -> int:
        """The documents matching every clause (STALE: the database holds one the copy does not
        know). Match sets are kept with the copy by tsquery: a clause's own, else the AND of the
        clauses that had none, matched together (the GIN index intersects them: fewer rows).
        `keys`: the clauses' tsquery texts, when the caller has them."""
        texts = keys
        if not texts:
            sql = "SELECT " + ", ".join(f"CAST({expression} AS text)" for expression, _negated in clauses)
            texts = self._session().execute(text(sql), params).one()
        match, missing = copy.all, []
        for (expression, negated), key in zip(clauses, texts, strict=True):
            if not key:  # only stop words: no condition, as in the joined tsquery
                continue
            found = copy.matches.get(key)
            if found is None:
                found = self._lexemes_match(copy, key)
            if found is None and not negated:
                missing.append((expression, key))
                continue
            if found is None:
                found = self._kept_match(copy, key, expression, params)
            if found == STALE:
                return STALE
            match &= copy.all & ~found if negated else found
        if missing:
            key = " & ".join(key for _expression, key in missing)
            found = copy.matches.get(key)
            if found is None:
                found = self._kept_match(copy, key, joined([(e, False) for e, _key in missing]), params)
            match = STALE if found == STALE else match & found
        return match

    def _lexemes_match(self, copy: FacetCopy, key: str) -> int | None:
        """For a tsquery of OR-ed lexemes, the union of their sets: a frequent lexeme's from its kept
        set (lexeme_sets.py, read once per copy), the others' matched together; None for another
        tsquery, STALE when the database holds a document the copy does not know."""
        lexemes = copy.lexemes_of(key)
        if lexemes is None:
            return None
        unknown = [lexeme for lexeme in lexemes if lexeme not in copy.lexemes and lexeme not in copy.rare]
        if unknown:
            session = self._session()
            rows = lexeme_sets.kept(session, unknown)
            behind = min((row.highest for row in rows), default=copy.highest)
            newer = lexeme_sets.newer(session, [row.lexeme for row in rows], behind) if behind < copy.highest else {}
            for row in rows:
                found = copy.from_kept(row.words, row.bits, newer.get(row.lexeme, ()))
                if found == STALE:
                    return STALE
                copy.lexemes[row.lexeme] = found
            copy.rare.update(set(unknown) - copy.lexemes.keys())
        match = 0
        for lexeme in lexemes:
            match |= copy.lexemes.get(lexeme, 0)
        rare = [lexeme for lexeme in lexemes if lexeme not in copy.lexemes]
        if rare:
            found = copy.from_words(*self._matched("CAST(:lexemes AS tsquery)", {"lexemes": tsquery_of(rare)}))
            if found == STALE:
                return STALE
            match |= found
        copy.keep_match(key, match)
        return match

    def _kept_match(self, copy: FacetCopy, key: str, expression: str, params: dict[str, Any]) -> int:
        """The documents matching `expression`, kept with the copy as `key` (STALE: not kept)."""
        found = copy.from_words(*self._matched(expression, params))
        if found != STALE:
            copy.keep_match(key, found)
        return found

    def _matched(self, expression: str, params: dict[str, Any]) -> tuple[list[int], list[int]]:
        """The documents matching one clause, as 64-bit words (MATCH_SQL). Through the GIN index
        even for a word in most documents: visiting the heap pages it names is cheaper than
        evaluating every row's tsvector, which the planner prefers past a few tens of percent."""
        session = self._session()
        session.execute(text("SET LOCAL enable_seqscan = off"))
        sql = text(MATCH_SQL.format(query=expression)).execution_options(**ALL_TENANTS)
        words, bits = session.execute(sql, params).one()
        session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
        return words or [], bits or []

    def _page(self, copy: FacetCopy, request: SearchQuery, filters: _Filters, scope: int, total: int) -> list[int]:
        """The document numbers of the asked page, in order."""
        start, count = (request.page - 1) * request.per_page, request.per_page
        by_date = request.sort in ("newest", "deadline") or not filters.query
        if by_date:
            return copy.nums(copy.ordered(request.sort != "deadline", scope, total, start, count))
        ranked = self._ranked(copy, filters, copy.ordered(True, scope, total, 0, EXACT_RANK_LIMIT))
        if start + count <= len(ranked):
            return copy.nums(ranked[start : start + count])
        rest_start = max(start, len(ranked))  # beyond the ranked window (broad queries): newest first
        rest = copy.ordered(True, scope, total, rest_start, start + count - rest_start)
        return copy.nums(ranked[start:] + rest)

    def _ranked(self, copy: FacetCopy, filters: _Filters, positions: list[int]) -> list[int]:
        """`positions` by relevance, then newest, then id (the SQL path's order)."""
        if not positions:
            return []
        used = {name: filters.params[name] for name in PARAMETER.findall(filters.query)}
        rank = copy.ranks_of((filters.query, tuple(sorted(used.items()))))
        unranked = [position for position in positions if position not in rank]
        if unranked:  # other pages, filters and sorts of the same words rank only what is new
            sql = text(RANK_SQL.format(query=filters.query)).execution_options(**ALL_TENANTS)
            ranked = self._session().execute(sql, {**used, "nums": array_literal(copy.nums(unranked))}).all()
            found = {num - copy.base: value for num, value in ranked}
            rank.update({position: found.get(position, 0.0) for position in unranked})
        return sorted(positions, key=lambda p: (-rank[p], copy.orders.newest_index[p]))

    def _rows(self, filters: _Filters, nums: list[int], locale: str) -> list[Any]:
        """The shown columns of the documents `nums`, in that order."""
        sql = f"SELECT {self._shown(filters, bool(filters.query))} FROM search_document WHERE num = ANY(CAST(:nums AS bigint[]))"
        params = {**filters.params, "nums": array_literal(nums), "locale": locale}
        found = {row.num: row for row in self._session().execute(text(sql).execution_options(**ALL_TENANTS), params)}
        return [found[num] for num in nums if num in found]

    @staticmethod
    def _hit(row: Any, today: int, headline: bool) -> Hit:
        raw = row.snippet or ""
        if headline and "\x01" in raw:  # ts_headline's output, escaped in SQL: only the markers become tags
            snippet = raw.replace("\x01", "<mark>").replace("\x02", "</mark>")
            plain = " ".join(html.unescape(raw).replace("\x01", "").replace("\x02", "").split())
            whole = " ".join((row.summary or "").split())
            if not whole.startswith(plain[:20]):
                snippet = "… " + snippet
            if not whole.endswith(plain[-20:]):
                snippet += " …"
        else:  # a match in the title only: the description's opening sentences
            snippet = html.escape(opening(row.summary or raw))
        return Hit(
            id=row.id, kind=row.kind, title=row.title, url_slug=row.url_slug, snippet_html=snippet,
            organisation=row.organisation, comune=row.comune, province=row.province,
            closes_on=from_day_number(row.closes_on), is_open=row.closes_on >= today,
            lang="en" if row.english else "it", snippet_lang="en" if row.english_summary else "it",
        )  # fmt: skip

    def _facets(self, filters: _Filters, match: list[str]) -> dict[str, list[FacetValue]]:
        """Counts per value; a facet's own selection is left out so its other values stay visible."""
        base = " AND ".join([*filters.base, *match]) or "true"
        parts = []
        for name in FACET_FIELDS:
            where = filters.where(without=name)
            if name in SCALAR_FACETS:
                parts.append(f"SELECT '{name}' AS facet, {name} AS value, count(*) AS n FROM m WHERE {where} "
                             f"GROUP BY {name}")  # fmt: skip
            elif name in ARRAY_FACETS:
                parts.append(f"SELECT '{name}', v, count(*) FROM m, unnest(m.{name}) AS v WHERE {where} GROUP BY v")
            elif name == "deadline":
                for window in DEADLINE_WINDOWS:
                    parts.append(f"SELECT 'deadline', '{window}', count(*) FROM m WHERE ({where}) "
                                 f"AND closes_on BETWEEN :today AND :until_{window}")  # fmt: skip
            else:  # status
                parts.append(f"SELECT 'status', CASE WHEN closes_on >= :today THEN 'open' ELSE 'closed' END, count(*) "
                             f"FROM m WHERE {where} GROUP BY 2")  # fmt: skip
        sql = (
            "WITH m AS MATERIALIZED (SELECT kind, opportunity_type, allowance, province, comune, sector, cost, tenants, "
            "targets, closes_on, published "
            f"FROM search_document WHERE {base}) " + " UNION ALL ".join(parts)
        )
        counts: dict[str, list[FacetValue]] = {name: [] for name in FACET_FIELDS}
        for facet, value, number in self._session().execute(text(sql).execution_options(**ALL_TENANTS),
                                                            filters.params):  # fmt: skip
            if value and number:
                selected = value in filters.selected.get(facet, set())
                counts[facet].append(FacetValue(value, int(number), selected))
        return {
            name: (values if name == "deadline" else sorted(values, key=lambda f: (-f.count, f.value)))[:50]
            for name, values in counts.items()
        }

    def _suggest(self, cleaned: str, filters: _Filters, synonyms: Any, exists: Exists) -> str | None:
        """A corrected query, offered only if it finds something the asker may see. An English
        term of the synonym list is a known word, and a misspelt one is corrected to it."""
        words, changed = [], False
        for word in cleaned.split():
            lowered = word.lower()
            if word in {"AND", "OR", "NOT"} or not word.isalpha() or len(word) < 3:
                words.append(word)
                continue
            known = self._scalar("SELECT 1 FROM search_word WHERE word = :w", {"w": lowered})
            term = None if known else spelling_of_term(lowered, synonyms)  # "internshp": "internship"
            best = None if known else term or self._scalar(
                "SELECT word FROM search_word WHERE word % :w ORDER BY similarity(word, :w) DESC, word LIMIT 1",
                {"w": lowered},
            )  # fmt: skip
            if best and best != lowered:
                words.append(best)
                changed = True
            else:
                words.append(word)
        if not changed:
            return None
        candidate = " ".join(words)
        params = dict(filters.params)
        clauses = tsquery_clauses(candidate, synonyms or {}, params, prefix="s")
        return candidate if clauses and exists(filters, clauses, params) else None

    def _exists_in_sql(self, filters: _Filters, clauses: list[Clause], params: dict[str, Any]) -> bool:
        """Whether a document in scope, passing the filters, matches `clauses`."""
        where = filters.where(extra=[f"tsv @@ ({joined(clauses)})"])
        return bool(self._scalar(f"SELECT 1 FROM search_document WHERE {where} LIMIT 1", params))
