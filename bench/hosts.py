"""Two hosts, one site: two `make serve`-style instances on one PostgreSQL and one Redis.

    .venv/bin/python -u bench/hosts.py [--subscribers 2000]

Each "host" has its own INSTANCE_PATH, its own gunicorn (2 workers) and its own `flask jobs
worker`; they share a scratch PostgreSQL database, Redis database 12 (flushed), SECRET_KEY and
PUBLIC_URL, with SEARCH_BACKEND=postgres, JOBS_RUNNER=rq and the page cache on (60 s), as in
production. Prints one line per check and exits non-zero if any fails:

1. `flask deploy prepare` started on both at the same moment: both succeed, one migrates.
2. A session made by signing in on host A is valid on host B.
3. The login rate limit (RATELIMIT_LOGIN, 10 per minute per address) is counted once across the hosts.
4. An entry published through host A's web form is found by /search on host B within seconds
   (and B's cached pages are dropped).
5. A newsletter issue sent through RQ: host A (gunicorn and its worker) is killed with SIGKILL
   halfway; host B's worker finishes: every subscriber gets it once, none twice.
6. After the kill, host B still serves the session and the entry created on A.
"""

from __future__ import annotations

import argparse
import http.client
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsletter import SEND_NOW, SETUP, CountingSink, python, wait_for, worker
from support import BIN, ROOT, Gunicorn, free_port, fresh_database, portal_env

REDIS = "redis://127.0.0.1:6379/12"
ADMIN = "admin@crocevia.example"
DEMO_PASSWORD = "crocevia-demo-2026"


class FormFields(HTMLParser):
    """The fields a browser would submit from the first form posting to `action` (defaults included)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("action", "") in (self.action, ""):
            self.inside = a.get("method", "get").lower() == "post"
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._selected = True
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append((a.get("name", ""), ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self.fields and self.fields[-1][0] == self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


class Visitor:
    """A browser in miniature: one cookie jar, shown to whichever host it talks to."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: list[tuple[str, str]] | None = None,
                ) -> tuple[int, str, dict[str, str]]:  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text, dict(response.getheaders())

    def submit(self, port: int, path: str, **overrides: str) -> tuple[int, str, dict[str, str]]:
        _status, page, _headers = self.request(port, "GET", path)
        parser = FormFields(path)
        parser.feed(page)
        fields = [(k, v) for k, v in parser.fields if k not in overrides] + list(overrides.items())
        return self.request(port, "POST", path, fields)


class Host:
    """One machine of the network: its instance folder, gunicorn and jobs worker."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name, self.env = name, env
        self.web = Gunicorn("wsgi:app", env)
        self.jobs = worker(env)

    def kill(self) -> None:
        import os

        os.killpg(self.web.process.pid, signal.SIGKILL)
        self.jobs.send_signal(signal.SIGKILL)
        self.web.process.wait()
        self.jobs.wait()

    def stop(self) -> None:
        if self.web.process.poll() is None:
            self.web.stop()
        if self.jobs.poll() is None:
            self.jobs.kill()


RESULTS: list[bool] = []


def check(ok: bool, line: str) -> None:
    RESULTS.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'}  {line}", flush=True)


def prepare_at_once(envs: list[dict[str, str]]) -> None:
    processes = [subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "deploy", "prepare"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for env in envs]  # fmt: skip
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    migrated = sum("0001_foundation" in out or "Running upgrade" in out for out in outputs)
    check(all(p.returncode == 0 for p in processes) and migrated == 1,
          f"deploy prepare on both hosts at once: exit codes {[p.returncode for p in processes]}, "
          f"{migrated} of them migrated")  # fmt: skip


def shared_session(a: Host, b: Host) -> Visitor:
    admin = Visitor()
    status, _page, headers = admin.submit(a.web.port, "/auth/login", email=ADMIN, password=DEMO_PASSWORD)
    _s, account, _h = admin.request(b.web.port, "GET", "/account/")
    check(status in (302, 303) and ADMIN in account,
          f"signed in on host A ({status} → {headers.get('Location', '?')}); host B shows the account page")  # fmt: skip
    return admin


def login_limit(a: Host, b: Host, already: int) -> None:
    """`already`: the login forms this address sent in the last minute (the admin's sign-in)."""
    statuses = []
    for attempt in range(12):
        host = a if attempt % 2 == 0 else b
        status, _page, _h = Visitor().submit(host.web.port, "/auth/login", email=f"nobody{attempt}@example.it",
                                             password="wrong password")  # fmt: skip
        statuses.append(status)
    first_refusal = statuses.index(429) + 1 if 429 in statuses else None
    check(first_refusal == 11 - already,
          f"failed logins alternating A/B after {already} sign-in: statuses {statuses}; refused from attempt "
          f"{first_refusal} (limit 10 per minute for the address, counted once across hosts)")  # fmt: skip


def organisation_id(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT id FROM organisation WHERE status = 'published' ORDER BY id LIMIT 1").fetchone()
    return int(row[0])


def search_follows(a: Host, b: Host, admin: Visitor, database_url: str) -> str:
    word = f"liuteria{int(time.time()) % 100000}"
    title = f"Corso di {word} per principianti"
    b_before = admin.request(b.web.port, "GET", f"/search?q={word}")[1]
    anonymous = Visitor()
    anonymous.request(b.web.port, "GET", "/directory/training/")  # now in B's page cache
    path = f"/directory/manage/organisations/{organisation_id(database_url)}/training/new"
    status, _page, headers = admin.submit(a.web.port, path, title=title,
                                          description=f"Un corso di {word}: strumenti ad arco, dal legno alla vernice.")  # fmt: skip
    started = time.perf_counter()
    seen_search = seen_listing = None
    while time.perf_counter() - started < 30 and not (seen_search and seen_listing):
        if seen_search is None and title in anonymous.request(b.web.port, "GET", f"/search?q={word}")[1]:
            seen_search = time.perf_counter() - started
        if seen_listing is None and title in anonymous.request(b.web.port, "GET", "/directory/training/")[1]:
            seen_listing = time.perf_counter() - started
        time.sleep(0.1)
    check(status in (302, 303) and title not in b_before and seen_search is not None and seen_listing is not None,
          f"entry published on host A ({status}); host B's search found it after {seen_search or -1:.1f} s and "
          f"its cached listing showed it after {seen_listing or -1:.1f} s")  # fmt: skip
    return title


def newsletter_survives_a_host(a: Host, b: Host, sink: CountingSink, subscribers: int) -> None:
    python(a.env, SETUP.format(root=str(ROOT), subscribers=subscribers))
    python(a.env, SEND_NOW.format(root=str(ROOT), subject="Numero per due host"))
    wait_for(sink, "Numero per due host", subscribers // 2, 120)
    a.kill()
    halfway = sink.count("Numero per due host")[0]
    python(b.env, SEND_NOW.format(root=str(ROOT), subject=""))  # host B's next cron run or wake-up
    elapsed = wait_for(sink, "Numero per due host", subscribers, 180)
    time.sleep(2)
    received, twice = sink.count("Numero per due host")
    check(received == subscribers and twice == 0,
          f"newsletter to {subscribers}: host A killed (SIGKILL) after {halfway} messages; host B's worker "
          f"finished in {elapsed:.1f} s: {received} received, {twice} duplicates")  # fmt: skip


def b_alone(b: Host, admin: Visitor, title: str) -> None:
    status, account, _h = admin.request(b.web.port, "GET", "/account/")
    found = title in Visitor().request(b.web.port, "GET", "/search?q=" + title.split()[2])[1]
    check(
        status == 200 and ADMIN in account and found,
        "after host A's death host B still knows the session and the entry made through A",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=2000)
    args = parser.parse_args()
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    sink, smtp_port = CountingSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    database = fresh_database("crocevia_bench_hosts")
    hosts: list[Host] = []
    with tempfile.TemporaryDirectory() as tmp:
        envs = [
            portal_env(
                Path(tmp) / name,
                database,
                REDIS_URL=REDIS,
                JOBS_RUNNER="rq",
                SEARCH_BACKEND="postgres",
                MAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
                PAGE_CACHE_SECONDS="60",
                RATELIMIT_LOGIN="10 per minute",
            )  # fmt: skip
            for name in ("host-a", "host-b")
        ]
        try:
            prepare_at_once(envs)
            subprocess.run([str(BIN / "flask"), "--app", "wsgi", "demo", "load"], cwd=ROOT, env=envs[0], check=True,
                           capture_output=True)  # fmt: skip
            a, b = Host("A", envs[0]), Host("B", envs[1])
            hosts = [a, b]
            admin = shared_session(a, b)
            login_limit(a, b, already=1)
            title = search_follows(a, b, admin, database)
            newsletter_survives_a_host(a, b, sink, args.subscribers)
            b_alone(b, admin, title)
        finally:
            for host in hosts:
                host.stop()
            controller.stop()
    print(f"{sum(RESULTS)} of {len(RESULTS)} checks passed", flush=True)
    sys.exit(0 if all(RESULTS) else 1)


if __name__ == "__main__":
    main()
