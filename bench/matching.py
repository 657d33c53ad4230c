"""Ranking all open entries for one profile ("Cosa fa per me?", issue 16).

    .venv/bin/python -u bench/matching.py [--size 140000] [--profiles 200] [--database crocevia_bench_matching]

A fresh PostgreSQL database (bench/support.py fresh_database) with the five projects, the demo data and
`--size` synthetic entries (`flask demo load --size N`); their criteria are then randomised in SQL
(age range, Italian level, DID, Law 68, residence permit, hours a week; deadlines moved into the future
so that opportunities and training offers are open), because synthetic entries leave them empty.
Each entry is then moved to a comune of its own province (`spread_over_comuni`: about 800 comuni with
coordinates, so that the distance rule measures a realistic spread). In one process: the columnar copy is built once (timed), then 200 random profiles are answered
one after the other, each timed twice: `rank()` alone (hard rules + soft ranking over every open
entry) and the whole answer (`results.answer`: ranking, reasons for the 30 shown, "what would open
more", the alert link). Prints p50 / p95 / max of the wall-clock time, and of the thread's CPU time (less
sensitive to other processes on a busy machine), with the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from support import flask, fresh_database, percentile, portal_env

RANDOMISE = """
UPDATE entry SET
  closes_on = CURRENT_DATE + (1 + (id % 120)),
  deadline = CASE WHEN kind = 'opportunity' THEN CURRENT_DATE + (1 + (id % 120)) END,
  age_min = (ARRAY[NULL, NULL, 16, 18, 18, 30, 50])[1 + (id * 7 % 7)],
  age_max = (ARRAY[NULL, NULL, 29, 35, 64])[1 + (id * 3 % 5)],
  italian_level = (ARRAY[NULL, NULL, 'A1', 'A2', 'B1', 'B2'])[1 + (id * 11 % 6)],
  did_required = (id % 5 = 0),
  l68_reserved = (id % 23 = 0),
  permit_accepted = CASE WHEN id % 17 = 0 THEN false END,
  hours_per_week = CASE WHEN kind = 'opportunity' THEN (ARRAY[NULL, 10, 20, 25, 30, 36, 40])[1 + (id * 13 % 7)] END
WHERE kind IN ('opportunity', 'training')
"""


def spread_over_comuni(session) -> None:
    """Synthetic entries sit in a few comuni (one per project's territory): put each one in a comune of
    its own province (the ISTAT list, `id % n`), so that the distance rule measures some 800 comuni."""
    from sqlalchemy import text

    from portal.vocabularies.places import comuni_in

    provinces = [p for (p,) in session.execute(text("SELECT DISTINCT province FROM entry WHERE province <> ''"))]
    slots = [{"province": p, "slot": i, "n": len(comuni_in(p)), "code": c.code, "name": c.name}
             for p in provinces for i, c in enumerate(comuni_in(p))]  # fmt: skip
    session.execute(text("CREATE TEMP TABLE spread (province text, slot int, n int, code text, name text)"))
    session.execute(text("INSERT INTO spread VALUES (:province, :slot, :n, :code, :name)"), slots)
    session.execute(text(
        "UPDATE entry e SET comune_code = s.code, comune = s.name FROM spread s WHERE s.province = e.province"
        " AND s.slot = e.id % s.n AND e.kind IN ('opportunity', 'training')"))  # fmt: skip


def random_answers(rng: random.Random, comuni: list[tuple[str, str]]) -> dict:
    from portal.matching.answers import ITALIAN
    from portal.matching.scoring import AGE_BANDS, HOURS, LOOKING_FOR, SITUATIONS, TRAVEL

    answers: dict = {}
    if rng.random() < 0.8:
        answers["age"] = rng.choice(list(AGE_BANDS))
    if rng.random() < 0.8:
        name, province = rng.choice(comuni)
        answers["comune"], answers["province"] = name, province
        answers["travel"] = rng.choice(TRAVEL)
    if rng.random() < 0.8:
        answers["italian"] = rng.choice(ITALIAN)
    answers["looking"] = rng.sample(LOOKING_FOR, rng.randint(0, 3))
    if rng.random() < 0.5:
        answers["hours"] = rng.choice(list(HOURS))
    if rng.random() < 0.7:
        answers["situation"] = rng.sample([*SITUATIONS, "none"], rng.randint(1, 2))
    answers["sectors"] = rng.sample(["C", "G", "I", "Q", "N"], rng.randint(0, 2))
    return answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=140_000)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--database", default="crocevia_bench_matching")
    parser.add_argument("--reuse", action="store_true", help="keep the database of a previous run")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="bench-matching-"))
    url = os.environ.get("BENCH_DATABASE_URL")
    if not args.reuse:
        url = fresh_database(args.database)
    elif not url:
        from support import PG_ADMIN

        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{args.database}"
    env = portal_env(instance, url.replace("postgresql://", "postgresql+psycopg://", 1)
                     if url.startswith("postgresql://") else url)  # fmt: skip
    if not args.reuse:
        started = time.perf_counter()
        flask(env, "db", "upgrade")
        flask(env, "tenants", "sync")
        flask(env, "demo", "load", "--size", str(args.size))
        print(f"loaded {args.size} synthetic entries in {time.perf_counter() - started:.0f} s")
    os.environ.update(env)

    from sqlalchemy import select, text

    from portal import create_app
    from portal.extensions import db
    from portal.matching.answers import parse
    from portal.matching.criteria import load_columns, rank
    from portal.matching.results import answer
    from portal.models import Entry
    from portal.timezone import rome_today

    app = create_app()
    with app.app_context():
        db.session.execute(text(RANDOMISE))
        spread_over_comuni(db.session)
        db.session.commit()
        comuni = sorted({(r.comune, r.province) for r in db.session.execute(
            select(Entry.comune, Entry.province).where(Entry.comune != "").distinct())})  # fmt: skip
    today = rome_today()
    rng = random.Random(16)
    with app.test_request_context("/?lang=it"):
        started = time.perf_counter()
        columns = load_columns(today)
        print(f"columnar copy of {len(columns)} open entries built in {time.perf_counter() - started:.2f} s")
        profiles = [parse(random_answers(rng, comuni)) for _ in range(args.profiles)]
        answer(profiles[0].profile, today)  # loads the process cache once
        ranks, answers, totals, rank_cpu, answer_cpu = [], [], [], [], []
        for parsed in profiles:
            started, cpu = time.perf_counter(), time.thread_time()
            ranking = rank(columns, parsed.profile)
            ranks.append((time.perf_counter() - started) * 1000)
            rank_cpu.append((time.thread_time() - cpu) * 1000)
            started, cpu = time.perf_counter(), time.thread_time()
            found = answer(parsed.profile, today, parsed.problems)
            answers.append((time.perf_counter() - started) * 1000)
            answer_cpu.append((time.thread_time() - cpu) * 1000)
            totals.append(ranking.total)
            assert found.total == ranking.total
    print(f"{len(profiles)} profiles over {len(columns)} open entries "
          f"(median {sorted(totals)[len(totals) // 2]} fit each):")  # fmt: skip
    print(f"  (load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for name, samples in (("rank()", ranks), ("answer()", answers), ("rank() CPU", rank_cpu),
                          ("answer() CPU", answer_cpu)):  # fmt: skip
        print(f"  {name:12} p50 {percentile(samples, 0.5):6.1f} ms   p95 {percentile(samples, 0.95):6.1f} ms   "
              f"max {max(samples):6.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
