"""Newsletter benchmark: 10,000 confirmed subscribers, RQ workers, a local SMTP sink.

    .venv/bin/python -u bench/newsletter.py [--subscribers 10000] [--workers 2]

Production layout: PostgreSQL (a scratch database), Redis (database 11, flushed), `JOBS_RUNNER=rq`,
and `--workers` processes of `flask jobs worker`. The sink is aiosmtpd in this process.

1. An issue is scheduled and "send now" enqueues one job per worker (NEWSLETTER_SENDERS): prints
   the time until the sink received every message, and messages per second.
2. A second issue: one worker is killed with SIGKILL halfway, a new worker is started (as systemd
   would restart it) and the work is woken again; prints how many messages arrived and how many
   recipients got two.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import BIN, ROOT, flask, free_port, fresh_database, portal_env

REDIS = "redis://127.0.0.1:6379/11"


class CountingSink:
    def __init__(self) -> None:
        self.received: Counter[tuple[str, str]] = Counter()  # (subject, recipient) -> copies
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd handler name
        head = envelope.content[:4000].decode("utf-8", "replace")
        subject = next((line.split(":", 1)[1].strip() for line in head.splitlines()
                        if line.lower().startswith("subject:")), "")  # fmt: skip
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[(subject, rcpt)] += 1
        return "250 OK"

    def count(self, subject: str) -> tuple[int, int]:
        """(messages received, recipients who got more than one)."""
        with self.lock:
            copies = [n for (s, _), n in self.received.items() if s == subject]
        return sum(copies), sum(1 for n in copies if n > 1)


SETUP = """
import sys
sys.path.insert(0, {root!r})
from sqlalchemy import insert, select
from portal import create_app
from portal.extensions import db
from portal.models import Subscription, Tenant
from portal.models.base import utcnow
from portal.tenancy import tenant_scope
app = create_app()
with app.app_context():
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "work-in"))
    now = utcnow()
    with tenant_scope(tenant):
        db.session.execute(insert(Subscription), [
            dict(tenant_id=tenant.id, email=f"iscritto{{n:05d}}@example.it", locale="it" if n % 3 else "en",
                 status="confirmed", confirmed_at=now, consent_at=now, consent_text_version="bench",
                 consent_source="bench", created_at=now, updated_at=now) for n in range({subscribers})])
        db.session.commit()
"""

SEND_NOW = """
import sys
sys.path.insert(0, {root!r})
from sqlalchemy import select
from portal import create_app
from portal.extensions import db
from portal.jobs.runner import wake
from portal.markup import render_markdown
from portal.models import Issue, Tenant
from portal.models.base import utcnow
from portal.tenancy import tenant_scope
app = create_app()
with app.test_request_context():
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "work-in"))
    body = "Care e cari,\\n\\nin questo numero **tre nuovi tirocini** al porto di Civitavecchia."
    if {subject!r}:
        with tenant_scope(tenant):
            db.session.add(Issue(tenant_id=tenant.id, subject={subject!r}, body_md=body, body_html=render_markdown(body),
                                 status="scheduled", scheduled_at=utcnow(), digest=[]))
            db.session.commit()
    wake("newsletter-send-due")  # what "send now" does: one job per sender
"""


def python(env: dict[str, str], code: str) -> None:
    subprocess.run([str(BIN / "python"), "-c", code], cwd=ROOT, env=env, check=True)


def worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def wait_for(sink: CountingSink, subject: str, expected: int, seconds: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if sink.count(subject)[0] >= expected:
            break
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    sink, port = CountingSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        env = portal_env(Path(tmp), fresh_database("crocevia_bench_newsletter"), REDIS_URL=REDIS, JOBS_RUNNER="rq",
                         MAIL_URL=f"smtp://127.0.0.1:{port}", NEWSLETTER_SENDERS=str(args.workers))  # fmt: skip
        flask(env, "deploy", "prepare")
        python(env, SETUP.format(root=str(ROOT), subscribers=args.subscribers))
        workers = [worker(env) for _ in range(args.workers)]
        try:
            python(env, SEND_NOW.format(root=str(ROOT), subject="Numero uno"))
            elapsed = wait_for(sink, "Numero uno", args.subscribers, 300)
            received, twice = sink.count("Numero uno")
            print(f"{args.subscribers} subscribers, {args.workers} RQ workers: {received} received in {elapsed:.1f} s "
                  f"({received / elapsed:.0f} msg/s), {twice} duplicates", flush=True)  # fmt: skip

            python(env, SEND_NOW.format(root=str(ROOT), subject="Numero due"))
            wait_for(sink, "Numero due", args.subscribers // 2, 300)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            halfway = sink.count("Numero due")[0]
            workers[0] = worker(env)  # restarted, as systemd would
            python(env, SEND_NOW.format(root=str(ROOT), subject=""))  # the next wake-up or cron run
            elapsed = wait_for(sink, "Numero due", args.subscribers, 300)
            time.sleep(2)
            received, twice = sink.count("Numero due")
            print(f"one worker killed (SIGKILL) after {halfway} messages and restarted: {received} received, "
                  f"{twice} duplicates", flush=True)  # fmt: skip
        finally:
            for process in workers:
                process.kill()
            controller.stop()
            os.environ.pop("PYTHONPATH", None)


if __name__ == "__main__":
    main()
