"""What every request would otherwise read again: a content generation shared by all processes,
and small in-process caches keyed on it.

The *generation* changes whenever a transaction that wrote public content commits (projects,
pages, news, directory rows and their links, sent newsletter issues) or the search index
applied changes. Every worker of every host sees the change: through Redis when `REDIS_URL`
is set (INCR on a key), else through a file in the instance folder (one host, many workers).
A process reads the shared value at most once a second, so the rest of the time a cached
tenant, menu or page costs a dictionary lookup.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

log = logging.getLogger(__name__)
T = TypeVar("T")
PUBLIC_TABLES = frozenset({
    "tenant", "page", "news_post", "organisation", "entry", "organisation_tenant", "entry_tenant",
    "newsletter_issue",
})  # fmt: skip
WRITTEN = "crocevia.written_tables"
REDIS_KEY = "crocevia:content-generation"
CHECK_EVERY = 1.0


class Generation:
    """The shared content generation, read at most every CHECK_EVERY seconds."""

    def __init__(self, redis_url: str | None, folder: str) -> None:
        self.redis_url = redis_url
        self.path = Path(folder) / "content-generation"
        self._value: str = ""
        self._checked = 0.0
        self._lock = threading.Lock()
        self._redis: Any = None

    def _client(self) -> Any:
        if self._redis is None:
            from redis import Redis

            self._redis = Redis.from_url(str(self.redis_url), socket_connect_timeout=1, socket_timeout=1)
        return self._redis

    def _read(self) -> str:
        if self.redis_url:
            try:
                value = self._client().get(REDIS_KEY)
                return value.decode() if value else "0"
            except Exception as exc:  # Redis down: fall back to "changed every second"
                log.warning("content generation unavailable (%s): caches live one second", exc)
                return f"no-redis-{int(time.time())}"
        try:
            return str(self.path.stat().st_mtime_ns)
        except FileNotFoundError:
            return "0"

    def current(self) -> str:
        now = time.monotonic()
        if now - self._checked >= CHECK_EVERY:
            with self._lock:
                if now - self._checked >= CHECK_EVERY:
                    self._value, self._checked = self._read(), now
        return self._value

    def bump(self) -> None:
        if self.redis_url:
            try:
                self._client().incr(REDIS_KEY)
            except Exception as exc:
                log.warning("content generation not bumped (%s)", exc)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()
            now = time.time_ns()  # set exactly: the file system's own clock is coarser (milliseconds)
            os.utime(self.path, ns=(now, now))
        self._checked = 0.0  # this process sees its own change at once


def generation(app: Flask | None = None) -> Generation:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found: Generation = app.extensions["crocevia.generation"]
    return found


def content_changed() -> None:
    """Say that public content changed outside a tracked transaction (the search indexer)."""
    if has_app_context():
        generation().bump()


class ProcessCache:
    """A dictionary emptied whenever the generation changes."""

    def __init__(self) -> None:
        self._seen = ""
        self._data: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], T], keep: Callable[[T], bool] | None = None) -> T:
        """The value kept for `key`, else `load()`'s, kept unless `keep` says no (a degraded answer)."""
        current = generation().current()
        if current != self._seen:
            with self._lock:
                self._data, self._seen = {}, current
        if key in self._data:
            kept: T = self._data[key]
            return kept
        value = load()
        if keep is None or keep(value):
            self._data[key] = value
        return value


# --- knowing when public content was written -----------------------------------------------


def _remember_flushed(session: Session, _context: Any) -> None:
    written = session.info.setdefault(WRITTEN, set())
    for obj in [*session.new, *session.dirty, *session.deleted]:
        table = getattr(obj, "__tablename__", None)
        if table:
            written.add(table)


def _remember_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name:
            state.session.info.setdefault(WRITTEN, set()).add(name)


def _after_commit(session: Session) -> None:
    written = session.info.pop(WRITTEN, set())
    if written & PUBLIC_TABLES and has_app_context():
        generation().bump()


def _after_rollback(session: Session, _previous: Any = None) -> None:
    session.info.pop(WRITTEN, None)


def init_content_cache(app: Flask) -> None:
    from portal.extensions import db

    app.extensions["crocevia.generation"] = Generation(app.config.get("REDIS_URL"), app.instance_path)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_flush", _remember_flushed)
        event.listen(db.session, "do_orm_execute", _remember_statement)
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)
