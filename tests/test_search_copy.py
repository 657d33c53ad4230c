"""The PostgreSQL engine's facet copy (search_index/facet_copy.py) against its SQL path.

The copy must give the same totals, facet counts and hits (in the same order, below the ranking
threshold) as the SQL path on any combination of words, filters, scope and sort; fall back to
the SQL path where it could be stale; and order broad queries as its docstring says."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

import search_index.postgres_engine as postgres_engine
from portal.extensions import db
from search_index import Document, PostgresEngine, SearchQuery
from search_index.facet_copy import STALE, load_copy, mask_of
from tests.conftest import POSTGRES_SEARCH

pytestmark = pytest.mark.skipif(not POSTGRES_SEARCH, reason="the PostgreSQL backend is tested on the PostgreSQL run")
TODAY = date(2026, 11, 22)
WORDS = ["tirocinio", "magazzino", "cucina", "corso", "lavoro", "sartoria", "italiano", "logistica"]
VALUES = {
    "kind": ["opportunity", "training", "event", "organisation"],
    "province": ["AT", "VI", "MI", "RM", ""],
    "comune": ["Asti", "Vicenza", "Milano", ""],
    "sector": ["C", "G", "I", ""],
    "opportunity_type": ["tirocinio", "lavoro", ""],
    "allowance": ["paid", "unpaid", ""],
}
TENANTS = ["asti-est", "vicenza", "ciao", "roma"]
TARGETS = ["giovani", "donne", "migranti"]


def random_documents(rng: random.Random, count: int = 80) -> list[Document]:
    documents = []
    for number in range(1, count + 1):
        words = rng.sample(WORDS, rng.randint(1, 4))
        documents.append(
            Document(
                id=f"opportunity:{number}",
                title=" ".join(words[:2]),
                body=" ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
                url_slug=f"d{number}",
                tenants=rng.sample(TENANTS, rng.randint(0, 2)),
                targets=rng.sample(TARGETS, rng.randint(0, 2)),
                free=rng.choice([True, False, None]),
                closes_on=rng.choice(
                    [
                        None,
                        TODAY - timedelta(days=3),
                        TODAY,
                        TODAY + timedelta(days=5),
                        TODAY + timedelta(days=20),
                        TODAY + timedelta(days=90),
                    ]
                ),  # fmt: skip
                published_at=datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 40)),
                **{name: rng.choice(values) for name, values in VALUES.items()},
            )
        )
    return documents


def random_query(rng: random.Random) -> SearchQuery:
    text_ = rng.choice(
        [
            "",
            "",
            *WORDS,
            "lavoro corso",
            "tirocinio OR cucina",
            "lavoro -magazzino",
            '"corso lavoro"',
            "corso NOT di",
            "-lavoro",
            "cucina the",
        ]
    )
    filters: dict[str, list[str]] = {}
    for name, values in [*VALUES.items(), ("tenants", TENANTS), ("targets", TARGETS), ("cost", ["free", "paid"]),
                         ("status", ["open", "closed"]), ("deadline", ["week", "month"])]:  # fmt: skip
        if rng.random() < 0.25:
            filters[name] = rng.sample([v for v in values if v], rng.randint(1, 2))
    return SearchQuery(
        text=text_, filters=filters, tenant=rng.choice([None, None, *TENANTS]), include_closed=rng.random() < 0.3,
        sort=rng.choice(["relevance", "newest", "deadline"]), page=rng.choice([1, 1, 2]), per_page=7, today=TODAY,
    )  # fmt: skip


def facets_of(result):
    return {name: [(f.value, f.count, f.selected) for f in values] for name, values in result.facets.items()}


def answer(result):
    return result.total, result.pages, [hit.id for hit in result.hits], facets_of(result), result.suggestion


@pytest.fixture
def engines(app):
    """(the engine with the copy, the SQL path), holding random documents, committed."""
    with app.app_context():
        copy, sql = PostgresEngine(lambda: db.session()), PostgresEngine(lambda: db.session(), use_copy=False)
        copy.rebuild(random_documents(random.Random(7)))
        db.session.commit()
        yield copy, sql
        db.session.rollback()


def test_the_copy_answers_like_the_sql_path_on_random_queries(engines):
    copy, sql = engines
    rng = random.Random(3)
    for _ in range(150):
        request = random_query(rng)
        assert answer(copy.search(request)) == answer(sql.search(request)), request
    assert copy._copy is not None and copy._copy.matches  # the copy answered, and kept match sets


def test_a_misspelt_word_is_corrected_from_the_copy_as_from_sql(engines):
    copy, sql = engines
    for words in ("cucinna", "sartorria", "tirocinnio lavoro"):
        request = SearchQuery(text=words, today=TODAY, tenant="asti-est")
        assert copy.search(request).suggestion == sql.search(request).suggestion
    assert copy._copy is not None


def test_a_transaction_that_wrote_searches_its_own_changes(engines):
    copy, _sql = engines
    before = copy.search(SearchQuery(text="pasticceria", today=TODAY))
    assert before.total == 0 and copy._copy is not None
    copy.apply([Document(id="opportunity:999", kind="training", title="Pasticceria", body="", url_slug="p",
                         province="TO", closes_on=TODAY + timedelta(days=2))])  # fmt: skip
    during = copy.search(SearchQuery(text="pasticceria", today=TODAY))
    assert [hit.id for hit in during.hits] == ["opportunity:999"]
    assert {f.value: f.count for f in during.facets["province"]} == {"TO": 1}
    assert ("TO", 1, False) in facets_of(copy.search(SearchQuery(today=TODAY)))["province"]
    db.session.rollback()  # nothing of it stays, in the copy either
    assert copy.search(SearchQuery(text="pasticceria", today=TODAY)).total == 0
    assert all(f.value != "TO" for f in copy.search(SearchQuery(today=TODAY)).facets["province"])


def test_a_change_committed_elsewhere_reloads_the_copy(engines):
    copy, sql = engines
    copy.search(SearchQuery(today=TODAY))
    first = copy._copy
    with db.engine.begin() as other:  # another process: no generation bump, no session marker
        other.execute(text("DELETE FROM search_document WHERE id = 'opportunity:1'"))
    request = SearchQuery(today=TODAY, include_closed=True)
    assert answer(copy.search(request)) == answer(sql.search(request))
    assert copy._copy is not first
    assert "opportunity:1" not in [hit.id for hit in copy.search(SearchQuery(text="", per_page=100)).hits]


def test_a_match_set_with_a_document_the_copy_does_not_know_is_stale():
    copy = load_copy([("", "", [10, 11, 12], [12, 11, 10], [1, 2, 3])], key=("k",))
    assert copy.base == 10 and copy.all == 0b111
    assert copy.from_words([0], [1 << 11]) == 0b010
    assert copy.from_words([0], [1 << 13]) == STALE  # above the copy's numbers
    assert copy.from_words([0], [1 << 9]) == STALE  # below them
    assert copy.from_words([1], [-(1 << 63)]) == STALE  # bit 63: a negative bigint
    assert mask_of([0, 2], 3) == 0b101


def test_a_stale_copy_answers_from_sql_when_a_shown_document_is_gone(engines, monkeypatch):
    copy, sql = engines
    copy.search(SearchQuery(today=TODAY))
    with db.engine.begin() as other:
        other.execute(text("DELETE FROM search_document WHERE id IN ('opportunity:2', 'opportunity:3')"))
    monkeypatch.setattr(copy, "_copy_key", lambda *highest: copy._copy.key)  # the copy believes it is current
    request = SearchQuery(today=TODAY, include_closed=True, sort="newest", per_page=100)
    assert answer(copy.search(request)) == answer(sql.search(request))


def ranked_ids(engine, words, **kwargs):
    return [hit.id for hit in engine.search(SearchQuery(text=words, today=TODAY, per_page=100, **kwargs)).hits]


def test_below_the_threshold_relevance_is_exact_and_above_it_the_recent_matches_are_ranked(engines, monkeypatch):
    copy, sql = engines
    everything = ranked_ids(sql, "lavoro", include_closed=True)
    matches = len(everything)
    monkeypatch.setattr(postgres_engine, "EXACT_RANK_LIMIT", matches)
    assert ranked_ids(copy, "lavoro", include_closed=True) == everything  # at the threshold: exact
    window = 5
    monkeypatch.setattr(postgres_engine, "EXACT_RANK_LIMIT", window)
    newest = ranked_ids(copy, "lavoro", include_closed=True, sort="newest")
    ranked = ranked_ids(copy, "lavoro", include_closed=True)
    assert sorted(ranked) == sorted(everything) and len(ranked) == matches > window
    assert ranked[window:] == newest[window:]  # past the window: newest first
    assert ranked[:window] == [i for i in everything if i in set(newest[:window])]  # the window: by relevance
    second = copy.search(SearchQuery(text="lavoro", today=TODAY, per_page=3, page=2, include_closed=True))
    assert [hit.id for hit in second.hits] == ranked[3:6]  # a page across the window's end


def test_a_large_copy_is_reloaded_apart_while_sql_answers(engines, monkeypatch):
    import threading

    copy, sql = engines
    copy.search(SearchQuery(today=TODAY))
    first = copy._copy
    monkeypatch.setattr(postgres_engine, "LOAD_IN_BACKGROUND_ABOVE", 0)
    with db.engine.begin() as other:
        other.execute(text("DELETE FROM search_document WHERE id = 'opportunity:4'"))
    request = SearchQuery(today=TODAY, include_closed=True, per_page=100)
    assert answer(copy.search(request)) == answer(sql.search(request))  # from SQL, while the thread loads
    for thread in threading.enumerate():
        if thread.name == "search-copy":
            thread.join(timeout=30)
    assert copy._copy is not first and copy._copy is not None
    assert answer(copy.search(request)) == answer(sql.search(request))
    assert copy._copy.key == copy._copy_key()


def kept_lexemes() -> dict[str, int]:
    return dict(db.session.execute(text("SELECT lexeme, highest FROM search_lexeme")).all())


def test_frequent_words_come_from_their_kept_sets_and_answer_like_sql_as_documents_change(engines):
    """search_lexeme (lexeme_sets.py): a frequent word's documents are read from its kept set plus
    the documents numbered after it; changed and deleted ones drop out."""
    copy, sql = engines
    assert {"lavor", "tirocin", "cucin"} <= kept_lexemes().keys()  # the rebuild kept the frequent words
    requests = [SearchQuery(text=words, today=TODAY, include_closed=True, per_page=100)
                for words in ("lavoro", "tirocinio OR cucina", "lavoro corso", "lavoro -magazzino")]  # fmt: skip
    for request in requests:
        assert answer(copy.search(request)) == answer(sql.search(request)), request.text
    assert "lavor" in copy._copy.lexemes
    added = Document(id="opportunity:500", kind="training", title="Lavoro in cucina", body="", url_slug="n",
                     closes_on=TODAY + timedelta(days=9))  # fmt: skip
    sql.apply([added])  # after the kept sets' highest number
    sql.apply([Document(id="opportunity:5", kind="event", title="Sartoria", body="", url_slug="c")])  # changed
    db.session.execute(text("DELETE FROM search_document WHERE id = 'opportunity:6'"))
    db.session.commit()
    for request in requests:
        found = copy.search(request)
        assert answer(found) == answer(sql.search(request)), request.text
    assert "opportunity:500" in [hit.id for hit in copy.search(requests[0]).hits]
    assert copy._copy.lexemes and max(kept_lexemes().values()) < copy._copy.highest  # read with what came after


def test_maintain_keeps_the_frequent_words_up_to_the_newest_document(engines):
    copy, _sql = engines
    copy.apply([Document(id="opportunity:501", kind="training", title="Lavoro", body="", url_slug="m")])
    summary = copy.maintain()
    highest = db.session.execute(text("SELECT max(num) FROM search_document")).scalar()
    assert set(kept_lexemes().values()) == {highest} and "frequent words" in summary
    copy.rebuild([])
    assert kept_lexemes() == {}  # nothing indexed: nothing kept


def test_a_kept_set_leaves_out_gone_documents_and_is_stale_with_unknown_ones():
    copy = load_copy([("", "", [10, 11, 12], [12, 11, 10], [1, 2, 3])], key=("k",))
    assert copy.from_kept([0], [(1 << 4) | (1 << 11)], newer=[12]) == 0b110  # 4: deleted since
    assert copy.from_kept([0], [1 << 11], newer=[13]) == STALE  # 13: after the copy was loaded
    gap = load_copy([("", "", [10, 12], [12, 10], [1, 2])], key=("k",))  # 11 changed or deleted
    assert gap.from_kept([0], [(1 << 10) | (1 << 11) | (1 << 12)], newer=[]) == 0b101
    assert copy.lexemes_of("'lavor' | 'l''acqua'") == ["lavor", "l'acqua"]
    assert copy.lexemes_of("'corso' <-> 'lavor'") is None and copy.lexemes_of("!'lavor'") is None


def test_vacuum_settles_the_search_tables_on_a_connection_of_its_own(engines):
    copy, _sql = engines
    db.session.commit()
    runs = "SELECT pg_stat_clear_snapshot(), (SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'search_match'::regclass)"
    before = db.session.execute(text(runs)).one()[1]
    copy.vacuum()  # VACUUM refuses to run inside a transaction: this one runs beside the session's
    db.session.commit()
    assert db.session.execute(text(runs)).one()[1] == before + 1
