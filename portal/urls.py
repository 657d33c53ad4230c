"""Absolute links for mail, feeds and canonical URLs: always built on `PUBLIC_URL` (or, for a
project with its own address, on that host: portal/tenant_hosts.py).

Never on the request's `Host` header: a request sent with `Host: evil.example` must not
make the portal mail a valid reset link pointing at the attacker's host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context
from werkzeug.routing import MapAdapter


def _public_adapter(app: Flask) -> MapAdapter:
    from portal.tenant_hosts import PortalMapAdapter, mail_base, tenant_hosts

    base, served = mail_base(app) if has_request_context() else (app.config["PUBLIC_URL"], None)
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme)
    return PortalMapAdapter.wrap(adapter, tenant_hosts(app), served, in_request=False)


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the configured public address (works outside requests too)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    anchor = values.pop("_anchor", None)
    app.inject_url_defaults(endpoint, values)
    url = _public_adapter(app).build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def public_host() -> str:
    """The host name of `PUBLIC_URL` (for tag URIs and Message-IDs)."""
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
