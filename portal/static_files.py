"""Static assets with a fingerprint and a long cache life.

`url_for("static", filename=...)` gets `?v=<hash of the file>`, so a changed file has a new
address; responses for fingerprinted addresses may then be cached for a year ("immutable").
Hashes are computed once per file and process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

ONE_YEAR = 60 * 60 * 24 * 365


@lru_cache(maxsize=512)
def _fingerprint(path: str, mtime_ns: int) -> str:
    digest = hashlib.blake2b(Path(path).read_bytes(), digest_size=6)
    return digest.hexdigest()


def fingerprint(app: Flask, filename: str) -> str | None:
    path = Path(app.static_folder or "") / filename
    try:
        return _fingerprint(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def register_static_fingerprints(app: Flask) -> None:
    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static" and "v" not in values and isinstance(values.get("filename"), str):
            version = fingerprint(app, str(values["filename"]))
            if version:
                values["v"] = version

    @app.after_request
    def _cache_fingerprinted(response: Response) -> Response:
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
