"""Italian analysis: tokenise, lowercase, drop Italian stop words, Snowball-stem,
then fold accents (after stemming: the stop list and the stemmer expect accents).
A second, unstemmed analyser feeds spelling suggestions."""

from __future__ import annotations

from typing import Any

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StemmingAnalyzer, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

ITALIAN_STOP_WORDS = frozenset(stopwords_for_language("it"))
TOKEN_PATTERN = r"\w+"


def italian_analyzer() -> Any:
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=ITALIAN_STOP_WORDS, minsize=2)
        | StemFilter(lang="it", cachesize=50_000)
        | CharsetFilter(accent_map)
    )


def english_analyzer() -> Any:
    """English versions: English stop words and the Porter stemmer, then accent folding."""
    return StemmingAnalyzer(expression=TOKEN_PATTERN, cachesize=50_000) | CharsetFilter(accent_map)


def spelling_analyzer() -> Any:
    """Whole words, lowercased and folded: what a suggestion should offer."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=ITALIAN_STOP_WORDS, minsize=3)
        | CharsetFilter(accent_map)
    )


_ANALYZERS: dict[str, Any] = {}


def is_stop_word(word: str) -> bool:
    """A word that the Italian or the English analysis drops ("di", "the"): a query leaves it out,
    since each text is indexed in one language only and would not hold the other's stop words."""
    if not _ANALYZERS:
        _ANALYZERS.update(it=italian_analyzer(), en=english_analyzer())
    return any(not any(True for _token in analyzer(word)) for analyzer in _ANALYZERS.values())
