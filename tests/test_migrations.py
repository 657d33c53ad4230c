"""Models and migrations never disagree: the schema the Alembic migrations build is the one
the models describe (what `alembic check` / autogenerate would find), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db
from search_index.postgres_engine import TABLES


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in TABLES)


def test_the_migrations_build_exactly_what_the_models_describe(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run 'flask --app wsgi db migrate' and review the new migration"
