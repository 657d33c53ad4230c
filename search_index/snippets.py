"""Whoosh snippets without running the analyser chain over every word of every shown summary.

Whoosh highlights a hit by analysing the shown text again, token by token through the tokenizer,
stop words, the Snowball stemmer and the accent folding: about 25 µs a word, half a millisecond
for each of a page's 20 hits. The chain is the same for every occurrence of a word, so `Snippets`
analyses each distinct word once (kept, up to WORDS_KEPT) and builds the token stream of a text
from the tokenizer's own pattern; Whoosh's fragmenter, fragment scorer and formatter then make the
snippet exactly as `Hit.highlights` would (`tests/test_search_whoosh_ranking.py` compares them).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from whoosh.analysis import Token
from whoosh.highlight import Highlighter, top_fragments

from search_index.analysis import TOKEN_PATTERN

WORDS_KEPT = 50_000
_WORD = re.compile(TOKEN_PATTERN)


class Snippets:
    """For one searcher: the analysed form (text, stopped) of each word met, per field."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._words: dict[tuple[str, str], tuple[str, bool] | None] = {}
        self._lock = threading.Lock()

    def highlight(self, hit: Any, fieldname: str, text: str, top: int = 2) -> str:
        """What `hit.highlights(fieldname, text=text, top=top)` gives."""
        results = hit.results
        words = self._query_words(results, fieldname)
        tokens = self._tokens(fieldname, text, words)
        if tokens is None:  # a word the analyser splits or drops: Whoosh's own way
            return str(hit.highlights(fieldname, text=text, top=top))
        highlighter = results.highlighter
        fragments = highlighter.fragmenter.fragment_tokens(text, Highlighter._merge_matched_tokens(tokens))
        fragments = top_fragments(fragments, top, highlighter.scorer, highlighter.order, minscore=1)
        return str(highlighter.formatter.format(fragments))

    def _query_words(self, results: Any, fieldname: str) -> frozenset[str]:
        kept: dict[str, frozenset[str]] = results.__dict__.setdefault("_crocevia_words", {})
        if fieldname not in kept:
            field = self.schema[fieldname]
            terms = results.query_terms(expand=True, fieldname=fieldname)
            kept[fieldname] = frozenset(field.from_bytes(term[1]) for term in terms)
        return kept[fieldname]

    def _tokens(self, fieldname: str, text: str, words: frozenset[str]) -> list[Any] | None:
        """The field analyser's tokens of `text` as the fragmenter reads them, matched against
        `words`: a Whoosh Token for each match (positions renumbered over the words that are
        not stop words, as its StopFilter does), only the characters of the others."""
        tokens: list[Any] = []
        position = None
        matched = False
        for index, match in enumerate(_WORD.finditer(text)):
            analysed = self._word(fieldname, match.group(0))
            if analysed is None:
                return None
            final, stopped = analysed
            if not stopped:
                position = index if position is None else position + 1
            if final not in words:
                tokens.append(_Other(match.start(), match.end()))
                continue
            matched = True
            tokens.append(
                Token(
                    positions=True,
                    chars=True,
                    removestops=False,
                    mode="index",
                    text=final,
                    stopped=stopped,
                    pos=index if stopped else position,
                    startchar=match.start(),
                    endchar=match.end(),
                    matched=True,
                )
            )
        return tokens if matched else []

    def _word(self, fieldname: str, word: str) -> tuple[str, bool] | None:
        key = (fieldname, word)
        if key not in self._words:
            analyzer = self.schema[fieldname].analyzer
            found = [(token.text, token.stopped) for token in analyzer(word, mode="index", removestops=False)]
            analysed = found[0] if len(found) == 1 else None
            with self._lock:
                if len(self._words) >= WORDS_KEPT:
                    self._words.clear()
                self._words[key] = analysed
            return analysed
        return self._words.get(key)


class _Other:
    """A word that matches none of the query's: all the fragmenter reads of it."""

    __slots__ = ("startchar", "endchar")
    matched = False

    def __init__(self, startchar: int, endchar: int) -> None:
        self.startchar = startchar
        self.endchar = endchar
