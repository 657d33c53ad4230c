"""Search over HTTP: 150 distinct queries against `make serve`'s gunicorn (2 workers).

    .venv/bin/python -u bench/search.py [--backends postgres,whoosh] [--sizes 10000,100000] [--reuse]

For each backend and size: a fresh database (PostgreSQL for the postgres backend; the embedded
default's SQLite for whoosh) with the five projects, the demo data and N synthetic entries;
`flask search rebuild` (timed); gunicorn with the production settings and the page cache off;
then 150 distinct queries — single words, pairs, phrases, filters (province, kind, project, target
group, cost), later pages, misspellings — each asked once, in a shuffled order, over one keep-alive
connection. Prints p50 / p95 / max of the client-side time and the workers' resident memory.

`--slowest N`: also print the N slowest queries of each run, with their times.

`--reuse` (postgres only): keep the database of a previous run with the same size
(crocevia_bench_search_<size>), upgraded to the current migrations, instead of loading it again.
"""

from __future__ import annotations

import argparse
import http.client
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import PG_ADMIN, Gunicorn, flask, fresh_database, percentile, portal_env

WORDS = [
    "tirocinio",
    "corso",
    "lavoro",
    "magazzino",
    "cucina",
    "saldatura",
    "italiano",
    "informatica",
    "sartoria",
    "giardiniere",
    "assistenza",
    "pasticcere",
    "vendita",
    "logistica",
    "educatore",
    "meccanico",
    "barista",
    "segretario",
    "orientamento",
    "sicurezza",
    "contabilità",
    "inglese",
    "muletto",
    "accoglienza",
    "pulizia",
]
PLACES = ["Asti", "Vicenza", "Milano", "Civitavecchia", "Corsico", "Torino", "Schio", "Roma"]
FILTERS = [{"province": "VI"}, {"province": "MI"}, {"kind": "training"}, {"kind": "opportunity"},
           {"tenants": "ciao"}, {"tenants": "asti-est"}, {"cost": "free"}, {"targets": "giovani"},
           {"kind": "event", "province": "RM"}]  # fmt: skip
TYPOS = ["tirocinnio", "cuccina", "magazino", "italliano", "sartorria"]


def queries(count: int = 150, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    while len(out) < count:
        shape = rng.choice(["word", "pair", "place", "phrase", "filter", "filter-only", "page", "typo"])
        args: dict[str, str] = {}
        if shape == "word":
            args["q"] = rng.choice(WORDS)
        elif shape == "pair":
            args["q"] = " ".join(rng.sample(WORDS, 2))
        elif shape == "place":
            args["q"] = f"{rng.choice(WORDS)} {rng.choice(PLACES)}"
        elif shape == "phrase":
            args["q"] = f'"{rng.choice(["lingua italiana", "addetto di magazzino", "sicurezza sul lavoro"])}"'
        elif shape in ("filter", "filter-only"):
            args.update(rng.choice(FILTERS))
            if shape == "filter":
                args["q"] = rng.choice(WORDS)
        elif shape == "page":
            args.update({"q": rng.choice(WORDS), "page": str(rng.randint(2, 4))})
        else:
            args["q"] = rng.choice(TYPOS)
        if rng.random() < 0.2:
            args["sort"] = rng.choice(["newest", "deadline"])
        key = urlencode(sorted(args.items()))
        if key not in seen:
            seen.add(key)
            out.append(args)
    return out


def measure(port: int, asked: list[dict[str, str]]) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    samples = []
    for args in asked:
        started = time.perf_counter()
        connection.request("GET", "/search?" + urlencode(args))
        response = connection.getresponse()
        response.read()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"/search?{urlencode(args)} answered {response.status}")
    return samples


def run(backend: str, size: int, reuse: bool = False, slow: int = 0) -> str:
    reuse = reuse and backend == "postgres"
    with tempfile.TemporaryDirectory() as tmp:
        name = f"crocevia_bench_search_{size}"
        database = (
            (PG_ADMIN.rsplit("/", 1)[0] + f"/{name}" if reuse else fresh_database(name))
            if backend == "postgres"
            else f"sqlite:///{tmp}/crocevia.sqlite3"
        )
        env = portal_env(Path(tmp), database, SEARCH_BACKEND=backend, PAGE_CACHE_SECONDS="0", SEARCH_INDEXER="off")
        generated = rebuild = 0.0
        indexed = "reused"
        if reuse:
            flask(env, "db", "upgrade")
            flask(env, "search", "maintain")  # what the daily job keeps: the frequent words' sets
        else:
            flask(env, "deploy", "prepare")
            started = time.perf_counter()
            flask(env, "demo", "load", "--size", str(size))
            generated = time.perf_counter() - started
            started = time.perf_counter()
            indexed = flask(env, "search", "rebuild")
            rebuild = time.perf_counter() - started
        server = Gunicorn("wsgi:app", env)
        try:
            asked = queries()
            measure(server.port, asked[:20])  # warm-up: first searchers, caches
            random.Random(5).shuffle(asked)
            samples = measure(server.port, asked)
            rss = server.rss_mb()
        finally:
            server.stop()
    slowest = sorted(zip(samples, asked, strict=True), key=lambda pair: -pair[0])[:slow]
    for took, args in slowest:
        print(f"  slow: {took:6.1f} ms  /search?{urlencode(args)}", flush=True)
    return (f"{backend:<8} {size:>7,} entries  generate {generated:5.0f} s  rebuild {rebuild:5.0f} s ({indexed})  "
            f"/search p50 {percentile(samples, 0.5):6.1f} ms  p95 {percentile(samples, 0.95):6.1f} ms  "
            f"max {max(samples):6.1f} ms  worker RSS {', '.join(f'{mb:.0f}' for mb in rss)} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="postgres,whoosh")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--reuse", action="store_true", help="postgres: keep the database of a previous run")
    parser.add_argument("--slowest", type=int, default=0, help="also print the N slowest queries of each run")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        for size in (int(n) for n in args.sizes.split(",")):
            print(run(backend, size, args.reuse, args.slowest), flush=True)


if __name__ == "__main__":
    main()
