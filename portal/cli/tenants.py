"""flask tenants sync"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.tenant_site.sync import sync_tenants

tenants_cli = AppGroup("tenants", help="Project spaces, loaded from the tenants/ folder.")


@tenants_cli.command("sync")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding one sub-folder per tenant (default: TENANTS_DIR).",
)
def sync_command(folder: Path | None) -> None:
    """Create or update tenants from their folders. Never deletes anything."""
    report = sync_tenants(folder or Path(current_app.config["TENANTS_DIR"]))
    for line in report.lines or ["all tenants up to date"]:
        click.echo(line)
    for line in report.errors:
        click.echo(f"error: {line}", err=True)
    if report.errors:
        raise SystemExit(1)
