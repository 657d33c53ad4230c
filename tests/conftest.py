"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL when
TEST_DATABASE_URL says so), emptied after every test; helpers that return callables."""

from __future__ import annotations

import email
import email.policy
import functools
import gc
import importlib.util
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_migrate import upgrade
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, delete, text

from config import TestingConfig, default_search_backend
from portal import create_app
from portal.extensions import db

ROOT = Path(__file__).resolve().parent.parent
# Tests allocate many short-lived objects (ORM rows, templates, requests): collecting the young
# generation every 700 allocations spent about 7% of the suite's time; every 100,000 spends 2-3%.
gc.set_threshold(100_000, 50, 100)
# Scratch files (the SQLite database, Whoosh indexes, the mail outbox) go to a RAM disk when the
# machine has one: the Whoosh writer creates thousands of small files, each about 250 µs on disk.
if "TMPDIR" not in os.environ and os.access("/dev/shm", os.W_OK):
    os.environ["TMPDIR"] = "/dev/shm"  # inherited by the xdist workers and subprocesses
    tempfile.tempdir = None  # gettempdir() asks the environment again
pytest_plugins = ["tests.browser_support"]
# A private schema per run (and per xdist worker), so the shared `test` database is left alone.
PG_SCHEMA = "crocevia_test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
PASSWORD = "correct horse battery"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.sqlite3'}"
    if url.startswith("postgres"):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        engine.dispose()
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}options=-csearch_path%3D{PG_SCHEMA},public"  # extensions live in public
    return url


def make_config(tmp_root: Path, database_url: str, **overrides) -> TestingConfig:
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.INSTANCE_PATH = tmp_root / "instance"
    config.MAIL_URL = f"file://{tmp_root / 'outbox'}"
    config.SEARCH_INDEX_DIR = str(tmp_root / "search-index")
    config.TENANTS_DIR = str(ROOT / "tenants")
    config.SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND") or default_search_backend(database_url)
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crocevia")


@pytest.fixture(scope="session")
def database_url(tmp_root) -> str:
    return _database_url(tmp_root)


class _SharedBytecode(BytecodeCache):
    """Templates compiled once per run, not once per app: tests build dozens of apps."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _build_url_builders_once() -> None:
    """Werkzeug compiles two URL builders per rule (Python source, `compile()`) for every app:
    about 80 ms an app, and the suite builds dozens of apps with the same 150 rules. A builder
    depends only on the rule's text, its parsed parts, its defaults and `append_unknown` (it takes
    the rule as its first argument): keep each one for the run."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    built: dict = {}

    def once(self, append_unknown: bool = True):
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    Rule._compile_builder = once


@pytest.fixture(scope="session")
def _make_app(tmp_root, database_url):
    _build_url_builders_once()
    compiled_templates = _SharedBytecode()

    def factory(**overrides):
        app = create_app(make_config(tmp_root, database_url, **overrides))
        app.jinja_env.bytecode_cache = compiled_templates
        return app

    return factory


@pytest.fixture(scope="session")
def _session_app(_make_app):
    app = _make_app()
    with app.app_context():
        upgrade()  # the schema comes from the Alembic migrations, on every backend
    return app


@pytest.fixture
def app_factory(app, _make_app):
    """Build another app on the same (migrated, emptied after the test) database, with config overrides.

    Flask-Limiter keeps `enabled` on its one global instance, so a rate-limited test app
    would switch limits on for every later test: put it back afterwards. The same instance
    remembers that a storage was unreachable (`_storage_dead`, left by the Redis-down test),
    and `init_app` does not forget it: the next rate-limited app would count in the fallback
    memory until its back-off check (about 2 s later) switches it to its own storage in the middle
    of a test, every counter starting again from zero. Forget that too.
    """
    from portal.extensions import limiter

    yield _make_app
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    limiter._storage_dead = False  # Flask-Limiter 4 has no public way to reset it


def _empty_all_tables() -> None:
    """Every table emptied, children first, in one script: one round trip, not one per table."""
    with db.engine.begin() as conn:
        names = [conn.dialect.identifier_preparer.format_table(t) for t in reversed(db.metadata.sorted_tables)]
        if conn.dialect.name == "postgresql":  # the PostgreSQL search engine's own tables
            names += ["search_document", "search_word", "search_lexeme"]
        script = "".join(f"DELETE FROM {name};" for name in names)
        if conn.dialect.name == "sqlite":  # the sqlite3 driver runs one statement per execute()
            conn.connection.driver_connection.executescript(f"BEGIN;{script}COMMIT;")
        else:
            conn.exec_driver_sql(script)


@pytest.fixture
def app(_session_app, tmp_root):
    outbox = tmp_root / "outbox"
    for message in outbox.glob("*.eml"):
        message.unlink()
    shutil.rmtree(_session_app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
    yield _session_app
    with _session_app.app_context():
        db.session.remove()
        _empty_all_tables()
        _forget_cached_content()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


SYNCED_TABLES = ("tenant", "page", "search_outbox")


@pytest.fixture(scope="session")
def _synced_rows(_session_app):
    """The rows `tenants sync` writes for the real tenants/ folders, synced once per run."""
    from portal.tenant_site.sync import sync_tenants

    with _session_app.app_context():
        report = sync_tenants(Path(_session_app.config["TENANTS_DIR"]))
        assert not report.errors, report.errors
        tables = [db.metadata.tables[name] for name in SYNCED_TABLES]
        with db.engine.connect() as connection:
            rows = {table: [dict(row._mapping) for row in connection.execute(table.select())] for table in tables}
        db.session.remove()
        _empty_all_tables()
    return rows


def _forget_cached_content() -> None:
    """Rows restored or emptied straight through the engine are invisible to the caches' generation."""
    from portal.content_cache import generation

    generation().bump()


def _restore(rows_by_table) -> None:
    """Insert captured rows back, parents first (one INSERT per table)."""
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if rows_by_table.get(table):
                connection.execute(table.insert(), rows_by_table[table])
    _forget_cached_content()


@contextmanager
def _built_once(app, *base_rows):
    """For a session fixture that builds rows once: `base_rows` restored in an app context, then,
    once what was built is captured, every table emptied for the tests."""
    with app.app_context():
        for rows in base_rows:
            _restore(rows)
        yield
        db.session.remove()
        _empty_all_tables()


@pytest.fixture(scope="session")
def _demo_rows(_session_app, _synced_rows):
    """The rows `flask demo load` adds to the synced tenants (accounts, roles, news, directory)."""
    with _built_once(_session_app, _synced_rows):
        result = _session_app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as connection:
            rows = {
                table: [dict(row._mapping) for row in connection.execute(table.select())]
                for table in db.metadata.sorted_tables
                if table.name not in SYNCED_TABLES
            }
    return rows


@pytest.fixture
def demo_data(app, tenants, _demo_rows):
    """The demo accounts (password crocevia-demo-2026), roles, news and directory of `flask demo load`."""
    with app.app_context():
        _restore(_demo_rows)
    return tenants


@pytest.fixture(scope="session")
def _demo_index(_session_app, _synced_rows, _demo_rows, tmp_root) -> Path | None:
    """The embedded Whoosh index of the demo data, built once per run and copied into each test
    that asks for it (None with the PostgreSQL backend, whose index lives in the emptied tables)."""
    from portal.directory import indexing

    if _session_app.config["SEARCH_BACKEND"] != "whoosh":
        return None
    live = Path(_session_app.config["SEARCH_INDEX_DIR"])
    with _built_once(_session_app, _synced_rows, _demo_rows):
        indexing.rebuild()
    built = tmp_root / "demo-search-index"
    shutil.rmtree(built, ignore_errors=True)
    live.rename(built)
    return built


@pytest.fixture
def indexed_demo(app, demo_data, index, _demo_index):
    """The demo data, searchable: what `index.rebuild()` gives right after loading it."""
    from portal.models import SearchOutbox

    if _demo_index is None:
        index.rebuild()
        return demo_data
    shutil.copytree(_demo_index, app.config["SEARCH_INDEX_DIR"])
    with app.app_context():  # as the rebuild would: the outbox rows it covers are done
        db.session.execute(delete(SearchOutbox))
        db.session.commit()
        _forget_cached_content()
    return demo_data


@pytest.fixture
def tenants(app, _synced_rows):
    """The five real tenants, as `tenants sync` leaves them (slug -> Tenant, detached).

    The sync itself ran once per session; each test gets its rows back with one INSERT per
    table (what made the suite slow was rendering every page's Markdown again and again).
    test_tenants_sync.py runs the real sync on its own."""
    from portal.models import Tenant

    with app.app_context():
        _restore(_synced_rows)
        rows = db.session.scalars(db.select(Tenant)).all()
        for row in rows:
            db.session.expunge(row)
        return {t.slug: t for t in rows}


def _account_maker(app):
    """make_user(email, role=None, tenant=None, admin=False, confirmed=True) -> user id."""
    from portal.auth.services import create_user, find_user_by_email
    from portal.models import Role, Tenant
    from portal.tenant_site.memberships import grant_role

    def factory(
        email: str = "person@example.it",
        role: str | None = None,
        tenant=None,
        *,
        admin: bool = False,
        confirmed: bool = True,
        name: str = "Maria Rossi",
        password: str = PASSWORD,
        locale: str | None = None,
    ) -> int:
        with app.app_context():
            user = find_user_by_email(email) or create_user(
                email, name, password, locale=locale, is_admin=admin, confirmed=confirmed
            )
            if role:
                grant_role(db.session.get(Tenant, tenant.id), user, Role(role))
            db.session.commit()
            return user.id

    return factory


@pytest.fixture
def make_user(app):
    """make_user(email, role=None, tenant=None, admin=False, confirmed=True) -> user id."""
    return _account_maker(app)


POSTGRES_SEARCH = default_search_backend(os.environ.get("TEST_DATABASE_URL") or "") == "postgres"
whoosh_only = pytest.mark.skipif(
    POSTGRES_SEARCH, reason="the Whoosh outbox and index folder (PostgreSQL run: in-database search)"
)


def search_engine_holding(request, tmp_path, documents, backend: str):
    """For a fixture parametrised over both search engines (`yield from` it): the Whoosh engine in
    `tmp_path`, or the PostgreSQL one in the test database (skipped outside the PostgreSQL run),
    each holding `documents()`."""
    from search_index import PostgresEngine, open_engine

    if backend == "whoosh":
        search = open_engine(tmp_path / "ix")
        search.rebuild(documents())
        yield search
        return
    if not POSTGRES_SEARCH:
        pytest.skip("the PostgreSQL backend is tested on the PostgreSQL run")
    app = request.getfixturevalue("app")
    with app.app_context():
        search = PostgresEngine(lambda: db.session())
        search.rebuild(documents())
        db.session.commit()
        yield search
        db.session.rollback()


CSRF_RE = re.compile(  # a prefixed form's token too ("a1-csrf_token")
    r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"|name="(?:[\w-]+-)?csrf_token" value="([^"]+)"'
)


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Browser:
    """A test client that fills the CSRF token like a browser submitting the page's form."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, url: str, data: dict, page: str | None = None, **kwargs):
        html = self.client.get(page or url).get_data(as_text=True)
        return self.client.post(url, data={"csrf_token": csrf_token_from(html), **data}, **kwargs)

    def login(self, email: str, password: str = PASSWORD, remember: bool = False, **kwargs):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.submit("/auth/login", data, **kwargs)

    def logout(self):
        return self.submit("/auth/logout", {}, page="/")

    def sign_in(self, email: str) -> Browser:
        """Signed in as `email` without the login form (for tests about something else):
        the session holds what Flask-Login's login_user would put there."""
        from portal.auth.services import find_user_by_email

        app = self.client.application
        with app.app_context():
            user = find_user_by_email(email)
            assert user is not None and user.is_confirmed, email
            identity = user.get_id()
        with self.client.session_transaction() as session:
            session["_user_id"] = identity
            session["_fresh"] = True
        return self


@pytest.fixture
def signed_in(app):
    """signed_in(email) -> a Browser already signed in as that (existing, confirmed) account."""
    return lambda email: Browser(app.test_client()).sign_in(email)


@pytest.fixture
def browser(client) -> Browser:
    return Browser(client)


@pytest.fixture
def new_browser(app):
    """Another, independent browser (other device, other person)."""
    return lambda: Browser(app.test_client())


def deliver_mail_queue(app) -> None:
    """What the `send-mail` job does (tests run with JOBS_RUNNER=off)."""
    from portal.mail_queue import deliver_queued

    with app.app_context():
        deliver_queued()


class Outbox:
    """The .eml files written by MAIL_URL=file://... (the mail queue is delivered first)."""

    def __init__(self, folder: Path, app=None) -> None:
        self.folder = folder
        self.app = app

    def messages(self) -> list[email.message.EmailMessage]:
        if self.app is not None:
            deliver_mail_queue(self.app)
        files = sorted(self.folder.glob("*.eml")) if self.folder.exists() else []
        return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages() if m["To"] == address]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @classmethod
    def link(cls, message, contains: str) -> str:
        """The path of the first link in the text body that contains `contains`."""
        for url in re.findall(r"https?://\S+", cls.text(message)):
            if contains in url:
                parts = urlsplit(url)
                return parts.path + (f"?{parts.query}" if parts.query else "")
        raise AssertionError(f"no link with {contains!r} in message")


@pytest.fixture
def outbox(app, tmp_root) -> Outbox:
    return Outbox(tmp_root / "outbox", app)


@pytest.fixture
def index(app):
    """Apply the search outbox like the indexer does (tests run with SEARCH_INDEXER=off)."""
    from portal.directory import indexing

    class Indexer:
        @staticmethod
        def sync() -> int:
            with app.app_context():
                total = 0
                while done := indexing.process_outbox():
                    total += done
                return total

        @staticmethod
        def rebuild() -> int:
            with app.app_context():
                return indexing.rebuild()

    return Indexer()


@contextmanager
def scratch_postgres_database(prefix: str):
    """A new, empty PostgreSQL database of this test worker's own, dropped afterwards (the test is
    skipped outside the PostgreSQL run). Yields its URL and an AUTOCOMMIT engine on the server."""
    from sqlalchemy import make_url

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL only (the PostgreSQL run)")
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield base.set(database=name), admin
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@functools.cache
def load_migration(filename: str):
    """A migration script under migrations/versions/ as a module (to test its helpers directly)."""
    path = Path(__file__).parent.parent / "migrations" / "versions" / filename
    spec = importlib.util.spec_from_file_location(f"migration_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build_network(app, tenants, make_user) -> dict[str, dict[str, int]]:
    """Two organisations in two projects, each with a partner editor and a coordinator."""
    from portal.directory import services
    from portal.models import User

    ids = {}
    for slug, org_name, prov in (("asti-est", "Officina Tanaro", "AT"), ("vicenza", "Conceria Agno", "VI")):
        coordinator_id = make_user(f"coord.{slug}@example.it", role="coordinator", tenant=tenants[slug])
        editor_id = make_user(f"partner.{slug}@example.it")
        with app.app_context():
            coordinator = db.session.get(User, coordinator_id)
            org = services.create_organisation(
                coordinator,
                {
                    "name": org_name,
                    "kind": "company",
                    "comune": "Asti" if prov == "AT" else "Arzignano",
                    "province": prov,
                    "tenant_ids": [tenants[slug].id],
                },
            )
            services.add_editor(coordinator, org, f"partner.{slug}@example.it")
            db.session.commit()
            ids[slug] = {"org": org.id, "coordinator": coordinator_id, "editor": editor_id}
    return ids


def _rows_beyond(base_rows) -> dict:
    """Every row now in the database that `base_rows` (rows by table) does not hold."""
    added = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            known = base_rows.get(table, [])
            added[table] = [row for row in map(dict, connection.execute(table.select()).mappings()) if row not in known]
    return added


@pytest.fixture(scope="session")
def _network_rows(_session_app, _synced_rows):
    """`network`'s accounts, organisations and their side effects, built once per run."""
    from portal.models import Tenant

    with _built_once(_session_app, _synced_rows):
        tenants = {t.slug: t for t in db.session.scalars(db.select(Tenant))}
        ids = _build_network(_session_app, tenants, _account_maker(_session_app))
        rows = _rows_beyond(_synced_rows)
    return ids, rows


@pytest.fixture
def network(app, tenants, _network_rows):
    """Two organisations in two projects, each with a partner editor and a coordinator
    (their ids by project: {"asti-est": {"org", "coordinator", "editor"}, "vicenza": …})."""
    ids, rows = _network_rows
    with app.app_context():
        _restore(rows)
    return {slug: dict(found) for slug, found in ids.items()}
