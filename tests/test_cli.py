"""Operator commands: users, roles, demo data."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Membership, NewsPost, User


def _role(app, email, tenant):
    with app.app_context():
        return db.session.scalar(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email, Membership.tenant_id == tenant.id)
            .execution_options(all_tenants=True)
        )


def test_create_grant_and_revoke(runner, app, tenants):
    result = runner.invoke(args=["users", "create", "Anna@Example.it", "--password", "a long password", "--admin"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "anna@example.it"))
        assert user.is_admin and user.is_confirmed and user.check_password("a long password")
    assert (
        runner.invoke(
            args=["users", "grant", "anna@example.it", "--tenant", "alice", "--role", "coordinator"]
        ).exit_code
        == 0
    )
    assert _role(app, "anna@example.it", tenants["alice"]).value == "coordinator"
    assert "anna@example.it admin alice:coordinator" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "revoke", "anna@example.it", "--tenant", "alice"]).exit_code == 0
    assert _role(app, "anna@example.it", tenants["alice"]) is None


def test_create_prompts_for_the_password(runner, app):
    result = runner.invoke(args=["users", "create", "bruno@example.it"], input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "bruno@example.it")).check_password("a long password")


def test_cli_errors_are_clear(runner, tenants):
    assert "no tenant 'nope'" in runner.invoke(args=["users", "grant", "x@example.it", "--tenant", "nope"]).output
    assert "no account" in runner.invoke(args=["users", "grant", "x@example.it", "--tenant", "alice"]).output
    runner.invoke(args=["users", "create", "c@example.it", "--password", "a long password"])
    assert (
        "already has an account"
        in runner.invoke(args=["users", "create", "c@example.it", "--password", "a long password"]).output
    )
    assert "at least 10" in runner.invoke(args=["users", "create", "d@example.it", "--password", "short"]).output


def test_demo_load_is_idempotent_and_gives_each_space_a_coordinator(runner, app, tenants):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))
        news = db.session.scalar(select(func.count()).select_from(NewsPost).execution_options(all_tenants=True))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users == 12
        assert db.session.scalar(select(func.count()).select_from(NewsPost).execution_options(all_tenants=True)) == news
    for slug, tenant in tenants.items():
        assert _role(app, f"coordinatore.{slug}@crocevia.example", tenant).value == "coordinator"
    assert "crocevia-demo-2026" in runner.invoke(args=["demo", "logins"]).output
