"""Turn what a person typed into a safe Whoosh query.

No field syntax (`title:` is just a word), no wildcards, regexes or ranges; at most
MAX_TERMS words and MAX_LENGTH characters; control characters dropped. Words are
AND-ed; quotes make phrases; AND/OR/NOT work when written in capitals.
"""

from __future__ import annotations

import re
import unicodedata
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
    parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)
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
