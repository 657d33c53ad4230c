"""flask opendata dump DIR: the open-data dump as files, for portals that harvest a folder."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.api import dump, queries
from portal.api.resources import COLLECTIONS
from portal.vocabularies.licences import DEFAULT_LICENCE

opendata_cli = AppGroup("opendata", help="Open data: the dumps of /api/v1/ as files.")


@opendata_cli.command("dump")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--project", "slug", default=None, help="Only this project's slice (default: the network and each project)."
)
def dump_command(folder: Path, slug: str | None) -> None:
    """Write crocevia-<scope>.json and crocevia-<scope>-<collection>.csv for the network and each project."""
    folder.mkdir(parents=True, exist_ok=True)
    scopes = [queries.project(slug)] if slug else [None, *queries.projects()]
    licence = current_app.config.get("OPEN_DATA_LICENCE", DEFAULT_LICENCE)
    for tenant in scopes:
        name = tenant.slug if tenant else "network"
        (folder / f"crocevia-{name}.json").write_text("".join(dump.json_chunks(tenant, licence)), encoding="utf-8")
        for collection in COLLECTIONS.values():
            path = folder / f"crocevia-{name}-{collection.name}.csv"
            path.write_text("".join(dump.csv_chunks(collection, tenant)), encoding="utf-8", newline="")
        click.echo(f"{name}: written ({dump.licence_of(tenant, licence)['id']})")
