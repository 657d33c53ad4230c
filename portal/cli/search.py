"""flask search rebuild / maintain / worker / status / apply"""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.directory import indexing
from portal.directory.indexer import run_indexer
from portal.extensions import db
from portal.models import SearchOutbox
from search_index import IndexUnavailable

search_cli = AppGroup("search", help="The search index (it follows the database).")


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the index from the database."""
    started = time.perf_counter()
    count = indexing.rebuild(parallel=True, progress=True)
    indexing.engine().vacuum()
    click.echo(f"indexed {count} documents in {time.perf_counter() - started:.1f} s")


@search_cli.command("maintain")
def maintain_command() -> None:
    """Periodic upkeep of the index (the daily search-maintain job)."""
    click.echo(indexing.engine().maintain())
    db.session.commit()
    indexing.engine().vacuum()


@search_cli.command("apply")
def apply_command() -> None:
    """Apply the pending outbox once (what the indexer does continuously)."""
    total = 0
    while done := indexing.process_outbox():
        total += done
    click.echo(f"applied {total} changes")


@search_cli.command("worker")
def worker_command() -> None:
    """Run the indexer in the foreground (production: one per installation)."""
    click.echo("indexer running; Ctrl+C to stop")
    run_indexer(current_app._get_current_object())  # type: ignore[attr-defined]


@search_cli.command("status")
def status_command() -> None:
    """Documents in the index and changes waiting in the outbox."""
    waiting = db.session.scalar(select(func.count()).select_from(SearchOutbox))
    backend = current_app.config["SEARCH_BACKEND"]
    try:
        click.echo(f"{backend} index: {indexing.engine().doc_count()} documents; outbox: {waiting} waiting")
    except IndexUnavailable:
        click.echo(f"{backend} index: missing or unreadable; outbox: {waiting} waiting")
