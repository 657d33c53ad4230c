"""Dates, times, numbers and money as each language writes them, in one place.

Italian as CLDR writes it ("5 dicembre 2026, 16:00", "450,00 €", "1.234,5");
English as written in Europe, in the euro area ("5 December 2026, 16:00", "€450.00", "1,234.5"):
Babel's plain "en" is American English ("December 5, 2026", "12/5/26", "4:00 PM"), so English
text is formatted with the conventions of Irish English (`en_IE`), the euro area's English.
Times are always on the 24-hour clock, without seconds or a time zone (Italian time).

The Jinja filters `dateformat`, `datetimeformat`, `timeformat`, `numberformat`, `decimalformat`
and `currencyformat` are these functions (registered over Flask-Babel's own); Python code imports
them from here instead of from flask_babel.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time
from decimal import Decimal

from babel import Locale, dates, numbers
from flask import Flask
from flask_babel import get_locale, to_user_timezone

FORMATTING_LOCALES = {"en": "en_IE", "it": "it"}
TIME = "HH:mm"
# "short" dates with the whole year in both languages (CLDR's Italian "05/12/26" drops the century;
# public bodies write "05/12/2026").
SHORT_DATE = "dd/MM/y"


def formatting_locale() -> Locale:
    """The Babel locale whose conventions the reader's language uses."""
    return _locale_of(str(get_locale() or "it"))


@functools.cache
def _locale_of(language: str) -> Locale:
    return Locale.parse(FORMATTING_LOCALES.get(language.split("_")[0], language))


@functools.lru_cache(maxsize=4096)
def _whole_number(value: int, locale: Locale) -> str:
    return numbers.format_decimal(value, locale=locale)


def _local(value: datetime) -> datetime:
    """An aware instant in the portal's time zone (Europe/Rome); naive values are taken as UTC."""
    return to_user_timezone(value)


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    """ "5 dicembre 2026" / "5 December 2026" ("long"); "short" is "05/12/2026" in both."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return dates.format_date(value, SHORT_DATE if format == "short" else format, locale=formatting_locale())


def format_time(value: datetime | time | None, format: str = TIME) -> str:
    """ "16:00" in both languages (named Babel formats keep their meaning; "short" is 16:00 too)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return dates.format_time(value, TIME if format in ("short", "medium", "long", "full") else format,
                             locale=formatting_locale())  # fmt: skip


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    """ "5 dicembre 2026, 16:00" / "5 December 2026, 16:00" ("long"); a named format is the date's."""
    if value is None:
        return ""
    if format not in ("short", "medium", "long", "full"):
        return dates.format_datetime(_local(value), format, locale=formatting_locale())
    return f"{format_date(value, format)}, {format_time(value)}"


def format_number(value: int | float | Decimal) -> str:
    if type(value) is int:  # counts, on every listing: formatted once per value and language
        return _whole_number(value, formatting_locale())
    return numbers.format_decimal(value, locale=formatting_locale())


def format_decimal(value: int | float | Decimal, format: str | None = None) -> str:
    return numbers.format_decimal(value, format=format, locale=formatting_locale())


def format_currency(amount: int | float | Decimal, currency: str = "EUR", whole: bool = False) -> str:
    """ "450,00 €" / "€450.00"; `whole`: without cents ("1.200 €" / "€1,200")."""
    locale = formatting_locale()
    pattern = locale.currency_formats["standard"].pattern
    if whole:
        pattern = pattern.replace(".00", "")
    return numbers.format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


def register_filters(app: Flask) -> None:
    """Replace Flask-Babel's Jinja filters with these (call after babel.init_app)."""
    app.jinja_env.filters.update(
        dateformat=format_date,
        datetimeformat=format_datetime,
        timeformat=format_time,
        numberformat=format_number,
        decimalformat=format_decimal,
        currencyformat=format_currency,
    )
