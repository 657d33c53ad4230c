"""flask deploy prepare: migrations and tenant sync, once, however many hosts start at once."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import text

from portal.extensions import db

deploy_cli = AppGroup("deploy", help="What a host does before it serves.")
LOCK_KEY = 74_211_903  # pg_advisory_lock key of "crocevia deploy"


@contextmanager
def deployment_lock() -> Iterator[None]:
    """One host at a time: a PostgreSQL advisory lock (shared by every host on the database),
    or a file lock in the instance folder for SQLite (one machine)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                connection.commit()
        return
    path = Path(current_app.instance_path) / "deploy.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@deploy_cli.command("prepare")
def prepare_command() -> None:
    """Apply the migrations and sync tenants/ (no demo data). Safe when two hosts start at once:
    the second waits for the first, then finds nothing to do."""
    from portal.tenant_site.sync import sync_tenants

    with deployment_lock():
        click.echo("deploy: database migrations")
        upgrade()
        report = sync_tenants(Path(current_app.config["TENANTS_DIR"]))
        for line in report.lines:
            click.echo(f"deploy: {line}")
        for line in report.errors:
            click.echo(f"deploy: tenants: {line}", err=True)
        _fill_an_empty_search_index()
    click.echo("deploy: ready")


def _fill_an_empty_search_index() -> None:
    """The PostgreSQL index lives in the database: after switching to it (or restoring a dump
    without its rows) it is built here once, under the lock, instead of waiting for an operator."""
    from portal.directory import indexing

    search = indexing.engine()
    if getattr(search, "follows_transactions", False) and search.doc_count() == 0 and indexing.publishable_count():
        click.echo("deploy: the search index is empty; building it from the database")
        indexing.rebuild(search, progress=True)
