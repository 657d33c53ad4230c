"""flask interests purge"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db

interests_cli = AppGroup("interests", help="Expressions of interest sent with “Show interest”.")


@interests_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Delete those older than this many days (default: INTEREST_RETENTION_DAYS, 30).",
)
def purge_command(days: int | None) -> None:
    """Delete expressions of interest kept longer than the retention period.

    The `purge-interests` periodic job does the same once a day.
    """
    from portal.interests.services import purge_expired

    deleted = purge_expired(days or current_app.config["INTEREST_RETENTION_DAYS"])
    db.session.commit()
    click.echo(f"deleted {deleted} expressions of interest")
