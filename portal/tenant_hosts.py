"""A project on its own address: `hosts = ["alice.example.it"]` in its tenant.toml.

On such a host the project's space is the whole site: `/` is its home, `/news/` its news,
`/search` its slice of the directory; the portal-wide pages every visitor may need there
(sign-in, account, language, static files, the network directory's listings and health) are
served too. Another project's space is never served on it (`/ciao/` on ALICE's host is a 404).

Links follow the same rule everywhere, in pages, mails, feeds and canonical URLs: a page of a
project that has its own host is built on that host (without the `/<slug>` prefix), on the
hub as on any other host; the network's home and the spaces of other projects are built on
`PUBLIC_URL` when the current request is on a project host. Under `/<slug>/` on the hub the
space keeps working, and its canonical URLs point at the project's host.

The matching and building live in `PortalMapAdapter`, the URL adapter of every request (see
`Portal.create_url_adapter`) and of `portal.urls.public_url`. `HostGate` answers a host the
portal does not know with a clear 404 before anything else runs.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter, RequestRedirect, Rule
from werkzeug.sansio.utils import get_host, host_is_trusted
from werkzeug.wrappers import Response

SPACE = "tenant_site."
NETWORK_HOME = "hub.index"
# The space's catch-all rule (/<tenant>/<page_slug>): a portal-wide page of the same path wins.
CATCH_ALL = frozenset({"tenant_site.page"})
# Stylesheets and images of a space come from the host of the page that uses them.
SAME_HOST_ASSETS = frozenset({"tenant_site.theme", "tenant_site.asset"})
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
# Answered on any Host header: load balancers and container health checks probe an address.
ANY_HOST_PATHS = frozenset({"/healthz", "/readyz"})


class TenantHostError(ValueError):
    """A `hosts` entry that cannot be used; the message says which and why."""


def hosts_of(slug: str, data: dict[str, Any]) -> list[str]:
    """The validated `hosts` of one tenant.toml (lower-case host names, no scheme or port)."""
    hosts = data.get("hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise TenantHostError(f'{slug}: hosts must be a list of host names, e.g. hosts = ["{slug}.example.it"]')
    for host in hosts:
        if not HOST_NAME.match(host):
            raise TenantHostError(f"{slug}: {host!r} is not a host name (lower case, no scheme, port or path)")
    return list(hosts)


@dataclass(frozen=True)
class TenantHosts:
    """Which project each extra host name serves, and the address of each such project."""

    by_host: dict[str, str] = field(default_factory=dict)
    public_url: str = "http://127.0.0.1:5000"

    @classmethod
    def from_folder(cls, tenants_dir: Path, public_url: str) -> TenantHosts:
        public_host = urlsplit(public_url).hostname
        by_host: dict[str, str] = {}
        folders = (
            sorted(p for p in tenants_dir.iterdir() if (p / "tenant.toml").is_file()) if tenants_dir.is_dir() else []
        )
        for folder in folders:
            try:
                data = tomllib.loads((folder / "tenant.toml").read_text("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue  # `tenants sync` reports it; the project is not served anyway
            for host in hosts_of(folder.name, data):
                if host == public_host:
                    raise TenantHostError(f"{folder.name}: {host} is PUBLIC_URL's host, the hub's own address")
                if host in by_host:
                    raise TenantHostError(f"{folder.name}: {host} is already the address of {by_host[host]}")
                by_host[host] = folder.name
        return cls(by_host, public_url)

    def tenant_on(self, host: str | None) -> str | None:
        """The project served on `host` ("alice.example.it:8443" → "alice"), or None for the hub."""
        return self.by_host.get(urlsplit(f"//{host}").hostname or "") if host and self.by_host else None

    def host_of(self, slug: str | None) -> str | None:
        return next((host for host, owner in self.by_host.items() if owner == slug), None) if slug else None

    def on_host(self, host: str | None, path: str) -> str:
        """An absolute URL: `path` on a project's host (None: on PUBLIC_URL), PUBLIC_URL's scheme and port."""
        public = urlsplit(self.public_url)
        if host is None:
            return f"{public.scheme}://{public.netloc}{public.path.rstrip('/')}{path}"
        netloc = f"{host}:{public.port}" if public.port else host
        return urlunsplit((public.scheme, netloc, path, "", ""))


def tenant_hosts(app: Flask | None = None) -> TenantHosts:
    return (app or current_app).extensions["tenant_hosts"]


def _without_prefix(url: str, script_name: str, slug: str) -> str:
    """`/alice/news/?x` → `/news/?x` (also inside an absolute URL)."""
    parts = urlsplit(url)
    root = script_name.rstrip("/")
    prefix = f"{root}/{slug}"
    path = parts.path
    if path == prefix or path.startswith(prefix + "/"):
        path = root + (path[len(prefix) :] or "/")
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


class PortalMapAdapter(MapAdapter):
    """Werkzeug's adapter, aware of projects served on their own host (see the module docstring)."""

    hosts: TenantHosts
    served_tenant: str | None

    @classmethod
    def wrap(cls, adapter: MapAdapter, hosts: TenantHosts, served_tenant: str | None) -> PortalMapAdapter:
        wrapped = cls(adapter.map, adapter.server_name, adapter.script_name, adapter.subdomain, adapter.url_scheme,
                      adapter.path_info, adapter.default_method, adapter.query_args)  # fmt: skip
        wrapped.websocket = adapter.websocket
        wrapped.hosts, wrapped.served_tenant = hosts, served_tenant
        return wrapped

    # --- matching: a request on a project's host ---------------------------------------------

    def match(  # one signature for werkzeug's two overloads
        self, path_info: str | None = None, method: str | None = None, return_rule: bool = False,
        query_args: Any = None, websocket: bool | None = None,
    ) -> tuple[Any, Any]:  # fmt: skip
        slug = self.served_tenant
        if slug is None:
            rule, args = super().match(path_info, method, True, query_args, websocket)
            return (rule, args) if return_rule else (rule.endpoint, args)
        path = self.path_info if path_info is None else path_info
        space_rule, space_args, refused = self._match_space(slug, path, method, query_args, websocket)
        if space_rule is None or space_rule.endpoint in CATCH_ALL:
            portal_wide = self._match_portal_wide(path, method, query_args, websocket)
            if portal_wide is not None:
                space_rule, space_args = portal_wide
        if space_rule is None:
            raise refused
        return (space_rule, space_args) if return_rule else (space_rule.endpoint, space_args)

    def _match_space(self, slug: str, path: str, method: str | None, query_args: Any, websocket: bool | None,
                     ) -> tuple[Rule | None, Any, Exception]:  # fmt: skip
        try:
            rule, args = super().match(f"/{slug}{path}", method, True, query_args, websocket)
            return rule, args, NotFound()
        except RequestRedirect as redirect:  # /news → /news/, built without the project's prefix
            raise RequestRedirect(_without_prefix(redirect.new_url, self.script_name, slug)) from None
        except (NotFound, MethodNotAllowed) as refused:
            return None, None, refused

    def _match_portal_wide(self, path: str, method: str | None, query_args: Any, websocket: bool | None,
                           ) -> tuple[Rule, Any] | None:  # fmt: skip
        try:
            rule, args = super().match(path, method, True, query_args, websocket)
        except (NotFound, MethodNotAllowed, RequestRedirect):
            return None
        if rule.endpoint.startswith(SPACE) or rule.endpoint == NETWORK_HOME:
            return None  # another project's space, or the hub's home: never on this host
        return rule, args

    # --- building: links to spaces with their own host ----------------------------------------

    def build(
        self, endpoint: Any, values: Any = None, method: str | None = None, force_external: bool = False,
        append_unknown: bool = True, url_scheme: str | None = None,
    ) -> str:  # fmt: skip
        slug = (values or {}).get("tenant") if str(endpoint).startswith(SPACE) else None
        if endpoint in SAME_HOST_ASSETS and slug != self.served_tenant:
            slug = None
        own_host = self.hosts.host_of(slug)
        if slug is not None and slug == self.served_tenant:
            path = self._space_path(endpoint, values, method, append_unknown, slug)
            return self.hosts.on_host(own_host, path) if force_external else path
        if own_host is not None and slug is not None:
            return self.hosts.on_host(own_host, self._space_path(endpoint, values, method, append_unknown, slug))
        if self.served_tenant is not None and (slug is not None or endpoint == NETWORK_HOME):
            return self.hosts.on_host(
                None, self._relative(super().build(endpoint, values, method, False, append_unknown))
            )
        return super().build(endpoint, values, method, force_external, append_unknown, url_scheme)

    def _relative(self, path: str) -> str:
        """A path built by this adapter, without the request's script name."""
        root = self.script_name.rstrip("/")
        return (path[len(root) :] or "/") if root and path.startswith(root) else path

    def _space_path(self, endpoint: Any, values: Any, method: str | None, append_unknown: bool, slug: str) -> str:
        """The path of a page of `slug`'s space on its own host: no script name, no /<slug> prefix."""
        return self._relative(_without_prefix(super().build(endpoint, values, method, False, append_unknown),
                                              self.script_name, slug))  # fmt: skip


class HostGate:
    """WSGI middleware: a Host header the portal does not serve gets a clear 404 page, in Italian
    and English, pointing at the portal's address; nothing of the app runs for it."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], trusted: list[str], public_url: str) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = trusted
        self.public_url = public_url
        self.public_host = urlsplit(public_url).netloc

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            host = get_host(environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST"),
                            (environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT")))  # fmt: skip
        except Exception:
            host = ""
        if host and host_is_trusted(host, self.trusted):
            return self.wsgi_app(environ, start_response)
        if environ.get("PATH_INFO") in ANY_HOST_PATHS:
            environ["HTTP_HOST"] = self.public_host
            return self.wsgi_app(environ, start_response)
        return self._unknown(host)(environ, start_response)

    def _unknown(self, host: str) -> Response:
        from markupsafe import escape

        shown, home = escape(host or "?"), escape(self.public_url)
        body = (
            '<!doctype html><html lang="it"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Indirizzo sconosciuto · Crocevia</title></head><body>"
            "<main><h1>Indirizzo sconosciuto</h1>"
            f"<p>L'indirizzo <strong>{shown}</strong> non corrisponde ad alcun progetto del portale Crocevia.</p>"
            f'<p>Il portale è raggiungibile all\'indirizzo <a href="{home}">{home}</a>.</p></main>'
            '<section lang="en"><h2>Unknown address</h2>'
            f"<p>The address <strong>{shown}</strong> does not belong to any project of the Crocevia portal.</p>"
            f'<p>The portal is at <a href="{home}">{home}</a>.</p></section></body></html>'
        )
        response = Response(body, status=404, mimetype="text/html")
        response.headers["Content-Security-Policy"] = "default-src 'none'"
        response.headers["Cache-Control"] = "no-store"
        return response


def init_tenant_hosts(app: Flask) -> None:
    """Read every tenant.toml's `hosts` (a mistake stops the start with the reason), add them to
    TRUSTED_HOSTS, and put the host gate in front of the app when hosts are restricted."""
    hosts = TenantHosts.from_folder(Path(app.config["TENANTS_DIR"]), app.config["PUBLIC_URL"])
    app.extensions["tenant_hosts"] = hosts
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted is not None:
        app.config["TRUSTED_HOSTS"] = [*trusted, *(h for h in hosts.by_host if h not in trusted)]
        app.wsgi_app = HostGate(app.wsgi_app, app.config["TRUSTED_HOSTS"], app.config["PUBLIC_URL"])  # type: ignore[method-assign]
