"""Engine-level settings: SQLite pragmas, and the tenant guard on the application's session."""

from __future__ import annotations

from typing import Any, cast

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine, Result

from portal.extensions import db
from portal.tenancy import install_tenant_guard


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across process crashes, fewer fsyncs
    cursor.close()


def configure_database(app: Flask) -> None:
    """Install the tenant guard on the application's session and, on SQLite, WAL mode and
    foreign keys."""
    install_tenant_guard(db.session)
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
            event.listen(engine, "connect", _sqlite_pragmas)


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (session.execute types them as a plain Result)."""
    return cast("CursorResult[Any]", result).rowcount
