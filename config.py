"""Configuration, read from the environment.

`CROCEVIA_CONFIG` picks the class (development by default, production, testing).
The embedded default needs no server: SQLite and an outbox folder under the
instance folder, an in-memory rate-limit store, a generated secret key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def instance_path() -> Path:
    """The instance folder: `INSTANCE_PATH` or ./instance next to this file."""
    return Path(os.environ.get("INSTANCE_PATH") or BASE_DIR / "instance").resolve()


def _persisted_secret_key(folder: Path) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    """An integer setting; a value that is not a whole number >= `minimum` stops the start with a sentence."""
    value = (os.environ.get(name) or "").strip()
    try:
        number = int(value) if value else default
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise RuntimeError(f"{name} must be a whole number, {minimum} or more (it is {value!r}).")
    return number


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(value: str | None) -> str:
    level = (value or "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise RuntimeError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (it is {value!r}).")
    return level


def normalise_database_url(url: str) -> str:
    """Let `postgres://` and `postgresql://` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_search_backend(database_url: str) -> str:
    """PostgreSQL full text when the data is in PostgreSQL, else the embedded Whoosh index."""
    return "postgres" if database_url.startswith("postgresql") else "whoosh"


class Config:
    """Settings shared by every environment; environment variables are read when instantiated."""

    LANGUAGES = ("it", "en")
    BABEL_DEFAULT_LOCALE = "it"
    BABEL_DEFAULT_TIMEZONE = "Europe/Rome"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "portal" / "translations")

    # A 5 MB body is refused with 413; our forms are small.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    PREFERRED_URL_SCHEME = "http"

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits go on in each process's memory (logged), never "unlimited".
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Per client address (behind TRUSTED_PROXY_HOPS proxies: the visitor's, not the proxy's).
    RATELIMIT_LOGIN = "10 per minute;60 per hour"
    RATELIMIT_PASSWORD_RESET = "5 per minute;20 per hour"
    # Every form that makes the portal send mail (register, reset, resend, subscribe).
    RATELIMIT_MAIL_FORMS = "5 per minute;30 per hour"
    # Per account (the e-mail address typed), whatever address the attempts come from.
    RATELIMIT_LOGIN_PER_ACCOUNT = "20 per hour"
    # Mail sent to one address by those forms; beyond it the page answers the same, and no mail leaves.
    RATELIMIT_MAIL_PER_ADDRESS = "3 per hour"
    # "Show interest" messages sent to one entry, whoever sends them (a spam burst on one entry;
    # each client address also has the RATELIMIT_MAIL_FORMS budget).
    RATELIMIT_INTERESTS_PER_ENTRY = "10 per hour;40 per day"
    # Accessibility reports one site (the hub or a project's space) receives, whoever sends them.
    RATELIMIT_ACCESSIBILITY_PER_SITE = "20 per hour;100 per day"
    # "Cosa fa per me?" results, per client address: a person changing answers in a meeting stays
    # far below it; a script ranking the whole directory over and over does not.
    RATELIMIT_MATCHING = "30 per minute;300 per hour"

    EMAIL_CONFIRM_MAX_AGE = 60 * 60 * 48
    PASSWORD_RESET_MAX_AGE = 60 * 60
    # The link mailed to someone who asks what the portal holds for their address (portal/privacy/).
    PRIVACY_LINK_MAX_AGE = 60 * 60 * 24
    NEWS_PER_PAGE = 10
    DEFAULT_SEARCH_INDEXER = "thread"

    def __init__(self) -> None:
        env = os.environ
        self.INSTANCE_PATH = instance_path()
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{self.INSTANCE_PATH / 'crocevia.sqlite3'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SEARCH_INDEX_DIR = env.get("SEARCH_INDEX_DIR") or str(self.INSTANCE_PATH / "search-index")
        # "thread": the web process applies the search outbox (embedded default);
        # "worker": a separate `flask search worker` does; web processes only read.
        self.SEARCH_INDEXER = env.get("SEARCH_INDEXER") or self.DEFAULT_SEARCH_INDEXER
        self.MAIL_URL = env.get("MAIL_URL") or f"file://{self.INSTANCE_PATH / 'outbox'}"
        self.MAIL_FROM = env.get("MAIL_FROM") or "Crocevia <noreply@crocevia.example>"
        self.TENANTS_DIR = env.get("TENANTS_DIR") or str(BASE_DIR / "tenants")
        # The public address: every mailed link and feed id is built on it, never on the request's
        # Host header (https:// and required in production).
        self.PUBLIC_URL = env.get("PUBLIC_URL") or "http://127.0.0.1:5000"
        self.NEWSLETTER_FROM_DOMAIN = env.get("NEWSLETTER_FROM_DOMAIN") or "crocevia.example"
        # Days an expression of interest is kept (it has been mailed to the entry's contact at once):
        # then the `purge-interests` job deletes it.
        self.INTEREST_RETENTION_DAYS = _env_int("INTEREST_RETENTION_DAYS", 30, minimum=1)
        # Privacy (portal/privacy/): the portal operator named by the hub's notice, where people write
        # to exercise their rights, and its data protection officer (empty: "to be completed" for admins).
        self.PRIVACY_OPERATOR_NAME = env.get("PRIVACY_OPERATOR_NAME") or ""
        self.PRIVACY_CONTACT_EMAIL = env.get("PRIVACY_CONTACT_EMAIL") or ""
        self.PRIVACY_DPO_CONTACT = env.get("PRIVACY_DPO_CONTACT") or ""
        # Months an audit event keeps its details (what changed, e-mail addresses in it); then the
        # `purge-audit-details` job empties them and keeps the event (who, what, when).
        self.AUDIT_DETAILS_RETENTION_MONTHS = _env_int("AUDIT_DETAILS_RETENTION_MONTHS", 24, minimum=1)
        # Days a stopped saved-search alert is kept before the `purge-unconfirmed` job deletes it.
        self.ALERT_STOPPED_RETENTION_DAYS = _env_int("ALERT_STOPPED_RETENTION_DAYS", 30, minimum=1)
        # Days a company registration is kept once a coordinator verified or declined it (the
        # organisation created holds what is needed); then the `purge-unconfirmed` job deletes it.
        self.COMPANY_REGISTRATION_RETENTION_DAYS = _env_int("COMPANY_REGISTRATION_RETENTION_DAYS", 180, minimum=1)
        # Days the server logs (client address, path, time) are kept by the log collector: the portal
        # writes them to stdout and only states this period in its notice; configure the collector alike.
        self.SERVER_LOG_RETENTION_DAYS = _env_int("SERVER_LOG_RETENTION_DAYS", 14, minimum=1)
        # The licence stated by the network-wide open-data dump (each project states its own in tenant.toml).
        self.OPEN_DATA_LICENCE = env.get("OPEN_DATA_LICENCE") or "CC-BY-4.0"
        from portal.vocabularies.licences import LICENCES

        if self.OPEN_DATA_LICENCE not in LICENCES:
            raise RuntimeError(f"OPEN_DATA_LICENCE must be one of {', '.join(LICENCES)}")
        # Redis is optional: when REDIS_URL is set, rate limits are shared through it.
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # Background jobs (mail queue, newsletters, purges; see portal/jobs/): "thread" in the web
        # process, "rq" (woken jobs to `flask jobs worker`, periodic ones from cron), or "off".
        self.JOBS_RUNNER = env.get("JOBS_RUNNER") or self._default_jobs_runner()
        # With JOBS_RUNNER=rq, how many workers share the sending of one newsletter issue.
        self.NEWSLETTER_SENDERS = _env_int("NEWSLETTER_SENDERS", 2, minimum=1)
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none).
        self.TRUSTED_PROXY_HOPS = _env_int("TRUSTED_PROXY_HOPS", self.DEFAULT_PROXY_HOPS)
        # Host names the app answers to; any other Host header gets a 400. Unset: any host.
        # Sessions shared by the hub and projects on sub-domains of one domain (".example.it");
        # unset: each host has its own cookie and people sign in on each.
        self.SESSION_COOKIE_DOMAIN = env.get("SESSION_COOKIE_DOMAIN") or None
        self.REMEMBER_COOKIE_DOMAIN = self.SESSION_COOKIE_DOMAIN
        hosts = env.get("TRUSTED_HOSTS")
        self.TRUSTED_HOSTS = [h.strip() for h in hosts.split(",") if h.strip()] if hosts else self._default_hosts()
        # Logs go to stdout, one line per request; "json" for log collectors.
        self.LOG_FORMAT = env.get("LOG_FORMAT", "text")
        self.LOG_LEVEL = _log_level(env.get("LOG_LEVEL"))
        # Full-text search: "postgres" (in the database, same transaction) or "whoosh" (embedded index).
        self.SEARCH_BACKEND = env.get("SEARCH_BACKEND") or default_search_backend(self.SQLALCHEMY_DATABASE_URI)
        # Anonymous pages kept in memory this long (0: off); dropped at once when content changes.
        self.PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 60)
        # The Server-Timing header (app time per request) for benchmarks and browser tools.
        self.SERVER_TIMING = _env_bool("SERVER_TIMING", self.DEFAULT_SERVER_TIMING)
        # Accounts whose address was never confirmed are deleted after this many days (job purge-unconfirmed).
        self.UNCONFIRMED_ACCOUNT_DAYS = _env_int("UNCONFIRMED_ACCOUNT_DAYS", 30, minimum=1)
        self.SECRET_KEY = self._secret_key()
        self._check()

    DEFAULT_PROXY_HOPS = 0
    DEFAULT_SERVER_TIMING = True

    def _default_jobs_runner(self) -> str:
        return "thread"

    def _default_hosts(self) -> list[str] | None:
        return None

    def _check(self) -> None:
        """Refuse settings that cannot work, with a message saying what to set."""

    def _secret_key(self) -> str:
        return os.environ.get("SECRET_KEY") or _persisted_secret_key(self.INSTANCE_PATH)


class DevelopmentConfig(Config):
    """The embedded default used by `make run`."""


class TestingConfig(Config):
    """Used by the test suite; the database comes from TEST_DATABASE_URL."""

    TESTING = True
    RATELIMIT_ENABLED = False
    SERVER_NAME = None

    def __init__(self) -> None:
        super().__init__()
        self.SEARCH_INDEXER = "off"  # tests apply the outbox themselves
        self.JOBS_RUNNER = "off"  # tests run jobs (mail queue, send-due) themselves
        self.PAGE_CACHE_SECONDS = 0  # tests see every change at once (the cache has its own tests)
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast; production and make run use scrypt
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
        self.SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND") or default_search_backend(self.SQLALCHEMY_DATABASE_URI)

    def _secret_key(self) -> str:
        return "testing-secret-key-not-for-production"


class ProductionConfig(Config):
    """Production: secure cookies, https links, known hosts only, a separate indexer, and no
    start without a real secret key."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    DEFAULT_SEARCH_INDEXER = "worker"
    DEFAULT_SERVER_TIMING = False

    def _default_jobs_runner(self) -> str:
        return "rq" if self.REDIS_URL else "thread"

    def _default_hosts(self) -> list[str] | None:
        from urllib.parse import urlsplit

        return [urlsplit(self.PUBLIC_URL).hostname or ""]

    def _check(self) -> None:
        if not os.environ.get("PUBLIC_URL") or not self.PUBLIC_URL.startswith("https://"):
            raise RuntimeError(
                "PUBLIC_URL must be set to the portal's https:// address in production (mailed links are built on it)."
            )

    def _secret_key(self) -> str:
        key = os.environ.get("SECRET_KEY", "")
        if len(key) < 32:
            raise RuntimeError("SECRET_KEY must be set (32 characters or more) to run in production.")
        if "change-me" in key.lower():  # docs/deploy/env.example's placeholder, public on the web
            raise RuntimeError("SECRET_KEY is still the example's placeholder: set it to `openssl rand -hex 32`.")
        return key


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Instantiate the configuration named by `name` or `CROCEVIA_CONFIG`."""
    name = name or os.environ.get("CROCEVIA_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"Unknown CROCEVIA_CONFIG {name!r}; use one of {sorted(CONFIGS)}") from None
