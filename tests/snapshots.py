"""`@built_once`: a data fixture built in the first test that asks for it, restored in later ones.

Many tests start from the same few accounts, organisations and entries, built through the real
services (and indexed): 50-100 ms a test, most of it in the services and the Whoosh writer. A
fixture decorated with `@built_once` runs for real in the first test that asks for it; what it
added is captured (every new row, the embedded search index, the mail it delivered) together with
the rows the database held before it ran. A later test whose database holds exactly those rows
gets the captured ones back (one INSERT per table, the index folder copied) and the same return
value; any other test builds again. A build that changes or deletes a row it did not add is never
captured: it simply runs every time.

On PostgreSQL it always builds: that engine's search tables are not among the captured rows, and
the SQLite run is the one kept under its time budget, so both paths stay tested.
"""

from __future__ import annotations

import atexit
import copy
import functools
import inspect
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config import default_search_backend
from portal.extensions import db

REBUILD_EVERY_TIME = default_search_backend(os.environ.get("TEST_DATABASE_URL") or "") == "postgres"
_CAPTURE_ROOT = Path(tempfile.mkdtemp(prefix="crocevia-built-once-"))
atexit.register(shutil.rmtree, _CAPTURE_ROOT, ignore_errors=True)


@dataclass
class _Capture:
    before: dict[str, list[dict[str, Any]]]
    added: dict[str, list[dict[str, Any]]]
    index: Path | None
    mail: dict[str, bytes]
    value: Any


_captured: dict[str, _Capture] = {}


def _all_rows() -> dict[str, list[dict[str, Any]]]:
    with db.engine.connect() as connection:
        return {
            table.name: [dict(row) for row in connection.execute(table.select()).mappings()]
            for table in db.metadata.sorted_tables
        }


def _restore(added: dict[str, list[dict[str, Any]]]) -> None:
    from tests.conftest import _forget_cached_content

    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if added.get(table.name):
                connection.execute(table.insert(), added[table.name])
    _forget_cached_content()


def _outbox(app) -> Path:
    return Path(app.config["MAIL_URL"].removeprefix("file://"))


def _mail_in(outbox: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in outbox.glob("*.eml")} if outbox.exists() else {}


def _fingerprints(rows: list[dict[str, Any]]) -> set[str]:
    return {repr(tuple(row.values())) for row in rows}


def _capture(key: str, app, before, index_dir: Path, mail_before: dict[str, bytes], value) -> None:
    with app.app_context():
        after = _all_rows()
    kept = {name: _fingerprints(rows) for name, rows in before.items()}
    if any(not kept[name] <= _fingerprints(after[name]) for name in before):
        return  # the build changed what was there: it cannot be replayed as added rows
    index = None
    if index_dir.exists():
        index = _CAPTURE_ROOT / key
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(index_dir, index)
    mail = {name: body for name, body in _mail_in(_outbox(app)).items() if name not in mail_before}
    added = {name: [row for row in rows if repr(tuple(row.values())) not in kept[name]] for name, rows in after.items()}
    _captured[key] = _Capture(before, added, index, mail, copy.deepcopy(value))


def _replay(app, captured: _Capture, index_dir: Path) -> Any:
    with app.app_context():
        _restore(captured.added)
    if captured.index is not None:
        shutil.copytree(captured.index, index_dir)
    outbox = _outbox(app)
    for name, body in captured.mail.items():
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / name).write_bytes(body)
    return copy.deepcopy(captured.value)


def built_once(fixture):
    """Decorate a function-scoped fixture that takes `app` and returns plain data (ids, slugs)."""
    assert "app" in inspect.signature(fixture).parameters, f"{fixture.__name__} must take the app fixture"
    assert not inspect.isgeneratorfunction(fixture), f"{fixture.__name__}: a fixture that yields cannot be replayed"
    key = f"{fixture.__module__}.{fixture.__qualname__}".replace("<", "").replace(">", "")

    @functools.wraps(fixture)
    def wrapper(*args, **kwargs):
        if REBUILD_EVERY_TIME:
            return fixture(*args, **kwargs)
        app = inspect.signature(fixture).bind(*args, **kwargs).arguments["app"]
        index_dir = Path(app.config["SEARCH_INDEX_DIR"])
        with app.app_context():
            before = _all_rows()
        captured = _captured.get(key)
        if captured is not None and captured.before == before and not index_dir.exists():
            return _replay(app, captured, index_dir)
        index_existed, mail_before = index_dir.exists(), _mail_in(_outbox(app))
        value = fixture(*args, **kwargs)
        if not index_existed:
            _capture(key, app, before, index_dir, mail_before, value)
        return value

    return wrapper
