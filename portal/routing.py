"""URL converters: ids in paths must fit the database's integer columns.

Werkzeug's `int` converter accepts any number of digits, so `/newsletter/99999999999999999999`
reached the database and failed there (`OverflowError` on SQLite, "integer out of range" on
PostgreSQL). The portal's `int` is bounded to a signed 32-bit integer: a larger value reads
as 0, an id no row has, so the view answers 404 like for any other unknown id. (Refusing the
match instead would make Werkzeug answer some paths with a 405 from another rule.)
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` limited to 1..MAX_ID unless a rule asks for other bounds."""

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=0 if min is None else min,
            max=MAX_ID if max is None else max,
            signed=signed,
        )

    def to_python(self, value: str) -> int:
        number = int(value)
        if self.max is not None and number > self.max:
            return 0  # no row has id 0: the view's lookup answers 404
        return super().to_python(value)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
