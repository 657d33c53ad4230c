"""Load tenants/<slug>/ folders into the database (`flask tenants sync`).

Idempotent: unchanged folders change nothing. Changed tenant.toml updates the
tenant; a page file updates its page unless a coordinator edited that page in the
browser (then the browser edit is kept and reported). Nothing is ever deleted:
tenants or pages missing from the folders are only reported.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from portal.directory import indexing
from portal.extensions import db
from portal.kpi.targets import target_problems
from portal.markup import render_markdown
from portal.models import Page, Tenant
from portal.models.base import utcnow
from portal.tenancy import all_tenants_writes, tenant_scope
from portal.tenant_hosts import TenantHostError, hosts_of
from portal.tenant_site.loading import SLUG_PATTERN
from portal.vocabularies.licences import DEFAULT_LICENCE, LICENCES

RESERVED_SLUGS = {
    "account",
    "la-mia-area",
    "admin",
    "api",
    "auth",
    "directory",
    "info",
    "language",
    "search",
    "static",
    "feeds",
    "healthz",
    "readyz",
    "sitemap",
    "robots",
}
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOCALISED_FIELDS = ("name", "description", "territory")
PAGE_FILE = re.compile(r"^(?P<slug>[a-z0-9-]+)\.(?P<locale>it|en)\.md$")


class TenantConfigError(ValueError):
    """A tenant folder that cannot be loaded; the message says what to fix."""


@dataclass
class SyncReport:
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def read_tenant_folder(folder: Path) -> dict:
    """Parse and validate tenant.toml; raise TenantConfigError with a clear reason."""
    slug = folder.name
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        raise TenantConfigError(f"{slug}: folder name is not a valid slug (a-z, 0-9, '-'; not reserved)")
    raw = (folder / "tenant.toml").read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TenantConfigError(f"{slug}: tenant.toml is not valid TOML: {exc}") from None
    for name in LOCALISED_FIELDS:
        value = data.get(name)
        if not isinstance(value, dict) or not value.get("it"):
            raise TenantConfigError(f"{slug}: [{name}] needs at least an 'it' text")
    if not data.get("short_name"):
        raise TenantConfigError(f"{slug}: short_name is required")
    for key, value in (data.get("colours") or {}).items():
        if not COLOUR.match(str(value)):
            raise TenantConfigError(f"{slug}: colour {key} must look like #1a2b3c")
    if data.get("default_locale", "it") not in ("it", "en"):
        raise TenantConfigError(f"{slug}: default_locale must be 'it' or 'en'")
    _check_zones(slug, data.get("facts") or {})
    problems = target_problems(data.setdefault("targets", {}))
    if problems:
        raise TenantConfigError(f"{slug}: " + "; ".join(problems))
    _check_privacy(slug, data)
    if data.setdefault("open_data_licence", DEFAULT_LICENCE) not in LICENCES:
        raise TenantConfigError(f"{slug}: open_data_licence must be one of {', '.join(LICENCES)}")
    try:
        data["hosts"] = hosts_of(slug, data)
    except TenantHostError as exc:
        raise TenantConfigError(str(exc)) from None
    _check_sections(slug, data)
    logo = data.get("logo")
    if logo and not (folder / "static" / logo).is_file():
        raise TenantConfigError(f"{slug}: logo {logo} not found in static/")
    data["slug"] = slug
    data["source_hash"] = _hash(raw, *(p.read_bytes() for p in sorted((folder / "static").glob("*")) if p.is_file()))
    return data


def _check_sections(slug: str, data: dict) -> None:
    """[lifecycle], [funding] and [accessibility], each validated by its feature (stored normalised)."""
    from portal.accessibility.statement import validate_accessibility
    from portal.lifecycle.data import validate_funding, validate_lifecycle

    for name, validate in (
        ("lifecycle", validate_lifecycle),
        ("funding", validate_funding),
        ("accessibility", validate_accessibility),
    ):
        try:
            data[name] = validate(data.get(name))
        except ValueError as exc:
            raise TenantConfigError(f"{slug}: tenants/{slug}/tenant.toml {exc}") from None


def _check_privacy(slug: str, data: dict) -> None:
    """[privacy]: see portal/privacy/notice.py for the keys."""
    from portal.privacy.notice import PrivacyConfigError, check_section

    try:
        check_section(data.get("privacy") or {})
    except PrivacyConfigError as exc:
        raise TenantConfigError(f"{slug}: [privacy] {exc}") from None


def _check_zones(slug: str, facts: dict) -> None:
    """[[facts.zones]]: a localised name, and comuni as ISTAT codes that exist."""
    from portal.vocabularies.places import comune

    for zone in facts.get("zones", []):
        if not isinstance(zone, dict) or not (zone.get("name") or {}).get("it"):
            raise TenantConfigError(f"{slug}: every [[facts.zones]] needs a name with an 'it' text")
        unknown = [code for code in zone.get("comuni", []) if comune(str(code)) is None]
        if unknown:
            raise TenantConfigError(f"{slug}: zone {zone['name']['it']!r}: not ISTAT comune codes: {unknown}")


def _apply_tenant(data: dict, report: SyncReport) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == data["slug"]))
    if tenant is not None and tenant.source_hash == data["source_hash"]:
        return tenant
    created = tenant is None
    if tenant is None:
        tenant = Tenant(slug=data["slug"])
        db.session.add(tenant)
    tenant.name = data["name"]
    tenant.short_name = data["short_name"]
    tenant.description = data["description"]
    tenant.territory = data["territory"]
    tenant.default_locale = data.get("default_locale", "it")
    tenant.colours = data.get("colours", {})
    tenant.contacts = data.get("contacts", {})
    tenant.partners = data.get("partners", [])
    tenant.features = data.get("features", [])
    tenant.facts = data.get("facts", {})
    tenant.targets = data["targets"]
    tenant.logo = data.get("logo")
    tenant.position = int(data.get("position", 100))
    tenant.open_data_licence = data["open_data_licence"]
    tenant.lifecycle, tenant.funding, tenant.accessibility = data["lifecycle"], data["funding"], data["accessibility"]
    tenant.privacy = data.get("privacy", {})
    tenant.source_hash = data["source_hash"]
    db.session.flush()
    report.add(f"{tenant.slug}: {'created' if created else 'updated'}")
    return tenant


def _split_front_matter(text: str) -> tuple[dict, str]:
    """`+++` TOML front matter, then Markdown."""
    if text.startswith("+++\n"):
        head, sep, body = text[4:].partition("\n+++\n")
        if sep:
            return tomllib.loads(head), body
    return {}, text


def _apply_pages(tenant: Tenant, folder: Path, report: SyncReport) -> None:
    pages_dir = folder / "pages"
    files = sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []
    seen = set()
    synced_at = utcnow()  # one moment for the folder: its two language versions are as new as each other
    with tenant_scope(tenant):
        existing = {(p.slug, p.locale): p for p in db.session.scalars(select(Page).where(Page.tenant_id == tenant.id))}
        for path in files:
            match = PAGE_FILE.match(path.name)
            if not match:
                report.errors.append(f"{tenant.slug}: ignored {path.name} (expected <page>.<it|en>.md)")
                continue
            key = (match["slug"], match["locale"])
            seen.add(key)
            raw = path.read_bytes()
            digest = _hash(raw)
            page = existing.get(key)
            if page is not None and page.source_hash == digest:
                continue
            if page is not None and page.edited_in_browser:
                report.add(f"{tenant.slug}: kept browser edits of {path.name} (file changed too; not overwritten)")
                continue
            meta, body = _split_front_matter(raw.decode("utf-8"))
            if page is None:
                page = Page(tenant_id=tenant.id, slug=key[0], locale=key[1])
                db.session.add(page)
            page.title = str(meta.get("title") or key[0].replace("-", " ").capitalize())
            page.position = int(meta.get("position", 100))
            page.in_menu = bool(meta.get("menu", key[0] != "home"))
            page.body_md = body
            page.body_html = render_markdown(body)
            page.text_changed_at = synced_at
            page.source_hash = digest
            report.add(f"{tenant.slug}: page {path.name} {'updated' if page.id else 'created'}")
        for slug, locale in sorted(set(existing) - seen):
            if not existing[(slug, locale)].edited_in_browser:
                report.add(f"{tenant.slug}: page {slug}.{locale} is in the database but not in the folder (kept)")
        db.session.flush()


def sync_tenants(tenants_dir: Path) -> SyncReport:
    """Create or update every tenant folder in `tenants_dir`; commit once."""
    report = SyncReport()
    folders = sorted(p for p in tenants_dir.iterdir() if (p / "tenant.toml").is_file())
    with all_tenants_writes(db.session()):
        for folder in folders:
            try:
                data = read_tenant_folder(folder)
            except TenantConfigError as exc:
                report.errors.append(str(exc))
                continue
            before = len(report.lines)
            tenant = _apply_tenant(data, report)
            if len(report.lines) > before:
                # names and territories are part of every search document of the directory
                indexing.queue_rebuild()
            _apply_pages(tenant, folder, report)
        db.session.commit()
    known = {p.name for p in folders}
    for slug in db.session.scalars(select(Tenant.slug)):
        if slug not in known:
            report.add(f"{slug}: in the database but has no folder (kept; remove it by hand if intended)")
    return report
