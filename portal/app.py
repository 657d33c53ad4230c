"""The Flask application class: one commit per request, by the request lifecycle.

As Indico's request handler does (`RH.process`): the view parses the request, calls
services and renders; the services change data without committing; the unit of work is
committed here, after the view returned and before the response leaves. A failure at
commit (an optimistic-lock conflict, a constraint) is handled like an error raised by the
view: it reaches the error handlers, so it becomes a clean 409, never a 500, and the
session is rolled back. CLI commands and jobs commit once per unit of work themselves.
"""

from __future__ import annotations

from flask import Flask
from flask.typing import ResponseReturnValue

from portal.extensions import db


class Portal(Flask):
    def dispatch_request(self) -> ResponseReturnValue:
        rv = super().dispatch_request()
        db.session.commit()
        return rv
