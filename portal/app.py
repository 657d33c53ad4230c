"""The Flask application class: one commit per request, by the request lifecycle.

As Indico's request handler does (`RH.process`): the view parses the request, calls
services and renders; the services change data without committing; the unit of work is
committed here, after the view returned and before the response leaves. A failure at
commit (an optimistic-lock conflict, a constraint) is handled like an error raised by the
view: it reaches the error handlers, so it becomes a clean 409, never a 500, and the
session is rolled back. CLI commands and jobs commit once per unit of work themselves.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.typing import ResponseReturnValue
from werkzeug.routing import MapAdapter

from portal.extensions import db


class Portal(Flask):
    def dispatch_request(self) -> ResponseReturnValue:
        rv = super().dispatch_request()
        db.session.commit()
        return rv

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Werkzeug's adapter, wrapped so that a project served on its own host (portal/tenant_hosts.py)
        matches there without its /<slug> prefix and every link to it is built on that host."""
        from portal.tenant_hosts import PortalMapAdapter, tenant_hosts

        adapter = super().create_url_adapter(request)
        if adapter is None or "tenant_hosts" not in self.extensions:
            return adapter
        hosts = tenant_hosts(self)
        return PortalMapAdapter.wrap(adapter, hosts, hosts.tenant_on(request.host) if request is not None else None)
