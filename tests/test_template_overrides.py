"""A project's folder may override any template its space renders (README, "Projects are data")."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT

OVERRIDDEN = {
    "tenant_site/home.html": "home",
    "tenant_site/news_index.html": "news/",
    "newsletters/index.html": "newsletter/",
    "directory/search.html": "directory/",
    "tenant_site/manage_index.html": "manage/",
}


@pytest.fixture
def custom_tenants(tmp_path):
    folder = tmp_path / "tenants"
    shutil.copytree(ROOT / "tenants", folder)
    for template in OVERRIDDEN:
        target = folder / "work-in" / "templates" / template
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            '{% extends "tenant_site/space_layout.html" %}{% block content %}'
            f"<p>WORK-IN override of {template}</p>{{% endblock %}}",
            encoding="utf-8",
        )
    return folder


def test_every_page_of_the_space_uses_the_projects_override(app_factory, custom_tenants, make_user, tenants):
    from portal.extensions import db
    from portal.tenant_site.sync import sync_tenants
    from tests.conftest import Browser

    app = app_factory(TENANTS_DIR=str(custom_tenants))
    with app.app_context():
        sync_tenants(custom_tenants)
        db.session.commit()
    make_user("coord@example.it", role="coordinator", tenant=tenants["work-in"])
    browser = Browser(app.test_client())
    browser.sign_in("coord@example.it")
    for template, path in OVERRIDDEN.items():
        url = "/work-in/" + ("" if path == "home" else path)
        assert f"WORK-IN override of {template}" in browser.get(url).get_data(as_text=True), url
        other = browser.get("/alice/" + ("" if path == "home" else path)).get_data(as_text=True)
        assert "override of" not in other, f"alice {url}"
