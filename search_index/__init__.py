"""The full-text engine behind a small contract.

The portal builds `Document`s, hands them to an engine (`upsert`, `delete`,
`rebuild`) and asks `search(SearchQuery) -> SearchResult`. Nothing outside this
package imports Whoosh, so the engine can be replaced.
"""
from search_index.contract import Document, FacetValue, Hit, IndexUnavailable, SearchQuery, SearchResult
from search_index.whoosh_engine import WhooshEngine

__all__ = ["Document", "FacetValue", "Hit", "IndexUnavailable", "SearchQuery", "SearchResult", "WhooshEngine",
           "open_engine"]


def open_engine(path: str) -> WhooshEngine:
    """The engine for the index folder `path` (created on first write)."""
    return WhooshEngine(path)
