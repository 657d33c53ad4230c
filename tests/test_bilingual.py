"""Content in both languages: English versions beside the Italian, English words that find Italian
entries, translations left behind, and dates, times and money as each language writes them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Entry, NewsPost, Page
from portal.tenancy import tenant_scope
from portal.vocabularies.synonyms import synonyms
from search_index import Document, SearchQuery
from tests.conftest import search_engine_holding
from tests.test_alerts import clock, publisher  # noqa: F401 - fixtures
from tests.test_directory import INTERNSHIP, _entry, _login, _publish_internship
from tests.test_interests import offer  # noqa: F401 - a fixture
from tests.test_privacy import person  # noqa: F401 - a fixture
from tests.test_search_engine import TODAY, doc

ONLY_ITALIAN = "This text is only available in Italian"
LIST_NOTE = "Entries without an English version are shown in Italian."


# --- the search contract, on both backends ------------------------------------------------------


def bilingual_documents() -> list[Document]:
    return [
        doc(1, "Tirocinio in magazzino", "Inserimento in una ditta di logistica."),
        doc(2, "Borsa lavoro in cucina", "Sei mesi con un tutor.", opportunity_type="borsa_lavoro"),
        doc(3, "Corso di italiano", "Lezioni serali gratuite.", kind="training"),
        doc(4, "Volontariato alla mensa", "Servizio di due ore a settimana."),
        doc(
            5,
            "Offerta di lavoro: magazziniere",
            "Contratto a tempo determinato.",
            title_en="Job offer: warehouse worker",
            body_en="Fixed-term contract, forklift licence welcome.",
            summary_en="Fixed-term contract, forklift licence welcome.",
        ),  # fmt: skip
    ]


@pytest.fixture(params=["whoosh", "postgres"])
def engine(request, tmp_path):
    yield from search_engine_holding(request, tmp_path, bilingual_documents, request.param)


def found(engine, text, **kwargs) -> list[str]:
    result = engine.search(SearchQuery(text=text, today=TODAY, synonyms=synonyms(), **kwargs))
    return sorted(hit.id.split(":")[1] for hit in result.hits)


def test_internship_finds_the_italian_tirocinio(engine):
    assert found(engine, "internship") == ["1"]
    assert found(engine, "Internships") == ["1"]


def test_the_common_english_terms_find_their_italian_entries(engine):
    assert found(engine, "work grant") == ["2"]
    assert found(engine, "italian course") == ["3"]
    assert found(engine, "course") == ["3"]
    assert found(engine, "volunteering") == ["4"]
    assert "5" in found(engine, "job")


def test_an_english_term_combines_with_italian_words(engine):
    assert found(engine, "internship magazzino") == ["1"]
    assert found(engine, "internship cucina") == []


def test_without_the_synonym_list_english_words_find_no_italian_entry(engine):
    assert engine.search(SearchQuery(text="internship", today=TODAY)).hits == []


def test_the_english_version_is_searched_and_shown_to_english_readers(engine):
    assert found(engine, "forklift") == ["5"]
    english = engine.search(SearchQuery(text="forklift", today=TODAY, locale="en")).hits[0]
    assert english.title == "Job offer: warehouse worker" and english.lang == "en"
    assert "forklift" in english.snippet_html and english.snippet_lang == "en"
    italian = engine.search(SearchQuery(text="forklift", today=TODAY, locale="it")).hits[0]
    assert italian.title == "Offerta di lavoro: magazziniere" and italian.lang == "it"
    untranslated = engine.search(SearchQuery(text="internship", today=TODAY, locale="en", synonyms=synonyms())).hits
    assert untranslated[0].title == "Tirocinio in magazzino" and untranslated[0].lang == "it"


def test_italian_words_still_find_entries_with_an_english_version(engine):
    assert found(engine, "contratto determinato") == ["5"]


def test_italian_queries_with_stop_words_still_find_their_entries(engine):
    """Each text is indexed in one language: "di" (an Italian stop word) is not searched in the
    English fields, nor "the" (an English one) in the Italian fields."""
    assert found(engine, "corso di italiano") == ["3"]
    assert found(engine, "servizio di due ore") == ["4"]
    assert found(engine, "the internship") == ["1"]
    assert found(engine, "the job") == ["2", "5"]


def test_quoted_negated_and_alternative_english_terms_keep_their_synonyms(engine):
    assert found(engine, '"work grant"') == ["2"]
    assert found(engine, "internship OR volunteering") == ["1", "4"]
    assert found(engine, "NOT internship") == ["2", "3", "4", "5"]
    assert found(engine, "-internship") == ["2", "3", "4", "5"]
    assert found(engine, "job NOT magazzino") == ["2"]


def test_a_misspelt_english_term_is_offered_corrected(engine):
    for typed, meant in (("internshp", "internship"), ("voluntering", "volunteering")):
        result = engine.search(SearchQuery(text=typed, today=TODAY, synonyms=synonyms(), locale="en"))
        assert result.hits == [] and result.suggestion == meant
    assert engine.search(SearchQuery(text="tirocnio", today=TODAY, synonyms=synonyms())).suggestion == "tirocinio"


# --- entries in the browser: forms, pages, search -------------------------------------------------


def _approve(new_browser, app, title=INTERNSHIP["title"]):
    entry = _entry(app, title)
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.submit(f"/directory/moderation/entries/{entry.id}", {"approve": "1"}, page="/directory/moderation/")
    return _entry(app, title)


def test_an_english_visitor_reads_the_english_version_where_it_exists(app, network, new_browser, index):
    english = {"title_en": "Warehouse assistant internship", "description_en": "Receiving goods and stocktaking.",
               "how_to_apply_en": "Write to the help desk."}  # fmt: skip
    partner, response = _publish_internship(new_browser, network, english)
    assert response.status_code == 302
    entry = _approve(new_browser, app)
    assert entry.title_en == "Warehouse assistant internship"
    index.sync()
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert "<h1>Warehouse assistant internship</h1>" in html and "Write to the help desk." in html
    assert ONLY_ITALIAN not in html
    assert 'data-share-title="Warehouse assistant internship"' in html  # shared as read
    assert "mailto:?subject=Warehouse%20assistant%20internship" in html
    italian = new_browser().get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert "<h1>Tirocinio come aiuto magazziniere</h1>" in italian and "Warehouse" not in italian
    hits = visitor.get("/search?q=stocktaking").get_data(as_text=True)
    assert "Warehouse assistant internship" in hits


def test_an_entry_without_english_is_shown_in_italian_marked_and_with_the_note(app, network, new_browser, index):
    _publish_internship(new_browser, network, {"title_en": "   ", "description_en": ""})
    entry = _approve(new_browser, app)
    assert entry.title_en == "" and entry.description_en == ""  # blank is no English version
    index.sync()
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert '<h1 lang="it">Tirocinio come aiuto magazziniere</h1>' in html and ONLY_ITALIAN in html
    assert '<p class="preserve-lines" lang="it">Ricevimento merci' in html
    search = visitor.get("/search?q=internship").get_data(as_text=True)
    assert 'lang="it">Tirocinio come aiuto magazziniere</a>' in search and LIST_NOTE in search
    italian = new_browser().get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert "Questo testo è disponibile solo in italiano" not in italian and 'lang="it">Tirocinio' not in italian


def test_an_english_version_longer_than_the_limit_is_refused_with_a_clear_message(app, network, new_browser):
    partner, response = _publish_internship(new_browser, network, {"title_en": "x" * 201})
    assert response.status_code == 200
    assert (
        "La versione inglese può contenere al massimo 200 caratteri (quella inserita ne ha 201)."
        in response.get_data(as_text=True)
    )
    assert _entry(app) is None  # nothing saved
    partner.client.set_cookie("lang", "en")
    response = partner.submit(
        f"/directory/manage/organisations/{network['asti-est']['org']}/opportunity/new",
        {**INTERNSHIP, "deadline": (date.today() + timedelta(days=20)).isoformat(), "description_en": "y" * 10001},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The English version can be at most 10000 characters long (this one has 10001)." in html
    assert (
        "aria-describedby"
        in html[html.index('name="description_en"') - 400 : html.index('name="description_en"') + 400]
    )


def test_the_entry_form_groups_the_english_fields_as_optional(network, new_browser):
    partner = _login(new_browser, "partner.asti-est@example.it")
    partner.client.set_cookie("lang", "en")
    html = partner.get(f"/directory/manage/organisations/{network['asti-est']['org']}/opportunity/new").get_data(
        as_text=True
    )
    group = html[html.index("English version (optional)") :]
    assert 'name="title_en"' in group and 'name="description_en"' in group and 'name="how_to_apply_en"' in group
    assert 'name="title_en"' not in html[: html.index("English version (optional)")]


def test_an_organisation_description_in_english(app, network, new_browser):
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    org_id = network["asti-est"]["org"]
    page = coordinator.get(f"/directory/manage/organisations/{org_id}").get_data(as_text=True)
    assert 'name="description_en"' in page
    from portal.content_cache import content_changed
    from portal.models import Organisation

    with app.app_context():
        org = db.session.get(Organisation, org_id)
        org.description, org.description_en = "Officina meccanica.", "A mechanical workshop."
        slug = org.slug
        db.session.commit()
        content_changed()
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get(f"/directory/organisations/{slug}").get_data(as_text=True)
    assert '<p class="preserve-lines">A mechanical workshop.</p>' in html and ONLY_ITALIAN not in html
    assert "Officina meccanica." in new_browser().get(f"/directory/organisations/{slug}").get_data(as_text=True)


def test_lists_say_once_that_entries_without_english_are_in_italian(indexed_demo, new_browser):
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    for url in ("/directory/opportunities/", "/search?q=internship", "/asti-est/directory/", "/asti-est/?lang=en"):
        html = visitor.get(url).get_data(as_text=True)
        assert html.count('class="small text-muted only-in-italian"') == 1, url
        assert LIST_NOTE in html and ONLY_ITALIAN not in html, url
        assert html.count('lang="it">') > 3, url  # each Italian title is still marked
    italian = new_browser().get("/directory/opportunities/").get_data(as_text=True)
    assert "only-in-italian" not in italian


# --- pages and news -------------------------------------------------------------------------------


def test_a_page_whose_english_version_was_deleted_falls_back_to_italian(app, tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    before = visitor.get("/work-in/tirocini").get_data(as_text=True)
    assert ONLY_ITALIAN not in before
    coordinator = new_browser().sign_in("coord@example.it")
    response = coordinator.submit("/work-in/manage/pages/tirocini/en/delete", {}, page="/work-in/manage/")
    assert response.status_code == 302
    after = visitor.get("/work-in/tirocini")
    html = after.get_data(as_text=True)
    assert after.status_code == 200 and ONLY_ITALIAN in html and '<h1 lang="it">' in html
    manage = coordinator.get("/work-in/manage/").get_data(as_text=True)
    missing = manage[manage.index("Pagine senza versione inglese") :]
    assert "/work-in/manage/pages/tirocini/en" in missing[: missing.index("</ul>")]
    refused = coordinator.submit("/work-in/manage/pages/tirocini/it/delete", {}, page="/work-in/manage/")
    assert refused.status_code == 302
    with app.app_context(), tenant_scope(tenants["work-in"]):
        assert db.session.scalar(select(Page).where(Page.slug == "tirocini", Page.locale == "it")) is not None


def test_a_page_left_in_italian_is_marked_in_the_menu_and_breadcrumb_too(app, tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = new_browser().sign_in("coord@example.it")
    coordinator.submit("/work-in/manage/pages/tirocini/en/delete", {}, page="/work-in/manage/")
    with app.app_context(), tenant_scope(tenants["work-in"]):
        title = db.session.scalar(select(Page.title).where(Page.slug == "tirocini", Page.locale == "it"))
    visitor = new_browser()
    html = visitor.get("/work-in/tirocini?lang=en").get_data(as_text=True)
    assert f'aria-current="page" lang="it">{title}</li>' in html  # the breadcrumb
    assert f'<span lang="it">{title}</span></a></li>' in html  # the project's menu
    italian = new_browser().get("/work-in/tirocini?lang=it").get_data(as_text=True)
    assert 'lang="it">' + title not in italian and "<span>" + title + "</span>" in italian


def test_coordinators_see_which_english_versions_are_older_than_the_italian(app, tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = new_browser().sign_in("coord@example.it")
    coordinator.client.set_cookie("lang", "en")
    manage = coordinator.get("/work-in/manage/").get_data(as_text=True)
    assert "Every English version is as recent as its Italian text." in manage
    with app.app_context(), tenant_scope(tenants["work-in"]):
        page = db.session.scalar(select(Page).where(Page.slug == "tirocini", Page.locale == "it"))
        version, title = page.version, page.title
    saved = coordinator.submit(
        "/work-in/manage/pages/tirocini/it", {"title": title, "body": "Testo nuovo.", "version": version, "in_menu": "y",
                                              "submit": "1"},
    )  # fmt: skip
    assert saved.status_code == 302
    manage = coordinator.get("/work-in/manage/").get_data(as_text=True)
    listed = manage[manage.index("English versions older than the Italian") :]
    assert title in listed and "/work-in/manage/pages/tirocini/en" in listed


def _news(app, tenant, **fields) -> int:
    with app.app_context(), tenant_scope(tenant):
        post = NewsPost(tenant_id=tenant.id, slug="apertura", title="Apertura dello sportello", body_md="Testo.",
                        body_html="<p>Testo.</p>", published_at=datetime(2026, 12, 5, 15, tzinfo=UTC), **fields)  # fmt: skip
        db.session.add(post)
        db.session.commit()
        return post.id


def test_news_with_an_english_version_and_after_it_is_removed(app, tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["alice"])
    news_id = _news(app, tenants["alice"])
    coordinator = new_browser().sign_in("coord@example.it")
    with app.app_context(), tenant_scope(tenants["alice"]):
        version = db.session.get(NewsPost, news_id).version
    form = {"title": "Apertura dello sportello", "body": "Testo.", "locale": "it", "publish": "y", "version": version,
            "title_en": "The help desk opens", "body_en": "Text.", "submit": "1"}  # fmt: skip
    assert coordinator.submit(f"/alice/manage/news/{news_id}", form).status_code == 302
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get("/alice/news/apertura").get_data(as_text=True)
    assert "<h1>The help desk opens</h1>" in html and "<p>Text.</p>" in html and ONLY_ITALIAN not in html
    assert "5 December 2026" in html  # as written in Europe
    assert "<h1>Apertura dello sportello</h1>" in new_browser().get("/alice/news/apertura").get_data(as_text=True)

    half = {**form, "version": version + 1, "title_en": "", "body_en": "Text."}
    refused = coordinator.submit(f"/alice/manage/news/{news_id}", half)
    assert refused.status_code == 200 and "sia il titolo sia il testo" in refused.get_data(as_text=True)
    removed = {**form, "version": version + 1, "title_en": "", "body_en": ""}
    assert coordinator.submit(f"/alice/manage/news/{news_id}", removed).status_code == 302
    html = visitor.get("/alice/news/apertura").get_data(as_text=True)
    assert '<h1 lang="it">Apertura dello sportello</h1>' in html and ONLY_ITALIAN in html


def test_an_outdated_news_translation_is_listed(app, tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["alice"])
    earlier = datetime(2026, 11, 1, tzinfo=UTC)
    _news(app, tenants["alice"], title_en="Opening", body_md_en="Text.", body_html_en="<p>Text.</p>",
          en_changed_at=earlier, text_changed_at=earlier + timedelta(days=3))  # fmt: skip
    coordinator = new_browser().sign_in("coord@example.it")
    coordinator.client.set_cookie("lang", "it")
    manage = coordinator.get("/alice/manage/").get_data(as_text=True)
    listed = manage[manage.index("Versioni inglesi meno recenti dell'italiano") :]
    assert "Apertura dello sportello" in listed and "4 nov 2026, 01:00" in listed


# --- dates, times, numbers and money ------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "long_date", "short_date", "moment", "money", "number"),
    [
        ("en", "5 December 2026", "05/12/2026", "5 December 2026, 16:00", "€450.00", "1,234.5"),
        ("it", "5 dicembre 2026", "05/12/2026", "5 dicembre 2026, 16:00", "450,00\xa0€", "1.234,5"),
    ],
)
def test_dates_times_and_money_follow_the_locale(app, locale, long_date, short_date, moment, money, number):
    from portal import formatting

    with app.test_request_context(f"/?lang={locale}"):
        day, instant = date(2026, 12, 5), datetime(2026, 12, 5, 15, 0, tzinfo=UTC)  # 16:00 in Rome
        assert formatting.format_date(day, "long") == long_date
        assert formatting.format_date(day, "short") == short_date
        assert formatting.format_datetime(instant, "long") == moment
        assert formatting.format_time(instant) == "16:00"
        assert formatting.format_currency(450) == money
        assert formatting.format_decimal(1234.5) == number
        rendered = app.jinja_env.from_string("{{ d|dateformat('long') }} {{ t|datetimeformat('long') }}").render(
            d=day, t=instant
        )
        assert rendered == f"{long_date} {moment}"
        assert "12/5/26" not in rendered and "PM" not in rendered


def test_an_english_entry_page_writes_its_deadline_as_in_europe(app, network, new_browser):
    deadline = date.today() + timedelta(days=20)
    _publish_internship(new_browser, network, {"deadline": deadline.isoformat()})
    entry = _approve(new_browser, app)
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert f"{deadline.day} {deadline.strftime('%B')} {deadline.year}" in html
    assert f"{deadline.strftime('%B')} {deadline.day}, {deadline.year}" not in html


def test_an_entry_saved_with_english_keeps_it_in_the_pending_proposal(app, network, new_browser):
    _publish_internship(new_browser, network)
    entry = _approve(new_browser, app)
    partner = _login(new_browser, "partner.asti-est@example.it")
    url = f"/directory/manage/entries/{entry.id}"
    page = partner.get(url).get_data(as_text=True)
    assert 'name="title_en"' in page
    with app.app_context():
        row = db.session.get(Entry, entry.id)
        version = row.version
    data = {**INTERNSHIP, "deadline": entry.deadline.isoformat(), "version": version, "title_en": "Internship"}
    assert partner.submit(url, data).status_code == 302
    with app.app_context():
        row = db.session.get(Entry, entry.id)
        assert row.title_en == "" and row.pending_changes["title_en"] == "Internship"  # the public sees the published
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.client.set_cookie("lang", "en")
    queue = coordinator.get("/directory/moderation/").get_data(as_text=True)
    assert "Title in English" in queue and "title_en" not in queue.replace('name="title_en"', "")


def test_the_api_gives_the_english_version_beside_the_italian(app, network, new_browser, client):
    _publish_internship(new_browser, network, {"title_en": "Warehouse assistant internship",
                                               "how_to_apply_en": "Write to the help desk."})  # fmt: skip
    _approve(new_browser, app)
    items = client.get("/api/v1/opportunities?per_page=100").get_json()["items"]
    item = next(i for i in items if i["title"] == INTERNSHIP["title"])
    assert item["title_en"] == "Warehouse assistant internship" and item["description_en"] == ""
    assert item["how_to_apply_en"] == "Write to the help desk."  # the kind's own texts too


def test_a_page_english_version_longer_than_the_limit_is_refused_clearly(app, tenants, make_user, new_browser):
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = new_browser().sign_in("coord@example.it")
    coordinator.client.set_cookie("lang", "en")
    with app.app_context(), tenant_scope(tenants["work-in"]):
        page = db.session.scalar(select(Page).where(Page.slug == "tirocini", Page.locale == "en"))
        version, body = page.version, page.body_md
    response = coordinator.submit(
        "/work-in/manage/pages/tirocini/en", {"title": "x" * 201, "body": body, "version": version, "submit": "1"}
    )
    assert response.status_code == 200
    assert "The English version can be at most 200 characters long (this one has 201)." in response.get_data(
        as_text=True
    )


def test_short_texts_left_in_italian_are_marked_where_they_are_shown(app, network, new_browser):
    english = {"hours": "Dal lunedì al venerdì, 9-13", "contact_hours": "Martedì 9-12", "contact_hours_en": "Tuesday 9-12",
               "title_en": "Warehouse internship", "description_en": "Goods in and stocktaking."}  # fmt: skip
    _publish_internship(new_browser, network, english)
    entry = _approve(new_browser, app)
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert '<span lang="it">Dal lunedì al venerdì, 9-13</span>' in html and "Tuesday 9-12" in html
    assert ONLY_ITALIAN not in html  # the title and description are in English
    italian = new_browser().get(f"/directory/opportunities/{entry.slug}").get_data(as_text=True)
    assert "Dal lunedì al venerdì, 9-13" in italian and '<span lang="it">' not in italian and "Martedì 9-12" in italian


def test_dates_and_money_are_formatted_in_one_place():
    """Babel's own English is American: the portal formats through portal/formatting.py only."""
    import re
    from pathlib import Path

    babel_formatting = re.compile(r"from flask_babel import[^\n]*\bformat_(date|datetime|time|currency|decimal)")
    root = Path(__file__).parent.parent / "portal"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py") if babel_formatting.search(p.read_text())]
    assert offenders == []


# --- what the English visitor is told about an entry elsewhere: interest, "What suits me?" --------


def test_showing_interest_names_the_entry_in_english_where_it_has_it(app, offer, browser, outbox):  # noqa: F811
    from html import unescape

    from tests.conftest import Outbox
    from tests.test_interests import PERSON

    slug, _ = offer(title_en="Warehouse assistant internship")
    browser.client.set_cookie("lang", "en")
    form = browser.get(f"/directory/opportunities/{slug}/interest").get_data(as_text=True)
    assert "<title>Show interest: Warehouse assistant internship" in form and "Tirocinio" not in form
    thanks = unescape(browser.submit(f"/directory/opportunities/{slug}/interest", PERSON).get_data(as_text=True))
    assert "Your message about “Warehouse assistant internship”" in thanks
    [ack] = outbox.to(PERSON["email"])
    assert "Warehouse assistant internship" in ack["Subject"] and "Warehouse assistant internship" in Outbox.text(ack)


def test_showing_interest_in_an_italian_only_entry_marks_its_title(app, offer, browser, outbox):  # noqa: F811
    from tests.test_interests import PERSON

    slug, _ = offer()
    browser.client.set_cookie("lang", "en")
    form = browser.get(f"/directory/opportunities/{slug}/interest").get_data(as_text=True)
    assert '<span lang="it">Tirocinio come aiuto magazziniere</span>' in form
    thanks = browser.submit(f"/directory/opportunities/{slug}/interest", PERSON).get_data(as_text=True)
    assert '“<span lang="it">Tirocinio come aiuto magazziniere</span>”' in thanks


def test_what_suits_me_shows_english_titles_and_marks_italian_ones(app, offer, client):  # noqa: F811
    offer(title_en="Warehouse assistant internship")
    offer(title="Tirocinio in cucina", description="Aiuto cuoco.")
    answers = {"comune": "Asti", "looking": ["internship"]}
    html = client.post("/cosa-fa-per-me/risultati?lang=en", data=answers).get_data(as_text=True)
    assert ">Warehouse assistant internship</a>" in html
    assert 'lang="it">Tirocinio in cucina</a>' in html
    body = client.post("/cosa-fa-per-me/risultati?lang=en", json=answers).get_json()
    assert {(r["title"], r["lang"]) for r in body["results"]} == {
        ("Warehouse assistant internship", "en"), ("Tirocinio in cucina", "it")}  # fmt: skip
    html = client.post("/cosa-fa-per-me/risultati?lang=it", data=answers).get_data(as_text=True)
    assert ">Tirocinio come aiuto magazziniere</a>" in html and "Warehouse" not in html


def test_an_english_alert_for_internship_mails_new_italian_tirocini_in_english(app, browser, outbox, publisher, clock):  # noqa: F811
    from tests.conftest import Outbox
    from tests.test_alerts import _alert_mails, _confirm, _save, send_due

    browser.client.set_cookie("lang", "en")
    assert _save(browser, "/directory/opportunities/?q=internship", locale="en").status_code == 200
    _confirm(browser, outbox)
    english = publisher("Tirocinio da saldatore")
    publisher("Tirocinio in falegnameria")
    with app.app_context():
        entry = db.session.get(Entry, english)
        entry.title_en = "Welder internship"
        db.session.commit()
    assert send_due(app, clock).sent == 1  # "internship" found the Italian "tirocinio"
    [mail] = _alert_mails(outbox)
    text, html = Outbox.text(mail), mail.get_body(("html",)).get_content()
    assert "Welder internship" in text and "Tirocinio da saldatore" not in text
    assert "Tirocinio in falegnameria" in text
    assert 'lang="it">Tirocinio in falegnameria</a>' in html and ">Welder internship</a>" in html


def test_the_directory_feed_in_english_gives_english_titles_where_they_exist(app, network, new_browser, index):
    _publish_internship(new_browser, network, {"title_en": "Warehouse assistant internship",
                                               "description_en": "Receiving goods and stocktaking."})  # fmt: skip
    _approve(new_browser, app)
    index.sync()
    reader = new_browser()
    reader.client.set_cookie("lang", "en")
    feed = reader.get("/directory/feed.atom").get_data(as_text=True)
    assert "<title>Warehouse assistant internship</title>" in feed and "Receiving goods and stocktaking." in feed
    italian = new_browser().get("/directory/feed.atom").get_data(as_text=True)
    assert "<title>Tirocinio come aiuto magazziniere</title>" in italian and "Warehouse" not in italian


def test_my_area_lists_the_interests_with_english_titles_where_they_exist(app, offer, make_user, signed_in):  # noqa: F811
    from tests.test_interests import PERSON

    english, _ = offer(title_en="Warehouse assistant internship")
    italian, _ = offer(title="Tirocinio in cucina", description="Aiuto cuoco.")
    make_user(PERSON["email"])
    resident = signed_in(PERSON["email"])
    resident.client.set_cookie("lang", "en")
    for slug in (english, italian):
        assert resident.submit(f"/directory/opportunities/{slug}/interest", PERSON).status_code == 200
    html = resident.get("/la-mia-area").get_data(as_text=True)
    assert ">Warehouse assistant internship</a>" in html and 'lang="it">Tirocinio in cucina</a>' in html


def test_the_data_we_hold_page_dates_things_on_italian_time(app, person, browser, outbox):  # noqa: F811
    """An alert created at 23:30 UTC on 30 November was created on 1 December in Italy."""
    from portal.models import Alert
    from tests.conftest import Outbox
    from tests.test_privacy import PERSON as HOLDER
    from tests.test_privacy import _ask

    with app.app_context():
        alert = db.session.scalar(select(Alert).where(Alert.email == HOLDER))
        alert.created_at = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
        db.session.commit()
    _ask(browser, HOLDER)
    page = browser.get(Outbox.link(outbox.to(HOLDER)[0], "/privacy/held/")).get_data(as_text=True)
    assert "Un avviso creato il 01/12/2026" in page and "30/11/2026" not in page


@pytest.mark.parametrize(("locale", "month"), [("en", "December 2026"), ("it", "dicembre 2026")])
def test_the_subscriber_history_names_months_in_each_language_on_italian_time(
    app, tenants, make_user, new_browser, locale, month
):
    from portal.models import Subscription

    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    with app.app_context(), tenant_scope(tenants["work-in"]):
        late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already 1 December in Italy
        db.session.add(Subscription(tenant_id=tenants["work-in"].id, email="iscritta@example.it", status="confirmed",
                                    consent_at=late, consent_text_version="2026-11", consent_source="web-form",
                                    confirmed_at=late))  # fmt: skip
        db.session.commit()
    coordinator = new_browser().sign_in("coord@example.it")
    coordinator.client.set_cookie("lang", locale)
    html = coordinator.get(f"/work-in/manage/newsletter/?lang={locale}").get_data(as_text=True)
    assert f"<tr><td>{month}</td>" in html and "2026-1" not in html.split("<caption>")[1].split("</table>")[0]


def test_a_newsletter_issue_written_in_italian_is_marked_for_english_readers(app, tenants, new_browser):
    from portal.models.newsletter import Issue, IssueStatus

    with app.app_context(), tenant_scope(tenants["work-in"]):
        issue = Issue(tenant_id=tenants["work-in"].id, subject="Novità di dicembre", body_md="Testo.",
                      body_html="<p>Testo.</p>", status=IssueStatus.SENT, sent_at=datetime(2026, 12, 5, 15, tzinfo=UTC))  # fmt: skip
        db.session.add(issue)
        db.session.commit()
        issue_id = issue.id
    visitor = new_browser()
    archive = visitor.get("/work-in/newsletter/?lang=en").get_data(as_text=True)
    assert f'/work-in/newsletter/{issue_id}" lang="it">Novità di dicembre</a>' in archive
    html = visitor.get(f"/work-in/newsletter/{issue_id}?lang=en").get_data(as_text=True)
    assert '<h1 lang="it">Novità di dicembre</h1>' in html and ONLY_ITALIAN in html and "5 December 2026" in html
    italian = new_browser().get(f"/work-in/newsletter/{issue_id}?lang=it").get_data(as_text=True)
    assert "<h1>Novità di dicembre</h1>" in italian and "only-in-italian" not in italian


def test_the_news_list_says_once_which_news_are_in_italian(app, tenants, new_browser):
    _news(app, tenants["alice"])
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get("/alice/news/").get_data(as_text=True)
    assert html.count("News items without an English version are shown in Italian.") == 1
    assert 'lang="it">Apertura dello sportello</a>' in html


def test_while_the_index_is_rebuilt_english_words_still_find_italian_entries(app, network, new_browser, monkeypatch):
    from portal.directory import indexing
    from search_index import IndexUnavailable

    _publish_internship(new_browser, network, {"title_en": "Warehouse assistant internship"})
    _approve(new_browser, app)
    _publish_internship(new_browser, network, {"title": "Tirocinio in cucina"})
    _approve(new_browser, app, "Tirocinio in cucina")

    class Down:
        follows_transactions = False

        def search(self, query):
            raise IndexUnavailable("rebuilding")

    monkeypatch.setattr(indexing, "engine", lambda: Down())
    visitor = new_browser()
    visitor.client.set_cookie("lang", "en")
    html = visitor.get("/search?q=internship").get_data(as_text=True)
    assert ">Warehouse assistant internship</a>" in html and 'lang="it">Tirocinio in cucina</a>' in html


def test_a_review_says_when_the_italian_changes_and_its_english_version_does_not(app, network, new_browser):
    english = {"title_en": "Warehouse assistant internship", "description_en": "Receiving goods."}
    _publish_internship(new_browser, network, english)
    entry = _approve(new_browser, app)
    partner = _login(new_browser, "partner.asti-est@example.it")
    url = f"/directory/manage/entries/{entry.id}"
    base = {**INTERNSHIP, **english, "deadline": entry.deadline.isoformat()}
    with app.app_context():
        version = db.session.get(Entry, entry.id).version
    changed = {**base, "version": version, "description": "Ricevimento merci, inventario e spedizioni."}
    assert partner.submit(url, changed).status_code == 302
    coordinator = _login(new_browser, "coord.asti-est@example.it")
    coordinator.client.set_cookie("lang", "en")
    queue = coordinator.get("/directory/moderation/").get_data(as_text=True)
    warning = queue[queue.index("english-left-behind") :]
    assert "their English version does not: Description." in warning[: warning.index("</p>")]
    # both languages changed together: nothing to say
    with app.app_context():
        version = db.session.get(Entry, entry.id).version
    both = {**changed, "version": version, "description_en": "Receiving goods, stocktaking and shipping."}
    assert partner.submit(url, both).status_code == 302
    assert "english-left-behind" not in coordinator.get("/directory/moderation/").get_data(as_text=True)
