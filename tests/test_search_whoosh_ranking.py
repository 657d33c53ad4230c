"""The Whoosh engine's bulk path (search_index/whoosh_ranking.py) against Whoosh itself.

Match sets and BM25F scores read from the postings must equal what Whoosh's own matchers give, on
random words, pairs, OR, NOT and phrases, over an index of several segments with deleted
documents; pages are ordered by relevance (then newest) within the ranking window and newest
first past it, as the PostgreSQL engine orders them."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

import search_index.whoosh_engine as whoosh_engine
from search_index import Document, SearchQuery, open_engine
from search_index.bitsets import mask_of, members
from search_index.querying import make_parser, parse
from search_index.whoosh_engine import _DocSets
from search_index.whoosh_ranking import is_plain, scored_by_whoosh

TODAY = date(2026, 11, 22)
WORDS = ["tirocinio", "magazzino", "cucina", "corso", "lavoro", "sartoria", "italiano", "logistica", "sicurezza"]


def documents(rng: random.Random, first: int, count: int) -> list[Document]:
    found = []
    for number in range(first, first + count):
        found.append(
            Document(
                id=f"opportunity:{number}",
                kind="opportunity",
                title=" ".join(rng.sample(WORDS, rng.randint(1, 3))),
                body=" ".join(rng.choices(WORDS, k=rng.randint(0, 12))) + " sicurezza sul lavoro" * rng.randint(0, 1),
                title_en="kitchen course" if number % 7 == 0 else "",
                url_slug=f"d{number}",
                closes_on=TODAY + timedelta(days=rng.randint(-5, 60)) if number % 3 else None,
                published_at=datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 30)),
            )
        )
    return found


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Three segments (a rebuild, then two writes), with documents changed and deleted."""
    rng = random.Random(7)
    search = open_engine(tmp_path_factory.mktemp("ranking") / "ix")
    search.rebuild(documents(rng, 1, 150))
    search.apply(upserts=documents(rng, 151, 60), deletes=[f"opportunity:{n}" for n in range(1, 150, 9)])
    search.apply(upserts=documents(rng, 20, 15))  # changed: a new version of each in the last segment
    return search


QUERIES = [
    "lavoro",
    "cucina magazzino",
    "tirocinio OR sartoria",
    "corso NOT cucina",
    "lavoro -logistica",
    '"sicurezza sul lavoro"',
    '"sicurezza lavoro" corso',
    "(cucina OR corso) italiano",
    "kitchen",
    "assente",
]


@pytest.mark.parametrize("text", QUERIES)
def test_match_sets_and_scores_equal_whooshs_own(engine, text):
    with engine._searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
        cache = _DocSets.of(searcher)
        query = parse(make_parser(searcher.schema), text)
        assert is_plain(query), query
        expected = mask_of(searcher.docs_for_query(query), cache.size) & cache.all
        assert cache.terms.of_query(query) == expected
        docs = members(expected)
        whoosh_scores = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
        bulk = cache.terms.scores(query, docs)
        skipping = scored_by_whoosh(searcher, query, docs)
        for doc in docs:
            assert bulk[doc] == pytest.approx(whoosh_scores[doc], rel=1e-9)
            assert skipping[doc] == pytest.approx(whoosh_scores[doc], rel=1e-9)


def test_field_lengths_read_in_bulk_equal_whooshs(engine):
    from search_index.whoosh_ranking import BYTE_LENGTHS

    with engine._searcher() as searcher:
        cache = _DocSets.of(searcher)
        for field in ("title", "body", "title_en"):
            lengths = cache.terms.lengths(field)
            for doc in members(cache.all):
                expected = searcher.reader().doc_field_length(doc, field) or 0
                assert (BYTE_LENGTHS[lengths[doc]] if lengths[doc] else 0) == expected


def test_other_queries_fall_back_to_whoosh(engine):
    with engine._searcher() as searcher:
        cache = _DocSets.of(searcher)
        query = parse(make_parser(searcher.schema), "cucin*")
        query = query if not is_plain(query) else query.__class__(query.subqueries, boost=2.0)
        assert not is_plain(query)
        assert cache.matching(searcher, query) == mask_of(searcher.docs_for_query(query), cache.size) & cache.all


def ranked(engine, text, **kwargs):
    request = SearchQuery(text=text, today=TODAY, per_page=500, include_closed=True, **kwargs)
    return [hit.id for hit in engine.search(request).hits]


def test_relevance_then_newest_within_the_window_and_newest_first_past_it(engine, monkeypatch):
    with engine._searcher() as searcher:
        cache = _DocSets.of(searcher)
        query = parse(make_parser(searcher.schema), "lavoro")
        scores = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
        order = sorted(scores, key=lambda doc: (-scores[doc], cache.orders.newest_index[doc]))
        everything = [searcher.stored_fields(doc)["id"] for doc in order]
    assert ranked(engine, "lavoro") == everything  # below the threshold: exact
    window = 5
    monkeypatch.setattr(whoosh_engine, "EXACT_RANK_LIMIT", window)
    newest = ranked(engine, "lavoro", sort="newest")
    broad = ranked(engine, "lavoro")
    assert sorted(broad) == sorted(everything) and len(broad) > window
    assert broad[window:] == newest[window:]
    assert broad[:window] == [i for i in everything if i in set(newest[:window])]
    second = engine.search(SearchQuery(text="lavoro", today=TODAY, per_page=3, page=2, include_closed=True))
    assert [hit.id for hit in second.hits] == broad[3:6]  # a page across the window's end


def test_date_orders_follow_the_stored_dates(engine):
    newest = engine.search(SearchQuery(text="cucina", today=TODAY, per_page=500, sort="newest", include_closed=True))
    soonest = engine.search(SearchQuery(text="cucina", today=TODAY, per_page=500, sort="deadline", include_closed=True))
    assert {hit.id for hit in newest.hits} == {hit.id for hit in soonest.hits} and newest.total == len(newest.hits)
    closing = [hit.closes_on or date.max for hit in soonest.hits]
    assert closing == sorted(closing)
    with engine._searcher() as searcher:
        published = {f["id"]: f for f in searcher.all_stored_fields()}
    assert len(published) == engine.doc_count()
    opened = engine.search(SearchQuery(today=TODAY, per_page=500))
    assert all(hit.is_open for hit in opened.hits) and opened.total == len(opened.hits)


SUMMARIES = [
    "Il tirocinio in cucina dura sei mesi. Si lavora in magazzino e in cucina! La sicurezza sul lavoro è garantita.",
    "Corso di italiano per adulti: lezioni serali, gratuite. Attività di orientamento al lavoro; è richiesta l'iscrizione.",
    "Un testo senza le parole cercate, con accenti: perché, città, più.",
    "",
]


@pytest.mark.parametrize("text", ["cucina", "lavoro sicurezza", '"sicurezza sul lavoro"', "italiano OR orientamento"])
def test_snippets_equal_whooshs_own_highlights(engine, text):
    from whoosh.highlight import HtmlFormatter
    from whoosh.searching import Results

    with engine._searcher() as searcher:
        cache = _DocSets.of(searcher)
        query = parse(make_parser(searcher.schema), text)
        results = Results(searcher, query, [(1.0, doc) for doc in members(cache.all)[:3]])
        results.fragmenter = whoosh_engine._WholeSentences(maxchars=whoosh_engine.SNIPPET_CHARS * 2)
        results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        hit = results[0]
        for summary in SUMMARIES:
            expected = hit.highlights("body", text=summary, top=2)
            assert cache.snippets.highlight(hit, "body", summary) == expected
            assert cache.snippets.highlight(hit, "body", summary) == expected  # from the kept words
        assert any("<mark" in cache.snippets.highlight(hit, "body", s) for s in SUMMARIES)
