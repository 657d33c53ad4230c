"""flask tokens create|list|revoke: API tokens of organisations, for admins at the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.api import services as tokens
from portal.errors import DomainError
from portal.extensions import db
from portal.models import Organisation

tokens_cli = AppGroup("tokens", help="API tokens: a partner's own system writing for one organisation.")


@tokens_cli.command("create")
@click.option("--organisation", "slug", required=True, help="The organisation's slug (its page's address).")
@click.option("--name", required=True, help="Which system will use it, e.g. 'Gestionale della cooperativa'.")
def create_command(slug: str, name: str) -> None:
    """Issue a token; it is shown once, here, and stored only as a hash."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise click.ClickException(f"no organisation with slug {slug!r}")
    try:
        secret, token = tokens.create_token(None, org, name)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"token {token.id} for {org.name} ({name}); copy it now, it is not shown again:")
    click.echo(secret)


@tokens_cli.command("list")
def list_command() -> None:
    """Every token: id, organisation, name, prefix, last use, state."""
    for token in tokens.all_tokens():
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never used"
        state = f"revoked {token.revoked_at.date().isoformat()}" if token.revoked_at else "active"
        click.echo(f"{token.id}\t{token.organisation.slug}\t{token.name}\t{token.prefix}…\t{used}\t{state}")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    """Revoke a token at once (its system gets 401 from then on)."""
    try:
        token = tokens.revoke_token(None, token_id)
    except DomainError as exc:
        raise click.ClickException(str(exc) or "no such token") from None
    db.session.commit()
    click.echo(f"token {token.id} ({token.name}) revoked")
