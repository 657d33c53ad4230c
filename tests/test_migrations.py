"""Models and migrations never disagree: the schema the Alembic migrations build is the one
the models describe (what `alembic check` / autogenerate would find), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db
from search_index.postgres_engine import TABLES
from tests.conftest import load_migration


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in TABLES)


def test_the_migrations_build_exactly_what_the_models_describe(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run 'flask --app wsgi db migrate' and review the new migration"


def test_hosts_upgrading_a_fresh_database_at_once_create_the_extensions_once():
    """Two hosts (or two test workers) running the search migration on a new database together:
    neither fails on the extension the other is creating."""
    import os
    import threading

    import pytest
    import sqlalchemy as sa

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    migration = load_migration("0005_postgres_search.py")
    base = sa.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"crocevia_fresh_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    fresh = sa.create_engine(base.set(database=name))
    errors: list[Exception] = []
    together = threading.Barrier(3)

    def upgrade_extensions() -> None:
        try:
            with fresh.begin() as conn:
                together.wait()
                migration._require_extensions(conn)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=upgrade_extensions) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with fresh.connect() as conn:
            installed = set(conn.execute(sa.text("SELECT extname FROM pg_extension")).scalars())
    finally:
        fresh.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    assert errors == []
    assert {"unaccent", "pg_trgm"} <= installed


class _ServerWithout:
    """A database connection whose server offers only `offered` extensions."""

    def __init__(self, *offered: str) -> None:
        self.offered = offered

    def execute(self, statement, *args):
        assert "pg_available_extensions" in str(statement), "nothing else may run before the check"
        return self

    def scalars(self):
        return iter(self.offered)


def test_a_server_without_unaccent_or_pg_trgm_stops_the_migration_with_what_to_install():
    import pytest

    migration = load_migration("0005_postgres_search.py")
    for offered, missing in ((("pg_trgm", "plpgsql"), "unaccent"), (("unaccent",), "pg_trgm")):
        with pytest.raises(RuntimeError, match=f"extension\\(s\\) {missing} not available") as raised:
            migration._require_extensions(_ServerWithout(*offered))
        assert "postgresql-contrib" in str(raised.value) and "db upgrade" in str(raised.value)


def test_a_user_who_may_not_create_extensions_is_told_whom_to_ask():
    import os

    import pytest
    import sqlalchemy as sa

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    migration = load_migration("0005_postgres_search.py")
    base = sa.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name, role = f"crocevia_noext_{worker}", f"crocevia_plain_{worker}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN NOSUPERUSER"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
        conn.execute(sa.text(f"REVOKE CREATE ON DATABASE {name} FROM PUBLIC"))
    plain = sa.create_engine(base.set(database=name, username=role, password=None))
    try:
        refused = pytest.raises(RuntimeError, match="ask the database administrator to run CREATE EXTENSION unaccent")
        with refused, plain.begin() as conn:
            migration._require_extensions(conn)
    finally:
        plain.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()
