"""Pages, news and members of a tenant: permission checks and every change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from portal.auth.services import find_user_by_email
from portal.content_cache import ProcessCache
from portal.errors import Forbidden, Invalid, NotFound, StaleEdit
from portal.extensions import db
from portal.markup import render_markdown
from portal.models import Membership, NewsPost, Page, Role, Tenant, User
from portal.models.base import utcnow
from portal.roles import require_coordinator
from portal.slugs import slugify, unique_slug
from portal.tenant_site.memberships import grant_role, membership_of

HOME = "home"


NO_ACCOUNT = _l("There is no account with this e-mail address. Ask the person to register first.")
UNCONFIRMED_ACCOUNT = _l("This account has not confirmed its e-mail address yet: a role can be given once it has.")
LAST_COORDINATOR = _l("A project needs at least one coordinator: add another coordinator first.")


# --- pages -----------------------------------------------------------------


@dataclass
class PageView:
    page: Page
    is_fallback: bool  # shown in Italian because the asked language is missing


def find_page(tenant: Tenant, slug: str, locale: str) -> PageView | None:
    """A page in `locale`, else its Italian version."""
    rows = db.session.scalars(
        select(Page).where(Page.tenant_id == tenant.id, Page.slug == slug, Page.locale.in_([locale, "it"]))
    ).all()
    by_locale = {p.locale: p for p in rows}
    if locale in by_locale:
        return PageView(by_locale[locale], False)
    if "it" in by_locale:
        return PageView(by_locale["it"], True)
    return None


@dataclass(frozen=True)
class MenuItem:
    slug: str
    title: str
    lang: str = "it"  # the language of the title (Italian when the page has no version in the reader's)


_menus = ProcessCache()


def menu_pages(tenant: Tenant, locale: str) -> list[MenuItem]:
    """Menu entries in the best language available for each page (cached until content changes)."""
    return _menus.get((tenant.id, locale), lambda: _menu_pages(tenant, locale))


def _menu_pages(tenant: Tenant, locale: str) -> list[MenuItem]:
    rows = db.session.scalars(
        select(Page)
        .where(Page.tenant_id == tenant.id, Page.in_menu.is_(True), Page.slug != HOME)
        .order_by(Page.position, Page.slug)
    ).all()
    chosen: dict[str, Page] = {}
    for page in rows:
        if page.slug not in chosen or page.locale == locale:
            chosen[page.slug] = page
    return [MenuItem(page.slug, page.title, page.locale) for page in chosen.values()]


def all_pages(tenant: Tenant) -> list[Page]:
    return list(
        db.session.scalars(
            select(Page).where(Page.tenant_id == tenant.id).order_by(Page.position, Page.slug, Page.locale)
        )
    )


def get_page_for_edit(user: User, tenant: Tenant, slug: str, locale: str) -> Page | None:
    require_coordinator(user, tenant)
    return db.session.scalar(select(Page).where(Page.tenant_id == tenant.id, Page.slug == slug, Page.locale == locale))


def save_page(
    user: User,
    tenant: Tenant,
    slug: str,
    locale: str,
    title: str,
    body_md: str,
    expected_version: int | None,
    in_menu: bool = True,
) -> Page:
    """Create or update one language version of a page, sanitising the Markdown."""
    require_coordinator(user, tenant)
    page = get_page_for_edit(user, tenant, slug, locale)
    if page is None:
        page = Page(tenant_id=tenant.id, slug=slug, locale=locale, position=100)
        db.session.add(page)
    elif expected_version is None or page.version != expected_version:
        raise StaleEdit()
    if page.title != title.strip() or page.body_md != body_md:
        page.text_changed_at = utcnow()
    page.title = title.strip()
    page.body_md = body_md
    page.body_html = render_markdown(body_md)
    page.in_menu = in_menu if slug != HOME else False
    page.edited_in_browser = True
    page.updated_by_id = user.id
    return page


ONLY_ENGLISH_DELETED = _l("Only a page's English version can be deleted: the Italian is the page itself.")


def delete_page_version(user: User, tenant: Tenant, slug: str, locale: str) -> None:
    """Delete the English version of a page: its readers see the Italian, marked as such."""
    require_coordinator(user, tenant)
    if locale == "it":
        raise Invalid(ONLY_ENGLISH_DELETED)
    page = get_page_for_edit(user, tenant, slug, locale)
    if page is None:
        raise NotFound()
    db.session.delete(page)


@dataclass(frozen=True)
class OutdatedTranslation:
    """A page or news post whose English version changed before its Italian text did."""

    kind: str  # "page" or "news"
    title: str
    slug: str
    italian_changed_at: datetime
    english_changed_at: datetime
    news_id: int | None = None


def outdated_translations(tenant: Tenant) -> list[OutdatedTranslation]:
    """The English versions older than the Italian they translate (to be brought up to date)."""
    found: list[OutdatedTranslation] = []
    pages = db.session.scalars(select(Page).where(Page.tenant_id == tenant.id, Page.locale.in_(["it", "en"])))
    by_slug: dict[str, dict[str, Page]] = {}
    for page in pages:
        by_slug.setdefault(page.slug, {})[page.locale] = page
    for slug, versions in sorted(by_slug.items()):
        italian, english = versions.get("it"), versions.get("en")
        if italian is None or english is None:
            continue
        it_at, en_at = _changed_at(italian), _changed_at(english)
        if en_at < it_at:
            found.append(OutdatedTranslation("page", italian.title, slug, it_at, en_at))
    for post in all_news(tenant):
        english_at, italian_at = post.en_changed_at, post.text_changed_at
        if post.locale == "it" and post.title_en and english_at and italian_at and english_at < italian_at:
            found.append(OutdatedTranslation("news", post.title, post.slug, italian_at, english_at, post.id))
    return found


def pages_without_english(tenant: Tenant) -> list[Page]:
    """Italian pages with no English version (English readers get the Italian, marked as such)."""
    english = select(Page.slug).where(Page.tenant_id == tenant.id, Page.locale == "en")
    return list(
        db.session.scalars(
            select(Page)
            .where(Page.tenant_id == tenant.id, Page.locale == "it", Page.slug.not_in(english))
            .order_by(Page.position, Page.slug)
        )
    )


def _changed_at(page: Page) -> datetime:
    return page.text_changed_at or page.updated_at


RESERVED_PAGE_SLUGS = {"home", "news", "manage", "search", "directory", "assets", "theme"}


def unique_page_slug(tenant: Tenant, title: str) -> str:
    slug = slugify(title)
    return unique_slug(Page, f"{slug}-page" if slug in RESERVED_PAGE_SLUGS else slug, Page.tenant_id == tenant.id)


# --- news ------------------------------------------------------------------


def published_news(tenant: Tenant) -> Select[NewsPost]:
    return (
        select(NewsPost)
        .where(NewsPost.tenant_id == tenant.id, NewsPost.published_at.is_not(None))
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )


def latest_news(tenant: Tenant, limit: int) -> list[NewsPost]:
    return list(db.session.scalars(published_news(tenant).limit(limit)))


def news_pagination(tenant: Tenant, per_page: int) -> Pagination:
    """One page of published news; the page number comes from `?page=` (404 beyond the last)."""
    return db.paginate(published_news(tenant), per_page=per_page, max_per_page=50, error_out=True)


def all_news(tenant: Tenant) -> list[NewsPost]:
    return list(
        db.session.scalars(
            select(NewsPost)
            .where(NewsPost.tenant_id == tenant.id)
            .order_by(NewsPost.published_at.is_(None).desc(), NewsPost.published_at.desc(), NewsPost.id.desc())
        )
    )


def find_news(tenant: Tenant, slug: str, include_drafts: bool = False) -> NewsPost | None:
    stmt = select(NewsPost).where(NewsPost.tenant_id == tenant.id, NewsPost.slug == slug)
    if not include_drafts:
        stmt = stmt.where(NewsPost.published_at.is_not(None))
    return db.session.scalar(stmt)


def get_news_for_edit(user: User, tenant: Tenant, news_id: int) -> NewsPost | None:
    require_coordinator(user, tenant)
    return db.session.scalar(select(NewsPost).where(NewsPost.tenant_id == tenant.id, NewsPost.id == news_id))


def save_news(
    user: User,
    tenant: Tenant,
    post: NewsPost | None,
    *,
    title: str,
    summary: str,
    body_md: str,
    locale: str,
    publish: bool,
    expected_version: int | None = None,
    english: dict[str, str] | None = None,
) -> NewsPost:
    """Create (post=None) or update a news post; `publish` sets or clears the date."""
    require_coordinator(user, tenant)
    if post is None:
        post = NewsPost(
            tenant_id=tenant.id,
            slug=unique_slug(NewsPost, slugify(title, 100), NewsPost.tenant_id == tenant.id),
            author_id=user.id,
        )
        db.session.add(post)
    elif post.tenant_id != tenant.id:
        raise Forbidden()
    elif expected_version is None or post.version != expected_version:
        raise StaleEdit()
    now = utcnow()
    if post.title != title.strip() or post.summary != summary.strip() or post.body_md != body_md:
        post.text_changed_at = now
    post.title = title.strip()
    post.summary = summary.strip()
    post.body_md = body_md
    post.body_html = render_markdown(body_md)
    post.locale = locale
    if english is not None:
        _set_news_english(post, english, now)
    if publish and post.published_at is None:
        post.published_at = utcnow()
    elif not publish:
        post.published_at = None
    return post


def _set_news_english(post: NewsPost, english: dict[str, str], now: datetime) -> None:
    """The post's English version; an empty title and text mean none (a deleted version)."""
    title, summary, body = (english.get(k, "").strip() for k in ("title_en", "summary_en", "body_en"))
    if not (title and body):
        title = summary = body = ""
    if (post.title_en or "", post.summary_en or "", post.body_md_en or "") != (title, summary, body):
        post.en_changed_at = now if title else None
    post.title_en, post.summary_en, post.body_md_en = title, summary, body
    post.body_html_en = render_markdown(body) if body else ""


def delete_news(user: User, tenant: Tenant, post: NewsPost) -> None:
    require_coordinator(user, tenant)
    db.session.delete(post)


# --- members ---------------------------------------------------------------


def members(tenant: Tenant) -> list[tuple[Membership, User]]:
    return list(
        db.session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == tenant.id)
            .order_by(Membership.role, User.name)
        ).all()
    )


def _coordinator_count(tenant: Tenant) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.tenant_id == tenant.id, Membership.role == Role.COORDINATOR)
        )
        or 0
    )


def set_member(actor: User, tenant: Tenant, email: str, role: Role) -> Membership:
    """Give an existing account a role in the tenant (or change it)."""
    require_coordinator(actor, tenant)
    user = find_user_by_email(email)
    if user is None:
        raise Invalid(NO_ACCOUNT, fields={"email": NO_ACCOUNT})
    if not user.is_confirmed:
        raise Invalid(UNCONFIRMED_ACCOUNT, fields={"email": UNCONFIRMED_ACCOUNT})
    current = membership_of(tenant, user)
    if (
        current is not None
        and current.role == Role.COORDINATOR
        and role != Role.COORDINATOR
        and _coordinator_count(tenant) <= 1
    ):
        raise Invalid(LAST_COORDINATOR)
    membership = grant_role(tenant, user, role)
    return membership


def remove_member(actor: User, tenant: Tenant, membership_id: int) -> None:
    require_coordinator(actor, tenant)
    membership = db.session.scalar(
        select(Membership).where(Membership.tenant_id == tenant.id, Membership.id == membership_id)
    )
    if membership is None:
        raise NotFound()
    if membership.role == Role.COORDINATOR and _coordinator_count(tenant) <= 1:
        raise Invalid(LAST_COORDINATOR)
    db.session.delete(membership)
