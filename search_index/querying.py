"""Turn what a person typed into a safe Whoosh query.

No field syntax (`title:` is just a word), no wildcards, regexes or ranges; at most
MAX_TERMS words and MAX_LENGTH characters; control characters dropped. Words are
AND-ed; quotes make phrases; AND/OR/NOT work when written in capitals.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from whoosh import qparser
from whoosh.query import NullQuery, Query

MAX_LENGTH = 200
MAX_TERMS = 12


def clean_text(text: str) -> tuple[str, bool]:
    """(cleaned text, whether it was shortened)."""
    text = "".join(ch for ch in (text or "") if unicodedata.category(ch)[0] != "C" or ch == " ")
    text = re.sub(r"[*?~^{}\[\]\\/]", " ", text)  # no wildcard, fuzzy, boost, range or regex syntax
    shortened = len(text) > MAX_LENGTH
    words = text[:MAX_LENGTH].split()
    if len(words) > MAX_TERMS:
        words, shortened = words[:MAX_TERMS], True
    return " ".join(words), shortened


def make_parser(schema: Any) -> qparser.QueryParser:
    fields = [name for name in ("title", "body", "title_en", "body_en") if name in schema.names()]
    parser = qparser.MultifieldParser(fields, schema, group=qparser.AndGroup)
    for plugin in (qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.BoostPlugin, qparser.RangePlugin):
        parser.remove_plugin_class(plugin)
    return parser


def parse(parser: qparser.QueryParser, text: str) -> Query:
    if not text:
        return NullQuery
    try:
        return parser.parse(text)
    except Exception:  # whoosh raises assorted errors on odd input: fall back to plain words
        words = re.sub(r"[\"()]", " ", text).replace(" AND ", " ").replace(" OR ", " ").replace(" NOT ", " ")
        return parser.parse(" ".join(words.split()))


NO_DEADLINE = 99991231  # closes_on for entries that never close
# Broad queries: relevance orders only this many most recently published matches (after the
# filters); the rest follow newest first. Both engines.
EXACT_RANK_LIMIT = 1000


def day_number(day: date | None) -> int:
    """A day as the yyyymmdd number both engines store (NO_DEADLINE for none)."""
    return int(day.strftime("%Y%m%d")) if day else NO_DEADLINE


def epoch(moment: datetime | None) -> int | None:
    """An instant as the whole epoch seconds both engines store for `published`."""
    return int(moment.timestamp()) if moment else None


def from_day_number(number: int | None) -> date | None:
    if not number or number == NO_DEADLINE:
        return None
    return date(number // 10000, number // 100 % 100, number % 100)


SNIPPET_CHARS = 220


def opening(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a description as a reader would quote it: whole sentences when they fit,
    else cut at a word, with an ellipsis when something was left out."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end >= limit // 3:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…" if " " in cut else cut + "…"


# --- bilingual synonyms: an English word residents type, and the Italian words entries use -----

OPERATORS = frozenset({"AND", "OR", "NOT"})
TOKEN = re.compile(r'"[^"]*"|\S+')
LONGEST_TERM = 3  # words in the longest synonym term ("work grant", "job centre")
SPELLING_CUTOFF = 0.85  # how close (difflib ratio) a misspelt word must be to an English term


def query_items(
    cleaned: str, synonyms: Mapping[str, Sequence[str]] | None = None, stop: Callable[[str], bool] | None = None
) -> list[str | list[str]]:
    """The cleaned text as operators ("AND", "OR", "NOT") and groups of alternatives: a word or a
    quoted phrase alone, or, where a synonym term stands (longest first, quoted or not), what was
    typed followed by its synonyms. "-word" is "NOT word".

    `stop(word)`: whether a single word is a stop word of either language. Such a word is left out
    (the index holds each text in one language, so "di" or "the" would otherwise have to be found
    in the other language's fields): "corso di italiano" and "the internship" search their other words."""
    tokens = TOKEN.findall(cleaned)
    table = {key.lower(): list(values) for key, values in (synonyms or {}).items()}
    items: list[str | list[str]] = []

    def add(group: list[str]) -> None:
        kept = [alt for alt in group if not (stop and " " not in alt and not alt.startswith('"') and stop(alt))]
        if kept:
            items.append(kept)
        elif items and isinstance(items[-1], str) and items[-1] != "AND":
            items.pop()  # an operator left without its word

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in OPERATORS:
            items.append(token)
            i += 1
            continue
        if token.startswith("-") and len(token) > 1 and token[1] != "-":
            items.append("NOT")
            tokens[i] = token = token[1:]
        if token.startswith('"'):
            phrase = token.strip('"').strip()
            found = table.get(phrase.lower())
            add([token, *(_phrase(alt) for alt in found if alt.lower() != phrase.lower())] if found else [token])
            i += 1
            continue
        for size in range(min(LONGEST_TERM, len(tokens) - i), 0, -1):
            words = tokens[i : i + size]
            if any(w in OPERATORS or w.startswith(('"', "-")) for w in words[1:]):
                continue
            typed = " ".join(words)
            found = table.get(typed.lower())
            if found:
                add([typed, *(alt for alt in found if alt.lower() != typed.lower())])
                i += size
                break
        else:
            add([token])
            i += 1
    while items and isinstance(items[-1], str):
        items.pop()
    return items


def spelling_of_term(word: str, synonyms: Mapping[str, Sequence[str]] | None) -> str | None:
    """The one-word synonym term a misspelt English word stands for ("internshp": "internship");
    the word itself when it is a term (never "corrected" away); None when it is near none."""
    terms = [key.lower() for key in (synonyms or {}) if " " not in key]
    lowered = word.lower()
    if lowered in terms:
        return lowered
    close = difflib.get_close_matches(lowered, terms, n=1, cutoff=SPELLING_CUTOFF)
    return close[0] if close else None


def _phrase(text: str) -> str:
    return f'"{text}"' if " " in text and not text.startswith('"') else text


def expanded_text(
    cleaned: str, synonyms: Mapping[str, Sequence[str]] | None = None, stop: Callable[[str], bool] | None = None
) -> str:
    """The Whoosh query text with synonyms as OR-groups: "internship Torino" becomes
    "(internship OR tirocinio OR tirocini) Torino"."""
    parts = []
    for item in query_items(cleaned, synonyms, stop):
        if isinstance(item, str):
            parts.append(item)
        elif len(item) == 1:
            parts.append(item[0])
        else:
            parts.append("(" + " OR ".join(_phrase(alt) for alt in item) + ")")
    return " ".join(parts)
