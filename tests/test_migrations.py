"""Models and migrations never disagree: the schema the Alembic migrations build is the one
the models describe (what `alembic check` / autogenerate would find), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db
from search_index.postgres_engine import TABLES
from tests.conftest import load_migration, scratch_postgres_database


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
    import threading

    import sqlalchemy as sa

    migration = load_migration("0005_postgres_search.py")
    errors: list[Exception] = []
    together = threading.Barrier(3)
    with scratch_postgres_database("crocevia_fresh") as (url, _admin):
        fresh = sa.create_engine(url)

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

    migration = load_migration("0005_postgres_search.py")
    role = f"crocevia_plain_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with scratch_postgres_database("crocevia_noext") as (url, admin):
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
            conn.execute(sa.text(f"CREATE ROLE {role} LOGIN NOSUPERUSER"))
            conn.execute(sa.text(f"REVOKE CREATE ON DATABASE {url.database} FROM PUBLIC"))
        plain = sa.create_engine(url.set(username=role, password=None))
        try:
            refused = pytest.raises(
                RuntimeError, match="ask the database administrator to run CREATE EXTENSION unaccent"
            )
            with refused, plain.begin() as conn:
                migration._require_extensions(conn)
        finally:
            plain.dispose()
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
