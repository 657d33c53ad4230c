"""Static assets with a fingerprint in their name and a long cache life.

`url_for("static", filename="css/portal.css")` gives `/static/css/portal.3f2a1c9e0b7d.css`: the
name carries a hash of the file's content, so a changed file has a new address, and a response for
the current fingerprint may be cached for a year ("immutable"). Only the last part of the name
changes, so the relative links inside a stylesheet (`../fonts/…`) still resolve. An address with an
old fingerprint (a page cached before an upgrade) gets the current file with `no-cache`, never a
year of the wrong content; an address without one is served as Flask serves static files. A reverse
proxy may serve the fingerprinted names from disk (docs/deploy/nginx.conf, docs/deploy/Caddyfile).
Hashes are computed once per file and modification time, per process.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from flask import Flask, Response
from werkzeug.security import safe_join

ONE_YEAR = 60 * 60 * 24 * 365
# name.<12 hex digits>.ext: the digest of `_fingerprint` (6 bytes)
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
SUFFIX = re.compile(r"\.[A-Za-z0-9]+")  # the kinds of name that get a fingerprint: name.ext


@lru_cache(maxsize=512)
def _fingerprint(path: str, mtime_ns: int) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=6).hexdigest()


def fingerprint(app: Flask, filename: str) -> str | None:
    """The current fingerprint of a static file, None when it does not exist."""
    joined = safe_join(str(app.static_folder or ""), filename)  # never a file outside the folder
    if joined is None:
        return None
    try:  # one stat per call (a page links a dozen files); a folder fails to read, like a missing file
        return _fingerprint(joined, os.stat(joined).st_mtime_ns)
    except OSError:
        return None


def fingerprinted_name(app: Flask, filename: str) -> str:
    """`css/portal.css` as `css/portal.<fingerprint>.css` (unchanged when the file is missing)."""
    path = PurePosixPath(filename)
    version = fingerprint(app, filename) if SUFFIX.fullmatch(path.suffix) else None
    return str(path.with_name(f"{path.stem}.{version}{path.suffix}")) if version else filename


def register_static_fingerprints(app: Flask) -> None:
    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static" and isinstance(values.get("filename"), str):
            values["filename"] = fingerprinted_name(app, str(values["filename"]))

    def serve_static(filename: str) -> Response:
        named = FINGERPRINTED.match(filename)
        if not named or fingerprint(app, filename):  # no fingerprint, or a file really named so
            return app.send_static_file(filename)
        plain = named["stem"] + named["suffix"]
        response = app.send_static_file(plain)
        if response.status_code == 200:
            if named["hash"] == fingerprint(app, plain):
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = ONE_YEAR
                response.cache_control.immutable = True
            else:  # an old fingerprint: today's file, but never kept under yesterday's name
                response.cache_control.no_cache = True
                response.cache_control.max_age = 0
        return response

    app.view_functions["static"] = serve_static
