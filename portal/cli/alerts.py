"""flask alerts send-due (the `alerts-send-due` job, by hand or from cron)"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.alerts.delivery import due_count, send_due
from portal.cli.progress import bar
from portal.models.base import utcnow

alerts_cli = AppGroup("alerts", help="Saved-search alerts.")


@alerts_cli.command("send-due")
def send_due_command() -> None:
    """Queue one mail for each due alert that has something new; safe from cron and on two hosts at once."""
    now = utcnow()
    with bar(due_count(now), "checking alerts", "alert") as progress:
        report = send_due(now=now, on_alert=lambda: progress.update(1))
    click.echo(report.summary())
