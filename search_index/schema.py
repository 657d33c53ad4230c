"""The Whoosh schema: one index for every kind of entry."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, SchemaClass

from search_index.analysis import english_analyzer, italian_analyzer, spelling_analyzer
from search_index.querying import NO_DEADLINE  # noqa: F401 - re-exported for the engines


class EntrySchema(SchemaClass):
    id = ID(stored=True, unique=True)
    kind = ID(stored=True, sortable=True)
    title = TEXT(analyzer=italian_analyzer(), field_boost=3.0, stored=True, phrase=True)
    body = TEXT(analyzer=italian_analyzer(), stored=True, phrase=True)
    spell = TEXT(analyzer=spelling_analyzer(), spelling=True, phrase=False)
    url_slug = STORED()
    organisation = STORED()
    tenants = KEYWORD(commas=True, stored=True, sortable=True)
    province = ID(stored=True, sortable=True)
    comune = ID(stored=True, sortable=True)
    sector = ID(sortable=True)
    targets = KEYWORD(commas=True, sortable=True)
    cost = ID(sortable=True)  # "free", "paid" or "" when not stated
    opportunity_type = ID(sortable=True)  # tirocinio, borsa_lavoro, lavoro, volontariato or ""
    allowance = ID(sortable=True)  # "paid", "unpaid" or "" when not stated
    summary = STORED()  # the description alone: snippets come from it
    # The English version (empty when there is none), analysed as English.
    title_en = TEXT(analyzer=english_analyzer(), field_boost=3.0, stored=True, phrase=True)
    body_en = TEXT(analyzer=english_analyzer(), stored=True, phrase=True)
    summary_en = STORED()
    closes_on = NUMERIC(stored=True, sortable=True, bits=32)  # yyyymmdd
    published = NUMERIC(sortable=True, bits=64)  # epoch seconds
