"""Composing issues: digest of what the project published, preview, test send, scheduling."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from portal.database import rowcount
from portal.directory.kinds import detail_url
from portal.errors import StaleEdit
from portal.extensions import db
from portal.lifecycle.data import require_not_ended
from portal.mail import BULK_TO, BulkTemplate, build_message, transport
from portal.markup import render_markdown
from portal.models import Entry, NewsPost, Tenant, User
from portal.models.directory import Status, entry_tenant
from portal.models.newsletter import Issue, IssueStatus, Subscription
from portal.newsletters.subscriptions import manage_token
from portal.roles import require_coordinator
from portal.tenancy import tenant_scope
from portal.timezone import rome_today
from portal.urls import public_url


def last_sent_at(tenant: Tenant) -> datetime | None:
    with tenant_scope(tenant):
        return db.session.scalar(select(func.max(Issue.sent_at)).where(Issue.tenant_id == tenant.id))


def digest_candidates(tenant: Tenant, since: datetime | None) -> list[dict]:
    """News and directory entries the project published since the last issue, newest first."""
    blocks: list[dict] = []
    with tenant_scope(tenant):
        news = select(NewsPost).where(NewsPost.tenant_id == tenant.id, NewsPost.published_at.is_not(None))
        if since:
            news = news.where(NewsPost.published_at > since)
        for post in db.session.scalars(news.order_by(NewsPost.published_at.desc()).limit(20)):
            blocks.append(
                {
                    "key": f"news:{post.id}",
                    "kind": "news",
                    "title": post.title,
                    "summary": post.summary,
                    "url": public_url("tenant_site.news.detail", tenant=tenant.slug, slug=post.slug),
                }
            )
    entries = (
        select(Entry)
        .join(entry_tenant, entry_tenant.c.entry_id == Entry.id)
        .where(entry_tenant.c.tenant_id == tenant.id, Entry.status == Status.PUBLISHED)
        # Still open: one closed since (its deadline, or "places filled") is no news to send.
        .where(or_(Entry.closes_on.is_(None), Entry.closes_on >= rome_today()))
    )
    if since:
        entries = entries.where(Entry.published_at > since)
    for entry in db.session.scalars(entries.order_by(Entry.published_at.desc()).limit(30)):
        blocks.append(
            {
                "key": f"{entry.kind}:{entry.id}",
                "kind": entry.kind,
                "title": entry.title,
                "summary": f"{entry.organisation.name} · {entry.comune}",
                "url": detail_url(entry.kind, entry.slug, public_url),
            }
        )
    return blocks


NEW_ISSUES = _l("new newsletter issues")


def require_composer_open(tenant: Tenant) -> None:
    """ProjectEnded once the project has ended: its composer closes (its sent issues stay in the archive)."""
    require_not_ended(tenant, NEW_ISSUES)


def save_issue(
    user: User,
    tenant: Tenant,
    issue: Issue | None,
    subject: str,
    body_md: str,
    digest_keys: list[str],
    candidates: list[dict],
    expected_version: int | None = None,
) -> Issue:
    """Create or edit a draft; the digest keeps the candidates the coordinator left ticked.
    An ended project takes no new issue (ProjectEnded)."""
    require_coordinator(user, tenant)
    require_composer_open(tenant)
    with tenant_scope(tenant):
        if issue is None:
            issue = Issue(tenant_id=tenant.id, created_by_id=user.id)
            db.session.add(issue)
        elif (
            issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED)
            or expected_version is None
            or issue.version != expected_version
        ):
            raise StaleEdit()
        issue.subject = subject.strip()
        issue.body_md = body_md
        issue.body_html = render_markdown(body_md)
        chosen = set(digest_keys)
        known = {block["key"]: block for block in (issue.digest or []) + candidates}
        issue.digest = [block for key, block in known.items() if key in chosen]
        db.session.flush()
    return issue


def schedule(user: User, tenant: Tenant, issue: Issue, when: datetime) -> bool:
    """Draft (or scheduled) -> scheduled at `when`. False if it is already sending or sent:
    a double-clicked button changes nothing the second time. An ended project sends nothing more."""
    require_coordinator(user, tenant)
    require_composer_open(tenant)
    with tenant_scope(tenant):
        result = db.session.execute(
            update(Issue)
            .where(Issue.id == issue.id, Issue.status.in_([IssueStatus.DRAFT, IssueStatus.SCHEDULED]))
            .values(status=IssueStatus.SCHEDULED, scheduled_at=when, version=Issue.version + 1)
            .execution_options(synchronize_session=False)
        )
    return rowcount(result) == 1


def unschedule(user: User, tenant: Tenant, issue: Issue) -> bool:
    require_coordinator(user, tenant)
    with tenant_scope(tenant):
        result = db.session.execute(
            update(Issue)
            .where(Issue.id == issue.id, Issue.status == IssueStatus.SCHEDULED)
            .values(status=IssueStatus.DRAFT, scheduled_at=None, version=Issue.version + 1)
            .execution_options(synchronize_session=False)
        )
    return rowcount(result) == 1


TOKEN_MARK = "__CROCEVIA_MANAGE_TOKEN__"


class IssueRenderer:
    """Renders an issue once per language, then fills in each subscriber's own links.

    The per-recipient work is a string replacement and a signature, so thousands of
    messages cost little more than one.
    """

    def __init__(self, tenant: Tenant, issue: Issue, domain: str) -> None:
        self.tenant, self.issue, self.domain = tenant, issue, domain
        self.manage_url = public_url("tenant_site.newsletter.manage", tenant=tenant.slug, token=TOKEN_MARK)
        self.one_click_url = public_url("tenant_site.newsletter.unsubscribe", tenant=tenant.slug, token=TOKEN_MARK)
        self.archive_url = public_url("tenant_site.newsletter.issue", tenant=tenant.slug, issue_id=issue.id)
        self.sender = f"{tenant.short_name} <newsletter+{tenant.slug}@{domain}>"
        self.reply_to = (tenant.contacts or {}).get("email")
        self._rendered: dict[str, tuple[str, str]] = {}
        self._raw: dict[str, BulkTemplate] = {}

    def rendered(self, locale: str) -> tuple[str, str]:
        if locale not in self._rendered:
            context = {
                "tenant": self.tenant,
                "issue": self.issue,
                "locale": locale,
                "manage_url": self.manage_url,
                "archive_url": self.archive_url,
            }
            with force_locale(locale):
                self._rendered[locale] = (
                    render_template("newsletters/email/issue.txt", **context),
                    render_template("newsletters/email/issue.html", **context),
                )
        return self._rendered[locale]

    def message(self, to: str, locale: str, subscription: Any = None, message_id: str | None = None,
                eight_bit: bool = False) -> EmailMessage:  # fmt: skip
        if isinstance(subscription, _PlaceholderSubscription):
            token = TOKEN_MARK
        else:
            token = manage_token(subscription) if subscription is not None else "preview"
        text, html = (part.replace(TOKEN_MARK, token) for part in self.rendered(locale))
        headers = {"List-Id": f"{self.tenant.short_name} <{self.tenant.slug}.newsletter.{self.domain}>"}
        if subscription is not None:
            headers["List-Unsubscribe"] = (
                f"<{self.one_click_url.replace(TOKEN_MARK, token)}>, "
                f"<mailto:unsubscribe@{self.domain}?subject=unsubscribe%20{token}>"
            )
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = build_message(
            to,
            self.issue.subject,
            text,
            html,
            reply_to=self.reply_to,
            headers=headers,
            sender=self.sender,
            eight_bit=eight_bit,
        )
        if message_id:
            message.replace_header("Message-ID", message_id)
        return message

    def raw_message(self, to: str, locale: str, subscription: Subscription, message_id: str) -> bytes | None:
        """The message as bytes from a template serialised once per language: per recipient only
        the address, the Message-ID and the personal token change. None for an address that is
        not plain ASCII (it takes the ordinary, encoded path)."""
        if not BulkTemplate.fits(to, message_id):
            return None
        if locale not in self._raw:
            template = self.message(BULK_TO, locale, _PlaceholderSubscription(), eight_bit=True)
            self._raw[locale] = BulkTemplate(template, linesep="\r\n")  # SMTP wants CRLF
        return self._raw[locale].fill(to, message_id, {TOKEN_MARK: manage_token(subscription)})

    @property
    def envelope_sender(self) -> str:
        return self.sender.rsplit("<", 1)[-1].rstrip(">")


class _PlaceholderSubscription:
    """Stands for any subscriber while a raw template is built (its token is TOKEN_MARK)."""


def render_issue(tenant: Tenant, issue: Issue, locale: str) -> tuple[str, str]:
    """(text, html) as a subscriber sees them, for the coordinator's preview."""
    return IssueRenderer(tenant, issue, "preview").rendered(locale)


def test_send(user: User, tenant: Tenant, issue: Issue, domain: str) -> None:
    """The issue as subscribers will get it, to the coordinator's own address."""
    require_coordinator(user, tenant)
    message = IssueRenderer(tenant, issue, domain).message(user.email, user.locale or "it")
    message.replace_header("Subject", f"[TEST] {issue.subject}")
    transport().deliver(message)
