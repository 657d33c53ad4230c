"""flask demo load: demo accounts and news, safe to run again."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select, text

from portal.auth.services import create_user, find_user_by_email
from portal.cli.demo_content import DEMO_NEWS
from portal.cli.demo_load_directory import generate_synthetic_entries, load_demo_directory
from portal.directory.indexing import queue_rebuild
from portal.extensions import db
from portal.kpi.demo import ensure_demo_outcomes
from portal.markup import render_markdown
from portal.models import NewsPost, Role, Tenant
from portal.models.base import utcnow
from portal.tenancy import tenant_scope
from portal.tenant_site.memberships import grant_role

demo_cli = AppGroup("demo", help="Demo data for trying the portal.")

DEMO_PASSWORD = "crocevia-demo-2026"


def demo_accounts(tenants: list[Tenant]) -> list[tuple[str, str, str, Role | None, Tenant | None]]:
    """(email, name, description, role, tenant) of every demo account."""
    accounts: list[tuple[str, str, str, Role | None, Tenant | None]] = [
        ("admin@crocevia.example", "Amministrazione Crocevia", "platform admin", None, None),
        ("residente@crocevia.example", "Amina Residente", "resident, no role", None, None),
    ]
    for tenant in tenants:
        accounts.append(
            (
                f"coordinatore.{tenant.slug}@crocevia.example",
                f"Coordinamento {tenant.short_name}",
                f"coordinator of {tenant.slug}",
                Role.COORDINATOR,
                tenant,
            )
        )
        accounts.append(
            (
                f"partner.{tenant.slug}@crocevia.example",
                f"Partner {tenant.short_name}",
                f"member of {tenant.slug}",
                Role.MEMBER,
                tenant,
            )
        )
    return accounts


def _published_at(when: int | date) -> datetime:
    """Days ago, or a fixed date (news of a concluded project stay in its period)."""
    if isinstance(when, date):
        return datetime.combine(when, time(9), tzinfo=UTC)
    return utcnow() - timedelta(days=when)


def _ensure_news(tenant: Tenant, author_id: int) -> int:
    added = 0
    with tenant_scope(tenant):
        existing = set(db.session.scalars(select(NewsPost.slug).where(NewsPost.tenant_id == tenant.id)))
        for when, slug, locale, title, summary, body in DEMO_NEWS.get(tenant.slug, []):
            if slug in existing:
                continue
            db.session.add(
                NewsPost(
                    tenant_id=tenant.id,
                    slug=slug,
                    locale=locale,
                    title=title,
                    summary=summary,
                    body_md=body,
                    body_html=render_markdown(body),
                    author_id=author_id,
                    published_at=_published_at(when),
                )
            )
            added += 1
        db.session.flush()
    return added


@demo_cli.command("load")
@click.option(
    "--size",
    type=click.IntRange(0, 1_000_000),
    default=0,
    help="Also generate this many synthetic directory entries (for benchmarks).",
)
def load_command(size: int) -> None:
    """Create the demo accounts, roles, news and directory that are missing."""
    tenants = list(db.session.scalars(select(Tenant).order_by(Tenant.position)))
    if not tenants:
        raise click.ClickException("no tenants: run 'flask tenants sync' first")
    coordinators: dict[int, int] = {}
    for email, name, _description, role, tenant in demo_accounts(tenants):
        user = find_user_by_email(email) or create_user(
            email, name, DEMO_PASSWORD, locale="it", is_admin=email.startswith("admin@"), confirmed=True
        )
        if tenant is not None and role is not None:
            grant_role(tenant, user, role)
            if role == Role.COORDINATOR:
                coordinators[tenant.id] = user.id
    news = sum(_ensure_news(t, coordinators[t.id]) for t in tenants)
    db.session.commit()
    directory = load_demo_directory(tenants)
    synthetic = generate_synthetic_entries(size, tenants) if size else 0
    if directory or synthetic:
        queue_rebuild()
        db.session.commit()
    if synthetic and db.engine.dialect.name == "postgresql":
        # a bulk load leaves the planner's statistics stale (autovacuum may be off, or late)
        db.session.execute(text("ANALYZE").execution_options(all_tenants=True))
        db.session.commit()
    if ensure_demo_outcomes(tenants):
        db.session.commit()
    click.echo(f"demo data ready ({news} news items, {directory} directory rows, {synthetic} synthetic entries added)")


@demo_cli.command("logins")
def logins_command() -> None:
    """Print the demo accounts."""
    tenants = list(db.session.scalars(select(Tenant).order_by(Tenant.position)))
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, _name, description, _role, _tenant in demo_accounts(tenants):
        click.echo(f"  {email:<45} {description}")
