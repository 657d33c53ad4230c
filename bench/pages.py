"""Page throughput against a bare Flask hello world, both under the same gunicorn (2 workers).

    .venv/bin/python bench/pages.py [--entries 0,10000] [--seconds 8]

For each directory size: a scratch PostgreSQL database gets the five projects, the demo data
(and synthetic entries), then `make serve`'s gunicorn settings serve the portal (production
configuration, PostgreSQL search) while wrk measures requests per second on the hub, a project
home, a detail page, a listing and a search, as anonymous visitors; the ratio to hello world is
what the figures in bench/README.md report. Prints one table per size, and the workers' memory.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import ROOT, Gunicorn, flask, fresh_database, portal_env, wrk

TARGETS = {"hub": 0.30, "project home": 0.30, "detail": 0.30, "listing": 0.15, "search": 0.15}


def pages(base: str) -> dict[str, str]:
    listing = urllib.request.urlopen(base + "/directory/opportunities/").read().decode()
    detail = re.search(r'href="(/directory/opportunities/[^"?#]+)"', listing).group(1)
    return {
        "hub": "/", "project home": "/alice/", "detail": detail, "listing": "/directory/opportunities/",
        "search": "/search?q=tirocinio",
    }  # fmt: skip


def run(entries: int, seconds: int, page_cache: bool) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        env = portal_env(Path(tmp), fresh_database("crocevia_bench_pages"),
                         PAGE_CACHE_SECONDS="60" if page_cache else "0")  # fmt: skip
        flask(env, "deploy", "prepare")
        flask(env, "demo", "load", *(["--size", str(entries)] if entries else []))
        flask(env, "search", "rebuild")
        hello = Gunicorn("hello:app", env, cwd=ROOT / "bench")
        portal = Gunicorn("wsgi:app", env)
        try:
            base_rate = wrk(hello.url + "/", seconds)
            cache = "page cache on (repeats from memory)" if page_cache else "page cache off (every page rendered)"
            lines = [f"entries: demo + {entries} synthetic; {cache}; hello world: {base_rate:,.0f} req/s", ""]
            lines.append(f"{'page':<14} {'req/s':>8} {'of hello':>9} {'target':>7}")
            for name, path in pages(portal.url).items():
                rate = wrk(portal.url + path, seconds)
                ratio = rate / base_rate
                ok = "met" if ratio >= TARGETS[name] else "MISSED"
                lines.append(f"{name:<14} {rate:8.0f} {ratio:9.0%} {TARGETS[name]:7.0%}  {ok}")
            lines.append(f"worker RSS: {', '.join(f'{mb:.0f} MB' for mb in portal.rss_mb())}")
        finally:
            portal.stop()
            hello.stop()
        return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", default="0,10000")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--cache", default="on,off", help="page cache: on, off or both")
    args = parser.parse_args()
    for entries in (int(n) for n in args.entries.split(",")):
        for cache in args.cache.split(","):
            print("\n".join(run(entries, args.seconds, cache == "on")), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
