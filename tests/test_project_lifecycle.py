"""Projects start and end: period, status and funding from tenant.toml, shown on the space and the hub;
an ended project's space stays online as an archive while its newsletter and partner publishing close.

CIAO! really ended on 31 December 2021 (its seed: "Durata 16.07.2020 - 31.12.2021"); other cases
write their own [lifecycle] and [funding] on a tenant row, as `tenants sync` would."""

from __future__ import annotations

import math
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from portal.errors import ProjectEnded
from portal.extensions import db
from portal.lifecycle.data import Lifecycle, Status, validate_funding, validate_lifecycle
from portal.models import Tenant, User
from portal.tenant_site.sync import TenantConfigError, read_tenant_folder
from tests.snapshots import built_once

ROOT = Path(__file__).resolve().parent.parent


def _set(app, tenant, **columns) -> None:
    """Change a tenant's stored tenant.toml sections as a sync would."""
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        for name, value in columns.items():
            setattr(row, name, value)
        db.session.commit()


def _folder(tmp_path, extra: str) -> Path:
    """A copy of a real tenant folder with `extra` TOML appended to its tenant.toml."""
    folder = tmp_path / "prova"
    shutil.copytree(ROOT / "tenants" / "alice", folder)
    path = folder / "tenant.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return folder


# --- the data ---------------------------------------------------------------


def test_the_status_follows_the_dates_unless_the_data_say_otherwise():
    cycle = Lifecycle(start=date(2025, 1, 1), end=date(2026, 6, 30))
    assert cycle.status(date(2024, 12, 31)) == Status.PLANNED
    assert cycle.status(date(2025, 1, 1)) == Status.RUNNING
    assert cycle.status(date(2026, 6, 30)) == Status.RUNNING  # the end day is still part of it
    assert cycle.status(date(2026, 7, 1)) == Status.ENDED
    assert Lifecycle(start=date(2025, 1, 1), override=Status.ENDED).status(date(2025, 3, 1)) == Status.ENDED
    assert Lifecycle(start=date(2025, 1, 1)).status(date(2030, 1, 1)) == Status.RUNNING  # no end: runs on
    assert Lifecycle().status(date(2030, 1, 1)) is None  # the data say nothing: neither do the pages


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ('[lifecycle]\nstart = "16/07/2020"\n', "[lifecycle] start must be a date"),
        ("[lifecycle]\nend = 2021-13-01\n", "not valid TOML"),
        ('[lifecycle]\nstatus = "closed"\n', "[lifecycle] status must be one of planned, running, ended"),
        ("[lifecycle]\nstart = 2022-01-01\nend = 2021-12-31\n", "start 2022-01-01 is after end 2021-12-31"),
        ("[lifecycle]\nbegins = 2022-01-01\n", "[lifecycle] has unknown keys ['begins']"),
        ('[funding]\ncup = "J51B2100"\n', "[funding] cup must be 15 capital letters and digits"),
        ('[funding]\neu_cohesion_funds = "yes"\n', "[funding] eu_cohesion_funds must be true or false"),
    ],
)
def test_a_bad_date_status_or_code_is_a_clear_error_naming_the_file_and_key(tmp_path, extra, says):
    with pytest.raises(TenantConfigError) as error:
        read_tenant_folder(_folder(tmp_path, extra))
    assert says in str(error.value)
    assert str(error.value).startswith("prova: ")
    if "TOML" not in says:
        assert "tenants/prova/tenant.toml" in str(error.value)


def test_good_sections_are_stored_with_iso_dates(tmp_path):
    data = read_tenant_folder(
        _folder(tmp_path, '[lifecycle]\nstart = 2020-07-16\nend = 2021-12-31\n[funding]\ncup = "J51B21000010006"\n')
    )
    assert data["lifecycle"] == {"start": "2020-07-16", "end": "2021-12-31"}
    assert data["funding"] == {"cup": "J51B21000010006"}
    assert validate_lifecycle(None) == {} and validate_funding(None) == {}  # sections left out: nothing


def test_the_real_projects_state_only_what_their_seeds_give(tenants):
    assert tenants["ciao"].lifecycle == {"start": "2020-07-16", "end": "2021-12-31"}
    assert tenants["work-in"].funding == {
        "programme": "PON Inclusione",
        "funder": "Ministero del Lavoro e delle Politiche Sociali",
    }
    for slug in ("alice", "asti-est", "vicenza"):
        assert tenants[slug].lifecycle == {} and tenants[slug].funding == {}
    assert not any(t.funding.get("cup") or t.funding.get("eu_cohesion_funds") for t in tenants.values())


# --- what people see ----------------------------------------------------------


def test_an_ended_project_space_stays_online_marked_as_ended(client, tenants):
    html = client.get("/ciao/").get_data(as_text=True)
    assert "Dal 16 luglio 2020 al 31 dicembre 2021" in html
    assert "Concluso" in html
    assert "Questo progetto si è concluso il 31 dicembre 2021" in html  # the banner, on every page of the space
    assert "Questo progetto si è concluso" in client.get("/ciao/attivita").get_data(as_text=True)
    assert client.get("/ciao/news/").status_code == 200  # its archive


def test_a_project_whose_seed_gives_no_dates_shows_no_period_and_no_status(client, tenants):
    html = client.get("/alice/").get_data(as_text=True)
    assert "Periodo" not in html and "Stato" not in html and "si è concluso" not in html


def test_funding_is_shown_as_stated_and_nothing_more(client, tenants):
    html = client.get("/work-in/").get_data(as_text=True)
    assert "PON Inclusione" in html and "Ministero del Lavoro e delle Politiche Sociali" in html
    assert "CUP" not in html and "/static/eu-emblem." not in html  # no CUP and no EU emblem in its seed


def test_the_hub_lists_ended_projects_under_past_projects(client, tenants):
    html = client.get("/").get_data(as_text=True)
    current, past = html.split('id="past-projects-title"')
    assert "Progetti conclusi" in past
    assert 'href="/ciao/"' in past and 'href="/ciao/"' not in current
    for slug in ("alice", "asti-est", "vicenza", "work-in"):
        assert f'href="/{slug}/"' in current
    assert "Dal 16 luglio 2020 al 31 dicembre 2021" in past


def test_a_project_running_now_is_listed_with_its_period_and_status(app, client, tenants):
    today = date.today()
    start, end = today - timedelta(days=400), today + timedelta(days=400)
    _set(app, tenants["alice"], lifecycle={"start": start.isoformat(), "end": end.isoformat()})
    html = client.get("/").get_data(as_text=True).split('id="past-projects-title"')[0]
    assert 'href="/alice/"' in html and "In corso" in html
    client.set_cookie("lang", "en")
    assert "Running" in client.get("/alice/").get_data(as_text=True)


def test_eu_cohesion_funds_show_the_emblem_with_the_statement_in_the_reader_language(app, client, tenants):
    _set(
        app,
        tenants["work-in"],
        funding={"programme": "PN Inclusione e lotta alla povertà 2021-2027", "cup": "J51B21000010006",
                 "eu_cohesion_funds": True},
    )  # fmt: skip
    html = client.get("/work-in/").get_data(as_text=True)
    assert re.search(
        r"<img src=\"/static/eu-emblem\.[0-9a-f]{12}\.svg\" alt=\"Cofinanziato dall'Unione europea\"", html
    )
    assert "WORK-IN è cofinanziato dall'Unione europea nell'ambito del programma PN Inclusione" in html
    assert "J51B21000010006" in html
    assert "/static/eu-emblem." in client.get("/work-in/tirocini").get_data(as_text=True)  # every page: the footer
    assert "/static/eu-emblem." in client.get("/").get_data(as_text=True)  # and its card on the hub
    client.set_cookie("lang", "en")
    assert 'alt="Co-funded by the European Union"' in client.get("/work-in/").get_data(as_text=True)
    assert "/static/eu-emblem." not in client.get("/alice/").get_data(as_text=True)


def test_the_eu_emblem_is_drawn_to_the_official_geometry():
    """12 gold five-pointed stars, one point up, on a circle of radius 1/3 of the height, each star
    within a circle of radius 1/18 of the height, placed like the hours of a clock, on reflex blue (3:2)."""
    svg = ET.parse(ROOT / "portal" / "static" / "eu-emblem.svg").getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    _x, _y, width, height = (float(v) for v in svg.get("viewBox").split())
    assert width / height == 1.5
    assert svg.find("s:rect", ns).get("fill").upper() == "#003399"
    group = svg.find("s:g", ns)
    assert group.get("fill").upper() == "#FFCC00"
    stars = group.findall("s:polygon", ns)
    assert len(stars) == 12
    angles = []
    for star in stars:
        points = [tuple(map(float, p.split(","))) for p in star.get("points").split()]
        assert len(points) == 10
        cx, cy = sum(p[0] for p in points[::2]) / 5, sum(p[1] for p in points[::2]) / 5
        assert math.dist((cx, cy), (width / 2, height / 2)) == pytest.approx(height / 3, abs=0.05)
        assert all(math.dist(p, (cx, cy)) == pytest.approx(height / 18, abs=0.05) for p in points[::2])
        assert points[0][1] < cy and points[0][0] == pytest.approx(cx, abs=0.05)  # one point straight up
        angles.append(round(math.degrees(math.atan2(cy - height / 2, cx - width / 2))) % 360)
    assert sorted(angles) == list(range(0, 360, 30))


# --- what closes ------------------------------------------------------------


@pytest.fixture
def ciao_coordinator(app, tenants, make_user, signed_in):
    make_user("coord.ciao@example.it", role="coordinator", tenant=tenants["ciao"])
    return signed_in("coord.ciao@example.it")


def test_an_ended_project_refuses_a_new_newsletter_issue_and_says_why(app, tenants, ciao_coordinator):
    index = ciao_coordinator.get("/ciao/manage/newsletter/").get_data(as_text=True)
    assert "/ciao/manage/newsletter/new" not in index
    assert "Il progetto si è concluso: non è possibile scrivere nuovi numeri." in index
    response = ciao_coordinator.get("/ciao/manage/newsletter/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ciao/manage/newsletter/")
    page = ciao_coordinator.get("/ciao/manage/newsletter/").get_data(as_text=True)
    assert "Il progetto CIAO! si è concluso il 31 dicembre 2021" in page
    assert "nuovi numeri della newsletter" in page
    # the service refuses whoever calls it (CLI, API, a replayed form)
    from portal.newsletters import issues

    with app.test_request_context(), pytest.raises(ProjectEnded) as error:
        user = db.session.scalar(db.select(User).where(User.email == "coord.ciao@example.it"))
        issues.save_issue(user, db.session.get(Tenant, tenants["ciao"].id), None, "Numero", "Testo", [], [])
    assert "31 dicembre 2021" in str(error.value) and error.value.status == 409


def test_a_running_project_still_composes_its_newsletter(app, tenants, make_user, signed_in):
    make_user("coord.work@example.it", role="coordinator", tenant=tenants["work-in"])
    coordinator = signed_in("coord.work@example.it")
    assert coordinator.get("/work-in/manage/newsletter/new").status_code == 200


@pytest.fixture
@built_once
def ciao_partner(app, tenants, make_user):
    """An organisation linked to CIAO! and to WORK-IN, with a partner editor."""
    from portal.directory import services

    admin_id = make_user("admin@example.it", admin=True)
    make_user("partner@example.it")
    with app.app_context():
        admin = db.session.get(User, admin_id)
        org = services.create_organisation(
            admin,
            {"name": "Officina Paullo", "kind": "company", "comune": "Paullo", "province": "MI",
             "tenant_ids": [tenants["ciao"].id, tenants["work-in"].id]},
        )  # fmt: skip
        services.add_editor(admin, org, "partner@example.it")
        db.session.commit()
        return org.id


def _job(tenant_ids: list[int]) -> dict:
    return {"title": "Operaio in officina", "description": "Montaggio e manutenzione.", "comune": "Paullo",
            "province": "MI", "opportunity_type": "lavoro", "contract_type": "determinato", "how_to_apply": "Scrivere all'officina.",
            "deadline": (date.today() + timedelta(days=30)).isoformat(), "tenant_ids": tenant_ids}  # fmt: skip


def test_a_partner_cannot_publish_a_new_entry_for_an_ended_project(app, tenants, ciao_partner, signed_in):
    from portal.models import Entry

    partner = signed_in("partner@example.it")
    url = f"/directory/manage/organisations/{ciao_partner}/opportunity/new"
    html = partner.get(url).get_data(as_text=True)
    ciao_box = re.search(rf'<input[^>]*value="{tenants["ciao"].id}"[^>]*>', html).group(0)
    work_box = re.search(rf'<input[^>]*value="{tenants["work-in"].id}"[^>]*>', html).group(0)
    assert "checked" not in ciao_box and "checked" in work_box  # only the running project is preselected

    refused = partner.submit(url, _job([tenants["ciao"].id]))
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "Il progetto CIAO! si è concluso il 31 dicembre 2021" in page and "nuove schede" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Entry)) == 0

    assert partner.submit(url, _job([tenants["work-in"].id])).status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(db.select(Entry.id))
    edit = f"/directory/manage/entries/{entry_id}"
    html = partner.get(edit).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    linked = partner.submit(edit, {**_job([tenants["work-in"].id, tenants["ciao"].id]), "version": version})
    assert linked.status_code == 200 and "si è concluso" in linked.get_data(as_text=True)  # newly linked: refused

    # an entry linked to the project before it ended keeps its link and can still be corrected
    from portal.models.directory import entry_tenant

    with app.app_context():
        db.session.execute(db.insert(entry_tenant).values(entry_id=entry_id, tenant_id=tenants["ciao"].id))
        db.session.commit()
    html = partner.get(edit).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    kept = partner.submit(edit, {**_job([tenants["work-in"].id, tenants["ciao"].id]), "version": version})
    assert kept.status_code == 302


def test_the_service_refuses_whoever_calls_it(app, tenants, ciao_partner):
    from portal.directory import services
    from portal.models import Organisation

    with app.test_request_context():
        partner = db.session.scalar(db.select(User).where(User.email == "partner@example.it"))
        org = db.session.get(Organisation, ciao_partner)
        with pytest.raises(ProjectEnded) as error:
            services.create_entry(partner, org, "opportunity", {"title": "Prova", "tenant_ids": [tenants["ciao"].id]})
        assert error.value.status == 409 and set(error.value.fields) == {"tenant_ids"}


def test_a_draft_cannot_smuggle_a_new_entry_into_an_ended_project(app, tenants, ciao_partner, signed_in):
    from portal.models import Entry

    partner = signed_in("partner@example.it")
    url = f"/directory/manage/organisations/{ciao_partner}/opportunity/new"
    refused = partner.submit(url, {**_job([tenants["ciao"].id]), "save_draft": "1"})
    assert refused.status_code == 200 and "si è concluso" in refused.get_data(as_text=True)

    assert partner.submit(url, {**_job([tenants["work-in"].id]), "save_draft": "1"}).status_code == 302
    with app.app_context():
        draft_id = db.session.scalar(db.select(Entry.id))
    edit = f"/directory/manage/entries/{draft_id}"
    html = partner.get(edit).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    with app.app_context():  # the draft names the ended project as if it had been linked before
        from portal.models.directory import entry_tenant

        db.session.execute(db.insert(entry_tenant).values(entry_id=draft_id, tenant_id=tenants["ciao"].id))
        db.session.commit()
    submitted = partner.submit(edit, {**_job([tenants["work-in"].id, tenants["ciao"].id]), "version": version})
    assert submitted.status_code == 200 and "si è concluso" in submitted.get_data(as_text=True)
