"""Tenants are data: folders synced idempotently, never deleting anything silently."""

import shutil

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Page, Tenant
from portal.tenancy import tenant_scope
from portal.tenant_site.sync import sync_tenants
from tests.conftest import ROOT


@pytest.fixture
def folder(tmp_path):
    """A copy of the real tenants/ folder that tests may change."""
    target = tmp_path / "tenants"
    shutil.copytree(ROOT / "tenants", target)
    return target


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model).execution_options(all_tenants=True))


def test_sync_creates_five_tenants_with_their_pages_and_is_idempotent(app, folder):
    with app.app_context():
        first = sync_tenants(folder)
        assert not first.errors and _count(Tenant) == 5
        pages = _count(Page)
        second = sync_tenants(folder)
        assert second.lines == [] and _count(Page) == pages


def test_every_tenant_has_italian_and_english_texts_and_a_home_page(app, folder):
    with app.app_context():
        sync_tenants(folder)
        for tenant in db.session.scalars(select(Tenant)):
            assert all(
                getattr(tenant, f).get("it") and getattr(tenant, f).get("en")
                for f in ("name", "description", "territory")
            )
            with tenant_scope(tenant):
                homes = set(db.session.scalars(select(Page.locale).where(Page.slug == "home")))
            assert homes == {"it", "en"}, tenant.slug
            # a seed that names no partner (ALICE, Vicenza) gives an empty list, never invented names
            assert isinstance(tenant.partners, list) and all(p.get("name") for p in tenant.partners), tenant.slug


def test_changed_toml_updates_the_tenant(app, folder):
    with app.app_context():
        sync_tenants(folder)
        toml = folder / "alice" / "tenant.toml"
        toml.write_text(toml.read_text().replace('short_name = "ALICE"', 'short_name = "ALICE PIT2"'))
        report = sync_tenants(folder)
        assert "alice: updated" in report.lines
        assert db.session.scalar(select(Tenant.short_name).where(Tenant.slug == "alice")) == "ALICE PIT2"


def test_adding_a_folder_adds_a_tenant(app, folder):
    shutil.copytree(folder / "vicenza", folder / "nuovo-progetto")
    with app.app_context():
        report = sync_tenants(folder)
        assert "nuovo-progetto: created" in report.lines
        assert _count(Tenant) == 6


def test_browser_edits_are_not_overwritten_by_a_changed_file(app, folder, make_user, browser):
    with app.app_context():
        sync_tenants(folder)
        alice = db.session.scalar(select(Tenant).where(Tenant.slug == "alice"))
    make_user("coord@example.it", role="coordinator", tenant=alice)
    browser.sign_in("coord@example.it")
    browser.submit("/alice/manage/pages/home/it", {"title": "Scritto nel browser", "body": "Testo del coordinatore"})
    page_file = folder / "alice" / "pages" / "home.it.md"
    page_file.write_text(page_file.read_text() + "\nAggiunta dal file.\n")
    with app.app_context():
        report = sync_tenants(folder)
        assert any("kept browser edits of home.it.md" in line for line in report.lines)
        with tenant_scope(alice):
            page = db.session.scalar(select(Page).where(Page.slug == "home", Page.locale == "it"))
        assert page.title == "Scritto nel browser"


def test_removed_folders_and_pages_are_reported_not_deleted(app, folder):
    with app.app_context():
        sync_tenants(folder)
        pages = _count(Page)
        shutil.rmtree(folder / "ciao")
        (folder / "alice" / "pages" / "borse-lavoro.en.md").unlink()
        report = sync_tenants(folder)
        assert any(line.startswith("ciao: in the database but has no folder") for line in report.lines)
        assert any("borse-lavoro.en" in line for line in report.lines)
        assert _count(Tenant) == 5 and _count(Page) == pages


@pytest.mark.parametrize(
    "name, toml, message",
    [
        ("auth", None, "not a valid slug"),
        ("Bad_Slug", None, "not a valid slug"),
        ("broken", "name = [", "not valid TOML"),
        (
            "nocolour",
            'short_name="X"\n[name]\nit="x"\n[description]\nit="x"\n[territory]\nit="x"\n[colours]\nprimary="red;}"',
            "colour primary",
        ),
        ("noname", 'short_name="X"\n[description]\nit="x"\n[territory]\nit="x"', "[name] needs"),
    ],
)
def test_invalid_folders_are_reported_and_the_rest_still_syncs(app, folder, name, toml, message):
    bad = folder / name
    if toml is None:
        shutil.copytree(folder / "vicenza", bad)
    else:
        bad.mkdir()
        (bad / "tenant.toml").write_text(toml)
    with app.app_context():
        report = sync_tenants(folder)
        assert any(message in error for error in report.errors), report.errors
        assert _count(Tenant) == 5


def test_sync_command_prints_the_report(runner, app):
    result = runner.invoke(args=["tenants", "sync"])
    assert result.exit_code == 0 and "work-in: created" in result.output
    assert "all tenants up to date" in runner.invoke(args=["tenants", "sync"]).output
