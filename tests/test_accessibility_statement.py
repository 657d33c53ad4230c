"""The AgID accessibility statement of every site (hub and project spaces), as data, and its
feedback form that mails the site's people (a space's coordinators; the hub's platform admins)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from portal.accessibility.statement import Statement, last_deadline, statement_for, validate_accessibility
from portal.extensions import db
from portal.models import Tenant
from portal.tenant_site.sync import TenantConfigError, read_tenant_folder
from tests.conftest import Browser, csrf_token_from

ROOT = Path(__file__).resolve().parent.parent
REPORT = {
    "name": "Lucia Bianchi",
    "email": "lucia@example.it",
    "page_url": "https://crocevia.example/ciao/attivita",
    "description": "Il menu non si apre con la tastiera.",
    "consent": "y",
}


def _set_accessibility(app, tenant, **values) -> None:
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        row.accessibility = {**(row.accessibility or {}), **values}
        db.session.commit()


def _statement(reviewed_on: date) -> Statement:
    return Statement("compliant", date(2020, 1, 1), reviewed_on, "self-assessment", [])


# --- the yearly review ------------------------------------------------------


def test_a_review_covers_the_twelve_months_up_to_each_23_september():
    reviewed = _statement(date(2026, 9, 1))  # in time for the 2026 deadline
    assert not reviewed.overdue(date(2026, 12, 2))
    assert not reviewed.overdue(date(2027, 9, 23))  # the deadline day itself is still in time
    assert reviewed.overdue(date(2027, 9, 24))  # no review for 2027
    assert reviewed.due_by(date(2026, 12, 2)) == date(2027, 9, 23)
    late = _statement(date(2026, 10, 15))  # after the 2026 deadline: it counts for 2027
    assert not late.overdue(date(2027, 9, 24))
    assert _statement(date(2025, 9, 23)).overdue(date(2026, 9, 24))
    assert not _statement(date(2025, 9, 24)).overdue(date(2026, 9, 24))
    assert last_deadline(date(2026, 9, 23)) == date(2025, 9, 23)
    assert last_deadline(date(2026, 9, 24)) == date(2026, 9, 23)


def test_the_hub_default_is_complete_and_a_space_adds_to_it(app, tenants):
    with app.app_context():
        hub = statement_for(None)
        assert hub.status == "partially-compliant" and hub.non_accessible
        row = db.session.get(Tenant, tenants["alice"].id)
        row.accessibility = validate_accessibility(
            {
                "status": "compliant",
                "statement_date": date(2027, 1, 10),
                "non_accessible": [{"content": {"it": "Mappa dei laboratori"}, "reason": "disproportionate-burden"}],
            }
        )
        space = statement_for(row)
    assert space.status == "compliant"
    assert space.reviewed_on == date(2027, 1, 10)  # its own statement, not reviewed yet: its own date
    assert [i.content["it"] for i in space.non_accessible][-1] == "Mappa dei laboratori"
    assert len(space.non_accessible) == len(hub.non_accessible) + 1  # the portal's limits apply to it too


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ('status = "mostly"\n', "[accessibility] status must be one of compliant, partially-compliant, not-compliant"),
        ('reviewed_on = "23 settembre"\n', "[accessibility] reviewed_on must be a date"),
        ("statement_date = 2026-05-01\nreviewed_on = 2026-01-01\n", "reviewed_on 2026-01-01 is before"),
        ("[[accessibility.non_accessible]]\ncontent = { it = 'PDF' }\nreason = 'lazy'\n", "reason must be one of"),
    ],
)
def test_a_bad_statement_in_tenant_toml_is_a_clear_error(tmp_path, extra, says):
    folder = tmp_path / "prova"
    shutil.copytree(ROOT / "tenants" / "alice", folder)
    path = folder / "tenant.toml"
    text = path.read_text(encoding="utf-8")
    text = text[: text.index("[accessibility]")] + "[accessibility]\n" + extra
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TenantConfigError) as error:
        read_tenant_folder(folder)
    assert says in str(error.value) and "tenants/prova/tenant.toml" in str(error.value)


# --- the page ---------------------------------------------------------------


def test_the_hub_statement_says_what_agid_asks(client, tenants):
    html = client.get("/info/accessibilita").get_data(as_text=True)
    assert "Dichiarazione di accessibilità" in html
    assert "parzialmente conforme" in html
    assert "Documenti PDF pubblicati dai partner" in html and "Inosservanza della legge 4/2004" in html
    assert 'href="https://form.agid.gov.it/"' in html
    assert "Dichiarazione redatta il" in html and "22 novembre 2026" in html and "Ultimo aggiornamento annuale" in html
    assert 'href="/info/accessibilita/segnalazione"' in html
    client.set_cookie("lang", "en")
    english = client.get("/info/accessibilita").get_data(as_text=True)
    assert "Accessibility statement" in english and "partially compliant" in english
    assert "Non-compliance with Law 4/2004" in english


def test_each_space_has_its_own_statement_linked_from_every_footer(client, tenants):
    html = client.get("/ciao/accessibilita").get_data(as_text=True)
    assert "allo spazio di CIAO!" in html
    assert 'href="/ciao/accessibilita/segnalazione"' in html
    for url in ("/ciao/", "/ciao/attivita", "/ciao/news/", "/ciao/accessibilita/segnalazione"):
        assert 'href="/ciao/accessibilita"' in client.get(url).get_data(as_text=True), url
    for url in ("/", "/directory/", "/auth/login"):
        assert 'href="/info/accessibilita"' in client.get(url).get_data(as_text=True), url


def test_an_overdue_statement_says_so_and_coordinators_see_a_warning(app, client, tenants, make_user, signed_in):
    two_years_ago = (date.today() - timedelta(days=730)).isoformat()
    _set_accessibility(app, tenants["vicenza"], statement_date=two_years_ago, reviewed_on=two_years_ago)
    public = client.get("/vicenza/accessibilita").get_data(as_text=True)
    assert "Questa dichiarazione è scaduta" in public
    assert "sotto la Sua responsabilità" not in public  # the call to act is for the people who answer
    assert "Prossimo aggiornamento entro" not in public
    make_user("coord.vi@example.it", role="coordinator", tenant=tenants["vicenza"])
    coordinator = signed_in("coord.vi@example.it")
    assert "sotto la Sua responsabilità" in coordinator.get("/vicenza/accessibilita").get_data(as_text=True)
    manage = coordinator.get("/vicenza/manage/").get_data(as_text=True)
    assert "La dichiarazione di accessibilità di questo spazio è scaduta" in manage
    assert "è scaduta" not in client.get("/info/accessibilita").get_data(as_text=True)  # the hub is up to date
    make_user("coord.alice@example.it", role="coordinator", tenant=tenants["alice"])
    other = signed_in("coord.alice@example.it").get("/alice/manage/").get_data(as_text=True)
    assert "è scaduta" not in other


# --- the feedback form ----------------------------------------------------------


def test_a_report_reaches_the_space_coordinators_with_reply_to_the_sender(app, browser, outbox, tenants, make_user):
    make_user("coord.ciao@example.it", role="coordinator", tenant=tenants["ciao"])
    make_user("coord2.ciao@example.it", role="coordinator", tenant=tenants["ciao"], locale="en")
    make_user("coord.asti@example.it", role="coordinator", tenant=tenants["asti-est"])
    make_user("admin@example.it", admin=True)
    response = browser.submit("/ciao/accessibilita/segnalazione", REPORT)
    assert response.status_code == 200
    assert "La segnalazione è stata inoltrata ai responsabili di CIAO!" in response.get_data(as_text=True)
    to_site = outbox.to("coord.ciao@example.it")
    assert len(to_site) == 1
    assert to_site[0]["Reply-To"] == "Lucia Bianchi <lucia@example.it>"
    assert to_site[0]["Subject"] == "Segnalazione di accessibilità su CIAO!"
    body = outbox.text(to_site[0])
    assert "Il menu non si apre con la tastiera." in body and "https://crocevia.example/ciao/attivita" in body
    assert outbox.to("coord2.ciao@example.it")[0]["Subject"] == "Accessibility report about CIAO!"  # their language
    assert outbox.to("coord.asti@example.it") == [] and outbox.to("admin@example.it") == []
    acknowledgement = outbox.to("lucia@example.it")
    assert len(acknowledgement) == 1 and "https://form.agid.gov.it/" in outbox.text(acknowledgement[0])


def test_the_hub_report_reaches_the_platform_admins(app, browser, outbox, tenants, make_user):
    make_user("admin@example.it", admin=True)
    make_user("coord.ciao@example.it", role="coordinator", tenant=tenants["ciao"])
    response = browser.submit("/info/accessibilita/segnalazione", {**REPORT, "name": ""})
    assert response.status_code == 200
    (message,) = outbox.to("admin@example.it")
    assert message["Reply-To"] == "lucia@example.it"  # no name given: the address alone
    assert outbox.to("coord.ciao@example.it") == []


def test_a_space_without_coordinators_falls_back_to_the_admins(app, browser, outbox, tenants, make_user):
    make_user("admin@example.it", admin=True)
    assert browser.submit("/alice/accessibilita/segnalazione", REPORT).status_code == 200
    assert len(outbox.to("admin@example.it")) == 1


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"description": "   "}, "Descrivere il problema riscontrato."),
        ({"email": "lucia@"}, "Inserire un indirizzo e-mail valido"),
        ({"description": "x" * 4001}, "Scrivere al massimo 4000 caratteri."),
        ({"page_url": "javascript:alert(1)"}, "Indicare l'indirizzo completo della pagina"),
        ({"page_url": ""}, "Indicare l'indirizzo della pagina con il problema."),
        ({"consent": ""}, "Selezionare la casella per dare il consenso."),
    ],
)
def test_bad_input_is_explained_on_the_form_and_sends_nothing(app, browser, outbox, tenants, make_user, change, says):
    make_user("admin@example.it", admin=True)
    response = browser.submit("/info/accessibilita/segnalazione", {**REPORT, **change})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert says in html and 'id="form-errors"' in html
    assert outbox.messages() == []


def test_hostile_html_and_header_tricks_arrive_as_plain_text(app, browser, outbox, tenants, make_user):
    make_user("admin@example.it", admin=True)
    hostile = {
        **REPORT,
        "name": "Eve\r\nBcc: victim@example.it",
        "description": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    }
    assert browser.submit("/info/accessibilita/segnalazione", hostile).status_code == 200
    (message,) = outbox.to("admin@example.it")
    assert "\n" not in str(message["Reply-To"]) and message["Reply-To"].addresses[0].addr_spec == "lucia@example.it"
    assert message["Bcc"] is None
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img src=x" not in html
    assert '<script>alert("x")</script>' in outbox.text(message)  # the text part shows what was typed


def test_the_form_needs_its_csrf_token(app, client, outbox, tenants, make_user):
    make_user("admin@example.it", admin=True)
    response = client.post("/info/accessibilita/segnalazione", data=REPORT)
    assert response.status_code == 400
    assert outbox.messages() == []


def test_reports_are_limited_per_site_whoever_sends_them(app_factory, outbox, tenants, make_user):
    make_user("admin@example.it", admin=True)
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_ACCESSIBILITY_PER_SITE="2 per hour")
    codes = []
    for number in range(3):
        person = Browser(limited.test_client())
        headers = {"REMOTE_ADDR": f"10.0.1.{number + 1}"}
        html = person.client.get("/info/accessibilita/segnalazione", environ_base=headers).get_data(as_text=True)
        data = {**REPORT, "email": f"p{number}@example.it", "csrf_token": csrf_token_from(html)}
        codes.append(
            person.client.post("/info/accessibilita/segnalazione", data=data, environ_base=headers).status_code
        )
    assert codes == [200, 200, 429]
    assert len(outbox.to("admin@example.it")) == 2


def test_reports_are_limited_per_client_address(app_factory, tenants, make_user):
    make_user("admin@example.it", admin=True)
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_MAIL_FORMS="2 per minute")
    person = Browser(limited.test_client())
    codes = [person.submit("/ciao/accessibilita/segnalazione", REPORT).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
