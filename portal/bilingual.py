"""Content in two languages: an optional English version beside the Italian.

A text field `name` may have an English twin `name_en` (entries, organisations, news posts); a
page has one row per language. The reader sees their language when that version exists and the
Italian otherwise: `localised()` says which text to show and in which language it is, so the
template can mark a fallback with `lang="it"` and the note "This text is only available in
Italian". An empty English field means "no English version" (never an empty text shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

ENGLISH = "en"
SOURCE = "it"  # the language every text is written in first
SUFFIX = "_en"

# The fields a visitor reads that may have an English version, per kind of row.
ENTRY_FIELDS = ("title", "description", "contact_hours")
KIND_FIELDS = {
    "opportunity": ("hours", "requirements", "how_to_apply"),
    "training": ("schedule", "eligibility"),
    "event": ("how_to_register",),
}
ORGANISATION_FIELDS = ("description", "intern_profiles")
NEWS_FIELDS = ("title", "summary", "body_html")


def translatable_fields(row: Any) -> tuple[str, ...]:
    """The fields of `row` (an entry, organisation or news post) that may have an English twin."""
    kind = getattr(row, "kind", None)
    if getattr(row, "__tablename__", "") == "entry":
        return ENTRY_FIELDS + KIND_FIELDS.get(kind or "", ())
    if getattr(row, "__tablename__", "") == "news_post":
        return NEWS_FIELDS
    return ORGANISATION_FIELDS


def english_of(value: str | None) -> str:
    """An English field's text; blank is no English version."""
    return (value or "").strip()


@dataclass(frozen=True)
class Localised:
    """A text to show, the language it is in, and whether it stands in for the reader's language."""

    text: str
    lang: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def lang_attr(self) -> Markup:
        """` lang="it"` on an element whose text is not in the page's language, else nothing."""
        return Markup(' lang="{}"').format(self.lang) if self.fallback else Markup("")


def _source_lang(row: Any) -> str:
    return getattr(row, "locale", None) or SOURCE


def localised(row: Any, name: str, locale: str) -> Localised:
    """`row.name` in `locale` when that version exists, else the original (marked as a fallback)."""
    original = getattr(row, name, None) or ""
    source = _source_lang(row)
    if locale == source:
        return Localised(original, source)
    if locale == ENGLISH:
        english = english_of(getattr(row, name + SUFFIX, None))
        if english:
            return Localised(english, ENGLISH)
    return Localised(original, source, fallback=bool(original))


# The texts whose language the page's note speaks of (a short field left in Italian, like opening
# hours, is marked lang="it" where it is shown, without the note).
MAIN_FIELDS = ("title", "description", "body_html")


def only_in_source(row: Any, locale: str) -> bool:
    """The row's main text is shown in Italian because its English version is missing."""
    if locale == _source_lang(row) or _source_lang(row) != SOURCE:
        return False
    return any(localised(row, name, locale).fallback for name in translatable_fields(row) if name in MAIN_FIELDS)


def marked(row: Any, name: str, locale: str) -> str:
    """`row.name` in `locale` or Italian, as text for a page: a fallback wrapped in a span with its lang."""
    text = localised(row, name, locale)
    if not text.fallback:
        return text.text
    return Markup('<span lang="{}">{}</span>').format(text.lang, text.text)


def english_changes(data: dict[str, Any]) -> dict[str, Any]:
    """Form data with blank English fields as empty strings (None for "not given" is the same)."""
    return {k: ("" if k.endswith(SUFFIX) and v is None else v) for k, v in data.items()}
