"""search_index/ on its own: Italian analysis, ranking, facets, safety against query traps.

The same contract runs against both backends: Whoosh (the embedded default) and PostgreSQL
full text (when the run is on PostgreSQL, TEST_DATABASE_URL)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.extensions import db
from search_index import Document, SearchQuery, open_engine
from tests.conftest import search_engine_holding

TODAY = date(2026, 11, 22)


def doc(number, title, body, **extra) -> Document:
    fields = {
        "kind": "opportunity",
        "url_slug": f"d{number}",
        "tenants": ["asti-est"],
        "province": "AT",
        "comune": "Asti",
        "published_at": datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=number),
    }
    fields.update(extra)
    return Document(id=f"opportunity:{number}", title=title, body=body, **fields)


DOCUMENTS = lambda: [  # noqa: E731 - built per test (dates)
    doc(1, "Tirocinio in magazzino", "Inserimento in una ditta di logistica."),
    doc(
        2,
        "Corso di formazione per cuochi",
        "Percorso gratuito in cucina.",
        kind="training",
        free=True,
        province="VI",
        comune="Vicenza",
        tenants=["vicenza"],
    ),
    doc(
        3,
        "Incontro all'Università",
        "Presentazione dei servizi per studenti.",
        kind="event",
        province="MI",
        comune="Milano",
        tenants=["ciao"],
        free=True,
    ),
    doc(
        4,
        "Offerta di lavoro",
        "Cerchiamo un magazziniere; tirocinio possibile.",
        closes_on=TODAY - timedelta(days=1),
    ),
    doc(
        5,
        "Percorso formativo di saldatura",
        "Attività pratica <b>in officina</b>.",
        kind="training",
        free=False,
    ),
]


@pytest.fixture
def postgres_engine(request):
    yield from search_engine_holding(request, None, DOCUMENTS, "postgres")


@pytest.fixture(params=["whoosh", "postgres"])
def engine(request, tmp_path):
    yield from search_engine_holding(request, tmp_path, DOCUMENTS, request.param)


def ask(engine, text="", **kwargs):
    return engine.search(SearchQuery(text=text, today=TODAY, **kwargs))


def ids(result):
    return [hit.id.split(":")[1] for hit in result.hits]


def test_plural_finds_singular_and_case_does_not_matter(engine):
    assert set(ids(ask(engine, "tirocini"))) == {"1"}
    assert ids(ask(engine, "TIROCINIO")) == ids(ask(engine, "tirocinio"))


def test_accents_are_folded(engine):
    assert ids(ask(engine, "universita")) == ["3"] == ids(ask(engine, "università"))


def test_formazione_does_not_find_formativo_because_the_stemmer_says_so(engine):
    assert ids(ask(engine, "formazione")) == ["2"]
    assert ids(ask(engine, "formativo")) == ["5"]


def test_title_weighs_more_than_body(engine):
    assert ids(ask(engine, "tirocinio", include_closed=True))[0] == "1"


def test_closed_entries_leave_results_unless_asked(engine):
    assert ids(ask(engine, "cerchiamo")) == []
    assert ids(ask(engine, "cerchiamo", include_closed=True)) == ["4"]
    assert ids(ask(engine, "", filters={"status": ["closed"]})) == ["4"]


def test_facets_count_what_matches_and_keep_other_values_of_a_selected_facet(engine):
    result = ask(engine, "", filters={"kind": ["training"]})
    kinds = {f.value: f.count for f in result.facets["kind"]}
    assert kinds == {"opportunity": 1, "training": 2, "event": 1}
    assert {f.value: f.count for f in result.facets["cost"]} == {"free": 1, "paid": 1}
    assert {f.value: f.count for f in result.facets["status"]} == {"open": 2}


def test_filters_combine(engine):
    assert ids(ask(engine, "", filters={"kind": ["training"], "cost": ["free"]})) == ["2"]
    assert ids(ask(engine, "", filters={"province": ["VI", "MI"]}, sort="newest")) == ["3", "2"]


def test_sort_by_deadline_and_newest(engine):
    assert ids(ask(engine, "", sort="newest"))[0] == "5"


def test_a_publication_window_keeps_what_was_published_after_its_start_and_up_to_its_end(engine):
    start = datetime(2026, 11, 1, 2, tzinfo=UTC)  # document 2's instant: outside, the window opens after it
    window = {"published_after": start, "published_until": start + timedelta(hours=2), "include_closed": True}
    assert sorted(ids(ask(engine, "", **window))) == ["3", "4"]
    assert ids(ask(engine, "", **{**window, "include_closed": False})) == ["3"]
    assert ids(ask(engine, "", published_after=start + timedelta(hours=2))) == ["5"]  # open at the end
    assert ask(engine, "tirocinio", **window).total == 1  # words and window together: document 4


def test_facets_can_be_left_out(engine):
    result = ask(engine, "", with_facets=False)
    assert result.facets == {} and result.total == 4


def test_tenant_scope_limits_hits_facets_and_suggestions(engine):
    result = ask(engine, "", tenant="vicenza")
    assert ids(result) == ["2"] and {f.value for f in result.facets["province"]} == {"VI"}
    assert ask(engine, "magazzno", tenant="asti-est").suggestion == "magazzino"
    assert ask(engine, "magazzno", tenant="vicenza").suggestion is None  # nothing there to find


def test_snippets_highlight_matches_and_escape_html(engine):
    [hit] = ask(engine, "officina").hits
    assert "<mark" in hit.snippet_html and "<b>" not in hit.snippet_html and "&lt;b&gt;" in hit.snippet_html


def test_pagination(engine):
    first = engine.search(SearchQuery(text="", today=TODAY, per_page=2, page=1))
    second = engine.search(SearchQuery(text="", today=TODAY, per_page=2, page=2))
    assert first.total == 4 and first.pages == 2 and not set(ids(first)) & set(ids(second))


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "*",
        "AND OR NOT",
        "title:",
        " OR ".join(["a*", "b*"] * 50),
        "x" * 10_000,
        "\x00\x01\x7f ciao",
        "((((",
        "tirocinio~2",
        "body:[a TO z]",
        "NOT",
        "\ud800",
        "/regex/",
        "^3 boost^",
    ],
)
def test_query_traps_answer_without_errors(engine, text):
    result = ask(engine, text)
    assert result.total >= 0  # runaway queries are cut by the engines (Whoosh limits, a statement timeout)


def test_upsert_and_delete(engine):
    engine.apply([doc(6, "Tirocinio in libreria", "Scaffali e clienti.")], ["opportunity:1"])
    assert set(ids(ask(engine, "tirocinio"))) == {"6"}


def test_searching_between_many_writes_never_counts_a_document_twice(engine):
    for number in range(10, 22):  # enough small segments for the writer to merge some of them
        engine.apply([doc(number, f"Tirocinio numero {number}", "Tirocinio in officina.")])
        result = ask(engine, "tirocinio", per_page=50)
        assert result.total == len({hit.id for hit in result.hits}) == number - 8  # plus the fixture's document


def test_missing_or_corrupt_index_is_reported(tmp_path):
    from search_index import IndexUnavailable

    missing = open_engine(tmp_path / "nothing")
    with pytest.raises(IndexUnavailable):
        missing.search(SearchQuery(text="x"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "_MAIN_1.toc").write_bytes(b"garbage")
    assert not open_engine(broken).is_healthy()


def test_a_title_only_match_shows_the_start_of_the_body_escaped_once(engine):
    [hit] = ask(engine, "saldatura").hits
    assert "&amp;" not in hit.snippet_html and "&lt;b&gt;" in hit.snippet_html and "<b>" not in hit.snippet_html


def test_an_empty_index_can_be_read_again_and_again(tmp_path):
    # Whoosh cannot refresh the searcher of an empty index ('NoneType' object is not iterable):
    # /readyz after a rebuild with nothing published answered 503 from the second check on.
    from search_index.whoosh_engine import WhooshEngine

    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild([])
    assert [engine.doc_count() for _ in range(3)] == [0, 0, 0]
    assert engine.is_healthy()
    engine.apply([doc(1, "Corso di cucina", "Per tutte e tutti")])
    assert engine.doc_count() == 1


def test_a_runaway_search_is_cut_by_the_statement_timeout_and_the_request_goes_on(postgres_engine, monkeypatch):
    from sqlalchemy import text

    import search_index.postgres_engine as module
    from search_index import IndexUnavailable

    monkeypatch.setattr(module, "STATEMENT_TIMEOUT_MS", 100)
    monkeypatch.setattr(module.PostgresEngine, "_current_copy",  # the statements after the search's first one
                        lambda self, *args: db.session.execute(text("SELECT pg_sleep(5)")))  # fmt: skip
    with pytest.raises(IndexUnavailable, match="statement timeout|canceling statement"):
        ask(postgres_engine, "tirocinio")
    assert db.session.execute(text("SELECT 1")).scalar() == 1  # the request's transaction still works
    assert db.session.execute(text("SHOW statement_timeout")).scalar() == "0"  # only the search was limited


def test_the_index_follows_the_transaction_it_was_written_in(postgres_engine):
    postgres_engine.apply([doc(9, "Laboratorio di ceramica", "Argilla e tornio.")])
    assert ids(ask(postgres_engine, "ceramica")) == ["9"]  # visible inside the writing transaction
    db.session.rollback()
    assert ids(ask(postgres_engine, "ceramica")) == []  # a rolled-back change never reached the index


# --- What residents ask for: type of opportunity, paid or not, closing soon, and readable snippets ---

RESIDENT_DOCUMENTS = lambda: [  # noqa: E731 - built per test (dates)
    doc(11, "Tirocinio in magazzino", "Il tirocinio dura sei mesi. La sede è ad Asti. Si impara la logistica.",
        summary="Il tirocinio dura sei mesi. La sede è ad Asti. Si impara la logistica.",
        opportunity_type="tirocinio", allowance="paid", closes_on=TODAY + timedelta(days=3)),
    doc(12, "Borsa lavoro in cucina", "Aiuto cuoco in mensa.\nRequisiti: nessuno\nCandidature allo sportello",
        summary="Aiuto cuoco in mensa.", opportunity_type="borsa_lavoro", allowance="paid",
        closes_on=TODAY + timedelta(days=20), comune="Nizza Monferrato"),
    doc(13, "Volontariato in biblioteca", "Letture ad alta voce per bambini.", summary="Letture ad alta voce per bambini.",
        opportunity_type="volontariato", allowance="unpaid", closes_on=TODAY + timedelta(days=60)),
    doc(14, "Corso di italiano", "Lezioni serali gratuite.", summary="Lezioni serali gratuite.", kind="training"),
]  # fmt: skip


@pytest.fixture(params=["whoosh", "postgres"])
def resident_engine(request, tmp_path):
    yield from search_engine_holding(request, tmp_path, RESIDENT_DOCUMENTS, request.param)


def counts(result, facet):
    return {f.value: f.count for f in result.facets[facet]}


def test_residents_filter_by_type_of_opportunity_and_pay(resident_engine):
    result = ask(resident_engine)
    assert counts(result, "opportunity_type") == {"tirocinio": 1, "borsa_lavoro": 1, "volontariato": 1}
    assert counts(result, "allowance") == {"paid": 2, "unpaid": 1}
    assert ids(ask(resident_engine, filters={"opportunity_type": ["tirocinio", "volontariato"]}, sort="deadline")) == [
        "11",
        "13",
    ]
    assert ids(ask(resident_engine, filters={"allowance": ["unpaid"]})) == ["13"]
    paid = ask(resident_engine, filters={"allowance": ["paid"]})
    assert set(ids(paid)) == {"11", "12"} and counts(paid, "allowance") == {
        "paid": 2,
        "unpaid": 1,
    }  # others still shown


def test_residents_filter_by_deadline_within_a_week_or_a_month_and_by_comune(resident_engine):
    result = ask(resident_engine)
    assert [(f.value, f.count) for f in result.facets["deadline"]] == [("week", 1), ("month", 2)]
    assert ids(ask(resident_engine, filters={"deadline": ["week"]})) == ["11"]
    assert set(ids(ask(resident_engine, filters={"deadline": ["month"]}))) == {"11", "12"}
    assert ids(ask(resident_engine, filters={"deadline": ["month"], "comune": ["Nizza Monferrato"]})) == ["12"]
    assert ids(ask(resident_engine, filters={"deadline": ["someday"]})) == []  # an unknown value matches nothing


def test_snippets_are_sentences_of_the_description_not_fields_run_together(resident_engine):
    [hit] = ask(resident_engine, "sede").hits
    text = re.sub(r"</?mark[^>]*>", "", hit.snippet_html)
    assert "La sede è ad Asti." in text and "<mark" in hit.snippet_html
    [cook] = ask(resident_engine, "cucina").hits  # found by its title: the description's opening
    assert cook.snippet_html == "Aiuto cuoco in mensa." and "Requisiti" not in cook.snippet_html
    [by_body] = ask(resident_engine, "sportello").hits  # found by a field of the body: still the description
    assert "Candidature" not in by_body.snippet_html and by_body.snippet_html.startswith("Aiuto cuoco")


def test_an_index_built_before_a_new_field_is_reported_and_still_takes_changes(tmp_path):
    from whoosh import index as whoosh_index

    from search_index.schema import EntrySchema

    old = EntrySchema()
    old.remove("summary")
    (tmp_path / "old").mkdir()
    whoosh_index.create_in(tmp_path / "old", old)
    search = open_engine(tmp_path / "old")
    assert not search.is_healthy()  # the portal answers from the database and queues a rebuild
    search.apply([doc(1, "Tirocinio", "Testo.", summary="Testo.")])  # no error on the field it lacks
    search.rebuild([doc(1, "Tirocinio", "Testo.", summary="Testo.")])
    assert search.is_healthy() and ids(ask(search, "tirocinio")) == ["1"]
