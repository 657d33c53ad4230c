"""The national-services links are checked against the live sites by an operator's command:
working links are recorded as checked, moved and broken ones are listed for a person to fix."""

from __future__ import annotations

import shutil
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.vocabularies import link_check, national_services


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):
        port = self.server.server_address[1]
        routes = {
            "/ok": (200, None),
            "/gone": (404, None),
            "/same-site": (302, f"http://127.0.0.1:{port}/ok"),
            "/elsewhere": (302, f"http://localhost:{port}/ok"),
        }
        status, location = routes.get(self.path, (500, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_working_link_is_ok_and_a_redirect_within_the_site_too(site):
    assert link_check.check_url(f"{site}/ok").status == "ok"
    assert link_check.check_url(f"{site}/same-site").status == "ok"


def test_a_missing_page_a_server_error_and_a_dead_host_are_broken(site):
    gone = link_check.check_url(f"{site}/gone")
    assert (gone.status, gone.detail) == ("broken", "HTTP 404")
    assert link_check.check_url(f"{site}/anything-else").detail == "HTTP 500"
    dead = link_check.check_url("http://127.0.0.1:9/")  # the discard port: nobody listens
    assert dead.status == "broken" and dead.detail


def test_a_link_that_now_leads_to_another_host_is_moved(site):
    moved = link_check.check_url(f"{site}/elsewhere")
    assert moved.status == "moved" and "localhost" in moved.detail


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    folder = tmp_path / "national_services"
    shutil.copytree(national_services.DATA, folder)
    monkeypatch.setattr(national_services, "DATA", folder)
    monkeypatch.setattr(national_services, "catalogue", lambda: national_services.load(folder))
    return folder


def test_recording_marks_only_the_facts_whose_url_and_source_both_work(data_copy):
    before = national_services.load(data_copy)
    siisl = before.national["siisl"]
    verified = {siisl.url, siisl.source}
    marked = link_check.record(verified, date(2027, 1, 15), data_copy)

    after = national_services.load(data_copy)
    assert marked >= 1
    assert after.national["siisl"].to_verify is False
    assert after.national["siisl"].checked_on == date(2027, 1, 15)
    untouched = [key for key, fact in before.national.items() if not {fact.url, fact.source} <= verified]
    assert untouched and all(after.national[key] == before.national[key] for key in untouched)
    assert marked == len(before.national) - len(untouched)


def test_the_command_lists_what_to_fix_records_what_works_and_fails_for_cron(app, data_copy, monkeypatch):
    urls = link_check.distinct_urls(national_services.load(data_copy))
    broken = urls[-1]
    monkeypatch.setattr(link_check, "fetch", lambda url: (404, url) if url == broken else (200, url))

    result = app.test_cli_runner().invoke(args=["national-services", "check", "--record"])

    assert result.exit_code == 1
    assert f"broken  {broken}  (HTTP 404)" in result.output
    assert f"{len(urls) - 1} of {len(urls)} links work; 1 to look at" in result.output
    facts = national_services.load(data_copy).facts()
    still_to_verify = [fact for _where, fact in facts if fact.to_verify]
    assert still_to_verify and all(broken in (fact.url, fact.source) for fact in still_to_verify)


def test_when_every_link_works_the_command_succeeds(app, data_copy, monkeypatch):
    monkeypatch.setattr(link_check, "fetch", lambda url: (200, url))
    result = app.test_cli_runner().invoke(args=["national-services", "check"])
    assert result.exit_code == 0, result.output
    assert national_services.load(data_copy).national["did"].to_verify is True  # not recorded without --record
