"""Faults the portal must survive: the database down, Redis down."""

from __future__ import annotations

from tests.conftest import Browser, csrf_token_from

UNREACHABLE_PG = "postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=1"


def test_with_the_database_down_pages_answer_503_with_retry_after(app_factory, tmp_path):
    down = app_factory(
        SQLALCHEMY_DATABASE_URI=UNREACHABLE_PG, SEARCH_BACKEND="whoosh", SEARCH_INDEX_DIR=str(tmp_path / "ix")
    )
    client = down.test_client()
    response = client.get("/alice/")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Traceback" not in response.get_data(as_text=True)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["database"]["ok"] is False
    assert client.get("/healthz").status_code == 200  # the process itself answers


def test_with_redis_down_login_is_still_limited_and_registration_still_throttled(app_factory, make_user, outbox):
    make_user("maria@example.it")
    down = app_factory(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
        REDIS_URL="redis://127.0.0.1:1/0",
        RATELIMIT_LOGIN="3 per minute",
        RATELIMIT_MAIL_PER_ADDRESS="2 per hour",
        RATELIMIT_MAIL_FORMS="100 per minute",
    )
    browser = Browser(down.test_client())
    codes = [browser.login("maria@example.it", "wrong").status_code for _ in range(5)]
    assert codes[0] == 200 and codes[-1] == 429  # counted in memory, never unlimited
    html = browser.get("/auth/forgot-password").get_data(as_text=True)
    for _ in range(4):
        assert (
            browser.client.post(
                "/auth/forgot-password", data={"email": "maria@example.it", "csrf_token": csrf_token_from(html)}
            ).status_code
            == 200
        )
    assert len(outbox.to("maria@example.it")) == 2
    assert browser.get("/alice/").status_code in (200, 404)  # the site keeps serving


def test_with_redis_down_a_form_that_wakes_a_job_still_answers_and_its_work_waits(
    app_factory, make_user, caplog, monkeypatch
):
    """JOBS_RUNNER=rq wakes the mail sender through Redis after the commit: with Redis gone the
    page still answers, the mail stays queued in the database for the periodic run, and it is logged."""
    import logging

    from redis import Redis

    from portal.extensions import db
    from portal.models import QueuedMail

    make_user("maria@example.it")
    down = app_factory(JOBS_RUNNER="rq", REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI="memory://")
    timeouts = []
    real_from_url = Redis.from_url
    monkeypatch.setattr(Redis, "from_url", lambda url, **kw: timeouts.append(kw) or real_from_url(url, **kw))
    caplog.set_level(logging.WARNING, logger="portal.jobs.runner")
    browser = Browser(down.test_client())
    html = browser.get("/auth/forgot-password").get_data(as_text=True)
    response = browser.client.post(
        "/auth/forgot-password", data={"email": "maria@example.it", "csrf_token": csrf_token_from(html)}
    )
    assert response.status_code == 200
    with down.app_context():
        assert db.session.query(QueuedMail).filter_by(recipient="maria@example.it").count() == 1
    assert any("send-mail not queued, Redis unreachable" in r.getMessage() for r in caplog.records)
    assert timeouts and all(kw.get("socket_connect_timeout") and kw.get("socket_timeout") for kw in timeouts)


def test_after_the_database_drops_every_connection_the_next_page_answers(app, tenants):
    """A PostgreSQL restart closes every connection in the pool: the next request reconnects by
    itself (pool_pre_ping), without a 500 or a restart of the process."""
    import pytest
    from sqlalchemy import text

    from portal.extensions import db

    client = app.test_client()
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
    assert client.get("/alice/").status_code == 200
    with app.app_context(), db.engine.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert killed >= 1  # the pooled connection the first page used
    assert client.get("/alice/").status_code == 200
    assert client.get("/readyz").status_code == 200
