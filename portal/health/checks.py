"""Readiness checks: the database, Redis when configured, the search backend."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text

from portal.extensions import db

log = logging.getLogger(__name__)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


def _database() -> str:
    db.session.execute(text("SELECT 1").execution_options(all_tenants=True))
    return db.engine.dialect.name


def _redis() -> str:
    from redis import Redis

    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    return "ok"


def _search() -> str:
    from portal.directory import indexing

    engine = indexing.engine()
    if not engine.is_healthy():
        raise RuntimeError("index missing or unreadable")
    return f"{current_app.config['SEARCH_BACKEND']}: {engine.doc_count()} documents"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "redis": _redis, "search": _search}


def run_checks() -> list[Check]:
    results = []
    for name, check in CHECKS.items():
        try:
            results.append(Check(name, True, check()))
        except Exception as exc:  # a failing dependency is an answer here, not an error
            log.warning("readiness check %s failed: %s", name, exc)
            db.session.rollback()
            results.append(Check(name, False, f"{type(exc).__name__}: {str(exc)[:200]}"))
    return results
