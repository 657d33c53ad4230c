"""flask newsletter send-due (the `newsletter-send-due` job, by hand or from cron)"""

from __future__ import annotations

import signal

import click
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
    click.echo(
        f"sent {report.sent}, failed temporarily {report.failed_temporary}, "
        f"failed permanently {report.failed_permanent}, issues finished {report.issues_finished}"
    )
