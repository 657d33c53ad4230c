"""The test harness itself: migrations ran, tables are emptied between tests."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Tenant


def test_tenants_fixture_loads_the_five_projects(tenants):
    assert set(tenants) == {"asti-est", "alice", "work-in", "ciao", "vicenza"}


def test_each_test_starts_with_an_empty_database(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tenant)) == 0
