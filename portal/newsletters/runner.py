"""Who runs `send_due`: in the embedded default a thread of the web process (one process,
by file lock); with REDIS_URL and NEWSLETTER_RUNNER=rq, an RQ worker on Redis."""
from __future__ import annotations

import fcntl
import logging
import threading
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger(__name__)
_wake = threading.Event()
QUEUE = "crocevia-newsletters"
TICK_SECONDS = 30


def wake_sender() -> None:
    """After 'send now': run soon (thread) or enqueue a job (RQ)."""
    if current_app.config.get("NEWSLETTER_RUNNER") == "rq":
        enqueue_send_due()
    else:
        _wake.set()


def enqueue_send_due():
    from redis import Redis
    from rq import Queue

    queue = Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))
    return queue.enqueue("portal.newsletters.jobs.send_due_job", job_timeout=3600)


def _loop(app: Flask) -> None:
    lock_path = Path(app.instance_path) / "newsletter-sender.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one sender thread per installation
        from portal.extensions import db
        from portal.newsletters.delivery import send_due

        while True:
            with app.app_context():
                try:
                    send_due()
                except Exception:
                    log.exception("newsletter sender failed; retrying")
                finally:
                    db.session.remove()
            _wake.wait(TICK_SECONDS)
            _wake.clear()


def start_background_sender(app: Flask) -> None:
    if app.config.get("NEWSLETTER_RUNNER") == "thread":
        threading.Thread(target=_loop, args=(app,), daemon=True, name="crocevia-newsletters").start()
