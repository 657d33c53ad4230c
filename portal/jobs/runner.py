"""Who runs the jobs: a thread of the web process, RQ workers, or nobody (cron only)."""

from __future__ import annotations

import fcntl
import logging
import threading
from pathlib import Path

from flask import Flask, current_app

from portal.jobs.catalogue import BY_NAME

log = logging.getLogger(__name__)
QUEUE = "crocevia-jobs"
TICK_SECONDS = 5
_wake = threading.Event()
_woken: set[str] = set()
_woken_lock = threading.Lock()


def wake(name: str) -> None:
    """Ask for job `name` to run soon: the thread runs it at once, RQ gets a job."""
    runner = current_app.config.get("JOBS_RUNNER")
    if runner == "rq":
        from redis.exceptions import RedisError

        setting = BY_NAME[name].copies_setting
        try:
            for _ in range(int(current_app.config.get(setting, 1)) if setting else 1):
                enqueue(name)
        except RedisError as exc:  # the work is in the database: the job's periodic run (cron) does it
            log.warning("job %s not queued, Redis unreachable (%s): its periodic run will do the work", name, exc)
    elif runner == "thread":
        with _woken_lock:
            _woken.add(name)
        _wake.set()


def enqueue(name: str):
    from redis import Redis
    from rq import Queue

    # Short timeouts: a web request that wakes a job never hangs on an unreachable Redis.
    redis = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=2)
    queue = Queue(QUEUE, connection=redis)
    return queue.enqueue("portal.jobs.rq_jobs.run_job", name, job_timeout=3600)


def _take_woken() -> list[str]:
    with _woken_lock:
        names = sorted(_woken)
        _woken.clear()
    return names


def _loop(app: Flask, stop: threading.Event | None) -> None:
    from portal.extensions import db
    from portal.jobs.schedule import run_due, run_named

    lock_path = Path(app.instance_path) / "jobs-runner.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one runner thread per installation
        while stop is None or not stop.is_set():
            with app.app_context():
                try:
                    for name in _take_woken():
                        run_named(name)
                    run_due()
                except Exception:
                    log.exception("job runner failed; retrying")
                finally:
                    db.session.remove()
            _wake.wait(TICK_SECONDS)
            _wake.clear()


def start_background_runner(app: Flask, stop: threading.Event | None = None) -> threading.Thread | None:
    if app.config.get("JOBS_RUNNER") != "thread":
        return None
    thread = threading.Thread(target=_loop, args=(app, stop), daemon=True, name="crocevia-jobs")
    thread.start()
    return thread
