"""Alerts benchmark: 10,000 confirmed saved searches over the demo network, new entries
published, `alerts send-due`, and the mail queue delivered to a local SMTP sink.

    .venv/bin/python -u bench/alerts.py [--alerts 10000] [--searches 300] [--new 60] [--size 10000]

Production layout: PostgreSQL (a scratch database, in-database search), the demo network with
`--size` synthetic entries. The alerts spread over `--searches` distinct saved searches (words,
kind, province, project), as residents' searches repeat. `--new` entries are published "ten
minutes ago" and the index rebuilt. Prints:
1. match and queue: the time `send_due()` takes to check every alert, run each distinct search
   once over the window and queue one mail per alert with something new (alerts/s);
2. delivery: the `send-mail` job sending the queue to an aiosmtpd sink (mails/s);
3. a second run straight after: nothing is due, nothing queued (no duplicates).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import BIN, ROOT, flask, free_port, fresh_database, portal_env


class Sink:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd handler name
        with self.lock:
            self.count += len(envelope.rcpt_tos)
        return "250 OK"


SETUP = """
import random, sys
sys.path.insert(0, {root!r})
from datetime import timedelta
from sqlalchemy import insert, select, update
from portal import create_app
from portal.alerts.saved_search import SavedSearch
from portal.extensions import db
from portal.models import Alert, Entry, Organisation, Tenant
from portal.models.base import utcnow
from portal.models.directory import Status
app = create_app()
random.seed(7)
with app.test_request_context():
    tenants = list(db.session.scalars(select(Tenant)))
    words = ["", "tirocinio", "corso", "lavoro", "italiano", "cucina", "magazzino", "formazione", "orientamento"]
    kinds = [None, "opportunity", "training", "event"]
    provinces = ["", "AT", "VI", "MI", "RM"]
    searches = []
    for n in range({searches}):
        pairs = [("q", random.choice(words)), ("province", random.choice(provinces))]
        searches.append(SavedSearch.from_pairs(pairs, random.choice([None, None, *tenants]), random.choice(kinds)))
    now, hour_ago = utcnow(), utcnow() - timedelta(hours=1)
    rows = []
    for n in range({alerts}):
        search = searches[n % len(searches)]
        rows.append(dict(email=f"residente{{n:05d}}@example.it", locale="it" if n % 3 else "en", frequency="daily",
                         status="confirmed", scope_tenant_id=search.tenant.id if search.tenant else None,
                         kind=search.kind, params=[list(p) for p in search.params], search_key=search.key,
                         consent_at=hour_ago, consent_text_version="bench", consent_source="bench",
                         confirmed_at=hour_ago, matched_until=hour_ago, next_due_at=hour_ago, sent_count=0,
                         created_at=now, updated_at=now))
    db.session.execute(insert(Alert), rows)
    ids = list(db.session.scalars(select(Entry.id).where(Entry.status == Status.PUBLISHED)))
    fresh = random.sample(ids, min({new}, len(ids)))
    db.session.execute(update(Entry).where(Entry.id.in_(fresh)).values(published_at=now - timedelta(minutes=10))
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Entry).where(Entry.id.not_in(fresh)).values(published_at=now - timedelta(days=3))
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Organisation).values(published_at=now - timedelta(days=3))
                       .execution_options(synchronize_session=False))
    db.session.commit()
"""

SEND_DUE = """
import sys, time
sys.path.insert(0, {root!r})
from portal import create_app
from portal.alerts.delivery import send_due
from portal.extensions import db
from portal.mail_queue import waiting_count
app = create_app()
with app.app_context():
    started = time.perf_counter()
    report = send_due()
    db.session.commit()
    elapsed = time.perf_counter() - started
    print(f"{{report.checked}} {{report.sent}} {{report.nothing_new}} {{elapsed:.3f}} {{waiting_count()}}")
"""


def python(env: dict[str, str], code: str) -> str:
    result = subprocess.run([str(BIN / "python"), "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--new", type=int, default=60)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = portal_env(Path(tmp), fresh_database("crocevia_bench_alerts"), MAIL_URL=f"smtp://127.0.0.1:{port}")
            flask(env, "deploy", "prepare")
            flask(env, "demo", "load", "--size", str(args.size))
            python(env, SETUP.format(root=str(ROOT), alerts=args.alerts, searches=args.searches, new=args.new))
            flask(env, "search", "rebuild")
            checked, sent, nothing, elapsed, queued = python(env, SEND_DUE.format(root=str(ROOT))).split()
            print(f"{checked} alerts over {args.searches} distinct searches ({args.size} synthetic entries, "
                  f"{args.new} new): match and queue {float(elapsed):.2f} s ({int(checked) / float(elapsed):.0f} "
                  f"alerts/s), {sent} mails queued, {nothing} with nothing new", flush=True)  # fmt: skip
            started = time.perf_counter()
            flask(env, "jobs", "run", "send-mail")
            delivery = time.perf_counter() - started
            print(f"delivery to a local SMTP sink: {sink.count} mails in {delivery:.1f} s "
                  f"({sink.count / delivery:.0f} mails/s, one process)", flush=True)  # fmt: skip
            checked, sent, *_ = python(env, SEND_DUE.format(root=str(ROOT))).split()
            print(f"a second run at once: {checked} alerts due, {sent} mails queued", flush=True)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
