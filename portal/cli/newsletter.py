"""flask newsletter send-due (the `newsletter-send-due` job, by hand or from cron)"""

from __future__ import annotations

import signal

import click
from flask.cli import AppGroup

from portal.cli.progress import bar
from portal.models.base import utcnow
from portal.newsletters.delivery import send_due, start_due, waiting_deliveries

newsletter_cli = AppGroup("newsletter", help="Project newsletters.")


@newsletter_cli.command("send-due")
def send_due_command() -> None:
    """Send every issue whose time has come, and retry what failed for a while.

    Safe from cron and if two copies start at once; SIGTERM stops after the current message.
    """
    stop = {"requested": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(requested=True))
    now = utcnow()
    started = start_due(now)
    try:
        with bar(waiting_deliveries([issue_id for _tenant, issue_id in started], now), "sending", "mail") as progress:
            report = send_due(now=now, should_stop=lambda: stop["requested"], started=started,
                              on_message=lambda: progress.update(1))  # fmt: skip
    except Exception as exc:  # StopRequested and friends: nothing is lost, the next run resumes
        click.echo(f"stopped: {type(exc).__name__}", err=True)
        raise SystemExit(3) from None
    click.echo(
        f"sent {report.sent}, failed temporarily {report.failed_temporary}, "
        f"failed permanently {report.failed_permanent}, issues finished {report.issues_finished}"
    )
