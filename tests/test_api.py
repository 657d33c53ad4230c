"""The read-only open-data API: what it answers (published rows only), its filters, paging,
caching and CORS, JSON errors for every bad input, and an OpenAPI 3.1 document that validates
and that the running app keeps (schemathesis)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from portal.extensions import db
from portal.models import Entry, User
from tests.test_syndication import NASTY, published  # noqa: F401 - the shared fixture


def _items(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return response.get_json()["items"]


def test_each_collection_answers_published_rows_only(client, published):  # noqa: F811
    assert [e["title"] for e in _items(client, "/api/v1/events")] == [NASTY]  # the pending event is not there
    assert [e["title"] for e in _items(client, "/api/v1/training")] == ["Italiano per il lavoro"]
    job = _items(client, "/api/v1/opportunities")[0]
    assert job["opportunity_type"] == "tirocinio_inclusione" and job["monthly_allowance"] == 500
    assert job["organisation"]["name"] == "Associazione Agno & Co." and job["projects"] == ["vicenza"]
    assert job["url"].endswith(f"/directory/opportunities/{published['job_slug']}")
    org = _items(client, "/api/v1/organisations")[0]
    assert org["kind"] == "third_sector" and org["comune"] == "Arzignano"
    assert client.get(f"/api/v1/events/{published['pending']}").status_code == 404
    assert client.get(f"/api/v1/opportunities/{published['job']}").get_json()["id"] == published["job"]
    assert client.get(f"/api/v1/events/{published['job']}").status_code == 404  # an id of another collection
    projects = client.get("/api/v1/projects").get_json()["items"]
    assert {p["id"] for p in projects} == {"asti-est", "alice", "work-in", "ciao", "vicenza"}
    assert client.get("/api/v1/projects/vicenza").get_json()["calendar"].endswith("/vicenza/calendar.ics")


def test_a_withdrawn_entry_leaves_the_api(app, client, published):  # noqa: F811
    from portal.directory import services

    with app.app_context():
        job = db.session.get(Entry, published["job"])
        services.withdraw_entry(db.session.get(User, published["admin"]), job, job.version)
        db.session.commit()
    assert _items(client, "/api/v1/opportunities") == []
    assert client.get(f"/api/v1/opportunities/{published['job']}").status_code == 404


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("project=vicenza", {"Tirocinio in magazzino"}),
        ("project=asti-est", set()),
        ("province=vi", {"Tirocinio in magazzino"}),
        ("province=AT", set()),
        ("comune=024008", {"Tirocinio in magazzino"}),  # Arzignano
        ("sector=T", {"Tirocinio in magazzino"}),  # the organisation's 94.9 is in ATECO 2025 section T
        ("sector=C", set()),
        ("target_group=neet", set()),
        ("updated_since=2000-01-01T00:00:00Z", {"Tirocinio in magazzino"}),
        ("updated_since=2999-01-01T00:00:00%2B01:00", set()),
    ],
)
def test_lists_filter_like_the_listings(client, published, query, titles):  # noqa: F811
    assert {e["title"] for e in _items(client, f"/api/v1/opportunities?{query}")} == titles


def test_pages_are_capped_linked_and_cacheable(client, published):  # noqa: F811
    response = client.get("/api/v1/organisations?per_page=1000000")
    body = response.get_json()
    assert body["per_page"] == 100 and body["total"] == 1 and body["pages"] == 1
    assert 'rel="first"' in response.headers["Link"] and response.headers["X-Total-Count"] == "1"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    etag = response.headers["ETag"]
    again = client.get("/api/v1/organisations?per_page=1000000", headers={"If-None-Match": etag})
    assert again.status_code == 304
    two = client.get("/api/v1/events?per_page=1&page=1")
    assert 'rel="next"' not in two.headers["Link"]  # one event: one page
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/events?page=-1", "page"),
        ("/api/v1/events?page=abc", "page"),
        ("/api/v1/events?per_page=0", "per_page"),
        ("/api/v1/events?province=Vicenza", "province"),
        ("/api/v1/events?target_group=everyone", "target_group"),
        ("/api/v1/events?updated_since=yesterday", "updated_since"),
        ("/api/v1/events?colour=blue", "colour"),
        ("/api/v1/events/1?page=2", "page"),
    ],
)
def test_bad_parameters_get_a_json_error_naming_the_field(client, published, url, field):  # noqa: F811
    response = client.get(url)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and field in body["errors"] and body["errors"][field]


@pytest.mark.parametrize("url", ["/api/v1/events/999999", "/api/v1/nothing", "/api/v1/projects/nowhere",
                                 "/api/v1/events/99999999999999999999"])  # fmt: skip
def test_unknown_things_are_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_writing_needs_a_token_and_other_methods_are_refused_in_json(client):
    response = client.post("/api/v1/events", json={})
    assert response.status_code == 401 and response.get_json()["status"] == 401
    refused = client.patch("/api/v1/events/1", json={})
    assert refused.status_code == 405 and refused.get_json()["status"] == 405


def test_the_openapi_document_is_valid_and_describes_every_collection(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    for name in ("organisations", "opportunities", "training", "events", "projects"):
        assert (
            f"/{name}" in document["paths"]
            and f"/{name}/{{{'slug' if name == 'projects' else 'id'}}}" in document["paths"]
        )
    listed = {p["name"] for p in document["paths"]["/events"]["get"]["parameters"]}
    assert {"project", "province", "comune", "sector", "target_group", "open_only", "updated_since", "page",
            "per_page"} <= listed  # fmt: skip


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_api_has_a_readable_documentation_page(client, lang):
    html = client.get(f"/api/v1/docs?lang={lang}").get_data(as_text=True)
    assert "GET /opportunities" in html and "openapi.json" in html
    assert ("Parametri di" if lang == "it" else "Parameters of") in html


@pytest.mark.once
def test_the_running_api_keeps_its_document(app, published):  # noqa: F811
    """Requests generated from the document for every operation (schemathesis): no server error,
    and every answer (status, headers, body) as the document says."""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 26  # 5 lists, 5 rows, 4 dumps, 3 × (create, change, withdraw), 3 of the token
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def keeps_the_document(case) -> None:
            case.call_and_validate()

        keeps_the_document()


def test_the_full_dump_states_its_licence_and_holds_the_archive(app, client, published):  # noqa: F811
    import csv
    import io

    body = client.get("/api/v1/projects/vicenza/dump.json").get_json()
    assert body["licence"] == {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0 International",
                               "url": "https://creativecommons.org/licenses/by/4.0/"}  # fmt: skip
    assert [e["title"] for e in body["events"]] == [NASTY] and len(body["opportunities"]) == 1
    assert client.get("/api/v1/projects/asti-est/dump.json").get_json()["opportunities"] == []
    network = client.get("/api/v1/dump.json")
    assert network.headers["Last-Modified"] and "public" in network.headers["Cache-Control"]
    assert len(network.get_json()["organisations"]) == 1
    text = client.get("/api/v1/projects/vicenza/dump/opportunities.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["title"] == "Tirocinio in magazzino" and rows[0]["projects"] == "vicenza"
    assert client.get("/api/v1/dump/nothing.csv").status_code == 404


def test_the_dump_command_writes_the_same_files(app, published, tmp_path):  # noqa: F811
    import json

    result = app.test_cli_runner().invoke(args=["opendata", "dump", str(tmp_path), "--project", "vicenza"])
    assert result.exit_code == 0, result.output
    dumped = json.loads((tmp_path / "crocevia-vicenza.json").read_text("utf-8"))
    assert dumped["licence"]["id"] == "CC-BY-4.0" and dumped["training"][0]["title"] == "Italiano per il lavoro"
    assert (tmp_path / "crocevia-vicenza-events.csv").read_text("utf-8").startswith("\ufeffid,")


def test_a_project_chooses_its_licence_in_tenant_toml(tmp_path):
    import shutil
    from pathlib import Path

    from portal.tenant_site.sync import TenantConfigError, read_tenant_folder

    folder = tmp_path / "vicenza"
    shutil.copytree(Path(__file__).parent.parent / "tenants" / "vicenza", folder)
    toml = folder / "tenant.toml"
    toml.write_text(toml.read_text("utf-8").replace('"CC-BY-4.0"', '"IODL-2.0"'), "utf-8")
    assert read_tenant_folder(folder)["open_data_licence"] == "IODL-2.0"
    toml.write_text(toml.read_text("utf-8").replace('"IODL-2.0"', '"all rights reserved"'), "utf-8")
    with pytest.raises(TenantConfigError, match="open_data_licence"):
        read_tenant_folder(folder)


def test_an_unknown_network_licence_stops_the_start_with_a_sentence(monkeypatch):
    from config import DevelopmentConfig

    monkeypatch.setenv("OPEN_DATA_LICENCE", "tutti i diritti riservati")
    with pytest.raises(RuntimeError, match="OPEN_DATA_LICENCE must be one of"):
        DevelopmentConfig()
