"""What operators rely on: health and readiness, the request log, the production preflight,
`flask deploy prepare` (also two at once) and the progress of long commands."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from tests.conftest import POSTGRES_SEARCH, ROOT, scratch_postgres_database


def test_healthz_answers_without_a_session_or_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers


def test_readyz_lists_every_part(client, tenants, index):
    index.rebuild()
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.get_json()["checks"]
    assert set(checks) == {"database", "redis", "search"} and all(part["ok"] for part in checks.values())


def test_readyz_says_which_part_failed_when_redis_is_down(app_factory):
    app = app_factory(REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens on port 9
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"]
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["database"]["ok"] is True


@pytest.mark.skipif(POSTGRES_SEARCH, reason="the PostgreSQL index cannot go missing apart from its database")
def test_readyz_says_when_the_search_index_is_unreadable(app_factory, tmp_path):
    broken = tmp_path / "index"
    broken.write_text("not a folder")
    response = app_factory(SEARCH_INDEX_DIR=str(broken)).test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["search"]["ok"] is False


def test_one_log_line_per_request_with_its_id_and_no_token(client, tenants, caplog):
    caplog.set_level(logging.INFO, logger="crocevia.request")
    response = client.get("/auth/reset-password/secret-token-123", headers={"X-Request-ID": "proxy-id-0001"})
    assert response.headers["X-Request-ID"] == "proxy-id-0001"
    (record,) = [r for r in caplog.records if r.name == "crocevia.request"]
    assert record.path == "/auth/reset-password/[redacted]" and "secret-token-123" not in record.getMessage()
    assert record.status == response.status_code


def test_a_forged_request_id_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="crocevia.request")
    response = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert "<" not in response.headers["X-Request-ID"] and len(response.headers["X-Request-ID"]) == 16


def test_the_log_never_carries_a_password_or_the_query_string(browser, make_user, caplog):
    make_user("anna@example.it")
    caplog.set_level(logging.DEBUG)
    browser.login("anna@example.it", password="correct horse battery")
    browser.get("/search?q=nome+cognome+via+roma")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "correct horse battery" not in logged and "cognome" not in logged


def test_json_log_lines_are_json_with_the_request_fields():
    from portal.request_log import JsonFormatter

    record = logging.LogRecord("crocevia.request", logging.INFO, __file__, 1, "%s %s", ("GET", "/"), None)
    record.request_id, record.method, record.path, record.status, record.duration_ms = "abc12345", "GET", "/", 200, 1.5
    line = JsonFormatter().format(record)
    assert json.loads(line) | {"time": ""} == {
        "time": "", "level": "INFO", "logger": "crocevia.request", "message": "GET /", "request_id": "abc12345",
        "method": "GET", "path": "/", "status": 200, "duration_ms": 1.5,
    }  # fmt: skip


@pytest.mark.once
def test_log_format_json_makes_every_stdout_line_json_with_the_request_fields(tmp_path):
    """The app as gunicorn loads it (not the test app, which leaves logging alone), LOG_FORMAT=json."""
    script = (
        "from wsgi import app\n"
        "response = app.test_client().get('/healthz', headers={'X-Request-ID': 'json-log-0001'})\n"
        "assert response.status_code == 200\n"
    )
    env = _clean_env(tmp_path, LOG_FORMAT="json", LOG_LEVEL="info", CROCEVIA_CONFIG="development")
    result = _run([sys.executable, "-c", script], env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    (request_line,) = [line for line in lines if line["logger"] == "crocevia.request"]
    assert request_line["request_id"] == "json-log-0001" and request_line["path"] == "/healthz"
    assert request_line["status"] == 200 and request_line["level"] == "INFO"


def _run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def _clean_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROCEVIA", "SECRET_KEY", "DATABASE_URL"))}
    env.update(INSTANCE_PATH=str(tmp_path / "instance"), JOBS_RUNNER="off", SEARCH_INDEXER="off", **extra)
    return env


@pytest.mark.once
def test_production_without_a_secret_key_stops_in_one_line(tmp_path):
    result = _run([sys.executable, "-m", "portal.preflight"],
                  _clean_env(tmp_path, CROCEVIA_CONFIG="production", PUBLIC_URL="https://crocevia.example"))  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.once
def test_preflight_says_what_it_will_run_when_the_configuration_is_complete(tmp_path):
    env = _clean_env(tmp_path, CROCEVIA_CONFIG="production", PUBLIC_URL="https://crocevia.example",
                     SECRET_KEY="k" * 40)  # fmt: skip
    result = _run([sys.executable, "-m", "portal.preflight"], env)
    assert result.returncode == 0 and "ProductionConfig ok" in result.stdout


@pytest.fixture
def fresh_database_url(request, tmp_path):
    """A new, empty database: a SQLite file, or (param "postgres") a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    with scratch_postgres_database("crocevia_deploy") as (url, _admin):
        yield url.render_as_string(hide_password=False)


@pytest.mark.once
@pytest.mark.parametrize("fresh_database_url", ["sqlite", "postgres"], indirect=True)
def test_two_deploy_prepares_at_once_both_succeed_and_one_migrates(tmp_path, fresh_database_url):
    """On PostgreSQL the hosts take an advisory lock; on SQLite a file lock in the instance folder."""
    env = _clean_env(tmp_path, DATABASE_URL=fresh_database_url, LOG_LEVEL="WARNING")
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "deploy", "prepare"]
    runs = [subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sum("Running upgrade" in out for out in outputs) == 1, outputs
    assert all("deploy: ready" in out for out in outputs)
    again = _run(flask, env)
    assert again.returncode == 0 and "Running upgrade" not in again.stdout + again.stderr


def test_deploy_prepare_is_a_no_op_on_an_up_to_date_database(runner, tenants):
    result = runner.invoke(args=["deploy", "prepare"])
    assert result.exit_code == 0, result.output
    assert "deploy: ready" in result.output and "created" not in result.output


@pytest.mark.skipif(not POSTGRES_SEARCH, reason="the PostgreSQL index lives in the database (PostgreSQL run)")
def test_deploy_prepare_builds_an_empty_postgres_index(app, runner, demo_data):
    from sqlalchemy import text

    from portal.directory import indexing
    from portal.extensions import db

    with app.app_context():
        db.session.execute(text("TRUNCATE search_document, search_word"))
        db.session.commit()
        result = runner.invoke(args=["deploy", "prepare"])
        assert "search index is empty" in result.output, result.output
        assert indexing.engine().doc_count() == indexing.publishable_count() > 0


def test_long_commands_print_one_summary_line_when_not_on_a_terminal(runner, demo_data):
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0
    assert result.output.strip().count("\n") == 0 and result.output.startswith("indexed ")
    assert "\r" not in result.output and "it/s" not in result.output


def test_on_a_terminal_the_bar_shows_rate_and_time_left(monkeypatch, capsys):
    from portal.cli import progress

    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    assert list(progress.track(range(50), 50, "indexing", "doc")) == list(range(50))
    shown = capsys.readouterr().err
    assert "indexing" in shown and "doc/s" in shown and "<" in shown  # tqdm's "elapsed<left, rate"


@pytest.mark.once
def test_run_due_every_keeps_running_until_sigterm(tmp_path):
    import signal
    import time

    env = _clean_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}", LOG_LEVEL="WARNING")
    assert _run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env).returncode == 0
    loop = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run-due", "--every", "10"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        first = loop.stdout.readline()
        while "send-mail" not in first and time.monotonic() < deadline:
            first = loop.stdout.readline()
        assert "send-mail: ok" in first
        assert loop.poll() is None  # still running, waiting for its next pass
        loop.send_signal(signal.SIGTERM)
        assert loop.wait(timeout=20) == 0
    finally:
        loop.kill()


@pytest.mark.once
def test_make_serve_in_production_without_a_secret_key_stops_with_one_line(tmp_path):
    env = _clean_env(tmp_path, CROCEVIA_CONFIG="production", PUBLIC_URL="https://crocevia.example")
    result = _run(["make", "--no-print-directory", "-s", "serve"], env)
    assert result.returncode != 0
    assert "crocevia: cannot start: SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
    assert "gunicorn" not in result.stdout + result.stderr.replace("crocevia: cannot start", "")


def test_every_periodic_job_is_in_the_deployment_guide():
    from portal.jobs.catalogue import JOBS

    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert [job.name for job in JOBS if f"| `{job.name}` |" not in guide] == []


def test_search_maintain_runs_as_a_command_and_as_the_daily_job(app, runner, indexed_demo):
    from portal.jobs.catalogue import BY_NAME

    result = runner.invoke(args=["search", "maintain"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        summary = BY_NAME["search-maintain"].function()()
    if POSTGRES_SEARCH:  # the demo's frequent words are kept
        assert result.output.startswith("kept the documents of ") and not summary.startswith("kept the documents of 0 ")
    else:
        assert "nothing to do" in result.output and "nothing to do" in summary
