"""flask jobs list / run-due / run NAME / worker"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.jobs.catalogue import BY_NAME, JOBS
from portal.jobs.schedule import run_due, run_named, schedule_rows

jobs_cli = AppGroup("jobs", help="Periodic and background jobs.")


def _echo(outcome) -> None:
    click.echo(f"{outcome.name}: {'ok' if outcome.ok else 'FAILED'} - {outcome.summary}", err=not outcome.ok)


@jobs_cli.command("list")
def list_command() -> None:
    """Every job, how often it runs, when it runs next and how it last went."""
    rows = {row.name: row for row in schedule_rows()}
    for job in JOBS:
        row = rows.get(job.name)
        click.echo(
            f"{job.name:<22} every {job.every}  next {row.next_run_at:%Y-%m-%d %H:%M} UTC  "
            f"last: {row.last_result or '-'}  ({job.description})"
            if row
            else job.name
        )


@jobs_cli.command("run-due")
@click.option("--every", type=click.IntRange(min=10), default=None, metavar="SECONDS",
              help="Keep running, checking every SECONDS (a container's periodic process); "
                   "without it: once, for cron or a systemd timer.")  # fmt: skip
def run_due_command(every: int | None) -> None:
    """Run what is due (cron: every minute, on any number of hosts)."""
    if every is None:
        if not _run_due_once():
            raise SystemExit(1)
        return
    import signal
    import threading

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        _run_due_once()  # a failed job is logged and retried at its next turn; the loop goes on
        stop.wait(every)


def _run_due_once() -> bool:
    outcomes = run_due()
    for outcome in outcomes:
        _echo(outcome)
    if not outcomes:
        click.echo("nothing due")
    return all(o.ok for o in outcomes)


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(sorted(BY_NAME)))
def run_command(name: str) -> None:
    """Run one job now, whatever its schedule."""
    outcome = run_named(name)
    _echo(outcome)
    if not outcome.ok:
        raise SystemExit(1)


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """The RQ worker that runs woken jobs (JOBS_RUNNER=rq; needs REDIS_URL)."""
    from redis import Redis
    from rq import Queue, Worker

    from portal.jobs.runner import QUEUE

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set")
    connection = Redis.from_url(current_app.config["REDIS_URL"])
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst)
