"""The period a dashboard counts: from/to dates (Europe/Rome, both days included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from portal.errors import Invalid
from portal.timezone import rome_to_utc

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
FIRST_YEAR, LAST_YEAR = 2000, 2100
NOT_A_DATE = _l("Enter a date like 31/12/2026.")
OUT_OF_RANGE = _l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
UPSIDE_DOWN = _l("The period is upside down: the start date comes after the end date. Swap them and try again.")


@dataclass(frozen=True)
class Period:
    """`start` None: since the beginning. `end`: the last day counted (default today)."""

    start: date | None
    end: date

    @property
    def start_instant(self) -> datetime | None:
        return rome_to_utc(datetime.combine(self.start, time.min)) if self.start else None

    @property
    def end_instant(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return rome_to_utc(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def open_from(self) -> date:
        """From which day an offer counts as open: the start, or the last day when there is no start."""
        return self.start or self.end

    def query_args(self) -> dict[str, str]:
        args = {"to": self.end.isoformat()}
        if self.start:
            args["from"] = self.start.isoformat()
        return args


def _parse_date(raw: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            value = datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(str(OUT_OF_RANGE))
        return value
    raise ValueError(str(NOT_A_DATE))


def parse_period(raw_from: str | None, raw_to: str | None, today: date) -> Period:
    """The period asked for in the address (?from=…&to=…); Invalid, with the field it is about,
    for a date that is not one or a period upside down."""
    problems: dict[str, str] = {}
    values: dict[str, date | None] = {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        text = (raw or "").strip()
        if not text:
            values[name] = None
            continue
        try:
            values[name] = _parse_date(text)
        except ValueError as exc:
            problems[name] = str(exc)
    if problems:
        raise Invalid(fields=problems)
    start, end = values["from"], values["to"] or today
    if start is not None and start > end:
        raise Invalid(UPSIDE_DOWN, fields={"from": str(UPSIDE_DOWN)})
    return Period(start, end)
