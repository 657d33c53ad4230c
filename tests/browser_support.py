"""Browser-test support, loaded as a pytest plugin by tests/conftest.py: Debian's Chromium driven
by Playwright for Python, a live server on the test app, and axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

AVAILABLE = Path(CHROMIUM).exists() and AXE.exists()


def require_browser() -> None:
    """Skip a browser test module when Chromium or axe-core is missing (fail instead in CI)."""
    if not AVAILABLE:
        if os.environ.get("CROCEVIA_REQUIRE_BROWSER"):
            raise RuntimeError("Chromium or axe-core missing: run 'make browser assets'")
        pytest.skip("Chromium or axe-core not installed (make browser)", allow_module_level=True)


class Dispatcher:
    """The one live server's WSGI callable; each test points it at what it serves."""

    def __init__(self, target) -> None:
        self.target = target

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


@pytest.fixture(scope="session")
def live_http(_session_app):
    """One HTTP server for the whole run (starting and stopping one per test cost seconds)."""
    dispatcher = Dispatcher(_session_app)
    server = make_server("127.0.0.1", 0, dispatcher, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", dispatcher
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live_server(app, demo_data, live_http):
    """The test app with the demo data, served over HTTP."""
    url, dispatcher = live_http
    dispatcher.target = app
    yield url
    dispatcher.target = app


@pytest.fixture
def indexed_live_server(indexed_demo, live_server, live_http, app, index):
    """The live server with the demo data indexed, the indexer applying the outbox after each page
    (like the embedded default's indexer thread)."""
    lock = threading.Lock()

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        if not environ.get("PATH_INFO", "").startswith("/static/"):
            with lock:
                index.sync()
        return response

    live_http[1].target = wsgi
    return live_server


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    # bypass_csp lets the test inject axe-core; the CSP itself is tested in test_security.
    context = chromium.new_context(locale="it-IT", viewport={"width": 390, "height": 844}, bypass_csp=True)  # a phone
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def open_menu(page) -> None:
    """On a phone the header is folded into the menu (language, account, network links): open it."""
    toggler = page.locator(".custom-navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav .menu-wrapper").wait_for(state="visible")


def open_filters(page) -> None:
    """On a phone the search filters wait behind the "Filtri" button (a <details>): open it."""
    filters = page.locator("details#filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()


def _axe(page, impacts: tuple[str, ...] | None = None) -> list[str]:
    """WCAG 2.1 A/AA violations found by axe-core, of the given impacts (all when None)."""
    page.wait_for_load_state()  # a page still navigating has no document to inject into
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa']}, resultTypes: ['violations']})).violations"
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})" for v in result
            if impacts is None or v.get("impact") in impacts]  # fmt: skip


def axe_violations(page) -> list[str]:
    return _axe(page)


def serious_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations of impact serious or critical (the bar for every page type)."""
    return _axe(page, ("serious", "critical"))
