"""flask newsletter send-due / enqueue / worker"""
from __future__ import annotations

import signal

import click
from flask import current_app
from flask.cli import AppGroup

from portal.newsletters.delivery import send_due

newsletter_cli = AppGroup("newsletter", help="Project newsletters.")


@newsletter_cli.command("send-due")
def send_due_command() -> None:
    """Send every issue whose time has come, and retry what failed for a while.

    Safe from cron and if two copies start at once; SIGTERM stops after the current message.
    """
    stop = {"requested": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(requested=True))
    try:
        report = send_due(should_stop=lambda: stop["requested"])
    except Exception as exc:  # StopRequested and friends: nothing is lost, the next run resumes
        click.echo(f"stopped: {type(exc).__name__}", err=True)
        raise SystemExit(3) from None
    click.echo(f"sent {report.sent}, failed temporarily {report.failed_temporary}, "
               f"failed permanently {report.failed_permanent}, issues finished {report.issues_finished}")


@newsletter_cli.command("enqueue")
def enqueue_command() -> None:
    """Put a send-due job on the Redis queue (REDIS_URL) for the RQ worker."""
    from portal.newsletters.runner import enqueue_send_due

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set")
    click.echo(f"enqueued job {enqueue_send_due().id}")


@newsletter_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the RQ worker that sends newsletters (production)."""
    from redis import Redis
    from rq import Queue, Worker

    from portal.newsletters.runner import QUEUE

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set")
    connection = Redis.from_url(current_app.config["REDIS_URL"])
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst)
