"""The full-text engine behind a small contract.

The portal builds `Document`s, hands them to an engine (`upsert`, `delete`,
`rebuild`) and asks `search(SearchQuery) -> SearchResult`. Nothing outside this
package imports Whoosh, so the engine can be replaced.
"""

import os

from search_index.contract import (
    Document,
    FacetValue,
    Hit,
    IndexUnavailable,
    SearchEngine,
    SearchQuery,
    SearchResult,
)
from search_index.postgres_engine import PostgresEngine
from search_index.whoosh_engine import WhooshEngine

__all__ = [
    "PostgresEngine",
    "SearchEngine",
    "Document",
    "FacetValue",
    "Hit",
    "IndexUnavailable",
    "SearchQuery",
    "SearchResult",
    "WhooshEngine",
    "open_engine",
]


_engines: dict[str, WhooshEngine] = {}


def open_engine(path: str | os.PathLike[str]) -> WhooshEngine:
    """The engine for the index folder `path` (created on first write).

    One instance per folder and process, so open searchers and their facet sets are reused
    across requests.
    """
    key = os.path.abspath(path)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines.setdefault(key, WhooshEngine(key))
    return engine
