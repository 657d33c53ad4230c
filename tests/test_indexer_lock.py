"""One indexer per installation: of two processes running the indexer on the same index, one
holds the file lock and applies the outbox; when it dies, the other takes over and nothing is lost."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import SearchOutbox
from portal.models.base import utcnow
from tests.conftest import ROOT

SCRIPT = """
import logging, sys, threading
sys.path.insert(0, {root!r})
from tests.conftest import make_config
from pathlib import Path
from portal import create_app
from portal.directory import indexer
indexer.LOCK_RETRY_SECONDS = 0.2
indexer.POLL_SECONDS = 0.1
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s", force=True)
app = create_app(make_config(Path({tmp!r}), {url!r}))
indexer.run_indexer(app)
"""


def _start(tmp_root, database_url, log_file):
    code = SCRIPT.format(root=str(ROOT), tmp=str(tmp_root), url=database_url)
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", code], stdout=log_file.open("w"), stderr=subprocess.STDOUT, cwd=ROOT
    )
    process.log_file = log_file
    return process


def _is_indexer(process) -> bool:
    return "is the search indexer" in process.log_file.read_text()


def _waiting(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


def _queue(app, n=1) -> None:
    with app.app_context():
        for _ in range(n):
            db.session.add(SearchOutbox(doc_id="organisation:999999", created_at=utcnow()))
        db.session.commit()


def _until(condition, seconds=20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.once  # two subprocesses and a file lock: once per `make test`
def test_two_processes_one_indexes_and_the_other_takes_over(app, tmp_root, database_url, tmp_path):
    processes = [_start(tmp_root, database_url, tmp_path / f"indexer-{n}.log") for n in (1, 2)]
    try:
        _queue(app, 3)
        assert _until(lambda: _waiting(app) == 0), "nobody applied the outbox"
        time.sleep(1)
        assert all(p.poll() is None for p in processes)  # both run
        holders = [p for p in processes if _is_indexer(p)]
        assert len(holders) == 1  # exactly one holds the lock; the other waits
        [holder] = holders
        [standby] = [p for p in processes if p is not holder]
        holder.kill()
        holder.wait()
        _queue(app, 2)
        assert _until(lambda: _waiting(app) == 0), "the standby process did not take over"
        assert _is_indexer(standby)
    finally:
        for process in processes:
            process.kill()
            process.wait()
