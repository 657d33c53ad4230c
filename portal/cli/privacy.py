"""flask privacy purge"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db

privacy_cli = AppGroup("privacy", help="Personal data: retention.")


@privacy_cli.command("purge")
def purge_command() -> None:
    """Apply every retention period of config.py at once: unconfirmed accounts (UNCONFIRMED_ACCOUNT_DAYS),
    unconfirmed subscriptions and alerts, stopped alerts (ALERT_STOPPED_RETENTION_DAYS), expressions of
    interest (INTEREST_RETENTION_DAYS) and old audit details (AUDIT_DETAILS_RETENTION_MONTHS).

    The periodic jobs `purge-unconfirmed`, `purge-interests` and `purge-audit-details` do the same daily.
    """
    from portal.retention import purge_everything

    summary = purge_everything()
    db.session.commit()
    click.echo(summary)
