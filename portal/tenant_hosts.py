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

from flask import Flask, current_app, g, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
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
        from portal.tenant_site.sync import RESERVED_SLUGS, SLUG_PATTERN

        for folder in folders:
            if not SLUG_PATTERN.match(folder.name) or folder.name in RESERVED_SLUGS:
                continue  # `tenants sync` refuses the folder: it is never a project, nor its hosts
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

    def check_cookie_domain(self, domain: str | None) -> None:
        """A session cookie for `.example.it` is refused by browsers on any host outside it."""
        if not domain:
            return
        suffix = domain.lower().lstrip(".")
        for host in [urlsplit(self.public_url).hostname or "", *self.by_host]:
            if host != suffix and not host.endswith("." + suffix):
                raise TenantHostError(
                    f"SESSION_COOKIE_DOMAIN={domain} does not cover {host}: browsers would refuse the session "
                    "cookie there, so nobody could sign in. Unset it (one sign-in per host) or use a domain "
                    "every host is under."
                )

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
    in_request: bool

    @classmethod
    def wrap(cls, adapter: MapAdapter, hosts: TenantHosts, served_tenant: str | None,
             in_request: bool = True) -> PortalMapAdapter:  # fmt: skip
        wrapped = cls(adapter.map, adapter.server_name, adapter.script_name, adapter.subdomain, adapter.url_scheme,
                      adapter.path_info, adapter.default_method, adapter.query_args)  # fmt: skip
        wrapped.websocket = adapter.websocket
        wrapped.hosts, wrapped.served_tenant, wrapped.in_request = hosts, served_tenant, in_request
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
            portal_wide, portal_refused = self._match_portal_wide(path, method, query_args, websocket)
            if portal_wide is not None:
                space_rule, space_args = portal_wide
            elif isinstance(portal_refused, RequestRedirect) or (space_rule is None and portal_refused is not None):
                raise portal_refused  # /account → /account/, or a 405 for a portal-wide page
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
                           ) -> tuple[tuple[Rule, Any] | None, HTTPException | None]:  # fmt: skip
        """A portal-wide page at `path` (never a space or the hub's home), or why there is none:
        a redirect to a portal-wide page (a missing slash), a 405, or None."""
        try:
            rule, args = super().match(path, method, True, query_args, websocket)
        except RequestRedirect as redirect:
            target = urlsplit(redirect.new_url).path
            root = self.script_name.rstrip("/")
            try:
                rule, _args = super().match(
                    target[len(root) :] if root else target, method, True, query_args, websocket
                )
            except HTTPException:
                return None, None
            return None, (redirect if self._portal_wide(rule) else None)
        except MethodNotAllowed as refused:
            return None, refused
        except NotFound:
            return None, None
        return ((rule, args), None) if self._portal_wide(rule) else (None, None)

    @staticmethod
    def _portal_wide(rule: Rule) -> bool:
        """Not a project's space (another project's, on this host) nor the network's home."""
        return not (rule.endpoint.startswith(SPACE) or rule.endpoint == NETWORK_HOME)

    # --- building: links to spaces with their own host ----------------------------------------

    def build(
        self, endpoint: Any, values: Any = None, method: str | None = None, force_external: bool = False,
        append_unknown: bool = True, url_scheme: str | None = None,
    ) -> str:  # fmt: skip
        slug = (values or {}).get("tenant") if str(endpoint).startswith(SPACE) else None
        if slug is not None and self.served_tenant is None and (endpoint in SAME_HOST_ASSETS or self._browsing(slug)):
            slug = None  # on the hub under /<slug>/: the space's forms, redirects and links stay here
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

    def _browsing(self, slug: str) -> bool:
        """True while a request on this host is inside `slug`'s space (links built for pages, not mail)."""
        if not self.in_request:
            return False
        tenant = g.get("tenant")
        return tenant is not None and tenant.slug == slug

    def _relative(self, path: str) -> str:
        """A path built by this adapter, without the request's script name."""
        root = self.script_name.rstrip("/")
        return (path[len(root) :] or "/") if root and path.startswith(root) else path

    def _space_path(self, endpoint: Any, values: Any, method: str | None, append_unknown: bool, slug: str) -> str:
        """The path of a page of `slug`'s space on its own host: no script name, no /<slug> prefix."""
        return self._relative(_without_prefix(super().build(endpoint, values, method, False, append_unknown),
                                              self.script_name, slug))  # fmt: skip


class HostGate:
    """WSGI middleware: host names are compared the way DNS does (`ALICE.example.it.` is
    `alice.example.it`), and a host the portal does not serve gets a clear 404 page, in Italian
    and English, pointing at the portal's address; nothing of the app runs for it."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], trusted: list[str] | None, public_url: str) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = trusted
        self.public_url = public_url
        self.public_host = urlsplit(public_url).netloc

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw = environ.get("HTTP_HOST")
        if raw:
            name, colon, port = raw.rpartition(":") if raw.rpartition(":")[2].isdigit() else (raw, "", "")
            environ["HTTP_HOST"] = name.lower().rstrip(".") + colon + port
        if self.trusted is None:
            return self.wsgi_app(environ, start_response)
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
    TRUSTED_HOSTS, and put the host gate in front of the app."""
    hosts = TenantHosts.from_folder(Path(app.config["TENANTS_DIR"]), app.config["PUBLIC_URL"])
    hosts.check_cookie_domain(app.config.get("SESSION_COOKIE_DOMAIN"))
    app.extensions["tenant_hosts"] = hosts
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted is not None:
        app.config["TRUSTED_HOSTS"] = [*trusted, *(h for h in hosts.by_host if h not in trusted)]
    app.wsgi_app = HostGate(app.wsgi_app, app.config["TRUSTED_HOSTS"], app.config["PUBLIC_URL"])  # type: ignore[method-assign]


def served_tenant() -> str | None:
    """The project whose own host this request came in on (None on the hub)."""
    from flask.globals import _cv_request

    context = _cv_request.get(None)
    adapter = context.url_adapter if context is not None else None
    return adapter.served_tenant if isinstance(adapter, PortalMapAdapter) else None


def home_url() -> str:
    """Where "home" is for this request: the project's home on its own host, else the hub's."""
    slug = served_tenant()
    return url_for("tenant_site.home", tenant=slug) if slug else url_for(NETWORK_HOME)


def mail_base(app: Flask) -> tuple[str, str | None]:
    """The address absolute links are built on, and the project served there: the project's own
    host for a request that came in on it (a configured name, never the Host header as sent),
    else PUBLIC_URL."""
    slug = served_tenant()
    host = tenant_hosts(app).host_of(slug)
    return (tenant_hosts(app).on_host(host, "/") if host else app.config["PUBLIC_URL"]), (slug if host else None)
