"""A project's space: one parent blueprint at /<tenant>/ and its children.

    tenant_site              /<tenant>/             home, pages, directory slice, theme, assets
    ├── news                 /<tenant>/news/        news index and posts
    ├── newsletter           /<tenant>/newsletter/  subscribe, confirm, manage, archive, feed  (portal.newsletters)
    ├── syndication          /<tenant>/calendar.ics, /<tenant>/feed.atom  (portal.syndication)
    ├── accessibility        /<tenant>/accessibilita[/segnalazione]  statement and feedback  (portal.accessibility)
    ├── privacy              /<tenant>/privacy/     the project's privacy notice  (portal.privacy)
    └── manage               /<tenant>/manage/      ONE guard: a coordinator of this tenant, or an admin
        ├── pages, news and members                 (portal.tenant_site.manage)
        ├── newsletter       /<tenant>/manage/newsletter/  compose, preview, send, export  (portal.newsletters)
        ├── companies        /<tenant>/manage/companies/   company registrations to verify  (portal.companies)
        └── kpi              /<tenant>/manage/kpi/  the project's figures against its targets (portal.kpi)

The parent resolves the tenant from the URL before any view (404 when unknown); the manage
child's `before_request` checks the role once for everything nested under it, so a new
management view cannot forget it.
"""

from flask import Blueprint

from portal.accessibility import tenant_bp as accessibility_bp
from portal.companies import manage_bp as companies_manage_bp
from portal.kpi import project_bp as kpi_bp
from portal.newsletters import manage_bp as newsletter_manage_bp
from portal.newsletters import public_bp as newsletter_public_bp
from portal.privacy import tenant_bp as privacy_bp
from portal.syndication import tenant_bp as syndication_bp

bp = Blueprint("tenant_site", __name__, url_prefix="/<tenant>", template_folder="templates")
news_bp = Blueprint("news", __name__, url_prefix="/news")
manage_bp = Blueprint("manage", __name__, url_prefix="/manage")

from portal.tenant_site import loading, manage, news, routes  # noqa: E402,F401

bp.register_blueprint(news_bp)
bp.register_blueprint(syndication_bp)
bp.register_blueprint(newsletter_public_bp)
bp.register_blueprint(accessibility_bp)
bp.register_blueprint(privacy_bp)
manage_bp.register_blueprint(newsletter_manage_bp)
manage_bp.register_blueprint(companies_manage_bp)
manage_bp.register_blueprint(kpi_bp)
bp.register_blueprint(manage_bp)
