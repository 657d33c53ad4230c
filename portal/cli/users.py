"""flask users create / grant / revoke / list / purge-unconfirmed"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.auth.services import create_user, find_user_by_email
from portal.extensions import db
from portal.models import Membership, Role, Tenant, User
from portal.tenant_site.memberships import grant_role, revoke_role

users_cli = AppGroup("users", help="Accounts and roles.")


def _tenant_or_fail(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}; run 'flask tenants sync' first")
    return tenant


def _user_or_fail(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--password", default=None, help="Prompted (hidden) when not given.")
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--admin", is_flag=True, help="Make the account a platform administrator.")
def create_command(email: str, password: str | None, name: str | None, admin: bool) -> None:
    """Create a confirmed account."""
    if find_user_by_email(email) is not None:
        raise click.ClickException(f"{email} already has an account")
    if "@" not in email:
        raise click.ClickException("not an e-mail address")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.ClickException("the password must be at least 10 characters long")
    create_user(email, name or email.split("@")[0], password, is_admin=admin, confirmed=True)
    db.session.commit()
    click.echo(f"created {email}{' (admin)' if admin else ''}")


@users_cli.command("grant")
@click.argument("email")
@click.option("--tenant", "slug", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value, show_default=True)
def grant_command(email: str, slug: str, role: str) -> None:
    """Give EMAIL a role in a tenant (or change it)."""
    tenant, user = _tenant_or_fail(slug), _user_or_fail(email)
    grant_role(tenant, user, Role(role))
    db.session.commit()
    click.echo(f"{email} is {role} of {slug}")


@users_cli.command("revoke")
@click.argument("email")
@click.option("--tenant", "slug", required=True)
def revoke_command(email: str, slug: str) -> None:
    """Remove EMAIL's role in a tenant."""
    tenant, user = _tenant_or_fail(slug), _user_or_fail(email)
    if not revoke_role(tenant, user):
        raise click.ClickException(f"{email} has no role in {slug}")
    db.session.commit()
    click.echo(f"{email} removed from {slug}")


@users_cli.command("list")
def list_command() -> None:
    """Every account with its roles."""
    roles = db.session.execute(
        select(Membership.user_id, Tenant.slug, Membership.role)
        .join(Tenant, Tenant.id == Membership.tenant_id)
        .execution_options(all_tenants=True)
    ).all()
    for user in db.session.scalars(select(User).order_by(User.email)):
        mine = ", ".join(f"{slug}:{role.value}" for uid, slug, role in roles if uid == user.id)
        flags = " admin" if user.is_admin else ""
        flags += "" if user.is_confirmed else " unconfirmed"
        click.echo(f"{user.email}{flags} {mine}".rstrip())


@users_cli.command("purge-unconfirmed")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Accounts unconfirmed for this many days (default: UNCONFIRMED_ACCOUNT_DAYS, 30).",
)
def purge_command(days: int | None) -> None:
    """Delete accounts, newsletter subscriptions and alerts never confirmed, and alerts stopped
    30 days ago (the privacy notice's promise).

    The `purge-unconfirmed` periodic job does the same once a day.
    """
    from flask import current_app

    from portal.retention import purge_expired

    summary = purge_expired(days or current_app.config["UNCONFIRMED_ACCOUNT_DAYS"])
    db.session.commit()
    click.echo(summary)
