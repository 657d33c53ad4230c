"""Newsletter benchmark: 10,000 confirmed subscribers, one issue, a local SMTP sink.

    .venv/bin/python -u bench/newsletter.py [--subscribers 10000]

1. Sends the issue with `flask newsletter send-due` (a separate process) and prints messages per
   second and total time.
2. Sends a second issue, kills the sender halfway (SIGKILL, then separately SIGTERM), runs
   `send-due` again and prints how many messages arrived and how many recipients got two.
The sink is aiosmtpd in this process, so killing the sender does not touch it.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class CountingSink:
    def __init__(self) -> None:
        self.received: Counter[tuple[str, str]] = Counter()  # (subject, recipient) -> copies
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd handler name
        subject = next(
            (
                line.split(":", 1)[1].strip()
                for line in envelope.content.decode("utf-8", "replace").splitlines()
                if line.lower().startswith("subject:")
            ),
            "",
        )
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[(subject, rcpt)] += 1
        return "250 OK"

    def count(self, subject: str) -> tuple[int, int]:
        """(messages received, recipients who got more than one)."""
        with self.lock:
            copies = [n for (s, _), n in self.received.items() if s == subject]
        return sum(copies), sum(1 for n in copies if n > 1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(folder: Path, subscribers: int):
    os.environ.update(
        {
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench-secret-key-bench-secret-key-123",
            "SEARCH_INDEXER": "off",
            "NEWSLETTER_RUNNER": "off",
        }
    )
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Subscription, Tenant
    from portal.models.base import utcnow
    from portal.tenant_site.sync import sync_tenants

    app = create_app("development")
    with app.app_context():
        upgrade()
        sync_tenants(ROOT / "tenants")
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "work-in"))
        now = utcnow()
        db.session.execute(
            insert(Subscription),
            [
                {
                    "tenant_id": tenant.id,
                    "email": f"iscritto{n:05d}@example.it",
                    "locale": "it" if n % 3 else "en",
                    "status": "confirmed",
                    "confirmed_at": now,
                    "consent_at": now,
                    "consent_text_version": "bench",
                    "consent_source": "bench",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(subscribers)
            ],
        )
        tenant_id = tenant.id
        db.session.commit()
    return app, tenant_id


def schedule_issue(app, tenant_id: int, subject: str) -> None:
    from portal.extensions import db
    from portal.markup import render_markdown
    from portal.models import Issue
    from portal.models.base import utcnow
    from portal.tenancy import all_tenants_writes

    body = "Care e cari,\n\nin questo numero **tre nuovi tirocini** al porto di Civitavecchia e un corso di italiano."
    with app.app_context(), all_tenants_writes(db.session):
        db.session.add(
            Issue(
                tenant_id=tenant_id,
                subject=subject,
                body_md=body,
                body_html=render_markdown(body),
                status="scheduled",
                scheduled_at=utcnow(),
                digest=[],
            )
        )
        db.session.commit()


def sender(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "newsletter", "send-due"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run(subscribers: int) -> None:
    sink, port = CountingSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory(prefix="crocevia-newsletter-bench-") as tmp:
        app, tenant_id = prepare(Path(tmp), subscribers)
        env = {**os.environ, "MAIL_URL": f"smtp://127.0.0.1:{port}"}
        print(f"Crocevia newsletter benchmark · {subscribers:,} confirmed subscribers · {os.cpu_count()} CPUs")

        schedule_issue(app, tenant_id, "Numero 1")
        started = time.perf_counter()
        out = sender(env).communicate()[0]
        elapsed = time.perf_counter() - started
        received, duplicates = sink.count("Numero 1")
        print(
            f"full send: {received:,} received in {elapsed:.1f} s = {received / elapsed:,.0f} msg/s; "
            f"duplicates {duplicates}  [{out.strip().splitlines()[-1]}]"
        )

        for number, how in ((2, signal.SIGKILL), (3, signal.SIGTERM)):
            subject = f"Numero {number}"
            schedule_issue(app, tenant_id, subject)
            started = time.perf_counter()
            process = sender(env)
            while sink.count(subject)[0] < subscribers // 2:
                time.sleep(0.01)
            process.send_signal(how)
            process.wait()
            at_kill = sink.count(subject)[0]
            out = sender(env).communicate()[0]
            elapsed = time.perf_counter() - started
            received, duplicates = sink.count(subject)
            print(
                f"killed with {how.name} at {at_kill:,}, resumed: {received:,} received "
                f"(expected {subscribers:,}), recipients with duplicates {duplicates}, total {elapsed:.1f} s  "
                f"[{out.strip().splitlines()[-1]}]"
            )
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=10_000)
    run(parser.parse_args().subscribers)


if __name__ == "__main__":
    main()
