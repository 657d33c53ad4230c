"""Crocevia: the application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, load_config
from portal.app import Portal


def create_app(config: Config | str | None = None) -> Flask:
    """Build the app from small register_* steps (cookiecutter-flask style)."""
    cfg = config if isinstance(config, Config) else load_config(config)
    app = Portal(__name__, instance_path=str(cfg.INSTANCE_PATH), instance_relative_config=False)
    app.config.from_object(cfg)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_background_work(app)
    register_page_cache(app)
    register_tenant_hosts(app)
    return app


def register_tenant_hosts(app: Flask) -> None:
    """Projects on their own host names (tenant.toml `hosts`); outermost: unknown hosts stop here."""
    from portal.tenant_hosts import init_tenant_hosts

    init_tenant_hosts(app)


def register_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401 - registers the mappers for Alembic
    from portal.database import configure_database
    from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    configure_database(app)
    from portal.content_cache import init_content_cache

    init_content_cache(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)

    from portal.auth.loader import configure_login

    login_manager.init_app(app)
    configure_login(login_manager)


def register_page_cache(app: Flask) -> None:
    """Last: the anonymous page cache wraps everything else."""
    from portal.page_cache import install_page_cache

    install_page_cache(app)


def register_converters(app: Flask) -> None:
    from portal.routing import register_converters as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from portal.accessibility import bp as accessibility_bp
    from portal.account import bp as account_bp
    from portal.admin import bp as admin_bp
    from portal.alerts import bp as alerts_bp
    from portal.api import bp as api_bp
    from portal.auth import bp as auth_bp
    from portal.companies import bp as companies_bp
    from portal.directory import bp as directory_bp
    from portal.health import bp as health_bp
    from portal.hub import bp as hub_bp
    from portal.interests import bp as interests_bp
    from portal.invitations import bp as invitations_bp
    from portal.language import bp as language_bp
    from portal.lifecycle import bp as lifecycle_bp
    from portal.matching import bp as matching_bp
    from portal.privacy import account_bp as privacy_account_bp
    from portal.privacy import bp as privacy_bp
    from portal.syndication import bp as syndication_bp
    from portal.tenant_site import bp as tenant_site_bp
    from portal.workspace import bp as workspace_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(hub_bp)
    app.register_blueprint(lifecycle_bp)
    app.register_blueprint(accessibility_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(directory_bp)
    app.register_blueprint(interests_bp)
    app.register_blueprint(syndication_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(alerts_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(companies_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(privacy_account_bp)
    # Last: its /<tenant>/ prefix must not shadow the fixed prefixes above. Its children (news,
    # newsletter, manage) are nested in portal/tenant_site/__init__.py.
    app.register_blueprint(tenant_site_bp)


def register_request_hooks(app: Flask) -> None:
    from portal.request_log import configure_logging, register_request_log
    from portal.security import add_security_headers, refuse_nul_bytes, trust_proxies
    from portal.static_files import register_static_fingerprints
    from portal.tenancy import forget_request_tenant
    from portal.timing import register_server_timing

    configure_logging(app)
    trust_proxies(app)
    register_request_log(app)
    register_static_fingerprints(app)
    if app.config.get("SERVER_TIMING"):
        register_server_timing(app)
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
    app.teardown_request(forget_request_tenant)


def register_errorhandlers(app: Flask) -> None:
    from portal.error_pages import register_error_pages

    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    from portal.templating import register_template_globals

    register_template_globals(app)
    from portal.formatting import register_filters

    register_filters(app)  # over Flask-Babel's: English dates as written in Europe


def register_commands(app: Flask) -> None:
    from portal.cli import register_cli

    register_cli(app)


def register_background_work(app: Flask) -> None:
    """The embedded default indexes and runs jobs in threads of the web process, started by
    the first request (so CLI commands never start them); file locks keep each to one process."""
    import threading

    from portal.directory.indexer import start_background_indexer
    from portal.jobs.runner import start_background_runner
    from portal.mail_queue import wake_sender_after_commit

    wake_sender_after_commit()
    if app.config.get("SEARCH_INDEXER") != "thread" and app.config.get("JOBS_RUNNER") != "thread":
        return
    started = threading.Lock()
    state = {"running": False}

    @app.before_request
    def _start_background_threads_once() -> None:
        if not state["running"]:
            with started:
                if not state["running"]:
                    start_background_indexer(app)
                    start_background_runner(app)
                    state["running"] = True
