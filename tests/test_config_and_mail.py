"""Configuration from the environment and the two mail transports."""

from datetime import timedelta
from pathlib import Path

import pytest

import config
from portal.extensions import db
from portal.mail import Transport, send_mail
from portal.mail_queue import deliver_queued, waiting_count
from portal.models.base import utcnow


def test_embedded_default_keeps_a_generated_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    first, second = config.DevelopmentConfig(), config.DevelopmentConfig()
    assert len(first.SECRET_KEY) >= 40 and first.SECRET_KEY == second.SECRET_KEY
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load_config("production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError):
        config.load_config("production")


def test_production_refuses_the_example_files_placeholder_key(monkeypatch):
    example = Path(config.BASE_DIR / "docs" / "deploy" / "env.example").read_text()
    placeholder = next(line.split("=", 1)[1] for line in example.splitlines() if line.startswith("SECRET_KEY="))
    monkeypatch.setenv("SECRET_KEY", placeholder)
    monkeypatch.setenv("PUBLIC_URL", "https://crocevia.example")
    with pytest.raises(RuntimeError, match="placeholder"):
        config.load_config("production")
    monkeypatch.setenv("SECRET_KEY", "9f" * 32)
    assert config.load_config("production").SECRET_KEY == "9f" * 32


def test_integer_settings_come_from_the_environment_and_bad_ones_stop_with_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("UNCONFIRMED_ACCOUNT_DAYS", "7")
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "0")
    loaded = config.DevelopmentConfig()
    assert loaded.UNCONFIRMED_ACCOUNT_DAYS == 7 and loaded.PAGE_CACHE_SECONDS == 0
    for name, value in (
        ("UNCONFIRMED_ACCOUNT_DAYS", "0"),
        ("PAGE_CACHE_SECONDS", "sixty"),
        ("NEWSLETTER_SENDERS", "-1"),
    ):
        monkeypatch.setenv(name, value)
        with pytest.raises(RuntimeError, match=f"{name} must be a whole number"):
            config.DevelopmentConfig()
        monkeypatch.delenv(name)


@pytest.mark.parametrize(("given", "level"), [("info", "INFO"), (" Warning ", "WARNING"), (None, "INFO")])
def test_log_level_takes_any_case(tmp_path, monkeypatch, given, level):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    if given is None:
        monkeypatch.delenv("LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("LOG_LEVEL", given)
    assert level == config.DevelopmentConfig().LOG_LEVEL


def test_an_unknown_log_level_stops_with_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    with pytest.raises(RuntimeError, match="LOG_LEVEL must be one of"):
        config.DevelopmentConfig()


def test_unknown_config_name_is_refused():
    with pytest.raises(RuntimeError, match="Unknown CROCEVIA_CONFIG"):
        config.load_config("staging")


def test_database_urls_use_psycopg3():
    assert config.normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_in_wal_mode(app):
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_mail_url_parsing():
    smtp = Transport.from_url("smtp://user%40x:p%2Fw@mail.example:2525?starttls=require")
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.require_starttls) == (
        "mail.example",
        2525,
        "user@x",
        "p/w",
        True,
    )
    assert Transport.from_url("smtps://mail.example").port == 465
    assert Transport.from_url("file:///tmp/out").path == "/tmp/out"
    with pytest.raises(ValueError):
        Transport.from_url("ftp://nope")


def test_file_outbox_writes_one_eml_per_message(app, outbox):
    with app.test_request_context():
        send_mail("a@example.it", "Oggetto", "Testo semplice", "<p>HTML</p>")
        db.session.commit()
    [message] = outbox.messages()
    assert message["Subject"] == "Oggetto" and message["Message-ID"] and message["Date"]
    assert message.is_multipart() and message.get_body(("html",)).get_content().strip() == "<p>HTML</p>"


def test_mail_of_a_rolled_back_action_is_never_sent(app, outbox):
    with app.test_request_context():
        send_mail("c@example.it", "Annullato", "Non deve partire")
        db.session.rollback()
    assert outbox.messages() == []


def test_mail_waits_in_the_queue_while_the_server_is_down_and_leaves_when_it_is_back(app, monkeypatch):
    from aiosmtpd.controller import Controller

    received = []

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = _free_port()
    monkeypatch.setitem(app.config, "MAIL_URL", f"smtp://127.0.0.1:{port}")
    with app.test_request_context():
        send_mail("d@example.it", "In coda", "Arriverà")
        db.session.commit()
        report = deliver_queued()  # nobody listens on the port yet
        assert (report.sent, report.retry) == (0, 1)
        assert waiting_count() == 1
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            later = utcnow() + timedelta(minutes=2)  # past the first backoff
            assert deliver_queued(now=later).sent == 1
        finally:
            controller.stop()
        assert waiting_count() == 0
    assert len(received) == 1


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_smtp_transport_delivers_to_a_real_server(app, monkeypatch):
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 OK"

    sink, port = Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_URL", f"smtp://127.0.0.1:{port}")
    try:
        with app.test_request_context():
            send_mail("b@example.it", "Via SMTP", "Ciao")
            db.session.commit()
            deliver_queued()
    finally:
        controller.stop()
    [envelope] = sink.envelopes
    assert envelope.rcpt_tos == ["b@example.it"] and b"Via SMTP" in envelope.content
