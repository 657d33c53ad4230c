"""What every anonymous render of the hub and a project home would compute again is kept in the
process until public content changes: the network's totals and a project's highlights. A degraded
answer (the search fallback while the index is unavailable) is never kept."""

from __future__ import annotations

import pytest

from portal.content_cache import ProcessCache, generation
from portal.directory import search as directory_search
from portal.kpi import services as kpi_services
from search_index import IndexUnavailable


@pytest.fixture
def counted(monkeypatch):
    """Calls to a module function, by name, while still running it."""
    calls: dict[str, int] = {}

    def count(module, name):
        real = getattr(module, name)

        def counting(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)

    return count, calls


def test_the_hub_counts_its_totals_once_until_content_changes(app, indexed_demo, client, counted):
    count, calls = counted
    count(kpi_services, "_network_totals")
    first = client.get("/").get_data(as_text=True)
    assert client.get("/").get_data(as_text=True) == first and calls["_network_totals"] == 1
    with app.app_context():
        generation().bump()  # what a commit that wrote public content does, on any host
    client.get("/")
    assert calls["_network_totals"] == 2


def test_a_project_home_searches_its_highlights_once_per_language_until_content_changes(
    app, indexed_demo, client, counted
):
    count, calls = counted
    count(directory_search, "search")
    italian = client.get("/alice/").get_data(as_text=True)
    assert calls["search"] == 3  # opportunities, courses, events
    assert client.get("/alice/").get_data(as_text=True) == italian and calls["search"] == 3
    client.get("/ciao/")
    client.set_cookie("lang", "en")
    assert 'lang="en"' in client.get("/alice/").get_data(as_text=True)
    client.delete_cookie("lang")
    assert calls["search"] == 9  # another language, another project: their own highlights
    with app.app_context():
        generation().bump()
    client.get("/alice/")
    assert calls["search"] == 12


def test_highlights_from_the_fallback_are_not_kept(app, indexed_demo, client, monkeypatch):
    from portal.directory import indexing

    real_engine = indexing.engine
    failing = {"on": True}

    class Unavailable:
        def search(self, query):
            raise IndexUnavailable("rebuilding")

    monkeypatch.setattr(indexing, "engine", lambda: Unavailable() if failing["on"] else real_engine())
    monkeypatch.setattr(directory_search, "_ask_for_rebuild", lambda: None)
    assert client.get("/alice/").status_code == 200  # answered by the database fallback
    failing["on"] = False
    searched = []
    monkeypatch.setattr(directory_search.indexing, "engine", lambda: searched.append(1) or real_engine())
    client.get("/alice/")
    assert searched, "the engine's answer replaces the fallback's at the next visit"


def test_a_process_cache_keeps_only_what_it_is_told_to():
    cache, loads = ProcessCache(), []
    from flask import Flask

    from portal.content_cache import init_content_cache

    app = Flask("cache")
    app.config.update(REDIS_URL=None)
    app.instance_path = str(pytest.importorskip("tempfile").mkdtemp())
    init_content_cache(app)
    with app.app_context():
        assert cache.get("k", lambda: loads.append(1) or "bad", keep=lambda v: v != "bad") == "bad"
        assert cache.get("k", lambda: loads.append(1) or "good", keep=lambda v: v != "bad") == "good"
        assert cache.get("k", lambda: loads.append(1) or "other") == "good" and len(loads) == 2
