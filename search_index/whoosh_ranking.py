"""Match sets and relevance for the Whoosh engine, read from the postings a block at a time.

Whoosh walks a query's matcher one document at a time, a few microseconds for each document and
field: a word in half of 10,000 documents cost about 30 ms to match and 90 ms to rank. For the
queries the parser builds from plain words and phrases (a word's terms OR-ed over the fields, the
words AND-ed, OR and NOT between them) this module reads each term's postings in bulk instead:

- a term's postings are read once per searcher and kept (up to POSTINGS_KEPT of them), with its
  match set (a bitset over the searcher's document numbers); a query's set is the unions and
  intersections of its terms' (a phrase's set is Whoosh's, kept: the last MATCHES_KEPT);
- BM25F scores are computed, with Whoosh's own formula and statistics, for only the documents to
  rank (the engine's ranking window): what Whoosh's matchers would score, without walking the rest.
  Whoosh scores a phrase as the sum of its words' scores in the field where the phrase is found.

Any other query (fuzzy or prefix terms, boosts) is matched and scored by Whoosh itself.
`tests/test_search_whoosh_ranking.py` checks both against Whoosh on random queries.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.query import And, AndNot, Not, Or, Phrase, Term
from whoosh.util.numeric import byte_to_length

from search_index.bitsets import mask_of

POSTINGS_KEPT = 2_000_000  # per searcher: about 24 MB of document numbers and weights
MATCHES_KEPT = 256  # match sets of phrases and other queries Whoosh matches, per searcher
BYTE_LENGTHS = [byte_to_length(byte) for byte in range(256)]
Key = tuple[str, bytes]


def is_plain(query: Any) -> bool:
    """Whether `query` is only terms and phrases joined by And, Or, AndNot and Not, without boosts."""
    kind = type(query)
    if getattr(query, "boost", 1.0) != 1.0:
        return False
    if kind is Term or kind is Phrase:
        return True
    if kind is Or:
        return not query.minmatch and not query.scale and all(map(is_plain, query.subqueries))
    if kind is And:
        return all(map(is_plain, query.subqueries))
    if kind is AndNot:
        return is_plain(query.a) and is_plain(query.b)
    if kind is Not:
        return is_plain(query.query)
    return False


def terms_of(query: Any) -> Iterator[Term]:
    if type(query) is Term:
        yield query
    if type(query) is Phrase:
        yield from (Term(query.fieldname, word) for word in query.words)
    for child in query.children():
        yield from terms_of(child)


def postings(reader: Any, field: str, text: bytes) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """The (document numbers, weights) of each block of a term's postings in one segment."""
    if (field, text) not in reader:
        return
    matcher = reader.postings(field, text)
    while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
        matcher = matcher.child  # the filter of deleted documents: they are not in the engine's sets
    if not hasattr(matcher, "_read_ids"):  # another codec: Whoosh's own iteration
        docs = tuple(matcher.all_ids())
        yield docs, [1.0] * len(docs)
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def scored_by_whoosh(searcher: Any, query: Any, documents: list[int]) -> dict[int, float]:
    """The scores of `documents` (global numbers) under any query, by Whoosh's own matchers, skipping
    from one of them to the next rather than walking every match."""
    found = dict.fromkeys(documents, 0.0)
    wanted = sorted(documents)
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        matcher = query.matcher(sub, context)
        for doc in wanted:
            local = doc - offset
            if local < 0:
                continue
            if matcher.is_active() and matcher.id() < local:
                matcher.skip_to(local)
            if not matcher.is_active():
                break
            if matcher.id() == local:
                found[doc] = matcher.score()
    return found


class TermSets:
    """One searcher's terms (global document numbers): their postings and match sets, kept as they
    are read (up to POSTINGS_KEPT postings), and the field lengths BM25F needs."""

    def __init__(self, searcher: Any, size: int, everything: int) -> None:
        self.searcher = searcher
        self.size = size
        self.all = everything
        self._kept: dict[Key, tuple[int, array[int], array[float]]] = {}
        self._held = 0
        self._lengths: dict[str, bytes] = {}
        self._matches: dict[Any, int] = {}
        self._lock = threading.Lock()

    def key(self, term: Term) -> Key:
        return term.fieldname, self.searcher.schema[term.fieldname].to_bytes(term.text)

    def _term(self, key: Key) -> tuple[int, array[int], array[float]]:
        """A term's match set, document numbers and weights."""
        with self._lock:
            found = self._kept.pop(key, None)
            if found is None:
                docs, weights = array("l"), array("f")
                for sub, offset in self.searcher.leaf_searchers():
                    for block_docs, block_weights in postings(sub.reader(), *key):
                        docs.extend(doc + offset for doc in block_docs)
                        weights.extend(block_weights)
                found = (mask_of(docs, self.size), docs, weights)
                self._held += len(docs)
                while self._kept and self._held > POSTINGS_KEPT:
                    self._held -= len(self._kept.pop(next(iter(self._kept)))[1])
            self._kept[key] = found
            return found

    def of_query(self, query: Any) -> int:
        """The documents matching `query` (is_plain), as a bitset within `all`."""
        kind = type(query)
        if kind is Term:
            return self._term(self.key(query))[0] & self.all
        if kind is Phrase:
            return self.whole(query)
        if kind is Or:
            found = 0
            for child in query.subqueries:
                found |= self.of_query(child)
            return found
        if kind is And:
            found = self.all
            for child in query.subqueries:
                found &= self.of_query(child)
            return found
        if kind is AndNot:
            return self.of_query(query.a) & ~self.of_query(query.b)
        return self.all & ~self.of_query(query.query)  # Not

    def whole(self, query: Any) -> int:
        """The documents matching any query, by Whoosh's matcher (kept for the last MATCHES_KEPT)."""
        with self._lock:
            found = self._matches.pop(query, None)
        if found is None:
            found = mask_of(self.searcher.docs_for_query(query), self.size) & self.all
        with self._lock:
            if len(self._matches) >= MATCHES_KEPT:
                self._matches.pop(next(iter(self._matches)))
            self._matches[query] = found
        return found

    def scores(self, query: Any, documents: list[int]) -> dict[int, float]:
        """The BM25F score Whoosh gives each of `documents` (global numbers, all matching `query`)."""
        weighting = self.searcher.weighting
        if type(weighting) is not scoring.BM25F:
            raise TypeError("only BM25F is computed in bulk")
        wanted = set(documents)
        keys = dict.fromkeys(self.key(term) for term in terms_of(query))
        by_term = {key: self._term_scores(weighting, key, wanted) for key in keys}
        evaluate = self._evaluator(query, by_term, wanted)
        return {doc: evaluate(doc) or 0.0 for doc in documents}

    def _term_scores(self, weighting: Any, key: Key, wanted: set[int]) -> dict[int, float]:
        field, text = key
        if not self.searcher.schema[field].scorable:
            raise TypeError(f"{field} is not scorable")
        idf = self.searcher.idf(field, text)
        average = self.searcher.avg_field_length(field) or 1
        b_value = weighting._field_B.get(field, weighting.B)
        lengths = self.lengths(field)
        _match, docs, weights = self._term(key)
        return {
            doc: scoring.bm25(idf, weight, BYTE_LENGTHS[lengths[doc]] or 1, average, b_value, weighting.K1)
            for doc, weight in zip(docs, weights, strict=True)
            if doc in wanted
        }

    def lengths(self, field: str) -> bytes:
        """Every document's length of `field`, as Whoosh's length bytes (BYTE_LENGTHS decodes them)."""
        found = self._lengths.get(field)
        if found is None:
            parts = []
            for sub, _offset in self.searcher.leaf_searchers():
                reader = sub.reader()
                column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                count = reader.doc_count_all()
                raw = column._dbfile.get(column._basepos, column._count) if column is not None else b""
                parts.append(raw[:count].ljust(count, b"\0"))
            found = self._lengths[field] = b"".join(parts)
        return found

    def _evaluator(
        self, query: Any, by_term: dict[Key, dict[int, float]], wanted: set[int]
    ) -> Callable[[int], float | None]:
        """A function giving a document's score under `query`, or None where it does not match: Or
        adds its matching children's scores, And all of them, AndNot its left side's, Not 1 (the weight of
        Whoosh's InverseMatcher)."""
        kind = type(query)
        if kind is Term:
            return by_term[self.key(query)].get
        if kind is Phrase:
            found = self.whole(query).to_bytes((self.size >> 3) + 1, "little")
            words = [by_term[self.key(term)] for term in terms_of(query)]
            scored = {
                doc: sum(table.get(doc, 0.0) for table in words) for doc in wanted if found[doc >> 3] >> (doc & 7) & 1
            }
            return scored.get
        children = [self._evaluator(child, by_term, wanted) for child in query.children()]
        if kind is Or:

            def either(doc: int) -> float | None:
                found = [score for score in (child(doc) for child in children) if score is not None]
                return sum(found) if found else None

            return either
        if kind is And:

            def both(doc: int) -> float | None:
                found = [child(doc) for child in children]
                return None if None in found else sum(s for s in found if s is not None)

            return both
        if kind is AndNot:
            left, right = children
            return lambda doc: None if right(doc) is not None else left(doc)
        (inner,) = children  # Not
        return lambda doc: 1.0 if inner(doc) is None else None
