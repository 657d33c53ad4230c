"""The one indexer: applies the search outbox, in a thread (embedded default) or a worker.

A file lock next to the index makes sure only one process indexes, however many
web processes run; the others only read.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from pathlib import Path
from typing import IO

from flask import Flask

from portal.directory import indexing
from portal.extensions import db

log = logging.getLogger(__name__)
_wake = threading.Event()
POLL_SECONDS = 0.5
LOCK_RETRY_SECONDS = 5.0


def wake_indexer() -> None:
    _wake.set()


def _hold_lock(path: Path) -> IO[str]:
    """Block until this process is the indexer; the returned file keeps the lock (the OS
    releases it when the process dies, so a standby process takes over)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w")
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            time.sleep(LOCK_RETRY_SECONDS)


def run_indexer(app: Flask, stop: threading.Event | None = None) -> None:
    """Apply the outbox until `stop` is set; rebuild first if the index is missing or corrupt."""
    lock = _hold_lock(Path(app.config["SEARCH_INDEX_DIR"] + ".lock"))
    log.info("this process (%d) is the search indexer", os.getpid())
    try:
        with app.app_context():
            if not indexing.engine().is_healthy():
                log.warning("search index missing or unreadable: rebuilding from the database")
                indexing.rebuild()
            while stop is None or not stop.is_set():
                try:
                    done = indexing.process_outbox()
                except Exception:
                    log.exception("indexer failed; retrying")
                    db.session.rollback()
                    done = 0
                    time.sleep(2)
                finally:
                    db.session.remove()
                if not done:
                    _wake.wait(POLL_SECONDS)
                    _wake.clear()
    finally:
        lock.close()


def start_background_indexer(app: Flask) -> None:
    if app.config.get("SEARCH_INDEXER") != "thread":
        return
    threading.Thread(target=run_indexer, args=(app,), daemon=True, name="crocevia-indexer").start()
