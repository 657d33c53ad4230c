"""Search benchmark: synthetic directories of 1k, 10k and 100k entries.

    .venv/bin/python bench/search.py [--sizes 1000,10000,100000] [--repeat 20]

Prints, per size: generation time, full index rebuild time and rate, in-process query
latency (p50/p95) for a fixed mix of queries, HTTP latency of /search against the real
app served by a separate process (client-side and the app's own Server-Timing), that
process's resident memory, and the same queries on SQLite FTS5 as a reference.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY_MIX = {
    "common": [("tirocinio", {}), ("corso", {}), ("lavoro Asti", {})],
    "rare": [("saldatura", {}), ("pasticcere Vicenza", {})],
    "zero-hit": [("astronauta", {}), ("xyzzy", {})],
    "phrase": [('"lingua italiana"', {}), ('"addetto di magazzino"', {})],
    "faceted": [
        ("tirocinio", {"province": ["MI"], "kind": ["opportunity"]}),
        ("", {"tenants": ["ciao"], "cost": ["free"]}),
    ],
}
FTS_QUERIES = {
    "common": ["tirocinio", "corso", "lavoro AND asti"],
    "rare": ["saldatura", "pasticcere AND vicenza"],
    "zero-hit": ["astronauta", "xyzzy"],
    "phrase": ['"lingua italiana"', '"addetto di magazzino"'],
    "faceted": ["tirocinio AND milano", "corso"],
}


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(size: int, folder: Path) -> dict:
    """Database with `size` synthetic entries and a fresh index; returns timings."""
    os.environ.update(
        {"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench-secret-key-bench-secret-key-123", "SEARCH_INDEXER": "off"}
    )
    from flask_migrate import upgrade

    from portal import create_app
    from portal.cli.demo_load_directory import generate_synthetic_entries
    from portal.directory import indexing
    from portal.extensions import db
    from portal.models import Tenant
    from portal.tenant_site.sync import sync_tenants

    app = create_app("development")
    with app.app_context():
        upgrade()
        sync_tenants(ROOT / "tenants")
        tenants = list(db.session.scalars(db.select(Tenant)))
        started = time.perf_counter()
        generate_synthetic_entries(size, tenants)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        count = indexing.rebuild(parallel=True)  # what `flask search rebuild` does
        rebuilt = time.perf_counter() - started
    return {"app": app, "generated": generated, "rebuilt": rebuilt, "count": count}


def in_process(app, repeat: int) -> dict[str, list[float]]:
    from portal.directory import indexing
    from portal.timezone import rome_today
    from search_index import SearchQuery

    timings: dict[str, list[float]] = {}
    with app.app_context():
        engine = indexing.engine()
        engine.search(SearchQuery(text="riscaldamento"))  # open the index once
        for category, queries in QUERY_MIX.items():
            for _ in range(repeat):
                for text, filters in queries:
                    started = time.perf_counter()
                    engine.search(SearchQuery(text=text, filters=filters, today=rome_today()))
                    timings.setdefault(category, []).append((time.perf_counter() - started) * 1000)
    return timings


def over_http(folder: Path, repeat: int) -> tuple[list[float], list[float], int]:
    """Client-side and Server-Timing latencies of /search, and the server's RSS in kB."""
    port = free_port()
    env = {**os.environ, "INSTANCE_PATH": str(folder), "SEARCH_INDEXER": "worker"}
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port), "--without-threads"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        client, server_side = [], []
        paths = [
            "/search?" + urlencode({"q": text, **filters}, doseq=True)
            for queries in QUERY_MIX.values()
            for text, filters in queries
        ]
        for warmup in paths:
            _get(port, warmup)
        for _ in range(repeat):
            for path in paths:
                started = time.perf_counter()
                timing = _get(port, path)
                client.append((time.perf_counter() - started) * 1000)
                server_side.append(timing)
        rss = int(
            next(
                line.split()[1]
                for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                if line.startswith("VmRSS")
            )
        )
        return client, server_side, rss
    except AssertionError:
        print((folder / "server.log").read_text()[-3000:])
        raise
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def _get(port: int, path: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    assert response.status == 200, (path, response.status)
    header = response.getheader("Server-Timing", "app;dur=0")
    connection.close()
    return float(header.split("dur=")[1])


def fts5(folder: Path, repeat: int) -> tuple[float, dict[str, list[float]]]:
    """The same data in an SQLite FTS5 table (unicode61, diacritics removed; no Italian stemming)."""
    database = sqlite3.connect(folder / "crocevia.sqlite3")
    started = time.perf_counter()
    database.execute("DROP TABLE IF EXISTS bench_fts")
    database.execute(
        "CREATE VIRTUAL TABLE bench_fts USING fts5(title, description, tokenize='unicode61 remove_diacritics 2')"
    )
    database.execute("INSERT INTO bench_fts(rowid, title, description) SELECT id, title, description FROM entry")
    database.commit()
    built = time.perf_counter() - started
    timings: dict[str, list[float]] = {}
    for category, queries in FTS_QUERIES.items():
        for _ in range(repeat):
            for query in queries:
                started = time.perf_counter()
                database.execute(
                    "SELECT rowid, snippet(bench_fts, 1, '<mark>', '</mark>', '…', 20) FROM bench_fts "
                    "WHERE bench_fts MATCH ? ORDER BY bm25(bench_fts, 3.0, 1.0) LIMIT 20",
                    (query,),
                ).fetchall()
                database.execute("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH ?", (query,)).fetchone()
                timings.setdefault(category, []).append((time.perf_counter() - started) * 1000)
    database.close()
    return built, timings


def run(size: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"crocevia-bench-{size}-") as tmp:
        folder = Path(tmp)
        prepared = prepare(size, folder)
        print(f"\n== {size:,} entries ({prepared['count']:,} documents incl. organisations) ==")
        print(f"generate (SQLite insert)   {prepared['generated']:7.1f} s")
        print(
            f"full index rebuild         {prepared['rebuilt']:7.1f} s  = {prepared['count'] / prepared['rebuilt']:,.0f} docs/s"
        )
        timings = in_process(prepared["app"], repeat)
        for category, samples in timings.items():
            print(f"in-process {category:<15} {percentiles(samples)}")
        print(f"in-process {'all':<15} {percentiles([s for v in timings.values() for s in v])}")
        client, server_side, rss = over_http(folder, max(2, repeat // 4))
        print(f"HTTP /search client        {percentiles(client)}")
        print(f"HTTP /search server-side   {percentiles(server_side)}")
        print(f"web worker memory (RSS)    {rss / 1024:7.1f} MB")
        built, fts = fts5(folder, repeat)
        print(f"FTS5 build                 {built:7.1f} s")
        for category, samples in fts.items():
            print(f"FTS5 {category:<21} {percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"Crocevia search benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs")
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.repeat)


if __name__ == "__main__":
    main()
